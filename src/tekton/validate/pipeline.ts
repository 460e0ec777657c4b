// Pipelines and PipelineRuns: Tekton's PipelineSpec rules (pipeline task names, refs and specs,
// custom tasks, the task graph, the Pipeline's params and what pipeline tasks pass, execution
// status and result references, when expressions, matrix params, workspaces, results, finally),
// and each embedded `tasks[i].taskSpec` / `finally[i].taskSpec` gets the TaskSpec rules.
// Params and workspaces reach embedded specs from the Pipeline, so the declared-param check of a
// Task applies to them only with the Pipeline's params added (a standalone Pipeline).
import { decodeParamValue } from '../params.js';
import type { Param, Step, TaskSpec, WhenExpression } from '../types.js';
import { validateBetaFields } from './beta-fields.js';
import { apiFieldsGate, type FeatureFlags } from './context.js';
import { byteOrder, FieldErrors, goQuote, invalidValue, MISSING, ONE_OF_BOTH, ONE_OF_NEITHER } from './field-error.js';
import { isDNS1123Label } from './names.js';
import { validateDeclaredParamUsage } from './params.js';
import {
  duplicateTaskParams, isMatrixed, looksLikeResultRef, pipelineParams, resultRefTask, substitutionExpressions,
  validatePipelineContextVariables, validatePipelineParamDeclarations, validatePipelineParamUsage, validateStatusAndFinallyRefs,
} from './pipeline-params.js';
import { validateRef, validateWhen } from './step.js';
import { placedParams, validateTaskSpec } from './task.js';
import { isObj, type Obj, list, str } from '../plain-object.js';
import { stringsWithReferences } from '../references.js';

/** Each pipeline task of a PipelineSpec (`tasks`, then `finally`; entries that are not maps as `{}`), with where it is. */
export function pipelineTasks(pipelineSpec: unknown): { pt: Obj; field: 'tasks' | 'finally'; index: number }[] {
  if (!isObj(pipelineSpec)) return [];
  return (['tasks', 'finally'] as const).flatMap((field) => list(pipelineSpec[field]).map((pt, index) => ({ pt, field, index })));
}

/** Each embedded Tekton task spec of a PipelineSpec, with the field path to it. */
export function embeddedTaskSpecs(pipelineSpec: unknown): { spec: TaskSpec; field: 'tasks' | 'finally'; index: number }[] {
  const out: { spec: TaskSpec; field: 'tasks' | 'finally'; index: number }[] = [];
  for (const { pt, field, index } of pipelineTasks(pipelineSpec)) {
    if (!isObj(pt.taskSpec)) continue;
    const ts = pt.taskSpec;
    if (!TASK_KINDS.has(ts.kind) || str(ts.apiVersion) !== '') continue; // a custom task's spec
    out.push({ spec: ts as unknown as TaskSpec, field, index });
  }
  return out;
}

/**
 * Paths relative to the PipelineSpec: Tekton's PipelineSpec.Validate. `standalone` adds what
 * Pipeline.Validate checks for a Pipeline of its own (not one inline in a PipelineRun, which may
 * use propagated params and workspaces): every param and workspace pipeline tasks use is declared.
 * Not modelled: the CEL compile check of `when.cel`, the rules on
 * consuming results of matrixed tasks, and artifact references.
 */
export function validatePipelineSpec(pipelineSpec: unknown, flags: FeatureFlags, standalone = false): FieldErrors {
  const errs = new FieldErrors();
  const ps = isObj(pipelineSpec) ? pipelineSpec : {};
  const tasks = list(ps.tasks);
  const finallyTasks = list(ps.finally);
  errs.also(validatePipelineBetaFields(ps, flags));
  if (isZero(ps)) errs.add('expected at least one, got none', ['description', 'params', 'resources', 'tasks', 'workspaces'], [[], [], [], [], []]);
  errs.also(validatePipelineTasks(tasks, finallyTasks, flags));
  for (const { spec, field, index } of embeddedTaskSpecs(pipelineSpec)) {
    errs.also(validateTaskSpec(spec, flags).viaField('taskSpec').viaFieldIndex(field, index));
  }
  errs.also(validateGraph(tasks));
  errs.also(validatePipelineParamDeclarations(ps, 'tasks', flags), validatePipelineParamDeclarations(ps, 'finally', flags));
  errs.also(validatePipelineContextVariables(ps, 'tasks'), validatePipelineContextVariables(ps, 'finally'));
  errs.also(validateStatusAndFinallyRefs(ps));
  errs.also(validateWorkspaceDeclarations(list(ps.workspaces)));
  errs.also(validatePipelineResults(ps, tasks, finallyTasks));
  if (finallyTasks.length && !tasks.length) errs.add(invalidValue(`spec.tasks is empty but spec.finally has ${finallyTasks.length} tasks`), 'finally');
  finallyTasks.forEach((f, i) => {
    if (Array.isArray(f.runAfter) && f.runAfter.length) errs.add(invalidValue(`no runAfter allowed under spec.finally, final task ${str(f.name)} has runAfter specified`), `finally[${i}]`, ['finally', i, 'runAfter']);
  });
  for (const [field, pts] of [['tasks', tasks], ['finally', finallyTasks]] as const) {
    pts.forEach((pt, i) => {
      if (Array.isArray(pt.when)) errs.also(validateWhen(pt.when as WhenExpression[], flags).viaFieldIndex(field, i));
      errs.also(validateMatrix(pt, flags).viaFieldIndex(field, i));
    });
  }
  if (standalone) {
    errs.also(validatePipelineParamUsage(ps, 'tasks'), validatePipelineParamUsage(ps, 'finally'));
    // Embedded specs may use the Pipeline's params as well as their own.
    const fromPipeline = pipelineParams(ps).map((p) => ({ ...p, raw: [] }));
    for (const [field, pts] of [['tasks', tasks], ['finally', finallyTasks]] as const) {
      pts.forEach((pt, i) => {
        if (!isObj(pt.taskSpec)) return;
        const ts = pt.taskSpec as unknown as TaskSpec;
        const steps = (Array.isArray(ts.steps) ? ts.steps : []).map((x) => (isObj(x) ? x : {}) as Step);
        errs.also(validateDeclaredParamUsage(steps, [...placedParams(ts), ...fromPipeline]).viaFieldIndex(field, i, [field, i, 'taskSpec']));
      });
    }
    const declared = new Set(list(ps.workspaces).map((w) => str(w.name)));
    errs.also(validateWorkspaceUsage(tasks, declared).viaField('tasks'), validateWorkspaceUsage(finallyTasks, declared).viaField('finally'));
  }
  return errs;
}

/** Go's zero value as Kubernetes' semantic equality sees it (an empty list or map equals none). */
function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === false || v === 0) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObj(v) && Object.values(v).every(isZero);
}

/** PipelineSpec.ValidateBetaFields: resolver refs (and the embedded specs' beta fields); all pathless. */
function validatePipelineBetaFields(ps: Obj, flags: FeatureFlags): FieldErrors {
  const errs = new FieldErrors();
  for (const { pt, field, index } of pipelineTasks(ps)) {
    const gate = (feature: string) => {
      const msg = apiFieldsGate(flags, feature, 'beta');
      if (msg) errs.addPathless(msg, [field, index, 'taskRef']);
    };
    if (isObj(pt.taskRef)) {
      if (str(pt.taskRef.resolver) !== '') gate('taskref.resolver');
      if (list(pt.taskRef.params).length > 0) gate('taskref.params');
    } else if (isObj(pt.taskSpec) && pt.taskSpec.apiVersion === undefined && pt.taskSpec.kind === undefined) {
      errs.also(validateBetaFields(pt.taskSpec as unknown as TaskSpec, flags));
    }
  }
  return errs;
}

/** ValidatePipelineTasks: valid and unique names (tasks and finally share them), one of taskRef/taskSpec. */
function validatePipelineTasks(tasks: Obj[], finallyTasks: Obj[], flags: FeatureFlags): FieldErrors {
  const errs = new FieldErrors();
  const names = new Set<string>();
  for (const [field, pts] of [['tasks', tasks], ['finally', finallyTasks]] as const) {
    pts.forEach((pt, i) => {
      const name = str(pt.name);
      if (!isDNS1123Label(name)) {
        errs.add(`invalid value ${goQuote(name)}`, `${field}[${i}].name`, [field, i, 'name'],
          'Pipeline Task name must be a valid DNS Label.For more info refer to https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names');
      }
      if (names.has(name)) errs.add(ONE_OF_BOTH, `${field}[${i}].name`, [field, i, 'name']);
      names.add(name);
      const given = (['taskRef', 'taskSpec', 'pipelineRef', 'pipelineSpec'] as const).filter((k) => pt[k] !== undefined && pt[k] !== null);
      if (given.length > 1) {
        errs.add('expected exactly one, got multiple', given.map((k) => `${field}[${i}].${k}`), given.map((k) => [field, i, k]));
      } else if (given.length === 0) {
        const oneOf = flags.apiFields === 'alpha' ? ['taskRef', 'taskSpec', 'pipelineRef', 'pipelineSpec'] : ['taskRef', 'taskSpec'];
        errs.add(ONE_OF_NEITHER, oneOf.map((k) => `${field}[${i}].${k}`), oneOf.map(() => [field, i]));
      }
      errs.also(validatePipelineTask(pt, flags).viaFieldIndex(field, i));
    });
  }
  return errs;
}

/** Task kinds that are Tekton Tasks; any other kind (or an apiVersion) makes a custom task. */
const TASK_KINDS: ReadonlySet<unknown> = new Set([undefined, null, '', 'Task']);

/** PipelineTask.Validate past the name and the ref/spec choice: gates, custom tasks, the taskRef, onError. */
function validatePipelineTask(pt: Obj, flags: FeatureFlags): FieldErrors {
  const errs = new FieldErrors();
  for (const k of ['pipelineRef', 'pipelineSpec'] as const) {
    if (pt[k] !== undefined && pt[k] !== null) {
      const msg = apiFieldsGate(flags, k, 'alpha');
      if (msg) errs.addPathless(msg, [k]);
    }
  }
  const ref = isObj(pt.taskRef) ? pt.taskRef : undefined;
  const spec = isObj(pt.taskSpec) ? pt.taskSpec : undefined;
  if (spec && Array.isArray(spec.steps) && spec.steps.length > 0) {
    if (str(spec.apiVersion) !== '') errs.add('taskSpec.apiVersion cannot be specified when using taskSpec.steps', 'taskSpec.apiVersion');
    if (str(spec.kind) !== '') errs.add('taskSpec.kind cannot be specified when using taskSpec.steps', 'taskSpec.kind');
  }
  const custom = (ref && (!TASK_KINDS.has(ref.kind) || str(ref.apiVersion) !== '')) || (spec && (!TASK_KINDS.has(spec.kind) || str(spec.apiVersion) !== ''));
  if (custom) {
    for (const [what, o, field] of [['ref', ref, 'taskRef'], ['spec', spec, 'taskSpec']] as const) {
      if (!o) continue;
      if (str(o.kind) === '') errs.add(invalidValue(`custom task ${what} must specify kind`), `${field}.kind`);
      const apiVersion = str(o.apiVersion);
      if (apiVersion === '') errs.add(invalidValue(`custom task ${what} must specify apiVersion`), `${field}.apiVersion`);
      else if (!/^[^/]+\/[^/]+$/.test(apiVersion)) errs.add(invalidValue(`invalid apiVersion format ${goQuote(apiVersion)}, must be in the format "group/version"`), `${field}.apiVersion`);
    }
  } else if (ref) {
    errs.also(validateRef(str(ref.name), str(ref.resolver), Array.isArray(ref.params) ? (ref.params as Param[]) : undefined, flags, []).viaField('taskRef'));
  }
  const onError = str(pt.onError);
  if (onError !== '' && !onError.startsWith('$(params')) {
    const msg = apiFieldsGate(flags, 'OnError', 'beta');
    if (msg) errs.addPathless(msg, ['onError']);
    if (onError !== 'continue' && onError !== 'stopAndFail') {
      errs.add(invalidValue(onError), 'OnError', ['onError'], 'PipelineTask OnError must be either "continue" or "stopAndFail"');
    } else if (onError === 'continue' && typeof pt.retries === 'number' && pt.retries > 0) {
      errs.addPathless('PipelineTask OnError cannot be set to "continue" when Retries is greater than 0', ['onError']);
    }
  }
  return errs;
}

/**
 * The matrix rules tektite models: the beta gate, params unique within matrix.params and within
 * each include, and no param both in the matrix and in params. Paths relative to the pipeline task.
 */
/** Tekton's default-max-matrix-combinations-count (config-defaults). */
const MAX_MATRIX_COMBINATIONS = 256;

/**
 * Matrix.CountCombinations: the product of the matrix params' array lengths (a value that is
 * not an array counts 0), plus each `include` entry that adds a combination: with no matrix
 * params, every entry; else each param of an entry that names a matrix param with a value that
 * param does not list counts one, until one that it lists.
 */
function matrixCombinations(m: Obj): bigint {
  const params = list(m.params);
  const include = list(m.include);
  const arrays = params.map((p) => {
    const d = decodeParamValue(p.value);
    return d.type === 'array' ? (d.value as string[]) : [];
  });
  // Go's int: the product wraps around at 64 bits as Tekton's does
  const wrap = (n: bigint): bigint => BigInt.asIntN(64, n);
  let count = params.length ? arrays.reduce((n, a) => wrap(n * BigInt(a.length)), 1n) : 0n;
  if (!include.length) return count;
  if (!params.length) return wrap(count + BigInt(include.length));
  const byName = new Map(params.map((p, i) => [str(p.name), arrays[i]!]));
  for (const inc of include) {
    for (const p of list(inc.params)) {
      const values = byName.get(str(p.name));
      if (!values) continue;
      const d = decodeParamValue(p.value);
      if (values.includes(d.type === 'string' ? (d.value as string) : '')) break;
      count = wrap(count + 1n);
    }
  }
  return count;
}

function validateMatrix(pt: Obj, flags: FeatureFlags): FieldErrors {
  const errs = new FieldErrors();
  const m = isObj(pt.matrix) ? pt.matrix : undefined;
  if (!m) return errs;
  const named = (v: unknown, raw: (string | number)[]) => list(v).map((p, j) => ({ name: str(p.name), value: p.value, raw: [...raw, j] }));
  if (isMatrixed(pt)) {
    const msg = apiFieldsGate(flags, 'matrix', 'beta');
    if (msg) errs.addPathless(msg, ['matrix']);
    const count = matrixCombinations(m);
    if (count > BigInt(MAX_MATRIX_COMBINATIONS)) errs.add(`expected 0 <= ${count} <= ${MAX_MATRIX_COMBINATIONS}`, 'matrix');
    errs.also(duplicateTaskParams(named(m.params, ['matrix', 'params'])).viaField('matrix.params', []));
    list(m.include).forEach((inc, k) => errs.also(duplicateTaskParams(named(inc.params, ['matrix', 'include', k, 'params'])).viaField('params', []).viaIndex(k, []).viaField('matrix.include', [])));
  }
  const inMatrix = new Set([...list(m.params), ...list(m.include).flatMap((inc) => list(inc.params))].map((p) => str(p.name)));
  list(pt.params).forEach((p, j) => {
    const name = str(p.name);
    if (inMatrix.has(name)) errs.add(ONE_OF_BOTH, [`matrix[${name}]`, `params[${name}]`], [['matrix'], ['params', j]]);
  });
  return errs;
}

/**
 * The pipeline tasks a task depends on (result references in its params, matrix, when and
 * embedded steps and sidecars; runAfter), sorted as Tekton's sets.List.
 */
function dependencies(pt: Obj): string[] {
  const deps = new Set<string>();
  const values: unknown[] = [...list(pt.params).map((p) => p.value), ...list(pt.when).flatMap((w) => [w.input, w.values, w.cel])];
  if (isObj(pt.matrix)) {
    values.push(...list(pt.matrix.params).map((p) => p.value), ...list(pt.matrix.include).flatMap((inc) => list(inc.params).map((p) => p.value)));
  }
  if (isObj(pt.taskSpec)) values.push(pt.taskSpec.steps, pt.taskSpec.sidecars);
  // NewResultRefs: only references ParseTaskExpression reads (four or five parts) are links
  for (const { text } of stringsWithReferences(values, '', [])) {
    for (const e of substitutionExpressions(text)) {
      const task = resultRefTask(e);
      if (task !== undefined) deps.add(task);
    }
  }
  if (Array.isArray(pt.runAfter)) for (const r of pt.runAfter) if (typeof r === 'string') deps.add(r);
  return [...deps].sort(byteOrder);
}

/**
 * validateGraph: Tekton's dag.Build over `tasks` (finally tasks are not in the graph) reports
 * one problem: a name given twice, else a cycle (found before any link is made, so it wins over a
 * missing task), else a link to a task that is not in `tasks`.
 */
function validateGraph(tasks: Obj[]): FieldErrors {
  const errs = new FieldErrors();
  const problem = graphProblem(tasks);
  if (problem) errs.add(invalidValue(problem.message), 'tasks', problem.raw);
  return errs;
}

function graphProblem(tasks: Obj[]): { message: string; raw: (string | number)[] } | undefined {
  const names = tasks.map((t) => str(t.name));
  const seen = new Set<string>();
  for (const [i, name] of names.entries()) {
    if (seen.has(name)) return { message: `task ${name} is already present in Graph, can't add it again: duplicate pipeline task`, raw: ['tasks', i, 'name'] };
    seen.add(name);
  }
  const deps = new Map(names.map((n, i) => [n, dependencies(tasks[i]!)]));
  const cycle = cycleIn(deps);
  if (cycle) return { message: `cycle detected; task ${goQuote(cycle.task)} depends on ${cycle.on.map(goQuote).join(', ')}`, raw: ['tasks', names.indexOf(cycle.task)] };
  for (const [i, name] of names.entries()) {
    const missing = deps.get(name)!.find((d) => !seen.has(d));
    if (missing !== undefined) {
      return { message: `couldn't add link between ${name} and ${missing}: task ${name} depends on ${missing} but ${missing} wasn't present in Pipeline`, raw: ['tasks', i] };
    }
  }
  return undefined;
}

/**
 * Tekton's findCyclesInDependencies (Kahn's algorithm): tasks are taken off from those without
 * dependencies on; what is left is in a cycle or behind one. Reported: the smallest name left,
 * with its dependencies still unresolved, sorted.
 */
function cycleIn(deps: ReadonlyMap<string, string[]>): { task: string; on: string[] } | undefined {
  const waiting = new Map<string, Set<string>>();
  const children = new Map<string, string[]>();
  const ready: string[] = [];
  const queued = new Set<string>();
  for (const [task, on] of deps) {
    if (on.length === 0) continue;
    waiting.set(task, new Set(on));
    for (const d of on) {
      if ((deps.get(d) ?? []).length === 0 && !queued.has(d)) {
        queued.add(d);
        ready.push(d);
      }
      const c = children.get(d);
      if (c) c.push(task);
      else children.set(d, [task]);
    }
  }
  while (ready.length) {
    const parent = ready.pop()!;
    for (const child of children.get(parent) ?? []) {
      const w = waiting.get(child);
      if (!w) continue;
      w.delete(parent);
      if (w.size === 0) {
        waiting.delete(child);
        ready.push(child);
      }
    }
  }
  if (waiting.size === 0) return undefined;
  const task = [...waiting.keys()].sort(byteOrder)[0]!;
  return { task, on: [...waiting.get(task)!].sort(byteOrder) };
}

/**
 * validatePipelineResults: each result's value must hold task result references, to tasks that
 * exist (`$(finally.x.results.y)` to finally tasks). (Tekton's third message, on expressions
 * that look like result references but do not parse, prints Go pointers and is not reproduced.)
 */
function validatePipelineResults(ps: Obj, tasks: Obj[], finallyTasks: Obj[]): FieldErrors {
  const errs = new FieldErrors();
  const dagNames = new Set(tasks.map((t) => str(t.name)));
  const finallyNames = new Set(finallyTasks.map((t) => str(t.name)));
  list(ps.results).forEach((r, i) => {
    const at = (msg: string) => errs.add(invalidValue(msg), `results[${i}].value`, ['results', i, 'value']);
    const exprs = substitutionExpressions(r.value);
    if (exprs.length === 0) at('expected pipeline results to be task result expressions but no expressions were found');
    if (!exprs.some(looksLikeResultRef)) at('expected pipeline results to be task result expressions but an invalid expressions was found');
    if (!refersToExistingTasks(typeof r.value === 'string' ? r.value : '', dagNames, finallyNames)) at('referencing a nonexistent task');
  });
  return errs;
}

/** Tekton's taskContainsResult: each `$`-separated piece of the value is a result reference to a task that exists. */
function refersToExistingTasks(value: string, dagNames: ReadonlySet<string>, finallyNames: ReadonlySet<string>): boolean {
  for (const piece of value.split('$')) {
    if (piece === '') continue;
    let e = `$${piece}`;
    if (e.startsWith('$(')) e = e.slice(2);
    if (e.endsWith(')')) e = e.slice(0, -1);
    const task = resultRefTask(e);
    if (task === undefined) return false;
    if (e.startsWith('tasks') && !dagNames.has(task)) return false;
    if (e.startsWith('finally') && !finallyNames.has(task)) return false;
  }
  return true;
}

/** validatePipelineWorkspacesDeclarations: names non-empty and unique. */
function validateWorkspaceDeclarations(workspaces: Obj[]): FieldErrors {
  const errs = new FieldErrors();
  const seen = new Set<string>();
  workspaces.forEach((w, i) => {
    const name = str(w.name);
    if (name === '') errs.add(invalidValue(`workspace ${i} has empty name`), `workspaces[${i}]`, ['workspaces', i]);
    if (seen.has(name)) errs.add(invalidValue(`workspace with name ${goQuote(name)} appears more than once`), `workspaces[${i}]`, ['workspaces', i]);
    seen.add(name);
  });
  return errs;
}

/** validatePipelineTasksWorkspacesUsage: each binding unique, and naming a declared Pipeline workspace. */
function validateWorkspaceUsage(pts: Obj[], declared: ReadonlySet<string>): FieldErrors {
  const errs = new FieldErrors();
  pts.forEach((pt, i) => {
    const bound = new Set<string>();
    list(pt.workspaces).forEach((ws, j) => {
      const name = str(ws.name);
      const at = `[${i}].workspaces[${j}]`;
      const raw = [i, 'workspaces', j];
      if (bound.has(name)) errs.add(`workspace name ${goQuote(name)} must be unique`, at, raw);
      const target = str(ws.workspace) || name;
      if (!declared.has(target)) errs.add(invalidValue(`pipeline task ${goQuote(str(pt.name))} expects workspace with name ${goQuote(target)} but none exists in pipeline spec`), at, raw);
      bound.add(name);
    });
  });
  return errs;
}
