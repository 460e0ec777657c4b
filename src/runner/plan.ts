// The controller's part (§2.5-§2.7, §6.3, §7.1 steps 4-7): resolve the Task, bind params and
// workspaces, run the run-time checks with Tekton's reasons and messages, substitute.
import { randomUUID } from 'node:crypto';
import { decodeParamValue, paramValueType } from '../tekton/params.js';
import { REASON, goList, goMapOfLists, userError } from '../tekton/status.js';
import {
  declaredType,
  substituteTaskSpec,
  workspaceMountPath,
  workspaceVolumeName,
  type WorkspaceValues,
} from '../tekton/substitute.js';
import type { ParamSpec, ParamValue, StepActionSpec, Task, TaskRun, TaskSpec, WorkspaceBinding, WorkspaceDeclaration } from '../tekton/types.js';
import { outOfBoundsReferences, requestOverLimit } from '../tekton/validate/resolved.js';
import { inlineStepActions } from './stepactions.js';

export interface PlanFailure {
  reason: string;
  message: string;
}

export interface BoundWorkspace {
  decl: WorkspaceDeclaration;
  binding: WorkspaceBinding | undefined;
}

export interface Plan {
  taskName: string;
  /** The Task's spec as declared (defaulted), before substitution. */
  spec: TaskSpec;
  params: Map<string, ParamValue>;
  workspaces: Map<string, BoundWorkspace>;
  /** The substituted spec Tekton stores in status.taskSpec. */
  substituted: TaskSpec;
  context: { taskRunName: string; namespace: string; uid: string; podName: string };
}

export type PlanResult = { ok: true; plan: Plan } | { ok: false; failure: PlanFailure; spec?: TaskSpec };

/** Resolves `spec.taskRef` against the given Tasks, or takes the inline `taskSpec`. */
export function resolveTask(tr: TaskRun, tasks: ReadonlyMap<string, Task>): { ok: true; name: string; spec: TaskSpec; inline: boolean } | { ok: false; failure: PlanFailure } {
  if (tr.spec.taskSpec) return { ok: true, name: tr.metadata.name!, spec: tr.spec.taskSpec, inline: true };
  const ref = tr.spec.taskRef;
  if (ref?.resolver) {
    return { ok: false, failure: { reason: REASON.resolutionFailed, message: `tektite cannot use remote resolver "${ref.resolver}"; give the Task's file with -f` } };
  }
  const task = ref?.name ? tasks.get(ref.name) : undefined;
  if (!task) {
    return {
      ok: false,
      failure: { reason: REASON.resolutionFailed, message: `error when listing tasks for taskRun ${tr.metadata.name}: tasks.tekton.dev "${ref?.name ?? ''}" not found` },
    };
  }
  return { ok: true, name: ref!.name!, spec: task.spec, inline: false };
}

/** `attempt` counts retries (0 = first run): it names the pod and is `$(context.task.retry-count)`. */
export function planTaskRun(tr: TaskRun, resolved: { name: string; spec: TaskSpec; inline: boolean }, stepActions: ReadonlyMap<string, StepActionSpec> = new Map(), attempt = 0): PlanResult {
  let spec = structuredClone(resolved.spec);
  const over = requestOverLimit(spec);
  if (over) return { ok: false, failure: { reason: REASON.validationFailed, message: over.message }, spec };
  const supplied = new Map<string, ParamValue>();
  for (const p of tr.spec.params ?? []) supplied.set(p.name, decodeParamValue(p.value).value);

  const extra = resolved.inline ? propagatedParams(spec.params ?? [], tr.spec.params ?? []) : [];
  if (extra.length) spec.params = [...(spec.params ?? []), ...extra];
  const paramError = checkParams(spec.params ?? [], supplied);
  if (paramError) return { ok: false, failure: { reason: REASON.validationFailed, message: userError(`invalid input params for task ${resolved.name}: ${paramError}`) }, spec };

  const values = resolveParamValues(spec.params ?? [], supplied);
  const outOfBounds = outOfBoundsReferences(tr.spec.params, spec);
  if (outOfBounds) return { ok: false, failure: { reason: REASON.validationFailed, message: outOfBounds }, spec };

  const inlined = inlineStepActions(spec, stepActions, values);
  if (!inlined.ok) return { ok: false, failure: inlined.failure, spec };
  spec = inlined.spec;

  const propagated = resolved.inline ? propagatedWorkspaces(spec.workspaces ?? [], tr.spec.workspaces ?? []) : [];
  if (propagated.length) spec.workspaces = [...(spec.workspaces ?? []), ...propagated];
  const ws = bindWorkspaces(spec.workspaces ?? [], tr.spec.workspaces ?? []);
  if ('message' in ws) return { ok: false, failure: { reason: REASON.validationFailed, message: userError(ws.message) }, spec };

  const name = tr.metadata.name!;
  const context = { taskRunName: name, namespace: tr.metadata.namespace ?? 'default', uid: tr.metadata.uid ?? randomUUID(), podName: podName(name, attempt) };
  const substituted = substituteTaskSpec(spec, {
    params: values,
    context: { taskRunName: name, taskRunNamespace: context.namespace, taskRunUid: context.uid, taskName: resolved.name, retryCount: attempt },
    workspaces: (decls) => workspaceValues(decls, ws),
  });
  return { ok: true, plan: { taskName: resolved.name, spec, params: values, workspaces: ws, substituted, context } };
}

/** Inline taskSpec: TaskRun params the spec does not declare become declared (§2.6). */
function propagatedParams(declared: readonly ParamSpec[], given: readonly { name: string; value: unknown }[]): ParamSpec[] {
  const known = new Set(declared.map((p) => p.name));
  return given
    .filter((p) => !known.has(p.name))
    .map((p) => {
      const d = decodeParamValue(p.value);
      const spec: ParamSpec = { name: p.name, type: d.type };
      if (d.type === 'object') spec.properties = Object.fromEntries(Object.keys(d.value).map((k) => [k, { type: 'string' }]));
      return spec;
    });
}

/** §2.5: missing, wrongly typed, object keys — the first failing check's text, or undefined. */
function checkParams(specs: readonly ParamSpec[], supplied: ReadonlyMap<string, ParamValue>): string | undefined {
  const missing = specs.filter((p) => p.default === undefined && !supplied.has(p.name)).map((p) => p.name);
  if (missing.length) return `missing values for these params which have no default values: ${goList(missing)}`;
  // In the TaskRun's order, as Tekton walks the supplied params.
  const declared = new Map(specs.map((p) => [p.name, declaredType(p)]));
  const wrong = [...supplied]
    .filter(([name, v]) => {
      const t = declared.get(name);
      if (t === undefined || paramValueType(v) === t) return false;
      return !(typeof v === 'string' && v.includes('$('));
    })
    .map(([name]) => name);
  if (wrong.length) return `param types don't match the user-specified type: ${goList(wrong)}`;
  const missingKeys = new Map<string, string[]>();
  for (const p of specs) {
    if (declaredType(p) !== 'object' || !p.properties) continue;
    const v = supplied.get(p.name);
    if (v === undefined && p.default === undefined) continue;
    const have = new Set([...Object.keys(objectOr(p.default)), ...Object.keys(objectOr(v))]);
    const lacking = Object.keys(p.properties).filter((k) => !have.has(k)).sort();
    if (lacking.length) missingKeys.set(p.name, lacking);
  }
  if (missingKeys.size) return `missing keys for these params which are required in ParamSpec's properties ${goMapOfLists(missingKeys)}`;
  return undefined;
}

const objectOr = (v: unknown): Record<string, string> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {});

/** §2.7: TaskRun value over default; object keys from the default first, TaskRun keys override. */
function resolveParamValues(specs: readonly ParamSpec[], supplied: ReadonlyMap<string, ParamValue>): Map<string, ParamValue> {
  const out = new Map<string, ParamValue>();
  for (const p of specs) {
    const given = supplied.get(p.name);
    const def = p.default === undefined ? undefined : decodeParamValue(p.default).value;
    if (declaredType(p) === 'object' && (given === undefined || typeof given === 'object')) {
      out.set(p.name, { ...objectOr(def), ...objectOr(given) });
    } else {
      out.set(p.name, given ?? def ?? '');
    }
  }
  return out;
}

/** Inline taskSpec: bindings without a declaration become declared workspaces (propagation). */
function propagatedWorkspaces(declared: readonly WorkspaceDeclaration[], bindings: readonly WorkspaceBinding[]): WorkspaceDeclaration[] {
  const known = new Set(declared.map((w) => w.name));
  return bindings.filter((b) => !known.has(b.name)).map((b) => ({ name: b.name }));
}

/** §6.3 run-time matching of bindings to declarations. */
function bindWorkspaces(decls: readonly WorkspaceDeclaration[], bindings: readonly WorkspaceBinding[]): Map<string, BoundWorkspace> | { message: string } {
  const byName = new Map(bindings.map((b) => [b.name, b]));
  for (const d of decls) {
    if (!d.optional && !byName.has(d.name)) return { message: `declared workspace "${d.name}" is required but has not been bound` };
  }
  const declared = new Set(decls.map((d) => d.name));
  for (const b of bindings) {
    if (!declared.has(b.name)) return { message: `workspace binding "${b.name}" does not match any declared workspace` };
  }
  return new Map(decls.map((d) => [d.name, { decl: d, binding: byName.get(d.name) }]));
}

function workspaceValues(decls: readonly WorkspaceDeclaration[], ws: ReadonlyMap<string, BoundWorkspace>): Map<string, WorkspaceValues> {
  const out = new Map<string, WorkspaceValues>();
  for (const d of decls) {
    const b = ws.get(d.name)?.binding;
    if (!b) out.set(d.name, { path: '', bound: false, claim: '' });
    else out.set(d.name, { path: workspaceMountPath(d), bound: true, claim: b.persistentVolumeClaim?.claimName ?? '', volume: workspaceVolumeName(b.name) });
  }
  return out;
}

/** `<taskrun>-pod` (`-pod-retry<N>` on retries), shortened the way Kubernetes names must be (≤ 63 characters). */
export function podName(taskRunName: string, attempt = 0): string {
  const n = `${taskRunName}-pod${attempt ? `-retry${attempt}` : ''}`;
  return n.length <= 63 ? n : `${taskRunName.slice(0, 52)}-${randomUUID().slice(0, 6)}-pod`.slice(0, 63);
}
