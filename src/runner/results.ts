// Results as Tekton's entrypoint and controller handle them (§5.2, §5.3): files read verbatim,
// the per-step termination message with its 4096-byte budget, and decoding by declared type.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParamType, ParamValue } from '../tekton/types.js';

export const MAX_TERMINATION_MESSAGE = 4096;

/** One termination-message entry, serialised as Go's result.RunResult. */
export interface RunResultEntry {
  key: string;
  value: string;
  /** 1 task result, 3 internal (StartedAt, ExitCode, Reason), 4 step result. */
  type: 1 | 3 | 4;
}

/** Go's json.Marshal of the entries (it escapes <, >, & and U+2028/9), used for the size check. */
export function encodeTerminationMessage(entries: readonly RunResultEntry[]): string {
  return JSON.stringify(entries.map((e) => ({ key: e.key, value: e.value, type: e.type })))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Reads the declared results that exist in `dir`, in declaration order, as raw text. */
export function readResultFiles(dir: string, names: readonly string[], type: 1 | 4): RunResultEntry[] {
  const out: RunResultEntry[] = [];
  for (const name of names) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    out.push({ key: name, value: readFileSync(file).toString('utf8'), type });
  }
  return out;
}

/** Tekton's ParamValue.UnmarshalJSON on a result file's text (§5.2): `[`/`{` JSON, else a string. */
export function decodeResultText(text: string): { type: ParamType; value: ParamValue } {
  if (text.startsWith('[')) {
    const a = tryJson(text);
    if (Array.isArray(a) && a.every((x) => typeof x === 'string' || x === null)) return { type: 'array', value: a.map((x) => x ?? '') };
  }
  if (text.startsWith('{')) {
    const o = tryJson(text);
    if (o && typeof o === 'object' && !Array.isArray(o) && Object.values(o).every((x) => typeof x === 'string' || x === null)) {
      return { type: 'object', value: Object.fromEntries(Object.entries(o as Record<string, string | null>).map(([k, v]) => [k, v ?? ''])) };
    }
  }
  const s = tryJson(text);
  return { type: 'string', value: typeof s === 'string' ? s : text };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Explains an over-budget message the way Tekton does not: which results, how big. */
export function budgetExplanation(container: string, entries: readonly RunResultEntry[]): string {
  const size = Buffer.byteLength(encodeTerminationMessage(entries));
  const parts = entries
    .filter((e) => e.type !== 3)
    .map((e) => ({ e, n: Buffer.byteLength(encodeTerminationMessage([e])) }))
    .sort((a, b) => b.n - a.n)
    .map(({ e, n }) => `${e.type === 4 ? 'step result' : 'result'} "${e.key}" (${Buffer.byteLength(e.value)} bytes, ${n} encoded)`);
  const internal = Buffer.byteLength(encodeTerminationMessage(entries.filter((e) => e.type === 3)));
  return (
    `tektite: the termination message of "${container}" is ${size} bytes, over Tekton's limit of ${MAX_TERMINATION_MESSAGE}: ` +
    `${parts.join(', ')}; Tekton's own bookkeeping takes ${internal} bytes. ` +
    'Every step re-reports all task results written so far, so the last step carries them all.'
  );
}
