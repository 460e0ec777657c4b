// TaskSpec.Validate and Task.Validate (§9.2): paths relative to the spec; callers add `spec`
// (Task) or `spec.taskSpec` (inline in a TaskRun).
import { mergeStepTemplate } from '../merge.js';
import type { Sidecar, Step, TaskSpec } from '../types.js';
import type { FeatureFlags } from './context.js';
import { FieldErrors, MISSING, ONE_OF_BOTH, goQuote } from './field-error.js';
import { cleanPath } from './names.js';
import { validateDeclaredParamUsage, validateParamTypes, validateParamVariables, perStep, type PlacedParam } from './params.js';
import { validateTaskResults } from './results.js';
import { gate, validateSidecar, validateStep, validateStepResultVariables, validateStepResults, validateWhen } from './step.js';
import { unknownVariables } from './vars.js';
import { stepFieldChecks } from './step-fields.js';

export function placedParams(spec: TaskSpec): PlacedParam[] {
  return (spec.params ?? []).map((p, i) => ({ spec: p ?? { name: '' }, raw: ['params', i] }));
}

export function validateTaskSpec(ts: TaskSpec, flags: FeatureFlags): FieldErrors {
  const errs = new FieldErrors();
  const steps = (ts.steps ?? []).map((s) => s ?? ({} as Step));
  const sidecars = (ts.sidecars ?? []).map((s) => s ?? ({} as Sidecar));
  if (steps.length === 0) errs.add(MISSING, 'steps');
  errs.also(validateVolumes(ts.volumes ?? []).viaField('volumes'));
  errs.also(validateDeclaredWorkspaces(ts, steps).viaField('workspaces'));
  errs.also(validateWorkspaceUsages(ts, steps, sidecars, flags));
  const merged = steps.map((s) => mergeStepTemplate(ts.stepTemplate, s));
  errs.also(validateSteps(merged, flags).viaField('steps'));
  const sc = new FieldErrors();
  sidecars.forEach((s, i) => sc.also(validateSidecar(s, i)));
  errs.also(sc.viaField('sidecars'));
  const params = placedParams(ts);
  errs.also(validateParamTypes(params).viaField('params', []));
  errs.also(validateParamVariables(steps, params, flags));
  const taskRunContext = new Set(['name', 'namespace', 'uid']);
  const taskContext = new Set(['name', 'retry-count']);
  errs.also(perStep(steps, (s) => stepFieldChecks(s, { all: (v) => unknownVariables(v, 'context\\.taskRun', taskRunContext) }, 'unknown')));
  errs.also(perStep(steps, (s) => stepFieldChecks(s, { all: (v) => unknownVariables(v, 'context\\.task', taskContext) }, 'unknown')));
  const resultNames = new Set((ts.results ?? []).map((r) => r?.name ?? ''));
  steps.forEach((s, i) => errs.also(unknownVariables(s.script ?? '', 'results', resultNames).viaField('script').viaFieldIndex('steps', i)));
  errs.also(validateTaskResults(ts.results ?? []).viaField('results'));
  return errs;
}

/** Task.Validate's extra check for a standalone Task: every param used is declared. */
export function validateTaskParamUsage(ts: TaskSpec): FieldErrors {
  return validateDeclaredParamUsage((ts.steps ?? []).map((s) => s ?? ({} as Step)), placedParams(ts));
}

function validateVolumes(volumes: { name?: unknown }[]): FieldErrors {
  const errs = new FieldErrors();
  const seen = new Set<string>();
  volumes.forEach((v, i) => {
    const name = typeof v?.name === 'string' ? v.name : '';
    if (seen.has(name)) errs.also(new FieldErrors().add(`multiple volumes with same name ${goQuote(name)}`, 'name').viaIndex(i));
    seen.add(name);
  });
  return errs;
}

function validateDeclaredWorkspaces(ts: TaskSpec, steps: Step[]): FieldErrors {
  const errs = new FieldErrors();
  const mountPaths = new Set<string>();
  for (const s of steps) for (const vm of s.volumeMounts ?? []) mountPaths.add(cleanPath(vm?.mountPath ?? ''));
  for (const vm of ts.stepTemplate?.volumeMounts ?? []) mountPaths.add(cleanPath(vm?.mountPath ?? ''));
  const names = new Set<string>();
  (ts.workspaces ?? []).forEach((w, i) => {
    const name = w?.name ?? '';
    if (names.has(name)) errs.also(new FieldErrors().add(`workspace name ${goQuote(name)} must be unique`, 'name').viaIndex(i));
    names.add(name);
    const mp = cleanPath(w?.mountPath ? w.mountPath : `/workspace/${name}`);
    if (mountPaths.has(mp)) errs.also(new FieldErrors().add(`workspace mount path ${goQuote(mp)} must be unique`, 'mountpath', ['mountPath']).viaIndex(i));
    mountPaths.add(mp);
  });
  return errs;
}

function validateWorkspaceUsages(ts: TaskSpec, steps: Step[], sidecars: Sidecar[], flags: FeatureFlags): FieldErrors {
  const errs = new FieldErrors();
  const declared = new Set((ts.workspaces ?? []).map((w) => w?.name ?? ''));
  const check = (owner: 'steps' | 'sidecars', list: (Step | Sidecar)[]) => {
    list.forEach((s, i) => {
      if (s.workspaces?.length) {
        const g = new FieldErrors();
        gate(g, flags, owner === 'steps' ? 'step workspaces' : 'sidecar workspaces', 'beta', []);
        errs.also(g.viaIndex(i).viaField(owner));
      }
      (s.workspaces ?? []).forEach((w, j) => {
        const name = w?.name ?? '';
        if (!declared.has(name)) {
          errs.also(new FieldErrors().add(`undefined workspace ${goQuote(name)}`, 'name').viaIndex(j).viaField('workspaces').viaIndex(i).viaField(owner));
        }
      });
    });
  };
  check('steps', steps);
  check('sidecars', sidecars);
  return errs;
}

function validateSteps(steps: Step[], flags: FeatureFlags): FieldErrors {
  const errs = new FieldErrors();
  const names = new Set<string>();
  steps.forEach((s, i) => {
    errs.also(validateStep(s, flags).viaIndex(i));
    if (s.results !== undefined) {
      errs.also(validateStepResultVariables(s.results, s.script ?? '').viaIndex(i));
      errs.also(validateStepResults(s.results).viaIndex(i, [i, 'results']).viaField('results', []));
    }
    if (s.when?.length) errs.also(validateWhen(s.when, flags).viaIndex(i));
    if (s.name) {
      if (names.has(s.name)) errs.add(ONE_OF_BOTH, `[${i}].name`, [i, 'name']);
      names.add(s.name);
    }
  });
  return errs;
}
