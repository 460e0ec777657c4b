// The declaration of a step program: params, results, workspaces and the `run` function.
// One object drives the runtime (parsing, results, masking) and the generated Task/StepAction.
import type { Logger } from './log.js';
import type { Exec } from './exec.js';
import { DNS_LABEL, ENV_NAME, OBJECT_NAME, PARAM_NAME, RESULT_NAME, objectKeyEnv, paramEnv, resultPathEnv, workspaceEnvPrefix } from './names.js';

export type ParamKind = 'string' | 'boolean' | 'integer' | 'enum' | 'array' | 'object';

interface CommonParamOptions<T> {
  description?: string;
  /** No default means the param is required. */
  default?: T;
  /** Masked in every log line, in child process output and in error messages. */
  secret?: boolean;
  /** Env var the value arrives in; default `PARAM_<UPPER_SNAKE>` (an object's keys: `<env>_<KEY>`). */
  env?: string;
  /** Extra flag names accepted on the command line (e.g. a tool's historic spelling). */
  aliases?: string[];
  /**
   * Accepted from argv/env but not a Task/StepAction param: the generated YAML does not declare
   * or pass it. Needs a default (a generated step never sets it).
   */
  cliOnly?: boolean;
}

export interface ParamSpec<T = unknown> extends CommonParamOptions<T> {
  readonly kind: ParamKind;
  /** Enum: allowed values. */
  readonly values?: readonly string[];
  /** Object: declared property keys. */
  readonly properties?: readonly string[];
  /** Integer bounds (inclusive). */
  readonly min?: number;
  readonly max?: number;
  /** Object defaults may cover only some keys (Tekton allows that), hence the looser type. */
  readonly objectDefault?: Record<string, string>;
  /** Type carrier only; never set. */
  readonly __value?: T;
}

export type ResultKind = 'string' | 'array' | 'object';

export interface ResultSpec<T = unknown> {
  readonly kind: ResultKind;
  readonly description?: string;
  readonly properties?: readonly string[];
  /** Env var holding the file path the result is written to; default `RESULT_<UPPER_SNAKE>_PATH`. */
  readonly env?: string;
  readonly __value?: T;
}

export interface WorkspaceSpec {
  readonly description?: string;
  readonly optional?: boolean;
  readonly readOnly?: boolean;
  readonly mountPath?: string;
  /** Prefix of the env vars `<env>_PATH` / `<env>_BOUND`; default `WORKSPACE_<UPPER_SNAKE>`. */
  readonly env?: string;
  /**
   * A required workspace that may be left unbound at run time when this param is non-empty (a
   * command-line mode that takes a path instead, e.g. git-init's `-path`). The YAML still requires it.
   */
  readonly optionalWhen?: string;
}

type Opts<T> = CommonParamOptions<T>;

export const param = {
  string: (opts: Opts<string> = {}): ParamSpec<string> => ({ ...opts, kind: 'string' }),
  /** Tekton type string; accepts Go's spellings (1 t T TRUE true True, 0 f F FALSE false False). */
  boolean: (opts: Opts<boolean> = {}): ParamSpec<boolean> => ({ ...opts, kind: 'boolean' }),
  /** Tekton type string; decimal digits with an optional sign, within min/max. */
  integer: (opts: Opts<number> & { min?: number; max?: number } = {}): ParamSpec<number> => ({ ...opts, kind: 'integer' }),
  /** Tekton type string (Tekton's own `enum` is an alpha feature); the SDK checks the value. */
  enum: <const V extends string>(values: readonly V[], opts: Opts<V> = {}): ParamSpec<V> => ({ ...opts, kind: 'enum', values }),
  array: (opts: Opts<string[]> = {}): ParamSpec<string[]> => ({ ...opts, kind: 'array' }),
  object: <const K extends string>(
    opts: Omit<Opts<Record<K, string>>, 'default'> & { properties: readonly K[]; default?: Partial<Record<K, string>> },
  ): ParamSpec<Record<K, string>> => {
    const { default: objectDefault, ...rest } = opts;
    return { ...rest, kind: 'object', ...(objectDefault ? { objectDefault: objectDefault as Record<string, string> } : {}) };
  },
};

export const result = {
  string: (opts: { description?: string; env?: string } = {}): ResultSpec<string> => ({ ...opts, kind: 'string' }),
  array: (opts: { description?: string; env?: string } = {}): ResultSpec<string[]> => ({ ...opts, kind: 'array' }),
  object: <const K extends string>(opts: { properties: readonly K[]; description?: string; env?: string }): ResultSpec<Record<K, string>> => ({
    ...opts,
    kind: 'object',
  }),
};

export const workspace = (opts: WorkspaceSpec = {}): WorkspaceSpec => ({ ...opts });

export type ParamsDecl = Record<string, ParamSpec<any>>;
export type ResultsDecl = Record<string, ResultSpec<any>>;
export type WorkspacesDecl = Record<string, WorkspaceSpec>;

type ValueOf<S> = S extends { __value?: infer T } ? T : never;
export type ParamValues<P extends ParamsDecl> = { readonly [K in keyof P]: ValueOf<P[K]> };
export type ResultValues<R extends ResultsDecl> = { [K in keyof R]: ValueOf<R[K]> };

export interface WorkspaceValue {
  /** False only for an optional workspace the TaskRun did not bind. */
  bound: boolean;
  /** The mount path; `''` when unbound. */
  path: string;
}

export interface ResultSetter<T> {
  set(value: T): void;
}

export interface StepContext<P extends ParamsDecl, R extends ResultsDecl, W extends WorkspacesDecl> {
  params: ParamValues<P>;
  workspaces: { readonly [K in keyof W]: WorkspaceValue };
  results: { readonly [K in keyof R]: ResultSetter<ValueOf<R[K]>> };
  log: Logger;
  exec: Exec;
  /** The step's environment (read-only view; `exec` children inherit it). */
  env: Readonly<Record<string, string | undefined>>;
}

export interface StepDeclaration<P extends ParamsDecl, R extends ResultsDecl, W extends WorkspacesDecl> {
  /** Task / StepAction `metadata.name` and bundle name (a DNS label). */
  name: string;
  description?: string;
  /** Image written into the generated YAML. */
  image?: string;
  /**
   * Base image `tektite build` puts the bundle on (a Node.js image, pinned by digest); default
   * distroless Node.js 22. `tektite build --base` overrides it.
   */
  base?: string;
  params?: P;
  results?: R;
  workspaces?: W;
  /**
   * Whether the step can run with a read-only root filesystem (default true). Set false when the
   * program writes outside workspaces, results and `/tekton/home`.
   */
  readOnlyRootFilesystem?: boolean;
  /**
   * The generated Task's step gets `HOME` set to this (may reference params, e.g.
   * `$(params.userHome)`) and an emptyDir volume `user-home` mounted there, so a read-only root
   * filesystem still leaves a writable home (as the catalog's git-clone 0.10 does).
   */
  home?: string;
  run(ctx: StepContext<P, R, W>): Promise<Partial<ResultValues<R>> | void> | Partial<ResultValues<R>> | void;
}

/** A checked declaration; the bundle's entry shim runs its default export. */
export interface StepProgram<P extends ParamsDecl = ParamsDecl, R extends ResultsDecl = ResultsDecl, W extends WorkspacesDecl = WorkspacesDecl>
  extends StepDeclaration<P, R, W> {
  readonly params: P;
  readonly results: R;
  readonly workspaces: W;
  readonly __tektiteStep: 1;
}

const RESERVED_FLAGS = new Set(['h', 'help']);

/** Checks the declaration (Tekton's name rules, defaults against their types) and returns it. */
export function defineStep<P extends ParamsDecl = {}, R extends ResultsDecl = {}, W extends WorkspacesDecl = {}>(
  decl: StepDeclaration<P, R, W>,
): StepProgram<P, R, W> {
  const program = {
    ...decl,
    params: decl.params ?? ({} as P),
    results: decl.results ?? ({} as R),
    workspaces: decl.workspaces ?? ({} as W),
    __tektiteStep: 1 as const,
  };
  const problems = checkDeclaration(program);
  if (problems.length) throw new Error(`invalid step declaration "${decl.name}":\n  ${problems.join('\n  ')}`);
  return program;
}

export function isStepProgram(v: unknown): v is StepProgram {
  return typeof v === 'object' && v !== null && (v as { __tektiteStep?: unknown }).__tektiteStep === 1;
}

/** Env var names of one param: one name, or one per object key. */
export function paramEnvNames(name: string, spec: ParamSpec): { env: string; keys: Record<string, string> } {
  const env = spec.env ?? paramEnv(name);
  const keys: Record<string, string> = {};
  for (const k of spec.properties ?? []) keys[k] = objectKeyEnv(env, k);
  return { env, keys };
}

export const workspaceEnv = (name: string, spec: WorkspaceSpec): { path: string; bound: string } => {
  const prefix = spec.env ?? workspaceEnvPrefix(name);
  return { path: `${prefix}_PATH`, bound: `${prefix}_BOUND` };
};

export const resultEnv = (name: string, spec: ResultSpec): string => spec.env ?? resultPathEnv(name);

/** Flag names of a param: its name and aliases (object keys add `<name>.<key>`). */
export function flagNames(name: string, spec: ParamSpec): string[] {
  return [name, ...(spec.aliases ?? [])];
}

function checkDeclaration(p: StepProgram): string[] {
  const out: string[] = [];
  if (typeof p.name !== 'string' || !DNS_LABEL.test(p.name) || p.name.length > 63) {
    out.push(`name "${p.name}" must be a DNS label (lowercase letters, digits and "-", at most 63 characters)`);
  }
  if (typeof p.run !== 'function') out.push('run must be a function');
  if (p.home !== undefined && !p.home.startsWith('/') && !p.home.startsWith('$(')) out.push(`home "${p.home}" must be an absolute path or a $(params.…) reference`);
  const flags = new Map<string, string>();
  const envs = new Map<string, string>();
  const claim = (map: Map<string, string>, key: string, owner: string, what: string) => {
    const prev = map.get(key);
    if (prev !== undefined && prev !== owner) out.push(`${what} "${key}" is used by both ${prev} and ${owner}`);
    map.set(key, owner);
  };
  for (const [name, spec] of Object.entries(p.params)) {
    const where = `param "${name}"`;
    const nameRule = spec.kind === 'object' ? OBJECT_NAME : PARAM_NAME;
    if (!nameRule.test(name)) out.push(`${where}: name does not match Tekton's rule ${nameRule}`);
    for (const f of flagNames(name, spec)) {
      if (RESERVED_FLAGS.has(f)) out.push(`${where}: flag name "${f}" is reserved for help`);
      claim(flags, f, where, 'flag');
    }
    const { env, keys } = paramEnvNames(name, spec);
    for (const e of spec.kind === 'object' ? Object.values(keys) : [env]) {
      if (!ENV_NAME.test(e)) out.push(`${where}: env name "${e}" is not a valid environment variable name`);
      claim(envs, e, where, 'env var');
    }
    out.push(...checkParamDefault(where, spec));
    if (spec.cliOnly && spec.default === undefined && spec.objectDefault === undefined) {
      out.push(`${where}: a cliOnly param needs a default (generated steps never set it)`);
    }
    if (spec.secret && spec.kind !== 'string' && spec.kind !== 'array') out.push(`${where}: only string and array params can be secret`);
  }
  for (const [name, spec] of Object.entries(p.results)) {
    const where = `result "${name}"`;
    if (!RESULT_NAME.test(name)) out.push(`${where}: name does not match Tekton's rule ${RESULT_NAME}`);
    if (spec.kind === 'object') {
      if (!spec.properties?.length) out.push(`${where}: an object result needs properties`);
      for (const k of spec.properties ?? []) if (!OBJECT_NAME.test(k)) out.push(`${where}: key "${k}" does not match ${OBJECT_NAME}`);
    }
    const e = resultEnv(name, spec);
    if (!ENV_NAME.test(e)) out.push(`${where}: env name "${e}" is not a valid environment variable name`);
    claim(envs, e, where, 'env var');
  }
  for (const [name, spec] of Object.entries(p.workspaces)) {
    const where = `workspace "${name}"`;
    if (!name) out.push('workspace names must not be empty');
    if (spec.mountPath !== undefined && !spec.mountPath.startsWith('/')) out.push(`${where}: mountPath must be absolute`);
    if (spec.optionalWhen !== undefined && !(spec.optionalWhen in p.params)) out.push(`${where}: optionalWhen names no param "${spec.optionalWhen}"`);
    for (const e of Object.values(workspaceEnv(name, spec))) {
      if (!ENV_NAME.test(e)) out.push(`${where}: env name "${e}" is not a valid environment variable name`);
      claim(envs, e, where, 'env var');
    }
  }
  return out;
}

function checkParamDefault(where: string, spec: ParamSpec): string[] {
  const d = spec.default;
  switch (spec.kind) {
    case 'string':
      return d === undefined || typeof d === 'string' ? [] : [`${where}: default must be a string`];
    case 'boolean':
      return d === undefined || typeof d === 'boolean' ? [] : [`${where}: default must be a boolean`];
    case 'integer': {
      if (d === undefined) return [];
      if (typeof d !== 'number' || !Number.isSafeInteger(d)) return [`${where}: default must be a safe integer`];
      if ((spec.min !== undefined && d < spec.min) || (spec.max !== undefined && d > spec.max)) return [`${where}: default ${d} is outside [${spec.min ?? '-inf'}, ${spec.max ?? 'inf'}]`];
      return [];
    }
    case 'enum': {
      const vals = spec.values ?? [];
      const out = vals.length ? [] : [`${where}: an enum needs at least one value`];
      if (new Set(vals).size !== vals.length) out.push(`${where}: enum values must be unique`);
      if (d !== undefined && !vals.includes(d as string)) out.push(`${where}: default "${String(d)}" is not one of ${JSON.stringify(vals)}`);
      return out;
    }
    case 'array':
      return d === undefined || (Array.isArray(d) && d.every((x) => typeof x === 'string')) ? [] : [`${where}: default must be an array of strings`];
    case 'object': {
      const props = spec.properties ?? [];
      const out = props.length ? [] : [`${where}: an object param needs properties`];
      for (const k of props) if (!OBJECT_NAME.test(k)) out.push(`${where}: key "${k}" does not match ${OBJECT_NAME}`);
      for (const [k, v] of Object.entries(spec.objectDefault ?? {})) {
        if (!props.includes(k)) out.push(`${where}: default has undeclared key "${k}"`);
        if (typeof v !== 'string') out.push(`${where}: default value of key "${k}" must be a string`);
      }
      return out;
    }
  }
}
