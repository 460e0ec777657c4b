// The variable rules of a PipelineSpec (Tekton's pipeline_validation.go and param_types.go):
// the Pipeline's own param declarations, the params pipeline tasks pass (duplicates, references
// to the Pipeline's params, context variables), execution-status references, and task result
// references from finally tasks. Paths are relative to the PipelineSpec; raw keys too.
import type { PathSegment } from '../load.js';
import { decodeParamValue } from '../params.js';
import type { ParamSpec } from '../types.js';
import { isObj, type Obj, list, str } from '../plain-object.js';
import type { FeatureFlags } from './context.js';
import { FieldErrors, invalidValue, keyPath } from './field-error.js';
import { typeOf, validateEnums, validateParamTypes, type PlacedParam } from './params.js';
import { entireProhibitedVariables, isolatedVariable, prohibitedVariables, unknownVariables } from './vars.js';

/** A pipeline task's list of `{name, value}` params, with where each is. */
interface TaskParam {
  name: string;
  value: unknown;
  raw: PathSegment[];
}

const taskParams = (params: unknown, raw: PathSegment[]): TaskParam[] =>
  list(params).map((p, j) => ({ name: str(p.name), value: p.value, raw: [...raw, j] }));

/** Whether a pipeline task fans out over a matrix (Tekton's IsMatrixed: matrix params or include). */
export function isMatrixed(pt: Obj): boolean {
  return isObj(pt.matrix) && (list(pt.matrix.params).length > 0 || list(pt.matrix.include).length > 0);
}

/** The Pipeline's `spec.params` with where each is. */
export function pipelineParams(ps: Obj): PlacedParam[] {
  return list(ps.params).map((p, i) => ({ spec: p as unknown as ParamSpec, raw: ['params', i] }));
}

/**
 * validateDuplicateParameters on a pipeline task's params: each repeat after the first, at
 * `[j].name` relative to the list (callers add `params` and the task).
 */
export function duplicateTaskParams(params: TaskParam[]): FieldErrors {
  const errs = new FieldErrors();
  const seen = new Set<string>();
  params.forEach((p, j) => {
    if (seen.has(p.name)) errs.add(`parameter names must be unique, the parameter "${p.name}" is also defined at`, `[${j}].name`, [...p.raw, 'name']);
    seen.add(p.name);
  });
  return errs;
}

/**
 * ValidatePipelineParameterVariables for one section (`tasks` or `finally`): the Pipeline's
 * param declarations (types, duplicate names, enums; Tekton checks them once per section, so
 * each finding carries both paths) and duplicate params in each pipeline task of the section.
 */
export function validatePipelineParamDeclarations(ps: Obj, field: 'tasks' | 'finally', flags: FeatureFlags): FieldErrors {
  return paramDeclarationChecks(pipelineParams(ps), list(ps[field]), [field], flags).viaField(field, []);
}

/**
 * ValidatePipelineParameterVariables on any list of param specs and pipeline tasks (`tasksRaw`:
 * where the tasks sit in the document), paths relative to the caller: param findings under
 * `params`, duplicate task params under `[i].params`.
 */
export function paramDeclarationChecks(params: PlacedParam[], tasks: Obj[], tasksRaw: PathSegment[], flags: FeatureFlags): FieldErrors {
  const errs = new FieldErrors();
  errs.also(validateParamTypes(params).viaField('params', []));
  const seen = new Set<string>();
  const reported = new Set<string>();
  for (const { spec, raw } of params) {
    const n = spec.name ?? '';
    if (seen.has(n) && !reported.has(n)) {
      errs.add('parameter appears more than once', keyPath('params', n), raw);
      reported.add(n);
    }
    seen.add(n);
  }
  errs.also(validateEnums(params, flags));
  tasks.forEach((pt, i) => {
    errs.also(duplicateTaskParams(taskParams(pt.params, [...tasksRaw, i, 'params'])).viaField('params', []).viaIndex(i, []));
  });
  return errs;
}

/** The names and shapes of the Pipeline's params, as Tekton sorts them for reference checks. */
interface ParamNames {
  all: Set<string>;
  arrays: Set<string>;
  /** Object params that declare properties, with their keys (one without any is not checked: Tekton collects names while looping over the keys). */
  objects: Map<string, Set<string>>;
}

function paramNames(params: PlacedParam[]): ParamNames {
  const out: ParamNames = { all: new Set(), arrays: new Set(), objects: new Map() };
  for (const { spec } of params) {
    const name = spec.name ?? '';
    out.all.add(name);
    const type = typeOf(spec);
    if (type === 'array') out.arrays.add(name);
    const keys = type === 'object' && isObj(spec.properties) ? Object.keys(spec.properties) : [];
    if (keys.length) out.objects.set(name, new Set(keys));
  }
  return out;
}

/** validateObjectVariable: keys of object params, and no whole-object use. */
function objectVariable(value: string, names: ParamNames): FieldErrors {
  const errs = new FieldErrors();
  for (const [name, keys] of names.objects) errs.also(unknownVariables(value, `params\\.${name}`, keys));
  return errs.also(entireProhibitedVariables(value, 'params', new Set(names.objects.keys())));
}

/** validateStringVariable: a value used as a string. */
function stringVariable(value: string, names: ParamNames): FieldErrors {
  return unknownVariables(value, 'params', names.all).also(objectVariable(value, names), prohibitedVariables(value, 'params', names.arrays));
}

/** validateArrayVariable: an item of an array value. */
function arrayVariable(value: string, names: ParamNames): FieldErrors {
  return unknownVariables(value, 'params', names.all).also(objectVariable(value, names), isolatedVariable(value, 'params', names.arrays));
}

/** A whole-array reference as the entire value (`$(params.a[*])`): only the name is checked then. */
const WHOLE_ARRAY_REF = /^\$\(params(?:\.[_a-zA-Z0-9.-]+|\["[_a-zA-Z0-9.-]+"\]|\['[_a-zA-Z0-9.-]+'\])\[\*\]\)$/;

/** The params of one pipeline task checked against the Pipeline's params (paths `params[NAME]…`). */
function taskParamVariables(params: TaskParam[], names: ParamNames): FieldErrors {
  const errs = new FieldErrors();
  for (const p of params) {
    const d = decodeParamValue(p.value);
    const e = new FieldErrors();
    if (d.type === 'array') {
      (d.value as unknown[]).forEach((el, j) => {
        if (typeof el === 'string') e.also(anchor(arrayVariable(el, names), [...p.raw, 'value', j]).viaIndex(j, []).viaField('value', []));
      });
    } else if (d.type === 'object') {
      for (const [key, val] of Object.entries(d.value as Record<string, unknown>)) {
        if (typeof val === 'string') e.also(anchor(stringVariable(val, names), [...p.raw, 'value', key]).viaKey(key, []).viaField('properties', []));
      }
    } else {
      const value = d.value as string;
      e.also(anchor(WHOLE_ARRAY_REF.test(value) ? unknownVariables(value, 'params', names.all) : stringVariable(value, names), [...p.raw, 'value']));
    }
    errs.also(e.viaKey(p.name, []).viaField('params', []));
  }
  return errs;
}

/** Points every issue (they are all at the current field) at `raw`. */
function anchor(errs: FieldErrors, raw: PathSegment[]): FieldErrors {
  for (const i of errs.issues) {
    i.raws = i.raws.map(() => raw);
    i.anchor = raw;
  }
  return errs;
}

/**
 * Pipeline.Validate's param usage check for one section: every `$(params.…)` in the params,
 * matrix and when expressions of its pipeline tasks names a Pipeline param (of the right shape),
 * and no task passes a param twice.
 */
export function validatePipelineParamUsage(ps: Obj, field: 'tasks' | 'finally'): FieldErrors {
  return paramUsageChecks(pipelineParams(ps), list(ps[field]), [field]).viaField(field, []);
}

/**
 * validatePipelineTaskParameterUsage on any list of param specs and pipeline tasks (`tasksRaw`:
 * where the tasks sit in the document); paths `[i].params[NAME]…` relative to the caller.
 */
export function paramUsageChecks(params: PlacedParam[], tasks: Obj[], tasksRaw: PathSegment[]): FieldErrors {
  const names = paramNames(params);
  const errs = new FieldErrors();
  tasks.forEach((pt, i) => {
    const own = taskParams(pt.params, [...tasksRaw, i, 'params']);
    const e = new FieldErrors();
    e.also(duplicateTaskParams(own).viaField('params', []));
    e.also(taskParamVariables(own, names));
    if (isMatrixed(pt)) {
      const m = pt.matrix as Obj;
      for (const p of taskParams(m.params, [...tasksRaw, i, 'matrix', 'params'])) {
        const d = decodeParamValue(p.value);
        if (d.type !== 'array') continue;
        (d.value as string[]).forEach((el, j) => {
          if (typeof el === 'string') e.also(anchor(arrayVariable(el, names), [...p.raw, 'value', j]).viaIndex(j, []).viaField('value', []).viaKey(p.name, []).viaField('matrix.params', []));
        });
      }
      list(m.include).forEach((inc, k) => {
        taskParams(inc.params, [...tasksRaw, i, 'matrix', 'include', k, 'params']).forEach((p, j) => {
          const d = decodeParamValue(p.value);
          if (d.type === 'string') e.also(anchor(stringVariable(d.value as string, names), [...p.raw, 'value']).viaIndex(j, []).viaField('matrix.include.params', []));
        });
      });
    }
    list(pt.when).forEach((w, k) => {
      const at: PathSegment[] = [...tasksRaw, i, 'when', k];
      e.also(anchor(stringVariable(str(w.input), names), [...at, 'input']).viaField('input', []).viaIndex(k, []).viaField('when', []));
      (Array.isArray(w.values) ? w.values : []).forEach((v: unknown, j: number) => {
        if (typeof v !== 'string') return;
        const isArray = names.arrays.has(v.replace(/^\$\(params\./, '').replace(/\[\*\]\)$/, ''));
        e.also(anchor(isArray ? arrayVariable(v, names) : stringVariable(v, names), [...at, 'values', j]).viaField('values', []).viaIndex(k, []).viaField('when', []));
      });
    });
    errs.also(e.viaIndex(i, []));
  });
  return errs;
}

/** `$(…)` expressions as Tekton's GetVarSubstitutionExpressions finds them (dotted names, an optional index). */
const EXPRESSION = /\$\([_a-zA-Z0-9.-]+(?:\.[_a-zA-Z0-9.-]+)*(?:\[(?:[0-9]+|\*)\])?\)/g;

/** The expressions (without `$(` and `)`) in a string, or in the items or values of an array or object value. */
export function substitutionExpressions(value: unknown): string[] {
  const d = decodeParamValue(value);
  const texts = d.type === 'array' ? (d.value as unknown[]) : d.type === 'object' ? Object.values(d.value as Record<string, unknown>) : [d.value];
  const out: string[] = [];
  for (const t of texts) if (typeof t === 'string') for (const m of t.matchAll(EXPRESSION)) out.push(m[0].slice(2, -1));
  return out;
}

/** LooksLikeResultRef: `tasks|finally.<task>.results.<name>…`. */
export function looksLikeResultRef(expression: string): boolean {
  const parts = expression.split('.');
  return parts.length >= 4 && (parts[0] === 'tasks' || parts[0] === 'finally') && parts[2] === 'results';
}

/** The pipeline task a result reference names (ParseTaskExpression), or undefined if it does not parse. */
export function resultRefTask(expression: string): string | undefined {
  if (!looksLikeResultRef(expression)) return undefined;
  const n = expression.split('.').length;
  return n === 4 || n === 5 ? expression.split('.')[1] : undefined;
}

/** Expressions of a `when`: input, values, cel. */
function whenExpressions(w: Obj): string[] {
  return [w.input, ...(Array.isArray(w.values) ? w.values : []), w.cel].flatMap((v) => (typeof v === 'string' ? substitutionExpressions(v) : []));
}

const isStatusRef = (e: string): boolean => e.startsWith('tasks.') && (e.endsWith('.status') || e.endsWith('.reason'));

/**
 * validateExecutionStatusVariables and validateTaskResultReferenceInFinallyTasks: tasks may not
 * read any task's execution status; finally tasks may, of tasks that exist, and may read results
 * only of (non-finally) tasks that exist.
 */
export function validateStatusAndFinallyRefs(ps: Obj): FieldErrors {
  const errs = new FieldErrors();
  const dagNames = new Set(list(ps.tasks).map((t) => str(t.name)));
  const finallyNames = new Set(list(ps.finally).map((t) => str(t.name)));
  const each = (field: 'tasks' | 'finally', check: (exprs: string[], path: string, raw: PathSegment[]) => void) => {
    list(ps[field]).forEach((pt, i) => {
      list(pt.params).forEach((p, j) => {
        const exprs = substitutionExpressions(p.value);
        if (exprs.length) check(exprs, `${field}[${i}].${keyPath('params', str(p.name))}.value`, [field, i, 'params', j, 'value']);
      });
      list(pt.when).forEach((w, k) => {
        const exprs = whenExpressions(w);
        if (exprs.length) check(exprs, `${field}[${i}].when[${k}]`, [field, i, 'when', k]);
      });
    });
  };
  each('tasks', (exprs, path, raw) => {
    if (exprs.some(looksLikeResultRef)) return;
    if (exprs.some(isStatusRef)) errs.add(invalidValue('pipeline tasks can not refer to execution status of any other pipeline task or aggregate status of tasks'), path, raw);
  });
  each('finally', (exprs, path, raw) => {
    if (!exprs.some(looksLikeResultRef)) {
      for (const e of exprs) {
        if (e === 'tasks.status' || !isStatusRef(e)) continue;
        const name = e.slice('tasks.'.length).replace(/\.(status|reason)$/, '');
        if (!dagNames.has(name)) errs.add(invalidValue(`pipeline task ${name} is not defined in the pipeline`), path, raw);
      }
      return;
    }
    for (const e of exprs) {
      const name = looksLikeResultRef(e) ? resultRefTask(e) : undefined;
      if (name === undefined) continue;
      if (finallyNames.has(name)) errs.add(invalidValue(`invalid task result reference, final task has task result reference from a final task ${name}`), path, raw);
      else if (!dagNames.has(name)) errs.add(invalidValue(`invalid task result reference, final task has task result reference from a task ${name} which is not defined in the pipeline`), path, raw);
    }
  });
  return errs;
}

/**
 * validatePipelineContextVariables for one section: `$(context.pipelineRun|pipeline|pipelineTask.x)`
 * must be known. Tekton's loop keeps only the last task's values (it assigns where it means to
 * append), so only the section's last task is checked; the path has no task or param index.
 */
export function validatePipelineContextVariables(ps: Obj, field: 'tasks' | 'finally'): FieldErrors {
  const errs = new FieldErrors();
  const tasks = list(ps[field]);
  const i = tasks.length - 1;
  if (i < 0) return errs;
  const pt = tasks[i]!;
  const all: TaskParam[] = taskParams(pt.params, [field, i, 'params']);
  if (isObj(pt.matrix)) {
    all.push(...taskParams(pt.matrix.params, [field, i, 'matrix', 'params']));
    list(pt.matrix.include).forEach((inc, k) => all.push(...taskParams(inc.params, [field, i, 'matrix', 'include', k, 'params'])));
  }
  const checks: [string, Set<string>][] = [
    ['context\\.pipelineRun', new Set(['name', 'namespace', 'uid'])],
    ['context\\.pipeline', new Set(['name'])],
    ['context\\.pipelineTask', new Set(['retries'])],
  ];
  for (const p of all) {
    const d = decodeParamValue(p.value);
    const values = d.type === 'array' ? (d.value as unknown[]) : d.type === 'object' ? Object.values(d.value as Record<string, unknown>) : [d.value];
    for (const v of values) {
      if (typeof v !== 'string') continue;
      for (const [prefix, known] of checks) errs.also(anchor(unknownVariables(v, prefix, known), [...p.raw, 'value']).viaField('value', []));
    }
  }
  return errs.viaField(field, []);
}
