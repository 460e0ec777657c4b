// What Tekton's TaskRun reconciler rejects once it has the Task (§2.5, §6.3, §9.4): the TaskRun
// is admitted but fails at once with reason TaskRunValidationFailed. Knowable offline for an
// inline taskSpec, and for a taskRef naming a Task among the validated documents.
import type { PathSegment } from '../load.js';
import { decodeParamValue } from '../params.js';
import { isObj, type Obj } from '../plain-object.js';
import type { Param, PipelineTask, TaskRunSpec, TaskSpec } from '../types.js';
import { compareQuantities, formatQuantity, parseQuantity } from '../quantity.js';
import { arrayIndexReferences } from '../substitute.js';
import { goList } from '../status.js';
import { goValue } from './field-error.js';

export interface RunFinding {
  message: string;
  path: string;
  raw: PathSegment[];
  /** The TaskRun's reason when it is not TaskRunValidationFailed (enum: InvalidParamValue). */
  reason?: string;
  /** What in the Task is wrong, when the finding stands elsewhere (on a taskRef). */
  where?: string;
}

/**
 * Tekton's validateTaskSpecRequestResources: the first request of a step above its limit (the
 * step's own, else the stepTemplate's), as the TaskRun's failure message. Sidecars are not checked.
 */
export function requestOverLimit(task: TaskSpec): { message: string; step: number; resource: string } | undefined {
  const templateLimits = resourceMap(task.stepTemplate?.computeResources, 'limits');
  for (const [i, step] of (task.steps ?? []).entries()) {
    const limits = resourceMap(step?.computeResources, 'limits');
    for (const [resource, raw] of Object.entries(resourceMap(step?.computeResources, 'requests'))) {
      const limitRaw = Object.hasOwn(limits, resource) ? limits[resource] : Object.hasOwn(templateLimits, resource) ? templateLimits[resource] : undefined;
      const request = parseQuantity(raw);
      const limit = parseQuantity(limitRaw);
      if (request && limit && compareQuantities(limit, request) < 0) {
        return { message: `Invalid request resource value: ${formatQuantity(request)} must be less or equal to limit ${formatQuantity(limit)}`, step: i, resource };
      }
    }
  }
  return undefined;
}

function resourceMap(resources: unknown, key: 'limits' | 'requests'): Obj {
  const m = isObj(resources) ? resources[key] : undefined;
  return isObj(m) ? m : {};
}

/**
 * Tekton's ValidateEnumParam (with enable-param-enum): the first given string value, not empty,
 * outside its param's enum, as the TaskRun's failure message (reason InvalidParamValue).
 */
export function enumProblem(params: readonly (Param | null | undefined)[] | undefined, task: TaskSpec): { message: string; index: number } | undefined {
  const enums = new Map((task.params ?? []).filter((p) => p && Array.isArray(p.enum) && p.enum.length).map((p) => [p.name ?? '', p.enum as unknown[]]));
  for (const [index, p] of (params ?? []).entries()) {
    const allowed = p ? enums.get(p.name ?? '') : undefined;
    if (!p || !allowed) continue;
    const v = decodeParamValue(p.value);
    if (v.type !== 'string' || v.value === '' || allowed.includes(v.value)) continue;
    return { message: `[User error] param \`${p.name ?? ''}\` value: ${v.value as string} is not in the enum list`, index };
  }
  return undefined;
}

/**
 * Tekton's ValidateOutOfBoundArrayParams: `$(params.a[i])` beyond the array's length, sorted, as
 * the TaskRun's failure message. The lengths are ExtractParamArrayLengths': of each array
 * default, then of each array value the run gives (declared or not; a string value leaves the
 * default's).
 */
export function outOfBoundsReferences(params: readonly (Param | null | undefined)[] | undefined, task: TaskSpec): string | undefined {
  const lengths = new Map<string, number>();
  const count = (name: string | undefined, value: unknown): void => {
    const v = decodeParamValue(value);
    if (v.type === 'array') lengths.set(name ?? '', (v.value as unknown[]).length);
  };
  for (const s of task.params ?? []) if (s && s.default !== undefined) count(s.name, s.default);
  for (const p of params ?? []) if (p) count(p.name, p.value);
  const refs = arrayIndexReferences(task, new Set(lengths.keys())).filter((r) => r.index >= lengths.get(r.name)!).map((r) => r.ref);
  return refs.length ? `[User error] non-existent param references:${goList([...new Set(refs)].sort())}` : undefined;
}

const VARIABLE = /\$\([^)]+\)/;

/**
 * In the reconciler's order (§7.1 step 6): requests above limits, params, enum values (with
 * enable-param-enum), array indexes, workspaces, overrides. Tekton stops at the first; all are
 * reported here (enum values and indexes only when the params themselves pass).
 */
export function resolvedTaskRunChecks(tr: TaskRunSpec, task: TaskSpec, taskName: string, inline: boolean, enableParamEnum = false): RunFinding[] {
  const out: RunFinding[] = [];
  const params = { path: 'spec.params', raw: tr.params ? ['spec', 'params'] : ['spec'] };
  const over = requestOverLimit(task);
  if (over) {
    const at = ['steps', over.step, 'computeResources', 'requests', over.resource];
    out.push(inline
      ? { message: over.message, path: `spec.taskSpec.steps[${over.step}].computeResources.requests.${over.resource}`, raw: ['spec', 'taskSpec', ...at] }
      : { message: over.message, path: 'spec.taskRef', raw: ['spec', 'taskRef'], where: `step ${over.step}${task.steps?.[over.step]?.name ? ` (${task.steps[over.step]!.name})` : ''} of Task ${taskName} requests more ${over.resource} than its limit` });
  }
  const paramErr = paramProblem(tr.params, task);
  if (paramErr) out.push({ message: `[User error] invalid input params for task ${taskName}: ${paramErr}`, ...params });
  else {
    const bad = enableParamEnum ? enumProblem(tr.params, task) : undefined;
    if (bad) out.push({ message: bad.message, path: `spec.params[${bad.index}]`, raw: ['spec', 'params', bad.index, 'value'], reason: 'InvalidParamValue' });
    const bounds = outOfBoundsReferences(tr.params, task);
    if (bounds) out.push({ message: bounds, ...params });
  }
  for (const w of workspaceProblems(tr.workspaces, task)) {
    // an inline spec adopts the bindings it does not declare
    if (w.binding !== undefined && inline) continue;
    const at = w.binding === undefined ? { path: 'spec.workspaces', raw: tr.workspaces ? ['spec', 'workspaces'] : ['spec'] } : { path: `spec.workspaces[${w.binding}]`, raw: ['spec', 'workspaces', w.binding] };
    out.push({ message: `[User error] ${w.message}`, ...at });
  }
  for (const [field, list, what, kind] of [['stepSpecs', task.steps, 'StepOverride', 'Step'], ['sidecarSpecs', task.sidecars, 'SidecarOverride', 'Sidecar']] as const) {
    const names = new Set((list ?? []).map((s) => s?.name ?? ''));
    (tr[field] ?? []).forEach((o, i) => {
      if (o?.name && !names.has(o.name)) out.push({ message: `invalid ${what}: No ${kind} named ${o.name}`, path: `spec.${field}[${i}].name`, raw: ['spec', field, i, 'name'] });
    });
  }
  return out;
}

/**
 * A PipelineTask that names a Task among the documents, checked as a PipelineRun checks it once
 * it has the Task (params, with the matrix's: reason PipelineValidationFailed), and as the
 * TaskRun it creates is checked (workspaces: the TaskRun fails, and the PipelineRun with it).
 * Paths are relative to the PipelineTask.
 */
export function resolvedPipelineTaskChecks(pt: PipelineTask, task: TaskSpec, taskName: string): RunFinding[] {
  const out: RunFinding[] = [];
  // Matrix params fan out to one string per TaskRun: they count as provided, for string params only.
  const fanned = [...(pt.matrix?.params ?? []), ...(pt.matrix?.include ?? []).flatMap((i) => i?.params ?? [])].filter((p): p is Param => !!p);
  const paramErr = paramProblem(pt.params, task, fanned);
  if (paramErr) out.push({ message: `invalid input params for task ${taskName}: ${paramErr}`, path: 'params', raw: pt.params ? ['params'] : [] });
  for (const w of workspaceProblems(pt.workspaces, task)) {
    if (w.binding === undefined) out.push({ message: w.message, path: 'workspaces', raw: pt.workspaces ? ['workspaces'] : [] });
    else out.push({ message: w.message, path: `workspaces[${w.binding}]`, raw: ['workspaces', w.binding] });
  }
  return out;
}

/**
 * Tekton's ValidateWorkspaceBindings once the Task is known: required workspaces not bound (no
 * `binding`), then bindings naming no declared workspace (`binding`: the index of the binding).
 */
function workspaceProblems(bindings: readonly ({ name?: string } | null | undefined)[] | undefined, task: TaskSpec): { message: string; binding?: number }[] {
  const out: { message: string; binding?: number }[] = [];
  const bound = new Map((bindings ?? []).map((w, i) => [w?.name ?? '', i]));
  const declared = new Set((task.workspaces ?? []).map((w) => w?.name ?? ''));
  for (const w of task.workspaces ?? []) {
    if (w && !w.optional && !bound.has(w.name ?? '')) out.push({ message: `declared workspace "${w.name ?? ''}" is required but has not been bound` });
  }
  for (const [name, i] of bound) {
    if (!declared.has(name)) out.push({ message: `workspace binding "${name}" does not match any declared workspace`, binding: i });
  }
  return out;
}

/** Tekton's validateParams: the first problem found, in Tekton's order, or ''. */
function paramProblem(params: readonly (Param | null | undefined)[] | undefined, task: TaskSpec, matrix: readonly Param[] = []): string {
  const specs = (task.params ?? []).filter(Boolean);
  if (specs.length === 0 && task.params === undefined) return '';
  const provided = new Map((params ?? []).filter((p): p is Param => !!p).map((p) => [p.name ?? '', decodeParamValue(p.value)]));
  const fanned = new Set(matrix.map((p) => p.name ?? ''));
  const missing = specs.filter((s) => !provided.has(s.name ?? '') && !fanned.has(s.name ?? '') && s.default === undefined).map((s) => s.name ?? '');
  if (missing.length) return `missing values for these params which have no default values: ${goValue(missing)}`;
  const types = new Map(specs.map((s) => [s.name ?? '', s.type ?? 'string']));
  const wrong: string[] = [];
  for (const p of (params ?? []).filter((x): x is Param => !!x)) {
    const want = types.get(p.name ?? '');
    if (want === undefined) continue; // extra params are allowed
    const v = decodeParamValue(p.value);
    if (v.type === 'string' && want !== 'string' && VARIABLE.test(v.value as string)) continue; // pipeline plumbing
    if (v.type !== want) wrong.push(p.name ?? '');
  }
  // each TaskRun of a matrix gets one string per matrix param (include params are strings too)
  for (const name of fanned) {
    const want = types.get(name);
    if (want !== undefined && want !== 'string') wrong.push(name);
  }
  if (wrong.length) return `param types don't match the user-specified type: ${goValue(wrong)}`;
  const missingKeys: Record<string, string[]> = {};
  for (const s of specs) {
    if (s.type !== 'object') continue;
    const needed = Object.keys(s.properties ?? {});
    const have = new Set<string>();
    let anyProvided = false;
    if (s.default !== undefined) {
      const d = decodeParamValue(s.default);
      if (d.type === 'object') {
        anyProvided = true;
        for (const k of Object.keys(d.value)) have.add(k);
      }
    }
    const v = provided.get(s.name ?? '');
    if (v?.type === 'object') {
      anyProvided = true;
      for (const k of Object.keys(v.value)) have.add(k);
    }
    const lacking = needed.filter((k) => !have.has(k)).sort();
    if (anyProvided && lacking.length) missingKeys[s.name ?? ''] = lacking;
  }
  if (Object.keys(missingKeys).length) return `missing keys for these params which are required in ParamSpec's properties ${goValue(missingKeys)}`;
  return '';
}
