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
  for (const [index, step] of spec.steps.entries()) {
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
    const referring: ParamSpec[] = [];
    for (const p of (sa.params ?? []) as ParamSpec[]) {
      const def = p.default === undefined ? undefined : decodeParamValue(p.default).value;
      const v = given.get(p.name);
      if (v === undefined && def === undefined) missing.push(p.name);
      else if (v === undefined && typeof def === 'string' && def.includes('$(params.')) referring.push(p);
      else if (v !== undefined && def !== undefined && typeof v === 'object' && typeof def === 'object' && !Array.isArray(v) && !Array.isArray(def)) values.set(p.name, { ...def, ...v });
      else values.set(p.name, (v ?? def)!);
    }
    if (missing.length) {
      return { ok: false, failure: { reason: REASON.validationFailed, message: userError(`StepAction ${name} is missing values for these params which have no default values: ${goList(missing)}`) } };
    }
    const unresolved = resolveReferringDefaults(referring, values, new Set(((sa.params ?? []) as ParamSpec[]).map((p) => p.name)));
    if (unresolved) {
      return { ok: false, failure: { reason: REASON.resolutionFailed, message: `failed to resolve step ref for step ${JSON.stringify(step.name ?? '')} (index ${index}): ${unresolved}` } };
    }
    const merged: Record<string, unknown> = {};
    for (const f of FROM_STEPACTION) if (sa[f as keyof StepActionSpec] !== undefined) merged[f] = structuredClone(sa[f as keyof StepActionSpec]);
    for (const f of FROM_STEP) if (step[f] !== undefined) merged[f] = structuredClone(step[f]);
    steps.push(applyToContainer(merged, paramReplacements(values), true) as Step);
  }
  return { ok: true, spec: { ...spec, steps } };
}

/**
 * StepAction defaults that refer to other params (`default: $(params.base)/sub`), resolved as
 * Tekton's applyStepActionParameters does: pass after pass, a default whose every `$(params.x)`
 * has a value takes it (a string's; an array or object gives ''), until none is left. Sets them in
 * `values`; or the error when a pass resolves nothing: a reference to no param of the
 * StepAction, else a cycle.
 */
function resolveReferringDefaults(referring: readonly ParamSpec[], values: Map<string, ParamValue>, declared: ReadonlySet<string>): string | undefined {
  // (the names as Tekton cuts them from its matches: `$(params.a.b)` names "a.b"; a bracket
  // reference keeps its text, `$(params["a"]`, and so names no param)
  const cut = (m: string): string => (m.startsWith('$(params.') ? m.slice('$(params.'.length, -1) : m.slice(0, -1));
  const refs = new Map(referring.map((p) => {
    const text = p.default as string;
    return [p.name, { text, names: [...text.matchAll(/\$\(params(?:\.[^)]*|\[[^\]]*\][^)]*)\)/g)].map((m) => cut(m[0])) }];
  }));
  const pending = new Set(refs.keys());
  while (pending.size) {
    const stuck = new Map<string, string>();
    let resolved = false;
    for (const name of pending) {
      const { text, names } = refs.get(name)!;
      const waiting = names.find((r) => !values.has(r));
      if (waiting !== undefined) {
        stuck.set(name, waiting);
        continue;
      }
      let value = text;
      for (const r of names) {
        const v = values.get(r);
        value = value.replaceAll(`$(params.${r})`, typeof v === 'string' ? v : '');
      }
      values.set(name, value);
      pending.delete(name);
      resolved = true;
    }
    if (!resolved) {
      for (const [name, ref] of stuck) if (!declared.has(ref)) return `parameter ${JSON.stringify(name)} references non-existent parameter ${JSON.stringify(ref)}`;
      return 'circular dependency detected in parameter references';
    }
  }
  return undefined;
}
