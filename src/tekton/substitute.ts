// Variable substitution as Tekton's reconciler does it (§3.4-§3.6 of tekton-semantics.md).
// Pure: values in, new values out. The runner builds the replacement maps, this file applies them.
import type { ParamSpec, ParamValue, Step, TaskSpec, WorkspaceDeclaration } from './types.js';
import { isObj, type Obj } from './plain-object.js';

/** One phase's replacements: `key` is the expression without `$(` and `)`. */
export interface Replacements {
  strings: Map<string, string>;
  /** Whole-array values, expanded only where an entire command/args element is the reference. */
  arrays: Map<string, string[]>;
}

export const emptyReplacements = (): Replacements => ({ strings: new Map(), arrays: new Map() });

/**
 * Replaces every `$(key)` of `strings` in one left-to-right pass, like Go's strings.Replacer:
 * replaced text is never rescanned, unknown references stay as written.
 */
export function replaceString(text: string, strings: ReadonlyMap<string, string>): string {
  if (strings.size === 0 || !text.includes('$(')) return text;
  let out = '';
  let from = 0;
  let at = text.indexOf('$(');
  while (at !== -1) {
    const close = text.indexOf(')', at + 2);
    if (close === -1) break;
    const value = strings.get(text.slice(at + 2, close));
    if (value === undefined) {
      at = text.indexOf('$(', at + 1);
      continue;
    }
    out += text.slice(from, at) + value;
    from = close + 1;
    at = text.indexOf('$(', from);
  }
  return out + text.slice(from);
}

/** command/args: an element that is exactly one whole-array reference becomes all its items. */
export function replaceList(list: readonly string[], r: Replacements): string[] {
  const out: string[] = [];
  for (const item of list) {
    const whole = wholeReference(item);
    const arr = whole === undefined ? undefined : r.arrays.get(whole);
    if (arr) out.push(...arr);
    else out.push(replaceString(item, r.strings));
  }
  return out;
}

function wholeReference(item: string): string | undefined {
  if (!item.startsWith('$(') || !item.endsWith(')') || item.indexOf(')') !== item.length - 1) return undefined;
  return item.slice(2, -1);
}

/** The three spellings Tekton accepts for a name after a prefix: `.n`, `["n"]`, `['n']`. */
export function spellings(prefix: string, name: string): string[] {
  return [`${prefix}.${name}`, `${prefix}["${name}"]`, `${prefix}['${name}']`];
}

/** Phase (a): keys for each param value (TaskRun value over default, already resolved). */
export function paramReplacements(values: ReadonlyMap<string, ParamValue>): Replacements {
  const r = emptyReplacements();
  for (const [name, value] of values) {
    for (const prefix of ['params', 'inputs.params']) {
      if (typeof value === 'string') {
        for (const k of spellings(prefix, name)) r.strings.set(k, value);
      } else if (Array.isArray(value)) {
        for (const k of spellings(prefix, name)) {
          r.arrays.set(k, value);
          r.arrays.set(`${k}[*]`, value);
          value.forEach((v, i) => r.strings.set(`${k}[${i}]`, v));
        }
      } else {
        for (const [key, v] of Object.entries(value)) r.strings.set(`${prefix}.${name}.${key}`, v);
      }
    }
  }
  return r;
}

/** Tekton's step container name: `step-<name>`, or `step-unnamed-<index>` for a step without one. */
export function stepContainerName(step: Pick<Step, 'name'>, index: number): string {
  return step.name ? `step-${step.name}` : `step-unnamed-${index}`;
}

/** The `ws-xxxxx` volume name Tekton generates for a workspace binding (FNV-32a, 5 hex chars). */
export function workspaceVolumeName(bindingName: string): string {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(bindingName, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `ws-${h.toString(16).padStart(8, '0').slice(0, 5)}`;
}

export interface WorkspaceValues {
  path: string;
  bound: boolean;
  claim: string;
  /** Absent for an unbound optional workspace. */
  volume?: string;
}

/** The effective mount path of a declared workspace (§6.1). */
export function workspaceMountPath(decl: WorkspaceDeclaration): string {
  return decl.mountPath || `/workspace/${decl.name}`;
}

export interface ContextValues {
  taskRunName: string;
  taskRunNamespace: string;
  taskRunUid: string;
  taskName: string;
  retryCount: number;
}

/** Everything substitution needs besides the spec itself. */
export interface SubstitutionInput {
  params: ReadonlyMap<string, ParamValue>;
  context: ContextValues;
  /** Workspace values from the declarations as they stand after phases (a) and (b). */
  workspaces: (decls: readonly WorkspaceDeclaration[]) => ReadonlyMap<string, WorkspaceValues>;
}

/**
 * Runs phases (a) params, (b) context, (c) step result and result paths, (e) exit-code paths,
 * (f) workspaces and (g) credentials over the fields Tekton substitutes (§3.3), in that order,
 * each phase rescanning the previous phase's output. Returns a new spec.
 */
export function substituteTaskSpec(spec: TaskSpec, input: SubstitutionInput): TaskSpec {
  let out = structuredClone(spec);
  out = applyToSpec(out, paramReplacements(input.params));
  out = applyToSpec(out, contextReplacements(input.context));
  out = applyStepResultPaths(out);
  out = applyToSpec(out, resultPathReplacements(out));
  out = applyToSpec(out, exitCodeReplacements(out));
  out = applyToSpec(out, workspaceReplacements(input.workspaces(out.workspaces ?? [])));
  out = applyToSpec(out, stringsOnly([['credentials.path', '/tekton/creds']]));
  return out;
}

function stringsOnly(entries: [string, string][]): Replacements {
  return { strings: new Map(entries), arrays: new Map() };
}

function contextReplacements(c: ContextValues): Replacements {
  return stringsOnly([
    ['context.taskRun.name', c.taskRunName],
    ['context.taskRun.namespace', c.taskRunNamespace],
    ['context.taskRun.uid', c.taskRunUid],
    ['context.task.name', c.taskName],
    ['context.task.retry-count', String(c.retryCount)],
  ]);
}

function applyStepResultPaths(spec: TaskSpec): TaskSpec {
  spec.steps = (spec.steps ?? []).map((step, i) => {
    if (!step.results?.length) return step;
    const r = emptyReplacements();
    const dir = `/tekton/steps/${stepContainerName(step, i)}/results`;
    for (const res of step.results) for (const k of spellings('step.results', res.name)) r.strings.set(`${k}.path`, `${dir}/${res.name}`);
    return applyToContainer(step, r, true);
  });
  return spec;
}

function resultPathReplacements(spec: TaskSpec): Replacements {
  const r = emptyReplacements();
  for (const res of spec.results ?? []) for (const k of spellings('results', res.name)) r.strings.set(`${k}.path`, `/tekton/results/${res.name}`);
  return r;
}

function exitCodeReplacements(spec: TaskSpec): Replacements {
  const r = emptyReplacements();
  (spec.steps ?? []).forEach((step, i) => {
    const c = stepContainerName(step, i);
    r.strings.set(`steps.${c}.exitCode.path`, `/tekton/steps/${c}/exitCode`);
  });
  return r;
}

function workspaceReplacements(ws: ReadonlyMap<string, WorkspaceValues>): Replacements {
  const r = emptyReplacements();
  for (const [name, w] of ws) {
    r.strings.set(`workspaces.${name}.path`, w.path);
    r.strings.set(`workspaces.${name}.bound`, String(w.bound));
    r.strings.set(`workspaces.${name}.claim`, w.claim);
    if (w.volume !== undefined) r.strings.set(`workspaces.${name}.volume`, w.volume);
  }
  return r;
}

/** Applies one phase to every field of §3.3. */
export function applyToSpec(spec: TaskSpec, r: Replacements): TaskSpec {
  spec.steps = (spec.steps ?? []).map((s) => applyToContainer(s, r, true));
  if (spec.stepTemplate) spec.stepTemplate = applyToContainer(spec.stepTemplate, r, false);
  if (spec.sidecars) spec.sidecars = spec.sidecars.map((s) => applyToContainer(s, r, true));
  if (spec.volumes) spec.volumes = spec.volumes.map((v) => replaceDeep(v, r.strings) as typeof v);
  if (spec.workspaces) {
    spec.workspaces = spec.workspaces.map((w) => (w.mountPath ? { ...w, mountPath: replaceString(w.mountPath, r.strings) } : w));
  }
  return spec;
}

const CONTAINER_STRINGS = ['name', 'image', 'imagePullPolicy', 'workingDir', 'script', 'onError'] as const;

/** Applies replacements to the substituted fields of one step (or, without script, a template). */
export function applyToContainer<T extends Obj | object>(container: T, r: Replacements, withScript: boolean): T {
  const c = { ...(container as Obj) };
  const s = (v: unknown) => (typeof v === 'string' ? replaceString(v, r.strings) : v);
  for (const f of CONTAINER_STRINGS) {
    if (f === 'script' && !withScript) continue;
    if (typeof c[f] === 'string') c[f] = s(c[f]);
  }
  if (Array.isArray(c.command)) c.command = replaceList(c.command as string[], r);
  if (Array.isArray(c.args)) c.args = replaceList(c.args as string[], r);
  if (Array.isArray(c.env)) {
    c.env = (c.env as Obj[]).map((e) => {
      const o: Obj = { ...e };
      if (typeof o.value === 'string') o.value = s(o.value);
      if (isObj(o.valueFrom)) o.valueFrom = replaceDeep(o.valueFrom, r.strings);
      return o;
    });
  }
  if (Array.isArray(c.envFrom)) c.envFrom = replaceDeep(c.envFrom, r.strings);
  if (Array.isArray(c.volumeMounts)) {
    c.volumeMounts = (c.volumeMounts as Obj[]).map((m) => ({ ...m, ...pickStrings(m, ['name', 'mountPath', 'subPath'], s) }));
  }
  for (const f of ['stdoutConfig', 'stderrConfig']) {
    if (isObj(c[f]) && typeof (c[f] as Obj).path === 'string') c[f] = { ...(c[f] as Obj), path: s((c[f] as Obj).path) };
  }
  if (Array.isArray(c.when)) {
    c.when = (c.when as Obj[]).map((w) => {
      const o: Obj = { ...w };
      if (typeof o.input === 'string') o.input = s(o.input);
      if (typeof o.cel === 'string') o.cel = s(o.cel);
      if (Array.isArray(o.values)) o.values = replaceList(o.values as string[], r);
      return o;
    });
  }
  if (Array.isArray(c.params)) {
    c.params = (c.params as Obj[]).map((p) => {
      const v = p.value;
      if (typeof v === 'string') return { ...p, value: s(v) };
      if (Array.isArray(v)) return { ...p, value: replaceList(v as string[], r) };
      return p;
    });
  }
  return c as T;
}

function pickStrings(o: Obj, keys: string[], s: (v: unknown) => unknown): Obj {
  const out: Obj = {};
  for (const k of keys) if (typeof o[k] === 'string') out[k] = s(o[k]);
  return out;
}

/** Replaces in every string value of a nested structure (volumes, valueFrom, envFrom). */
function replaceDeep(v: unknown, strings: ReadonlyMap<string, string>): unknown {
  if (typeof v === 'string') return replaceString(v, strings);
  if (Array.isArray(v)) return v.map((x) => replaceDeep(x, strings));
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceDeep(x, strings)]));
  return v;
}

/** Every `$(params.<a>[<i>])` reference (any spelling) in the fields Tekton checks for bounds (§2.5 #5). */
export function arrayIndexReferences(spec: TaskSpec, arrayParams: ReadonlySet<string>): { ref: string; name: string; index: number }[] {
  const out: { ref: string; name: string; index: number }[] = [];
  const re = /\$\((?:inputs\.)?params(?:\.([_a-zA-Z][_a-zA-Z0-9.-]*?)|\["([^"]*)"\]|\['([^']*)'\])\[(\d+)\]\)/g;
  const scan = (v: unknown) => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(re)) {
        const name = m[1] ?? m[2] ?? m[3] ?? '';
        if (arrayParams.has(name)) out.push({ ref: m[0], name, index: Number(m[4]) });
      }
    } else if (Array.isArray(v)) v.forEach(scan);
    else if (isObj(v)) Object.values(v).forEach(scan);
  };
  scan([spec.steps, spec.stepTemplate, spec.volumes, spec.sidecars, (spec.workspaces ?? []).map((w) => w.mountPath)]);
  return out;
}

/** The declared type of a param spec after defaulting (§1.5). */
export function declaredType(p: ParamSpec): 'string' | 'array' | 'object' {
  if (p.type) return p.type;
  if (p.properties) return 'object';
  if (Array.isArray(p.default)) return 'array';
  if (isObj(p.default)) return 'object';
  return 'string';
}
