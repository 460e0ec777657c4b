// A PipelineRun's own spec (Tekton's PipelineRunSpec.Validate, past the inline pipelineSpec,
// which pipeline.ts checks): exactly one of pipelineRef and pipelineSpec, the pipelineRef,
// params (duplicates, no task results), the params it propagates into an inline spec's tasks
// (validateInlineParameters), the overrides in `taskRunSpecs`, timeouts, status and workspace
// bindings. Not modelled: podTemplate env (no env is forbidden by default) and the newest
// Tekton's `taskRunSpecs[].timeout` checks. Paths are relative to `spec`.
import type { PathSegment } from '../load.js';
import { decodeParamValue } from '../params.js';
import type { Param, ParamSpec, Step, TaskRunSpec, WorkspaceBinding } from '../types.js';
import { isObj, type Obj, list, str } from '../plain-object.js';
import type { FeatureFlags } from './context.js';
import { formatGoDuration, parseGoDuration } from './duration.js';
import { FieldErrors, ONE_OF_BOTH, ONE_OF_NEITHER, goQuote, goValue, invalidValue, keyPath } from './field-error.js';
import { combineParamSpec, hasValidNameFormat, paramSpecFromValue, validateDeclaredParamUsage, validateParamTypes, validateParamVariables, type PlacedParam } from './params.js';
import { looksLikeResultRef, paramDeclarationChecks, paramUsageChecks, resultRefTask, substitutionExpressions } from './pipeline-params.js';
import { duplicateParamNames, validateRef } from './step.js';
import { reanchor, validateRunOverrides, validateWorkspaceBinding } from './taskrun.js';

const STATUSES: ReadonlySet<unknown> = new Set(['', 'Cancelled', 'CancelledRunFinally', 'StoppedRunFinally', 'PipelineRunPending']);

/** The default pipeline timeout the mutating webhook fills in (default-timeout-minutes: 60). */
const DEFAULT_PIPELINE_TIMEOUT = 60n * 60n * 1_000_000_000n;

export function validatePipelineRunSpec(spec: Obj, flags: FeatureFlags): FieldErrors {
  const errs = new FieldErrors();
  const hasRef = spec.pipelineRef !== undefined && spec.pipelineRef !== null;
  const hasSpec = spec.pipelineSpec !== undefined && spec.pipelineSpec !== null;
  if (!hasRef && !hasSpec) errs.add(ONE_OF_NEITHER, ['pipelineRef', 'pipelineSpec'], [[], []]);
  if (hasRef && hasSpec) errs.add(ONE_OF_BOTH, ['pipelineRef', 'pipelineSpec'], [['pipelineRef'], ['pipelineSpec']]);
  if (isObj(spec.pipelineRef)) {
    const ref = spec.pipelineRef;
    errs.also(validateRef(str(ref.name), str(ref.resolver), Array.isArray(ref.params) ? (ref.params as Param[]) : undefined, flags, []).viaField('pipelineRef'));
  }
  errs.also(validateRunParams(list(spec.params)));
  if (isObj(spec.pipelineSpec)) errs.also(validateInlineParameters(list(spec.params), spec.pipelineSpec, flags));
  // validateTaskRunSpec for each entry, under its pipeline task's name
  list(spec.taskRunSpecs).forEach((trs, i) => {
    errs.also(validateRunOverrides(trs as Pick<TaskRunSpec, 'stepSpecs' | 'sidecarSpecs' | 'computeResources'>, flags).viaFieldKey('taskRunSpecs', str(trs.pipelineTaskName), ['taskRunSpecs', i]));
  });
  if (isObj(spec.timeouts)) errs.also(validateTimeouts(spec.timeouts));
  if (!STATUSES.has(spec.status ?? '')) {
    errs.add(invalidValue(`${goValue(spec.status)} should be Cancelled, CancelledRunFinally, StoppedRunFinally or PipelineRunPending`), 'status');
  }
  const seen = new Map<string, number>();
  list(spec.workspaces).forEach((ws, i) => {
    errs.also(validateWorkspaceBinding(ws as unknown as WorkspaceBinding).viaFieldIndex('workspaces', i));
    const name = str(ws.name);
    const prev = seen.get(name);
    if (prev !== undefined) {
      errs.also(new FieldErrors().add(`workspace ${goQuote(name)} provided by pipelinerun more than once, at index ${prev} and ${i}`, 'name').viaFieldIndex('workspaces', i));
    }
    seen.set(name, i);
  });
  return errs;
}

/**
 * validateInlineParameters: a run's params reach an inline spec's tasks without being declared.
 * Tekton gathers param specs from the run's params (typed by their values), the spec's params,
 * and the params and embedded specs' params of each of `tasks` (not `finally`), then checks each
 * embedded spec's steps and all pipeline tasks' params against them. Its paths leave out where
 * those are (`spec.steps[0].args[0]`, `spec[0].params[x]`); the document positions do not.
 */
function validateInlineParameters(runParams: Obj[], ps: Obj, flags: FeatureFlags): FieldErrors {
  const errs = new FieldErrors();
  const combined = new Map<string, PlacedParam>();
  runParams.forEach((p, i) => combined.set(str(p.name), { spec: paramSpecFromValue(str(p.name), p.value), raw: ['params', i] }));
  list(ps.params).forEach((p, i) => combineParamSpec(combined, p as unknown as ParamSpec, ['pipelineSpec', 'params', i], errs));
  const tasks = list(ps.tasks);
  tasks.forEach((pt, i) => {
    list(pt.params).forEach((p, j) => {
      const name = str(p.name);
      const passed = combined.get(name);
      if (!passed) {
        combined.set(name, { spec: paramSpecFromValue(name, p.value), raw: ['pipelineSpec', 'tasks', i, 'params', j] });
        return;
      }
      // appendPipelineTaskParams: an object value's keys become keys of the default and
      // properties of the spec already there. Go writes into those maps: when that spec has no
      // object default or no properties, the webhook panics and the cluster refuses the run.
      const v = decodeParamValue(p.value);
      if (v.type !== 'object') return;
      const keys = Object.keys(v.value);
      const d = passed.spec.default;
      const defaultMap = passed.defaultMap === true || (d !== undefined && d !== null && decodeParamValue(d).type === 'object');
      if (keys.length && (!defaultMap || !isObj(passed.spec.properties))) {
        errs.add(`Tekton's validating webhook crashes on this PipelineRun: pipeline task ${goQuote(str(pt.name))} passes an object to ${goQuote(name)}, which the run or the spec gives no object default and properties (validateInlineParameters writes into a nil map)`,
          `pipelineSpec.tasks[${i}].${keyPath('params', name)}`, ['pipelineSpec', 'tasks', i, 'params', j]);
      }
      const added = Object.fromEntries(keys.map((k) => [k, { type: 'string' as const }]));
      passed.spec = { ...passed.spec, properties: { ...passed.spec.properties, ...added } };
    });
    if (isObj(pt.taskSpec) && Array.isArray(pt.taskSpec.params)) {
      list(pt.taskSpec.params).forEach((p, j) => {
        const at: PathSegment[] = ['pipelineSpec', 'tasks', i, 'taskSpec', 'params', j];
        combineParamSpec(combined, p as unknown as ParamSpec, at, errs, () => errs.add(
          `Tekton's validating webhook crashes on this PipelineRun: the taskSpec of pipeline task ${goQuote(str(pt.name))} gives ${goQuote(str(p.name))} an object default, which the spec declares without a default (validateInlineParameters reads a nil default)`,
          `pipelineSpec.tasks[${i}].taskSpec.params[${j}]`, at));
      });
    }
  });
  if (tasks.length === 0) return errs;
  const params = [...combined.values()];
  // (Tekton's path for a bad name is `params`; point at the first param with one)
  const badName = params.find((p) => !hasValidNameFormat(p))?.raw ?? ['params'];
  tasks.forEach((pt, i) => {
    const steps = isObj(pt.taskSpec) ? list(pt.taskSpec.steps) as unknown as Step[] : [];
    if (steps.length === 0) return;
    const at: PathSegment[] = ['pipelineSpec', 'tasks', i, 'taskSpec'];
    errs.also(validateParamTypes(params));
    errs.also(reanchor(validateParamVariables(steps, params, flags, badName), at));
    errs.also(reanchor(validateDeclaredParamUsage(steps, params), at));
  });
  errs.also(paramDeclarationChecks(params, tasks, ['pipelineSpec', 'tasks'], flags));
  errs.also(paramUsageChecks(params, tasks, ['pipelineSpec', 'tasks']));
  return errs;
}

/** validatePipelineRunParameters: unique names (case-insensitive) and no task results in values. */
function validateRunParams(params: Obj[]): FieldErrors {
  const errs = new FieldErrors();
  if (params.length === 0) return errs;
  errs.also(duplicateParamNames(params as unknown as Param[], []).viaField('params'));
  params.forEach((p, i) => {
    const refs = substitutionExpressions(p.value).filter(looksLikeResultRef);
    // reported when one of them parses as a result reference (NewResultRefs); all are listed
    if (!refs.some((e) => resultRefTask(e) !== undefined)) return;
    errs.add(invalidValue(`cannot use result expressions in ${goValue(refs)} as PipelineRun parameter values`), `${keyPath('params', str(p.name))}.value`, ['params', i, 'value']);
  });
  return errs;
}

/**
 * validateTimeoutDuration for each of tasks, finally and pipeline, then validatePipelineTimeout
 * against the pipeline timeout (defaulted to 1h when only `tasks`/`finally` are given). Go's
 * check of tasks + finally does not skip a pipeline timeout of 0 (no timeout); neither does this.
 */
function validateTimeouts(t: Obj): FieldErrors {
  const errs = new FieldErrors();
  const parsed: Record<'tasks' | 'finally' | 'pipeline', bigint | undefined> = { tasks: undefined, finally: undefined, pipeline: undefined };
  for (const field of ['tasks', 'finally', 'pipeline'] as const) {
    const v = t[field];
    if (typeof v !== 'string') continue; // absent (the schema has rejected other types)
    const d = parseGoDuration(v);
    if (d === undefined) {
      errs.add(`time: invalid duration ${goQuote(v)}`, `timeouts.${field}`);
      continue;
    }
    parsed[field] = d;
    if (d < 0n) errs.add(invalidValue(`${formatGoDuration(d)} should be >= 0`), `timeouts.${field}`);
  }
  const pipeline = parsed.pipeline ?? (t.pipeline === undefined ? DEFAULT_PIPELINE_TIMEOUT : undefined);
  if (pipeline === undefined) return errs;
  const message = 'should be <= pipeline duration';
  for (const field of ['tasks', 'finally'] as const) {
    const d = parsed[field];
    if (d === undefined) continue;
    const noTimeout = d === 0n && pipeline !== 0n;
    if ((d > pipeline && pipeline !== 0n) || noTimeout) errs.add(invalidValue(`${formatGoDuration(d)}${noTimeout ? ' (no timeout)' : ''} ${message}`), `timeouts.${field}`);
  }
  if (parsed.tasks !== undefined && parsed.finally !== undefined && parsed.tasks + parsed.finally > pipeline) {
    const both = `${formatGoDuration(parsed.tasks)} + ${formatGoDuration(parsed.finally)} ${message}`;
    errs.add(invalidValue(both), 'timeouts.tasks');
    errs.add(invalidValue(both), 'timeouts.finally');
  }
  return errs;
}
