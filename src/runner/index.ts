// runTaskRun: one TaskRun on this machine, from the TaskRun document to the final TaskRun with
// Tekton's status (§7). The run folder keeps workspaces, logs and status.yaml afterwards.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { toV1 } from '../tekton/convert.js';
import { DEFAULT_TIMEOUT, defaultTaskRun, defaultTaskSpec } from '../tekton/defaults.js';
import { mergeStepTemplate } from '../tekton/merge.js';
import { REASON, condition, k8sTime, stepExitedMessage, stepTimeoutMessage, successCondition, taskRunTimeoutMessage, taskRunCancelledMessage, userError, goMapOfLists } from '../tekton/status.js';
import { stepContainerName, workspaceMountPath } from '../tekton/substitute.js';
import type { RunResult, Step, StepAction, StepActionSpec, Task, TaskRun, TaskRunStatus, TaskSpec } from '../tekton/types.js';
import { formatGoDuration, parseGoDuration } from './duration.js';
import type { Executor, Mount } from './executor.js';
import type { LogTarget } from './logs.js';
import { planTaskRun, resolveTask, type Plan, type PlanFailure } from './plan.js';
import { decodeResultText, encodeTerminationMessage, MAX_TERMINATION_MESSAGE } from './results.js';
import { containerConfigError, prepareTektonDirs, runSteps, type StepRecord, type StepsContext } from './steps.js';
import { allocateBinding, allocateVolume, LOCAL_DIR_ANNOTATION, subPathIn, VolumeError, type KubeObjects, type VolumeSource } from './volumes.js';

export { LOCAL_DIR_ANNOTATION, type KubeObjects } from './volumes.js';

export interface RunInput {
  /** The TaskRun document (tekton.dev/v1 or v1beta1) as loaded. */
  taskRun: unknown;
  /** Task documents by metadata.name, for `taskRef` (as loaded; converted here). */
  tasks: ReadonlyMap<string, unknown>;
  /** StepAction documents by metadata.name, for `steps[].ref`. */
  stepActions?: ReadonlyMap<string, unknown>;
  objects: KubeObjects;
}

export interface RunOptions {
  executor: Executor;
  network: boolean;
  /** A fresh folder for this run (created by the caller). */
  runDir: string;
  /** Folder holding one folder per PVC claimName, shared between runs. */
  pvcRoot: string;
  /** Image path -> host file (see team-contracts: image overlays). */
  overlays?: Record<string, string>;
  log: LogTarget;
  /** tektite's own remarks (over-budget explanations), printed apart from step output. */
  note?: (text: string) => void;
  onStepStart?: (index: number, name: string, image: string) => void;
  /** Cancels the run (Ctrl-C): the running step's process group is killed, the TaskRun is TaskRunCancelled. */
  cancel?: AbortSignal;
}

export interface RunOutcome {
  taskRun: TaskRun;
  /** Set when the run failed before any step because the input cannot run here (exit 2). */
  inputError?: string;
}

/** Tekton's message when the pod cannot be created for a config error (a missing Secret, ConfigMap or key). */
const CONFIG_ERROR_MESSAGE = 'Failed to create pod due to config error';

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** The TaskRun in v1 shape with defaults, and a name (generateName gets 5 random characters, as the API server does). */
export function normaliseTaskRun(value: unknown): TaskRun {
  const tr = defaultTaskRun(toV1(value)) as TaskRun;
  tr.metadata ??= {};
  if (!tr.metadata.name) {
    const suffix = Array.from({ length: 5 }, () => NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)]).join('');
    tr.metadata.name = `${tr.metadata.generateName ?? 'taskrun-'}${suffix}`;
  }
  tr.metadata.namespace ??= 'default';
  tr.metadata.uid ??= randomUUID();
  return tr;
}

export async function runTaskRun(input: RunInput, opts: RunOptions): Promise<RunOutcome> {
  const tr = normaliseTaskRun(input.taskRun);
  const start = new Date();
  const tasks = new Map<string, Task>();
  for (const [name, t] of input.tasks) {
    const v1 = toV1(t) as Task;
    tasks.set(name, { ...v1, spec: defaultTaskSpec(v1.spec) });
  }
  const failed = (f: PlanFailure, spec?: TaskSpec, inputError?: boolean): RunOutcome => {
    tr.status = { conditions: [condition('False', f.reason, f.message, k8sTime(new Date()))], startTime: k8sTime(start), completionTime: k8sTime(new Date()) };
    if (spec) tr.status.taskSpec = spec;
    save(opts.runDir, tr);
    return inputError ? { taskRun: tr, inputError: f.message } : { taskRun: tr };
  };

  // §7.1 step 2: a TaskRun created cancelled or pending never gets a pod.
  if (tr.spec.status === 'TaskRunCancelled') return failed({ reason: REASON.cancelled, message: taskRunCancelledMessage(tr.metadata.name!, tr.spec.statusMessage ?? '') });
  if (tr.spec.status === 'TaskRunPending') {
    tr.status = { conditions: [condition('Unknown', 'TaskRunPending', `TaskRun "${tr.metadata.name}" is pending`, k8sTime(new Date()))] };
    save(opts.runDir, tr);
    return { taskRun: tr };
  }
  const resolved = resolveTask(tr, tasks);
  if (!resolved.ok) return failed(resolved.failure, undefined, true);
  if (resolved.spec.sidecars?.length) {
    opts.note?.(`sidecars are not started by tektite run: ${resolved.spec.sidecars.map((sc) => sc.name ?? '(unnamed)').join(', ')}`);
  }
  const stepActions = new Map<string, StepActionSpec>();
  for (const [name, sa] of input.stepActions ?? []) stepActions.set(name, defaultTaskSpec((toV1(sa) as StepAction).spec));
  // spec.retries: a failed or timed-out attempt runs again in a new "pod"; the failed attempts'
  // statuses go to status.retriesStatus (§7.2 ToBeRetried).
  const retries: TaskRunStatus[] = [];
  for (let attempt = 0; ; attempt++) {
    const outcome = await runAttempt(input, opts, tr, resolved, stepActions, attempt, start, failed);
    const c = outcome.taskRun.status?.conditions?.[0];
    const retryable = c?.status === 'False' && (c.reason === REASON.stepFailed || c.reason === REASON.timeout) && !opts.cancel?.aborted;
    if (!retryable || attempt >= (tr.spec.retries ?? 0)) {
      if (retries.length) {
        outcome.taskRun.status = { ...outcome.taskRun.status, retriesStatus: retries };
        save(opts.runDir, outcome.taskRun);
      }
      return outcome;
    }
    retries.push(outcome.taskRun.status!);
    opts.note?.(`tektite: ${c.reason}: ${c.message} — retry ${attempt + 1} of ${tr.spec.retries}`);
  }
}

async function runAttempt(
  input: RunInput,
  opts: RunOptions,
  tr: TaskRun,
  resolved: { name: string; spec: TaskSpec; inline: boolean },
  stepActions: ReadonlyMap<string, StepActionSpec>,
  attempt: number,
  start: Date,
  failed: (f: PlanFailure, spec?: TaskSpec, inputError?: boolean) => RunOutcome,
): Promise<RunOutcome> {
  const planned = planTaskRun(tr, resolved, stepActions, attempt);
  if (!planned.ok) return failed(planned.failure, planned.spec, planned.failure.reason === REASON.resolutionFailed);
  const plan = planned.plan;

  const steps: Step[] = plan.substituted.steps.map((s) => mergeStepTemplate(plan.substituted.stepTemplate, s));
  // onError may come from a param: checked after substitution, when Tekton builds the pod.
  const badOnError = steps.find((s) => s.onError !== undefined && s.onError !== 'continue' && s.onError !== 'stopAndFail');
  if (badOnError) {
    const why = `task step onError must be either "continue" or "stopAndFail" but it is set to an invalid value "${badOnError.onError}"`;
    const what = tr.spec.taskSpec ? 'Maybe invalid TaskSpec' : `Maybe missing or invalid Task ${tr.metadata.namespace}/${plan.taskName}`;
    return failed({ reason: 'PodCreationFailed', message: `failed to create task run pod "${tr.metadata.name}": ${why}. ${what}` }, plan.substituted);
  }
  const tektonDir = scratchDir();
  try {
    const logDir = join(opts.runDir, 'logs', ...(attempt ? [`retry${attempt}`] : []));
    return await runPlanned(input, opts, tr, plan, steps, tektonDir, logDir, start, failed);
  } finally {
    rmSync(dirname(tektonDir), { recursive: true, force: true });
  }
}

/**
 * Tekton's /tekton bookkeeping (post files, exit codes, step links, scripts, results) lives in a
 * scratch folder on tmpfs where there is one: creating these small files on a disk is most of a
 * step's overhead, and none of them needs to outlive the run (results are in status.yaml).
 */
function scratchDir(): string {
  for (const base of ['/dev/shm', tmpdir()]) {
    try {
      return join(mkdtempSync(join(base, 'tektite-')), 'tekton');
    } catch {
      // not writable here: try the next
    }
  }
  throw new Error('cannot create a scratch folder in /dev/shm or the temp folder');
}

async function runPlanned(input: RunInput, opts: RunOptions, tr: TaskRun, plan: Plan, steps: Step[], tektonDir: string, logDir: string, start: Date, failed: (f: PlanFailure, spec?: TaskSpec, inputError?: boolean) => RunOutcome): Promise<RunOutcome> {
  let mounts: Mount[][];
  try {
    prepareTektonDirs(opts.runDir, tektonDir, logDir, steps);
    const mountsOf = stepMounts(plan, tr, steps, input.objects, opts, tektonDir);
    mounts = steps.map((_, i) => mountsOf(i));
  } catch (e) {
    if (!(e instanceof VolumeError)) throw e;
    opts.note?.(`tektite: ${e.message}`);
    return failed({ reason: REASON.configError, message: CONFIG_ERROR_MESSAGE }, plan.substituted, true);
  }

  const timeoutMs = parseGoDuration(tr.spec.timeout ?? DEFAULT_TIMEOUT) ?? parseGoDuration(DEFAULT_TIMEOUT)!;
  const abort = new AbortController();
  const ctx: StepsContext = {
    runDir: opts.runDir,
    tektonDir,
    logDir,
    spec: plan.substituted,
    steps,
    executor: opts.executor,
    network: opts.network,
    log: opts.log,
    mounts: (i) => mounts[i]!,
    podName: plan.context.podName,
    namespace: plan.context.namespace,
    podEnv: ((tr.spec.podTemplate?.env as Step['env']) ?? []),
    objects: input.objects,
    signal: abort.signal,
    note: opts.note ?? (() => {}),
    onStepStart: opts.onStepStart,
  };
  const configError = containerConfigError(ctx);
  if (configError) {
    opts.note?.(`tektite: ${configError}`);
    return failed({ reason: REASON.configError, message: CONFIG_ERROR_MESSAGE }, plan.substituted, true);
  }
  const timer = timeoutMs > 0 ? setTimeout(() => abort.abort(REASON.timeout), timeoutMs) : undefined;
  const onCancel = () => abort.abort(REASON.cancelled);
  if (opts.cancel?.aborted) onCancel();
  opts.cancel?.addEventListener('abort', onCancel, { once: true });
  let records: StepRecord[];
  try {
    records = await runSteps(ctx);
  } finally {
    if (timer) clearTimeout(timer);
    opts.cancel?.removeEventListener('abort', onCancel);
  }

  const done = k8sTime(new Date());
  const { results, stepResults } = collectResults(plan.substituted, steps, records);
  for (const warning of podMessageWarnings(plan.substituted, steps, records)) opts.note?.(warning);
  tr.status = {
    conditions: [finalCondition(tr, records, abort.signal.aborted ? String(abort.signal.reason) : undefined, formatGoDuration(timeoutMs), done)],
    podName: plan.context.podName,
    startTime: k8sTime(start),
    completionTime: done,
    steps: records.map((r, i) => (stepResults[i]!.length ? { ...r.state, results: stepResults[i] } : r.state)),
    ...(results.length ? { results } : {}),
    taskSpec: plan.substituted,
  };
  if (tr.status.conditions![0]!.status === 'True') {
    const invalid = resultTypeErrors(plan.substituted, results);
    if (invalid) {
      tr.status.conditions = [condition('False', REASON.validationFailed, invalid.message, done)];
      tr.status.results = results.filter((r) => !invalid.dropped.has(r.name));
      if (!tr.status.results.length) delete tr.status.results;
    }
  }
  save(opts.runDir, tr);
  return { taskRun: tr };
}

function save(runDir: string, tr: TaskRun): void {
  writeFileSync(join(runDir, 'status.yaml'), stringify(tr, { lineWidth: 0 }));
}

/** The mounts each step sees, in image paths (§8.4 plus workspaces, volumes and overlays). */
function stepMounts(plan: Plan, tr: TaskRun, steps: Step[], objects: KubeObjects, opts: RunOptions, tektonDir: string): (i: number) => Mount[] {
  const t = (p: string) => (p === 'home' ? join(opts.runDir, 'tekton', 'home') : join(tektonDir, p));
  const annotations = tr.metadata.annotations ?? {};
  // Beside the scratch /tekton (removed after the attempt), not inside it: steps do not see it there.
  const secretDir = join(dirname(tektonDir), 'secrets');
  const wsSources = new Map<string, VolumeSource>();
  for (const [name, w] of plan.workspaces) {
    if (!w.binding) continue;
    wsSources.set(name, allocateBinding(w.binding, annotations[LOCAL_DIR_ANNOTATION + w.binding.name], opts.runDir, opts.pvcRoot, objects, secretDir));
  }
  const volumes = new Map<string, VolumeSource | undefined>();
  const podVolumes = (tr.spec.podTemplate?.volumes ?? []) as TaskSpec['volumes'] & object;
  for (const v of [...(plan.substituted.volumes ?? []), ...podVolumes]) volumes.set(v.name, allocateVolume(v, opts.runDir, objects, secretDir));
  const isolated = new Set(steps.flatMap((s) => (s.workspaces ?? []).map((w) => w.name)));
  const declByName = new Map((plan.substituted.workspaces ?? []).map((d) => [d.name, d]));

  return (i) => {
    const step = steps[i]!;
    const own = new Set((step.volumeMounts ?? []).map((m) => m.mountPath));
    const mounts: Mount[] = [
      // One read-only /tekton covers steps/, scripts/ and the other steps' run/<i> (fewer mounts per step).
      { imagePath: '/tekton', hostPath: tektonDir, readOnly: true },
      { imagePath: '/tekton/results', hostPath: t('results'), readOnly: false },
      { imagePath: `/tekton/run/${i}`, hostPath: t(`run/${i}`), readOnly: false },
      { imagePath: '/tekton/creds', hostPath: t('creds'), readOnly: false },
    ];
    if (!own.has('/tekton/home')) mounts.push({ imagePath: '/tekton/home', hostPath: t('home'), readOnly: false });
    if (!own.has('/workspace')) mounts.push({ imagePath: '/workspace', hostPath: join(opts.runDir, 'workspace'), readOnly: false });
    for (const [name, src] of wsSources) {
      const decl = declByName.get(name)!;
      let path = workspaceMountPath(decl);
      if (isolated.has(name)) {
        const use = step.workspaces?.find((w) => w.name === name);
        if (!use) continue;
        if (use.mountPath) path = use.mountPath;
      }
      mounts.push({ imagePath: path, hostPath: src.hostPath, readOnly: src.readOnly || decl.readOnly === true });
    }
    for (const m of step.volumeMounts ?? []) {
      const src = volumes.get(m.name);
      if (!src) throw new VolumeError(`step "${step.name ?? i}" mounts volume "${m.name}", which is not an emptyDir, configMap or secret volume of the Task`);
      const readOnly = src.readOnly || m.readOnly === true;
      if (!m.subPath) mounts.push({ imagePath: m.mountPath, hostPath: src.hostPath, readOnly });
      else mounts.push({ imagePath: m.mountPath, hostPath: subPathIn(src.hostPath, m.subPath, `step "${step.name ?? i}" volumeMount "${m.name}"`), readOnly, subPath: { root: src.hostPath, path: m.subPath } });
    }
    for (const [path, file] of Object.entries(opts.overlays ?? {})) mounts.push({ imagePath: path, hostPath: file, readOnly: true });
    return mounts;
  };
}

function finalCondition(tr: TaskRun, records: StepRecord[], stopped: string | undefined, duration: string, at: string) {
  if (stopped === REASON.timeout) return condition('False', REASON.timeout, taskRunTimeoutMessage(tr.metadata.name!, duration), at);
  if (stopped === REASON.cancelled) return condition('False', REASON.cancelled, taskRunCancelledMessage(tr.metadata.name!, tr.spec.statusMessage ?? ''), at);
  for (const r of records) {
    if (r.timedOut) return condition('False', REASON.stepFailed, stepTimeoutMessage(r.state.container), at);
    if (r.containerExit !== 0) return condition('False', REASON.stepFailed, stepExitedMessage(r.state.container, r.containerExit), at);
  }
  return successCondition(at);
}

/**
 * Kubernetes caps the termination messages of a whole pod at 12 KiB, shared evenly by its
 * containers (init containers included, §5.3, tektoncd/pipeline#4808): a message that fits
 * Tekton's 4096 bytes can still be cut on a cluster. tektite runs it, and says so.
 */
function podMessageWarnings(spec: TaskSpec, steps: Step[], records: StepRecord[]): string[] {
  const init = 1 + (steps.some((s) => s.script !== undefined) ? 1 : 0) + (steps.some((s) => s.workingDir && (!s.workingDir.startsWith('/') || s.workingDir.startsWith('/workspace/'))) ? 1 : 0);
  const containers = init + steps.length + (spec.sidecars?.length ?? 0);
  const share = Math.floor(POD_TERMINATION_MESSAGES / containers);
  if (share >= MAX_TERMINATION_MESSAGE) return [];
  return records
    .map((r) => ({ r, size: Buffer.byteLength(encodeTerminationMessage(r.message)) }))
    .filter(({ r, size }) => r.message.length > 0 && size > share)
    .map(({ r, size }) => `tektite: on a cluster the termination message of "${r.state.container}" (${size} bytes) would be cut to ${share} bytes: Kubernetes shares 12 KiB among the pod's ${containers} containers (${init} init)`);
}

const POD_TERMINATION_MESSAGES = 12 * 1024;

/** status.results (one per name, latest step wins, first-seen order) and each step's StepResults. */
function collectResults(spec: TaskSpec, steps: Step[], records: StepRecord[]): { results: RunResult[]; stepResults: RunResult[][] } {
  const declared = new Map((spec.results ?? []).map((r) => [r.name, r.type ?? 'string']));
  const typed = (name: string, raw: string, type: string): RunResult =>
    type === 'string' ? { name, type: 'string', value: raw } : { name, ...decodeResultText(raw) };
  const all: RunResult[] = [];
  const stepResults = records.map((rec, i) => {
    const types = new Map((steps[i]!.results ?? []).map((r) => [r.name, r.type ?? 'string']));
    for (const e of rec.message) if (e.type === 1) all.push(typed(e.key, e.value, declared.get(e.key) ?? ''));
    const own = rec.message.filter((e) => e.type === 4).map((e) => typed(e.key, e.value, types.get(e.key) ?? ''));
    // A task result declared as `value: $(steps.<s>.results.<r>)` takes that step result.
    for (const r of spec.results ?? []) {
      const m = typeof r.value === 'string' ? /^\$\(steps\.([^.]+)\.results\.([^.)]+)\)$/.exec(r.value) : null;
      if (!m || stepContainerName(steps[i]!, i) !== `step-${m[1]}`) continue;
      const sr = own.find((x) => x.name === m[2]);
      if (sr) all.push({ ...sr, name: r.name });
    }
    return own;
  });
  const latest = new Map<string, RunResult>();
  const order: string[] = [];
  for (const r of all) {
    if (!latest.has(r.name)) order.push(r.name);
    latest.set(r.name, r);
  }
  return { results: order.map((n) => latest.get(n)!), stepResults };
}

/** §5.2: declared type vs what the file held; object results missing declared keys. */
function resultTypeErrors(spec: TaskSpec, results: RunResult[]): { message: string; dropped: Set<string> } | undefined {
  const dropped = new Set<string>();
  const parts: string[] = [];
  const missing = new Map<string, string[]>();
  for (const r of results) {
    const decl = spec.results?.find((d) => d.name === r.name);
    if (!decl) continue;
    const want = decl.type ?? 'string';
    if (r.type !== want) {
      dropped.add(r.name);
      parts.push(` "${r.name}": task result is expected to be "${want}" type but was initialized to a different type "${r.type}"`);
    } else if (want === 'object' && decl.properties) {
      const lacking = Object.keys(decl.properties).filter((k) => !(k in (r.value as Record<string, string>))).sort();
      if (lacking.length) missing.set(r.name, lacking);
    }
  }
  if (parts.length) {
    return { dropped, message: userError(`Provided results don't match declared results; may be invalid JSON or missing result declaration: ${parts.join(',')}`) };
  }
  if (missing.size) return { dropped, message: userError(`missing keys for these results which are required in TaskResult's properties ${goMapOfLists(missing)}`) };
  return undefined;
}
