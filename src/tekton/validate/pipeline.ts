// Pipelines and PipelineRuns: part of Tekton's PipelineSpec rules (names, ref/spec, the graph's
// links, workspaces, finally), and each embedded `tasks[i].taskSpec` / `finally[i].taskSpec` gets
// the TaskSpec rules. Params and workspaces reach embedded specs from the Pipeline, so the
// declared-param check does not apply to them.
import type { TaskSpec } from '../types.js';
import type { FeatureFlags } from './context.js';
import { byteOrder, FieldErrors, goQuote, invalidValue, ONE_OF_BOTH, ONE_OF_NEITHER } from './field-error.js';
import { isDNS1123Label } from './names.js';
import { validateTaskSpec } from './task.js';
import { isObj, type Obj } from '../plain-object.js';
import { stringsWithReferences } from '../references.js';

/** A list of maps (anything else in it as `{}`), or none. */
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map((x) => (isObj(x) ? x : {})) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

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
    if (ts.apiVersion !== undefined || ts.kind !== undefined) continue; // a custom task's spec
    out.push({ spec: ts as unknown as TaskSpec, field, index });
  }
  return out;
}

/**
 * Paths relative to the PipelineSpec. Tekton's PipelineSpec.Validate as far as tektite models it:
 * pipeline task names and their ref/spec, the embedded task specs, workspace declarations, the
 * tasks/finally sections, and links to tasks that do not exist. `standalone` adds what
 * Pipeline.Validate checks for a Pipeline of its own (not one inline in a PipelineRun, which may
 * use propagated workspaces): every workspace a pipeline task binds is declared.
 */
export function validatePipelineSpec(pipelineSpec: unknown, flags: FeatureFlags, standalone = false): FieldErrors {
  const errs = new FieldErrors();
  const ps = isObj(pipelineSpec) ? pipelineSpec : {};
  const tasks = list(ps.tasks);
  const finallyTasks = list(ps.finally);
  errs.also(validatePipelineTasks(tasks, finallyTasks, flags));
  for (const { spec, field, index } of embeddedTaskSpecs(pipelineSpec)) {
    errs.also(validateTaskSpec(spec, flags).viaField('taskSpec').viaFieldIndex(field, index));
  }
  errs.also(validateGraph(tasks));
  errs.also(validateWorkspaceDeclarations(list(ps.workspaces)));
  if (finallyTasks.length && !tasks.length) errs.add(invalidValue(`spec.tasks is empty but spec.finally has ${finallyTasks.length} tasks`), 'finally');
  finallyTasks.forEach((f, i) => {
    if (Array.isArray(f.runAfter) && f.runAfter.length) errs.add(invalidValue(`no runAfter allowed under spec.finally, final task ${str(f.name)} has runAfter specified`), `finally[${i}]`, ['finally', i, 'runAfter']);
  });
  if (standalone) {
    const declared = new Set(list(ps.workspaces).map((w) => str(w.name)));
    errs.also(validateWorkspaceUsage(tasks, declared).viaField('tasks'), validateWorkspaceUsage(finallyTasks, declared).viaField('finally'));
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
    });
  }
  return errs;
}

/** `$(tasks.<name>.results.<result>…)`: the task a result reference points at. */
const RESULT_REF = /\$\(tasks\.([^.)\s]*)\.results\./g;

/** The pipeline tasks a task depends on (result references in its params, matrix and when; runAfter), sorted as Tekton's sets.List. */
function dependencies(pt: Obj): string[] {
  const deps = new Set<string>();
  const values: unknown[] = [...list(pt.params).map((p) => p.value), ...list(pt.when).flatMap((w) => [w.input, w.values])];
  if (isObj(pt.matrix)) {
    values.push(...list(pt.matrix.params).map((p) => p.value), ...list(pt.matrix.include).flatMap((inc) => list(inc.params).map((p) => p.value)));
  }
  for (const { text } of stringsWithReferences(values, '', [])) for (const m of text.matchAll(RESULT_REF)) deps.add(m[1]!);
  if (Array.isArray(pt.runAfter)) for (const r of pt.runAfter) if (typeof r === 'string') deps.add(r);
  return [...deps].sort(byteOrder);
}

/**
 * validateGraph: Tekton builds the task graph and reports the first link to a task that is not
 * in `tasks`. (With duplicate names the graph is not built here; the duplicate is reported above.)
 */
function validateGraph(tasks: Obj[]): FieldErrors {
  const errs = new FieldErrors();
  const names = tasks.map((t) => str(t.name));
  if (new Set(names).size !== names.length) return errs;
  const present = new Set(names);
  for (const [i, pt] of tasks.entries()) {
    const missing = dependencies(pt).find((d) => !present.has(d));
    if (missing !== undefined) {
      const name = names[i]!;
      errs.add(invalidValue(`couldn't add link between ${name} and ${missing}: task ${name} depends on ${missing} but ${missing} wasn't present in Pipeline`), 'tasks', ['tasks', i]);
      break;
    }
  }
  return errs;
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
