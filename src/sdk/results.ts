// Results: checked against their declared type, encoded exactly (a string as is, an array or object
// as compact JSON), measured against Tekton's 4096-byte termination message, then written.
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import type * as Fs from 'node:fs';

// A named ESM import of node:fs reads every export, which loads fs streams: a few ms of every
// step's start-up. require() leaves them lazy.
const { existsSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } = createRequire(import.meta.url)('node:fs') as typeof Fs;
import type { ResultSpec } from './declare.js';

/** Tekton's limit for the termination message of one step container (tekton-semantics §5.3). */
export const TERMINATION_MESSAGE_LIMIT = 4096;

export class ResultError extends Error {
  override name = 'ResultError';
}

/** The bytes Tekton reads back as this result's value. */
export function encodeResult(name: string, spec: ResultSpec, value: unknown): string {
  const bad = (what: string) => new ResultError(`result ${name} must be ${what}, got ${describe(value)}`);
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string') throw bad('a string');
      return value;
    case 'array':
      if (!Array.isArray(value) || !value.every((x) => typeof x === 'string')) throw bad('an array of strings');
      return JSON.stringify(value);
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('an object of strings');
      const entries = Object.entries(value as Record<string, unknown>);
      const nonString = entries.filter(([, v]) => typeof v !== 'string').map(([k]) => k);
      if (nonString.length) throw new ResultError(`result ${name}: values of keys ${nonString.join(', ')} must be strings`);
      const missing = (spec.properties ?? []).filter((k) => !(k in (value as object)));
      if (missing.length) throw new ResultError(`result ${name} is missing declared key${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
      return JSON.stringify(value);
    }
  }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  return v === null ? 'null' : typeof v;
}

/** Length of Go's json.Marshal output for a string (it also escapes <, >, &, U+2028 and U+2029). */
function goJsonLength(s: string): number {
  let extra = 0;
  for (const ch of s) {
    if (ch === '<' || ch === '>' || ch === '&') extra += 5;
    else if (ch === '\u2028' || ch === '\u2029') extra += 3;
  }
  return Buffer.byteLength(JSON.stringify(s)) + extra;
}

// `{"key":"StartedAt","value":"2006-01-02T15:04:05.000+07:00","type":3}`: the entrypoint's own entry.
const STARTED_AT_ENTRY = `{"key":"StartedAt","value":"${'0'.repeat(29)}","type":3}`.length;

/** Size of the termination message Tekton's entrypoint would write for these key/value pairs. */
export function terminationMessageSize(values: ReadonlyMap<string, string>): number {
  let size = 2 + STARTED_AT_ENTRY; // [ ]
  for (const [key, value] of values) size += 1 + `{"key":,"value":,"type":1}`.length + goJsonLength(key) + goJsonLength(value);
  return size;
}

export interface PlannedResult {
  name: string;
  path: string;
  bytes: string;
}

/**
 * Fails, before anything is written, when the results (plus results other steps already left in
 * the same folders, which the entrypoint re-reports) would not fit the termination message.
 */
export function checkBudget(planned: readonly PlannedResult[], limit = TERMINATION_MESSAGE_LIMIT): void {
  const all = new Map<string, string>();
  const ours = new Set(planned.map((p) => p.path));
  for (const dir of new Set(planned.filter((p) => p.path).map((p) => dirname(p.path)))) {
    for (const [file, content] of otherResultFiles(dir, ours)) all.set(file, content);
  }
  const others = all.size;
  for (const p of planned) all.set(p.name, p.bytes);
  const total = terminationMessageSize(all);
  if (total <= limit) return;
  const biggest = [...planned].sort((a, b) => Buffer.byteLength(b.bytes) - Buffer.byteLength(a.bytes));
  const sizes = biggest.map((p) => `${p.name} ${Buffer.byteLength(p.bytes)} bytes`).join(', ');
  throw new ResultError(
    `result ${biggest[0]!.name} is too large: ${Buffer.byteLength(biggest[0]!.bytes)} bytes; ` +
      `the termination message would be ${total} bytes, over Tekton's limit of ${limit} ` +
      `(results: ${sizes}${others ? `; plus ${others} result file${others > 1 ? 's' : ''} already written by earlier steps` : ''}). ` +
      'Nothing was written. Write large data to a workspace and return its path instead.',
  );
}

function otherResultFiles(dir: string, ours: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (ours.has(p) || name.includes('.tektite-tmp')) continue;
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isFile()) out.set(name, readFileSync(p, 'utf8'));
  }
  return out;
}

/**
 * Writes each result through a temporary file and a rename, so a reader never sees half a value.
 * No fsync: the files live in the pod's emptyDir, read by the entrypoint right after this process.
 */
export function writeResults(planned: readonly PlannedResult[]): void {
  for (const p of planned) {
    const tmp = join(dirname(p.path), `.${basename(p.path)}.tektite-tmp-${process.pid}`);
    writeFileSync(tmp, p.bytes, { mode: 0o644 });
    renameSync(tmp, p.path);
  }
}
