// A PipelineRun's own spec (Tekton's PipelineRunSpec.Validate, past the inline pipelineSpec,
// which pipeline.ts checks): exactly one of pipelineRef and pipelineSpec, the pipelineRef,
// params (duplicates, no task results), timeouts, status and workspace bindings. Not modelled:
// the params propagated into an inline spec's tasks (validateInlineParameters), taskRunSpecs,
// and podTemplate env. Paths are relative to `spec`.
import type { Param, WorkspaceBinding } from '../types.js';
import { isObj, type Obj, list, str } from '../plain-object.js';
import type { FeatureFlags } from './context.js';
import { formatGoDuration, parseGoDuration } from './duration.js';
import { FieldErrors, ONE_OF_BOTH, ONE_OF_NEITHER, goQuote, goValue, invalidValue, keyPath } from './field-error.js';
import { looksLikeResultRef, resultRefTask, substitutionExpressions } from './pipeline-params.js';
import { duplicateParamNames, validateRef } from './step.js';
import { validateWorkspaceBinding } from './taskrun.js';

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
