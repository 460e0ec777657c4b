// Deep copy of plain JSON-like data (what YAML loading produces). Several times faster than
// structuredClone for this shape, which matters when validating whole folders.

/** Sets an own property, also for a key named `__proto__` (which plain assignment would not). */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}

export function cloneData<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = cloneData(v[i]);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) setOwn(out, k, cloneData((v as Record<string, unknown>)[k]));
  return out as T;
}
