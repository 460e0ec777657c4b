// Steps that refer to a StepAction (`steps[].ref.name`) become ordinary steps before substitution,
// as Tekton's reconciler does: the StepAction gives the container (image, command, args, script,
// env, workingDir, volumeMounts, securityContext, results), the step keeps name, onError, timeout,
// workspaces, when and std*Config, and the StepAction's `$(params.*)` take the step's `params`
// (themselves substituted with the Task's params first) over the StepAction's defaults.
import { decodeParamValue } from '../tekton/params.js';
import { REASON, goList, userError } from '../tekton/status.js';
import { applyToContainer, paramReplacements, replaceList, replaceString } from '../tekton/substitute.js';
import type { ParamSpec, ParamValue, Step, StepActionSpec, TaskSpec } from '../tekton/types.js';


const FROM_STEPACTION = ['image', 'command', 'args', 'script', 'env', 'workingDir', 'volumeMounts', 'securityContext', 'results'] as const;
const FROM_STEP = ['name', 'onError', 'timeout', 'workspaces', 'when', 'stdoutConfig', 'stderrConfig', 'computeResources'] as const;

export function inlineStepActions(
  spec: TaskSpec,
  stepActions: ReadonlyMap<string, StepActionSpec>,
  taskParams: ReadonlyMap<string, ParamValue>,
): { ok: true; spec: TaskSpec } | { ok: false; failure: { reason: string; message: string } } {
  const taskRepl = paramReplacements(taskParams);
  const steps: Step[] = [];
  for (const step of spec.steps) {
    if (!step.ref) {
      steps.push(step);
      continue;
    }
    const name = step.ref.name ?? '';
    const sa = step.ref.resolver ? undefined : stepActions.get(name);
    if (!sa) {
      const message = step.ref.resolver
        ? `tektite cannot use remote resolver "${step.ref.resolver}" for a StepAction; give the StepAction's file with -f`
        : `stepactions.tekton.dev "${name}" not found: give the StepAction's file with -f`;
      return { ok: false, failure: { reason: REASON.resolutionFailed, message } };
    }
    const given = new Map<string, ParamValue>();
    for (const p of step.params ?? []) {
      const v = decodeParamValue(p.value).value;
      given.set(p.name, typeof v === 'string' ? replaceString(v, taskRepl.strings) : Array.isArray(v) ? replaceList(v, taskRepl) : v);
    }
    const values = new Map<string, ParamValue>();
    const missing: string[] = [];
    for (const p of (sa.params ?? []) as ParamSpec[]) {
      const def = p.default === undefined ? undefined : decodeParamValue(p.default).value;
      const v = given.get(p.name);
      if (v === undefined && def === undefined) missing.push(p.name);
      else if (v !== undefined && def !== undefined && typeof v === 'object' && typeof def === 'object' && !Array.isArray(v) && !Array.isArray(def)) values.set(p.name, { ...def, ...v });
      else values.set(p.name, (v ?? def)!);
    }
    if (missing.length) {
      return { ok: false, failure: { reason: REASON.validationFailed, message: userError(`StepAction ${name} is missing values for these params which have no default values: ${goList(missing)}`) } };
    }
    const merged: Record<string, unknown> = {};
    for (const f of FROM_STEPACTION) if (sa[f as keyof StepActionSpec] !== undefined) merged[f] = structuredClone(sa[f as keyof StepActionSpec]);
    for (const f of FROM_STEP) if (step[f] !== undefined) merged[f] = structuredClone(step[f]);
    steps.push(applyToContainer(merged, paramReplacements(values), true) as Step);
  }
  return { ok: true, spec: { ...spec, steps } };
}
