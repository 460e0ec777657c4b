// What Tekton's TaskRun reconciler rejects once it has the Task (§2.5, §6.3, §9.4): the TaskRun
// is admitted but fails at once with reason TaskRunValidationFailed. Knowable offline for an
// inline taskSpec, and for a taskRef naming a Task among the validated documents.
import type { PathSegment } from '../load.js';
import { decodeParamValue } from '../params.js';
import type { Param, PipelineTask, TaskRunSpec, TaskSpec } from '../types.js';
import { goValue } from './field-error.js';

export interface RunFinding {
  message: string;
  path: string;
  raw: PathSegment[];
}

const VARIABLE = /\$\([^)]+\)/;

export function resolvedTaskRunChecks(tr: TaskRunSpec, task: TaskSpec, taskName: string, inline: boolean): RunFinding[] {
  const out: RunFinding[] = [];
  const paramErr = paramProblem(tr.params, task);
  if (paramErr) out.push({ message: `[User error] invalid input params for task ${taskName}: ${paramErr}`, path: 'spec.params', raw: tr.params ? ['spec', 'params'] : ['spec'] });
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
