// Reads the params of a step program from argv (Go flag forms) and env, applies defaults and
// parses typed values strictly. Precedence: argv, then env, then the default.
//
// argv: `-name=value`, `--name=value`, `-name value`, `--name value`; a boolean alone means true
// (`-shout`), a value needs `=` (`-shout=false`), as with Go's flag package. An array param takes
// repeated flags (`-items a -items b`) or, as the generated step passes it, the elements after a
// `--tektite-array=<name>` marker. An object key is a flag of its own: `-meta.a=1`.
// env: `PARAM_<NAME>` (or the declared `env`); an array as a JSON array of strings; an object one
// variable per key, `<env>_<KEY>`. An empty variable is a value (the empty string), not absence.
import type { ParamSpec, StepProgram } from './declare.js';
import { flagNames, paramEnvNames } from './declare.js';
import { ARRAY_MARKER } from './names.js';

export type ParamRuntimeValue = string | boolean | number | string[] | Record<string, string>;

/** Bad input from the caller: printed with the usage text, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Raw = { scalar?: string; list?: string[]; keys: Record<string, string> };
type FlagTarget = { param: string; key?: string };

/** `-h`, `-help`, `--help` where a flag may stand (not as the value of the flag before it). */
export class HelpRequested extends Error {
  override name = 'HelpRequested';
}

const HELP_FLAGS = new Set(['h', 'help']);
const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

export function readParams(program: StepProgram, argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Record<string, ParamRuntimeValue> {
  const params = program.params;
  const raw: Record<string, Raw> = {};
  for (const name of Object.keys(params)) raw[name] = { keys: {} };
  readArgv(params, argv, raw);
  const out: Record<string, ParamRuntimeValue> = {};
  const missing: string[] = [];
  for (const [name, spec] of Object.entries(params)) {
    const r = raw[name]!;
    fillFromEnv(name, spec, r, env);
    const value = finish(name, spec, r);
    if (value === undefined) missing.push(describeSources(name, spec));
    else out[name] = value;
  }
  if (missing.length) throw new UsageError(`missing required param${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  return out;
}

function flagTable(params: Record<string, ParamSpec>): Map<string, FlagTarget> {
  const table = new Map<string, FlagTarget>();
  for (const [name, spec] of Object.entries(params)) {
    for (const f of flagNames(name, spec)) {
      if (spec.kind === 'object') for (const key of spec.properties ?? []) table.set(`${f}.${key}`, { param: name, key });
      else table.set(f, { param: name });
    }
  }
  return table;
}

function readArgv(params: Record<string, ParamSpec>, argv: readonly string[], raw: Record<string, Raw>): void {
  const table = flagTable(params);
  const arrayOrder = Object.keys(params).filter((n) => params[n]!.kind === 'array');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith(ARRAY_MARKER)) return readArraySection(arrayOrder, argv.slice(i), raw);
    if (arg === '--') {
      if (i + 1 < argv.length) throw new UsageError(`unexpected argument ${JSON.stringify(argv[i + 1])}`);
      return;
    }
    if (!arg.startsWith('-') || arg === '-') throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    const body = arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
    if (body === '' || body.startsWith('-') || body.startsWith('=')) throw new UsageError(`bad flag syntax: ${arg}`);
    const eq = body.indexOf('=');
    const flag = eq < 0 ? body : body.slice(0, eq);
    if (HELP_FLAGS.has(flag)) throw new HelpRequested();
    const target = table.get(flag);
    if (!target) throw new UsageError(`flag provided but not defined: -${flag}`);
    const spec = params[target.param]!;
    let value: string;
    if (eq >= 0) value = body.slice(eq + 1);
    else if (spec.kind === 'boolean') value = 'true';
    else if (i + 1 < argv.length) value = argv[++i]!;
    else throw new UsageError(`flag needs an argument: -${flag}`);
    const r = raw[target.param]!;
    if (target.key !== undefined) r.keys[target.key] = value;
    else if (spec.kind === 'array') (r.list ??= []).push(value);
    else r.scalar = value;
  }
}

/**
 * `--tektite-array=a e1 e2 --tektite-array=b e3`: the elements of `a` run until the marker of an
 * array declared after `a`; the last array takes everything to the end.
 */
function readArraySection(arrayOrder: string[], section: readonly string[], raw: Record<string, Raw>): void {
  let current: string | undefined;
  let nextIndex = 0;
  for (const arg of section) {
    const later = arg.startsWith(ARRAY_MARKER) ? arrayOrder.indexOf(arg.slice(ARRAY_MARKER.length)) : -1;
    if (current === undefined || later >= nextIndex) {
      if (later < nextIndex) throw new UsageError(`${JSON.stringify(arg)} does not name an array param (or is out of declaration order)`);
      current = arrayOrder[later]!;
      nextIndex = later + 1;
      raw[current]!.list = [];
      continue;
    }
    raw[current]!.list!.push(arg);
  }
}

function fillFromEnv(name: string, spec: ParamSpec, r: Raw, env: Readonly<Record<string, string | undefined>>): void {
  const names = paramEnvNames(name, spec);
  if (spec.kind === 'object') {
    for (const [key, e] of Object.entries(names.keys)) if (r.keys[key] === undefined && env[e] !== undefined) r.keys[key] = env[e]!;
    return;
  }
  const v = env[names.env];
  if (v === undefined) return;
  if (spec.kind === 'array') {
    if (r.list === undefined) r.list = parseJsonArray(name, names.env, v, spec.secret === true);
  } else if (r.scalar === undefined) r.scalar = v;
}

function parseJsonArray(name: string, envName: string, text: string, secret: boolean): string[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    v = undefined;
  }
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
    throw new UsageError(`invalid value for param ${name}: ${envName} must hold a JSON array of strings, got ${secret ? `${text.length} characters (secret, not shown)` : JSON.stringify(text)}`);
  }
  return v;
}

function finish(name: string, spec: ParamSpec, r: Raw): ParamRuntimeValue | undefined {
  switch (spec.kind) {
    case 'array':
      return r.list ?? (spec.default as string[] | undefined)?.slice();
    case 'object': {
      const merged: Record<string, string> = { ...spec.objectDefault, ...r.keys };
      const missingKeys = (spec.properties ?? []).filter((k) => merged[k] === undefined);
      if (missingKeys.length === spec.properties?.length && Object.keys(r.keys).length === 0 && !spec.objectDefault) return undefined;
      if (missingKeys.length) throw new UsageError(`param ${name} is missing key${missingKeys.length > 1 ? 's' : ''} ${missingKeys.join(', ')}`);
      return merged;
    }
    default:
      if (r.scalar === undefined) return spec.default as ParamRuntimeValue | undefined;
      return parseScalar(name, spec, r.scalar);
  }
}

function parseScalar(name: string, spec: ParamSpec, text: string): ParamRuntimeValue {
  const bad = (why: string) => new UsageError(`invalid value ${JSON.stringify(text)} for param ${name}: ${why}`);
  switch (spec.kind) {
    case 'boolean':
      if (GO_TRUE.has(text)) return true;
      if (GO_FALSE.has(text)) return false;
      throw bad('not a boolean (use true or false)');
    case 'integer': {
      if (!/^[+-]?[0-9]+$/.test(text)) throw bad('not an integer');
      const n = Number(text) || 0; // no -0
      if (!Number.isSafeInteger(n)) throw bad('out of range');
      if (spec.min !== undefined && n < spec.min) throw bad(`must be at least ${spec.min}`);
      if (spec.max !== undefined && n > spec.max) throw bad(`must be at most ${spec.max}`);
      return n;
    }
    case 'enum':
      if (!spec.values!.includes(text)) throw bad(`must be one of ${spec.values!.map((v) => JSON.stringify(v)).join(', ')}`);
      return text;
    default:
      return text;
  }
}

function describeSources(name: string, spec: ParamSpec): string {
  const { env, keys } = paramEnvNames(name, spec);
  if (spec.kind === 'object') return `${name} (flags -${name}.<key> or env ${Object.values(keys).join(', ')})`;
  return `${name} (flag -${name} or env ${env})`;
}
