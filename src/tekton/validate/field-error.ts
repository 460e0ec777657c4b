// knative's apis.FieldError, as Tekton's webhook builds and prints it (§9.1): errors collect
// field paths as the walk climbs back up (viaField / viaIndex / viaKey), then print sorted by
// message with identical messages merged. Each path also keeps the raw keys/indexes into the
// document it came from, so every finding can be given a file:line:col.
import type { PathSegment } from '../load.js';

export interface FieldIssue {
  message: string;
  details: string;
  /** Paths as Tekton prints them (relative to where the issue currently sits). */
  paths: string[];
  /** For each path, the keys/indexes of the node it names in the document. */
  raws: PathSegment[][];
  /** Where to point when the issue has no path (feature-gate errors). */
  anchor: PathSegment[];
}

export class FieldErrors {
  readonly issues: FieldIssue[] = [];

  get empty(): boolean {
    return this.issues.length === 0;
  }

  /**
   * Adds an issue. `path` is Tekton's relative path text ('' for "the current field", as
   * knative's CurrentField); `raw` the matching keys into the document (default: the path's
   * dot-separated parts, right for plain lower-case field names).
   */
  add(message: string, path: string | string[], raw?: PathSegment[] | PathSegment[][], details = ''): this {
    const paths = Array.isArray(path) ? path : [path];
    const raws: PathSegment[][] = raw === undefined
      ? paths.map(defaultRaw)
      : paths.length > 1 && Array.isArray(raw[0]) ? (raw as PathSegment[][]) : paths.map(() => raw as PathSegment[]);
    this.issues.push({ message, details, paths: paths.map((p) => flatten([p])), raws, anchor: raws[0] ?? [] });
    return this;
  }

  /** An issue without a printed path (knative ErrGeneric with no field), anchored at `raw`. */
  addPathless(message: string, raw: PathSegment[] = [], details = ''): this {
    this.issues.push({ message, details, paths: [], raws: [], anchor: raw });
    return this;
  }

  /** Adds the issues of each of `others` (plain loops: this runs thousands of times per file, mostly not yet compiled). */
  also(a: FieldErrors | undefined, b?: FieldErrors, c?: FieldErrors): this {
    if (a) for (let i = 0; i < a.issues.length; i++) this.issues.push(a.issues[i]!);
    if (b) for (let i = 0; i < b.issues.length; i++) this.issues.push(b.issues[i]!);
    if (c) for (let i = 0; i < c.issues.length; i++) this.issues.push(c.issues[i]!);
    return this;
  }

  /** Prepends a field name (`raw` overrides the document keys it stands for). */
  viaField(name: string, raw?: PathSegment[]): this {
    if (this.issues.length === 0) return this;
    return this.prefix(name, raw ?? name.split('.'));
  }

  viaIndex(index: number, raw?: PathSegment[]): this {
    if (this.issues.length === 0) return this;
    return this.prefix(`[${index}]`, raw ?? [index]);
  }

  viaKey(key: string, raw: PathSegment[]): this {
    if (this.issues.length === 0) return this;
    return this.prefix(`[${key}]`, raw);
  }

  viaFieldIndex(name: string, index: number, raw?: PathSegment[]): this {
    if (this.issues.length === 0) return this;
    return this.prefix(`${name}[${index}]`, raw ?? [name, index]);
  }

  /** knative's ViaFieldKey (see keyPath). */
  viaFieldKey(name: string, key: string, raw: PathSegment[]): this {
    if (this.issues.length === 0) return this;
    return this.prefix(keyPath(name, key), raw);
  }

  /**
   * Prepends path text only. Tekton re-applies a step's `steps[i]` prefix to the errors of all
   * earlier steps in two of its loops (validateArrayUsage, validateObjectUsageAsWhole); this
   * reproduces the printed paths while the raw keys keep pointing at the right node.
   */
  viaFieldIndexTextOnly(name: string, index: number): this {
    for (const i of this.issues) i.paths = i.paths.map((p) => flatten([`${name}[${index}]`, p]));
    return this;
  }

  private prefix(text: string, raw: PathSegment[]): this {
    for (const i of this.issues) {
      i.paths = i.paths.map((p) => flatten([text, p]));
      i.raws = i.raws.map((r) => [...raw, ...r]);
      i.anchor = [...raw, ...i.anchor];
    }
    return this;
  }

  /** Merged and sorted as knative prints them: one entry per message+details, paths sorted. */
  merged(): { message: string; details: string; paths: string[]; anchor: PathSegment[] }[] {
    const byKey = new Map<string, { message: string; details: string; pairs: Map<string, PathSegment[]>; anchor: PathSegment[] }>();
    for (const i of this.issues) {
      const key = `${i.message}\u0000${i.details}`;
      let m = byKey.get(key);
      if (!m) {
        m = { message: i.message, details: i.details, pairs: new Map(), anchor: i.anchor };
        byKey.set(key, m);
      }
      i.paths.forEach((p, n) => {
        if (!m.pairs.has(p)) m.pairs.set(p, i.raws[n] ?? i.anchor);
      });
    }
    const out = [...byKey.values()].map((m) => {
      const paths = [...m.pairs.keys()].sort(byteOrder);
      return { message: m.message, details: m.details, paths, anchor: paths.length ? m.pairs.get(paths[0]!)! : m.anchor };
    });
    return out.sort((a, b) => byteOrder(a.message, b.message) || byteOrder(a.details, b.details));
  }

  /** The text `err.Error()` gives in Go. */
  toString(): string {
    return this.merged()
      .map((e) => `${e.message}: ${e.paths.join(', ')}${e.details ? `\n${e.details}` : ''}`)
      .join('\n');
  }
}

export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function defaultRaw(path: string): PathSegment[] {
  return path === '' ? [] : path.split('.');
}

/** knative's path flattening: split on dots, drop empty parts, glue `[..]` onto the previous part. */
export function flatten(parts: string[]): string {
  const out: string[] = [];
  for (const part of parts) {
    for (const p of part.split('.')) {
      if (p === '') continue;
      if (out.length > 0 && p.startsWith('[') && p.endsWith(']')) out[out.length - 1] += p;
      else out.push(p);
    }
  }
  return out.join('.');
}

/**
 * `field[key]` as knative's ViaFieldKey builds it: the key, then the field, so a key with a dot
 * prints as Tekton's does (`params.[a.b]`: flattening splits `[a.b]` into parts that are no
 * longer an index), where a composed `params[a.b]` would not.
 */
export function keyPath(field: string, key: string): string {
  return flatten([field, `[${key}]`]);
}

// knative's fixed texts.
export const MISSING = 'missing field(s)';
export const ONE_OF_NEITHER = 'expected exactly one, got neither';
export const ONE_OF_BOTH = 'expected exactly one, got both';
export const DISALLOWED = 'must not set the field(s)';
export const invalidValue = (v: unknown) => `invalid value: ${goValue(v)}`;
export const invalidKeyName = (k: string) => `invalid key name ${goQuote(k)}`;

/** Go's `%v` of the plain values we print (strings bare, lists `[a b]`). */
export function goValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => byteOrder(a, b));
    return `map[${entries.map(([k, x]) => `${k}:${goValue(x)}`).join(' ')}]`;
  }
  return String(v);
}

const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;

/** Go's strconv.Quote (`%q`): printable characters kept, everything else escaped. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (PRINTABLE.test(ch)) out += ch;
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\v') out += '\\v';
    else if (c < 0x80) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}
