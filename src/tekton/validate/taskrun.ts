// TaskRunSpec.Validate (§9.3) and the inline-taskSpec param checks with propagated params (§2.6).
// Paths relative to the TaskRun's `spec`.
import { decodeParamValue } from '../params.js';
import type { PathSegment } from '../load.js';
import type { Param, Step, TaskRunSpec, WorkspaceBinding } from '../types.js';
import { apiFieldsGate, type FeatureFlags } from './context.js';
import { formatGoDuration, parseGoDuration } from './duration.js';
import { FieldErrors, MISSING, ONE_OF_BOTH, ONE_OF_NEITHER, goQuote, invalidValue } from './field-error.js';
import { combineParamSpec, paramSpecFromValue, validateDeclaredParamUsage, validateParamTypes, validateParamVariables, type PlacedParam } from './params.js';
import { duplicateParamNames, validateRef } from './step.js';
import { validateTaskSpec } from './task.js';
import { isObj } from '../plain-object.js';

export function validateTaskRunSpec(ts: TaskRunSpec, flags: FeatureFlags): FieldErrors {
  const errs = new FieldErrors();
  if (ts.taskRef === undefined && ts.taskSpec === undefined) errs.add(ONE_OF_NEITHER, ['taskRef', 'taskSpec'], [[], []]);
  if (ts.taskRef !== undefined && ts.taskSpec !== undefined) errs.add(ONE_OF_BOTH, ['taskRef', 'taskSpec']);
  if (ts.taskRef !== undefined) {
    const r = ts.taskRef;
    errs.also(validateRef(r.name ?? '', r.resolver ?? '', r.params, flags, []).viaField('taskRef'));
  }
  if (ts.taskSpec !== undefined) errs.also(validateTaskSpec(ts.taskSpec, flags).viaField('taskSpec'));
  const gateAt = (feature: string, want: 'alpha' | 'beta', raw: PathSegment[]) => {
    const msg = apiFieldsGate(flags, feature, want);
    if (msg) errs.addPathless(msg, raw);
  };
  (ts.params ?? []).forEach((p, i) => {
    if (p && decodeParamValue(p.value).type === 'object') gateAt('object type parameter', 'beta', ['params', i]);
  });
  errs.also(duplicateParamNames(ts.params ?? [], []).viaField('params'));
  errs.also(validateInlineParameters(ts, flags));
  errs.also(validateWorkspaceBindings(ts.workspaces ?? []).viaField('workspaces'));
  const spec = ts as TaskRunSpec & { debug?: unknown };
  if (spec.debug !== undefined) {
    gateAt('debug', 'alpha', ['debug']);
    errs.also(validateDebug(spec.debug).viaField('debug'));
  }
  errs.also(validateRunOverrides(ts, flags));
  if (ts.status && ts.status !== 'TaskRunCancelled' && ts.status !== 'TaskRunPending') {
    errs.add(invalidValue(`${ts.status} should be TaskRunCancelled or TaskRunPending`), 'status');
  }
  if (!ts.status && ts.statusMessage) {
    errs.add(invalidValue(`statusMessage should not be set if status is not set, but it is currently set to ${ts.statusMessage}`), 'statusMessage');
  }
  if (ts.timeout !== undefined) {
    const d = parseGoDuration(ts.timeout);
    if (d === undefined) errs.add(`time: invalid duration ${goQuote(ts.timeout)}`, 'timeout');
    else if (d < 0n) errs.add(invalidValue(`${formatGoDuration(d)} should be >= 0`), 'timeout');
  }
  if (ts.retries !== undefined && ts.retries < 0) errs.add(invalidValue(`${ts.retries} should be >= 0`), 'retries');
  return errs;
}

/**
 * The overrides a TaskRun, or a PipelineRun's `taskRunSpecs` entry, may give (the shared part of
 * validateTaskRunSpec): `stepSpecs` and `sidecarSpecs` (beta; each entry named, names unique,
 * case-insensitive) and `computeResources` (beta; not together with a step's resources).
 */
export function validateRunOverrides(ts: Pick<TaskRunSpec, 'stepSpecs' | 'sidecarSpecs' | 'computeResources'>, flags: FeatureFlags): FieldErrors {
  const errs = new FieldErrors();
  const gateAt = (feature: string, raw: PathSegment[]) => {
    const msg = apiFieldsGate(flags, feature, 'beta');
    if (msg) errs.addPathless(msg, raw);
  };
  for (const field of ['stepSpecs', 'sidecarSpecs'] as const) {
    const specs = ts[field];
    if (!Array.isArray(specs)) continue;
    gateAt(field, [field]);
    const e = new FieldErrors();
    const seen = new Set<string>();
    // Tekton checks duplicates in the list of the names given: an unnamed entry before a
    // duplicate moves the index it prints (the position points at the entry itself)
    let named = 0;
    specs.forEach((o, i) => {
      const name = typeof o?.name === 'string' ? o.name : '';
      if (name === '') {
        e.add(MISSING, `[${i}].name`, [i]);
        return;
      }
      if (seen.has(name.toLowerCase())) e.add(ONE_OF_BOTH, `[${named}].name`, [i, 'name']);
      seen.add(name.toLowerCase());
      named++;
    });
    errs.also(e.viaField(field));
  }
  if (ts.computeResources !== undefined && ts.computeResources !== null) {
    gateAt('computeResources', ['computeResources']);
    if ((Array.isArray(ts.stepSpecs) ? ts.stepSpecs : []).some((s) => isNonEmpty(s?.computeResources))) {
      errs.add(ONE_OF_BOTH, ['stepSpecs.resources', 'computeResources'], [['stepSpecs'], ['computeResources']]);
    }
  }
  return errs;
}

/** validateDebug: `onFailure` must be `enabled`; `beforeSteps` names appear once each. */
function validateDebug(debug: unknown): FieldErrors {
  const errs = new FieldErrors();
  const bp = isObj(debug) ? debug.breakpoints : undefined;
  if (!isObj(bp)) return errs;
  const onFailure = bp.onFailure ?? '';
  if (onFailure === '') {
    errs.add(invalidValue('onFailure breakpoint is empty, it is only allowed to be set as enabled'), 'breakpoints.onFailure', ['breakpoints']);
  } else if (typeof onFailure === 'string' && onFailure !== 'enabled') {
    errs.add(invalidValue(`${onFailure} is not a valid onFailure breakpoint value, onFailure breakpoint is only allowed to be set as enabled`), 'breakpoints.onFailure', ['breakpoints', 'onFailure']);
  }
  if (Array.isArray(bp.beforeSteps)) {
    const seen = new Set<string>();
    bp.beforeSteps.forEach((step, i) => {
      if (typeof step !== 'string') return;
      if (seen.has(step)) errs.add(`before step must be unique, the same step: ${step} is defined multiple times at`, `breakpoints.beforeSteps[${i}]`, ['breakpoints', 'beforeSteps', i]);
      seen.add(step);
    });
  }
  return errs;
}

function isNonEmpty(v: unknown): boolean {
  return v !== null && typeof v === 'object' && Object.values(v).some((x) => x !== null && typeof x === 'object' && Object.keys(x).length > 0);
}

/**
 * Tekton's validateInlineParameters: TaskRun params become param specs the inline taskSpec can
 * use (typed by their value), merged with the spec's own declarations, then the param checks run
 * again. Its paths are *not* prefixed with `taskSpec` (Tekton reports `spec.steps[0].args[0]`).
 */
function validateInlineParameters(ts: TaskRunSpec, flags: FeatureFlags): FieldErrors {
  const errs = new FieldErrors();
  if (ts.taskSpec === undefined) return errs;
  const combined = new Map<string, PlacedParam>();
  (ts.params ?? []).forEach((p: Param, i) => {
    if (p) combined.set(p.name ?? '', { spec: paramSpecFromValue(p.name ?? '', p.value), raw: ['params', i] });
  });
  (ts.taskSpec.params ?? []).forEach((p, i) => {
    if (p) combineParamSpec(combined, p, ['taskSpec', 'params', i], errs);
  });
  const steps = ts.taskSpec.steps;
  if (steps !== undefined) {
    const list = steps.map((s) => s ?? ({} as Step));
    const params = [...combined.values()];
    errs.also(validateParamTypes(params));
    errs.also(reanchor(validateParamVariables(list, params, flags, ['taskSpec', 'params']), ['taskSpec']));
    errs.also(reanchor(validateDeclaredParamUsage(list, params), ['taskSpec']));
  }
  return errs;
}

/** Findings about steps sit under `stepsPrefix` (the inline spec) in the document although Tekton prints `spec.steps`. */
export function reanchor(errs: FieldErrors, stepsPrefix: PathSegment[]): FieldErrors {
  for (const i of errs.issues) {
    const fix = (r: PathSegment[]) => (r[0] === 'steps' ? [...stepsPrefix, ...r] : r);
    i.raws = i.raws.map(fix);
    i.anchor = fix(i.anchor);
  }
  return errs;
}

const SOURCES = ['persistentvolumeclaim', 'volumeclaimtemplate', 'emptydir', 'configmap', 'secret'];
const SOURCE_KEYS = ['persistentVolumeClaim', 'volumeClaimTemplate', 'emptyDir', 'configMap', 'secret'];

/** ValidateWorkspaceBindings (§6.2): paths relative to `workspaces`. */
export function validateWorkspaceBindings(bindings: WorkspaceBinding[]): FieldErrors {
  const errs = new FieldErrors();
  const seen = new Set<string>();
  bindings.forEach((b, i) => {
    errs.also(validateWorkspaceBinding(b ?? ({} as WorkspaceBinding)).viaIndex(i));
  });
  bindings.forEach((b, i) => {
    const name = (b?.name ?? '').toLowerCase();
    if (seen.has(name)) errs.also(new FieldErrors().add(ONE_OF_BOTH, 'name').viaIndex(i));
    seen.add(name);
  });
  return errs;
}

/** WorkspaceBinding.Validate: one volume source, and what that source needs. */
export function validateWorkspaceBinding(b: WorkspaceBinding): FieldErrors {
  const errs = new FieldErrors();
  const o = b as unknown as Record<string, unknown>;
  const sources = ['volumeClaimTemplate', 'persistentVolumeClaim', 'emptyDir', 'configMap', 'secret', 'projected', 'csi'].filter((k) => o[k] !== undefined);
  if (!b.name && sources.length === 0 && b.subPath === undefined) return errs.add(MISSING, '', []);
  if (sources.length > 1) return errs.add(ONE_OF_BOTH, SOURCES, SOURCE_KEYS.map((k) => [k]));
  if (sources.length === 0) return errs.add(ONE_OF_NEITHER, SOURCES, SOURCE_KEYS.map(() => []));
  const sub = (k: string) => (o[k] !== null && typeof o[k] === 'object' ? (o[k] as Record<string, unknown>) : undefined);
  if (sub('persistentVolumeClaim') && !sub('persistentVolumeClaim')!.claimName) return errs.add(MISSING, 'persistentvolumeclaim.claimname', ['persistentVolumeClaim']);
  if (sub('configMap') && !sub('configMap')!.name) return errs.add(MISSING, 'configmap.name', ['configMap']);
  if (sub('secret') && !sub('secret')!.secretName) return errs.add(MISSING, 'secret.secretName', ['secret']);
  if (sub('projected') && !(Array.isArray(sub('projected')!.sources) && (sub('projected')!.sources as unknown[]).length > 0)) return errs.add(MISSING, 'projected.sources', ['projected']);
  if (sub('csi') && !sub('csi')!.driver) return errs.add(MISSING, 'csi.driver', ['csi']);
  return errs;
}
