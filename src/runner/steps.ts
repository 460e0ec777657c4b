// The entrypoint contract, step after step (§4, §8.3): wait for the previous step, substitute step
// results, evaluate `when`, write the script, run in its own process group with timeout, write
// post files and exitCode, read results into the termination message with its 4096-byte budget.
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { once } from 'node:events';
import { entrypointTime, k8sTime, podTerminatedMessage } from '../tekton/status.js';
import { emptyReplacements, replaceList, replaceString, stepContainerName, type Replacements } from '../tekton/substitute.js';
import type { EnvVar, Step, StepState, TaskSpec } from '../tekton/types.js';
import { parseGoDuration } from './duration.js';
import { SANDBOX_PATH, type Executor, type Mount } from './executor.js';
import { imageTools } from './images.js';
import { expandKube } from './kube-expand.js';
import type { LogTarget } from './logs.js';
import { runProcess, type ProcessOutcome } from './process.js';
import { budgetExplanation, decodeResultText, encodeTerminationMessage, MAX_TERMINATION_MESSAGE, readResultFiles, type RunResultEntry } from './results.js';
import { shellStandIn } from './shell.js';
import { subPathIn, VolumeError, type KubeObjects } from './volumes.js';

export interface StepsContext {
  runDir: string;
  /** Host folder behind Tekton's /tekton (run, steps, scripts, results, creds): see scratchDir. */
  tektonDir: string;
  /** Where the steps' log files go (`logs/`, `logs/retry<N>/` for retries). */
  logDir: string;
  /** Substituted spec (status.taskSpec) — result declarations come from here. */
  spec: TaskSpec;
  /** Substituted steps with stepTemplate merged: what runs. */
  steps: Step[];
  executor: Executor;
  network: boolean;
  log: LogTarget;
  /** Mounts of step `i` in image paths (implicit Tekton paths, workspaces, volumes, overlays). */
  mounts: (i: number) => Mount[];
  podName: string;
  namespace: string;
  podEnv: EnvVar[];
  objects: KubeObjects;
  /** Aborted on TaskRun timeout or cancel; its reason is `TaskRunTimeout` or `TaskRunCancelled`. */
  signal: AbortSignal;
  /** Printed lines that are tektite's, not the step's (budget explanations, image notes). */
  note: (text: string) => void;
  onStepStart?: (index: number, name: string, image: string) => void;
}

export interface StepRecord {
  state: StepState;
  /** The entries of the step's termination message that reached the controller. */
  message: RunResultEntry[];
  /** Container exit code as Kubernetes sees it (0 for onError continue). */
  containerExit: number;
  timedOut: boolean;
  /** The step wrote `out.err`: later steps are skipped. */
  failedPost: boolean;
}

const stepStatusName = (s: Step, i: number) => s.name || `unnamed-${i}`;

/**
 * Creates Tekton's /tekton folders in `tektonDir` (results, steps, run/<i>, scripts, creds), the
 * run folder's /tekton/home, /workspace, rootfs/ and logs/.
 */
export function prepareTektonDirs(runDir: string, tektonDir: string, logDir: string, steps: readonly Step[]): void {
  const t = tektonDir;
  // `home` here is only the mount point of the run folder's tekton/home.
  for (const d of ['results', 'steps', 'scripts', 'creds', 'run', 'home']) mkdirSync(join(t, d), { recursive: true });
  mkdirSync(join(runDir, 'tekton', 'home'), { recursive: true });
  mkdirSync(join(runDir, 'workspace'), { recursive: true });
  mkdirSync(join(runDir, 'rootfs'), { recursive: true });
  mkdirSync(logDir, { recursive: true });
  steps.forEach((s, i) => {
    // One mkdir each (no recursive probing): file-system metadata is most of a step's overhead.
    const status = join(t, 'run', String(i), 'status');
    mkdirSync(join(t, 'run', String(i)));
    mkdirSync(status);
    mkdirSync(join(status, 'results'));
    mkdirSync(join(status, 'artifacts'));
    // Relative links resolve both on the host and at /tekton/steps inside the sandbox.
    symlinkSync(`../run/${i}/status`, join(t, 'steps', stepContainerName(s, i)));
    symlinkSync(`../run/${i}/status`, join(t, 'steps', String(i)));
  });
}

/**
 * What Kubernetes checks before it starts any container of the pod: every Secret/ConfigMap key
 * that env and envFrom name must exist. Returns what is missing, or undefined.
 */
export function containerConfigError(ctx: StepsContext): string | undefined {
  for (const step of ctx.steps) {
    try {
      stepEnv(ctx, step, emptyReplacements());
    } catch (e) {
      return `step "${step.name ?? ''}": ${(e as Error).message}`;
    }
  }
  return undefined;
}

export async function runSteps(ctx: StepsContext): Promise<StepRecord[]> {
  const records: StepRecord[] = [];
  let previousFailed = false;
  for (let i = 0; i < ctx.steps.length; i++) {
    const step = ctx.steps[i]!;
    const container = stepContainerName(step, i);
    const base: StepState = { name: stepStatusName(step, i), container, imageID: step.image ?? '' };
    const runDirOf = join(ctx.tektonDir, 'run', String(i));
    if (ctx.signal.aborted) {
      records.push(terminatedByPod(base, ctx.podName, String(ctx.signal.reason)));
      continue;
    }
    const started = new Date();
    if (previousFailed) {
      writeFileSync(join(runDirOf, 'out.err'), '');
      records.push(finish(base, started, 1, 'Error', 'Skipped', [startedAt(started), internal('Reason', 'Skipped')], 1));
      continue;
    }
    ctx.onStepStart?.(i, base.name, step.image ?? '');
    const rec = await runOne(ctx, step, i, base, started);
    records.push(rec);
    if (rec.failedPost) previousFailed = true;
  }
  return records;
}

async function runOne(ctx: StepsContext, step: Step, i: number, base: StepState, started: Date): Promise<StepRecord> {
  const runDirOf = join(ctx.tektonDir, 'run', String(i));
  const statusDir = join(runDirOf, 'status');
  const entries: RunResultEntry[] = [startedAt(started)];
  const logFile = createWriteStream(join(ctx.logDir, `${base.container}.log`));
  const say = (line: string) => {
    logFile.write(`${line}\n`);
    ctx.log.console?.write(`[${base.name}] ${line}\n`);
  };
  const done = async (rec: StepRecord) => {
    logFile.end();
    await once(logFile, 'close');
    return rec;
  };

  // §8.3 step 4: step results of earlier steps, in env values, argv and `when`.
  let stepRefs: Replacements;
  try {
    stepRefs = stepResultReplacements(ctx, step);
  } catch (e) {
    say(`Error while substituting step results: ${(e as Error).message}`);
    writeFileSync(join(runDirOf, 'out.err'), '');
    return done(finish(base, started, 1, 'Error', 'Error', entries, 1));
  }
  const argvIn = replaceList([...(step.command ?? []), ...(step.script === undefined ? (step.args ?? []) : [])], stepRefs);
  const scriptArgs = step.script === undefined ? [] : replaceList(step.args ?? [], stepRefs);
  const commandLen = step.script === undefined ? replaceList(step.command ?? [], stepRefs).length : 0;

  // §8.3 step 6: when expressions.
  const whenResult = evaluateWhen(step, stepRefs);
  if (whenResult === 'cel') {
    say('tektite: CEL in when expressions needs the alpha flag enable-cel-in-whenexpression and is not supported');
    writeFileSync(join(runDirOf, 'out.err'), '');
    return done(finish(base, started, 1, 'Error', 'Error', entries, 1));
  }
  if (!whenResult) {
    writeFileSync(join(runDirOf, 'out'), '');
    writeFileSync(join(statusDir, 'exitCode'), '0');
    return done(finish(base, started, 0, 'Completed', 'Skipped', [...entries, internal('Reason', 'Skipped')], 0));
  }

  const tools = imageTools(step.image ?? '');
  let mounts: Mount[];
  try {
    // An earlier step may have put a symbolic link where a subPath points.
    mounts = ctx.mounts(i).map((m) => (m.subPath ? { ...m, hostPath: subPathIn(m.subPath.root, m.subPath.path, `volumeMount ${m.imagePath}`) } : m));
  } catch (e) {
    if (!(e instanceof VolumeError)) throw e;
    say(`Error: failed to prepare subPath: ${e.message}`);
    writeFileSync(join(runDirOf, 'out.err'), '');
    return done(finish(base, started, 1, 'Error', 'Error', entries, 1));
  }
  for (const [path, file] of Object.entries(tools.overlays)) if (!mounts.some((m) => m.imagePath === path)) mounts.push({ imagePath: path, hostPath: file, readOnly: true });
  const sh = shellStandIn(tools.shell, dirname(ctx.tektonDir));
  if (sh && !mounts.some((m) => m.imagePath === '/bin/sh')) mounts.push({ imagePath: '/bin/sh', hostPath: sh, readOnly: true });

  const wd = step.workingDir ? posix.normalize(step.workingDir.startsWith('/') ? step.workingDir : `/workspace/${step.workingDir}`).replace(/(.)\/$/, '$1') : undefined;
  const workingDir = wd === '/' ? undefined : wd;
  if (ctx.executor.name === 'host' && workingDir && !mounts.some((m) => workingDir === m.imagePath || workingDir.startsWith(`${m.imagePath}/`))) {
    // The image's file system is not the host's: the directory is made under the run folder's rootfs/.
    mounts.push({ imagePath: workingDir, hostPath: join(ctx.runDir, 'rootfs', workingDir), readOnly: false });
  }

  let argv: string[];
  if (step.script !== undefined) {
    const name = `script-${i}-${randomBytes(4).toString('hex').slice(0, 5)}`;
    const file = `/tekton/scripts/${name}`;
    const text = step.script.trim().startsWith('#!') ? step.script : `#!/bin/sh\nset -e\n${step.script}`;
    writeFileSync(join(ctx.tektonDir, 'scripts', name), ctx.executor.scriptText(text, mounts), { mode: 0o755 });
    argv = [file, ...scriptArgs];
  } else if (commandLen > 0) {
    argv = argvIn;
  } else if (argvIn.length > 0 && tools.cmd) {
    argv = argvIn[0]!.startsWith('-') ? [...tools.cmd, ...argvIn] : argvIn;
  } else if (tools.cmd) {
    argv = tools.cmd;
  } else {
    say(`Error executing command: tektite does not pull images, so it cannot know the entrypoint of "${step.image}"; give the step a command or script`);
    writeFileSync(join(runDirOf, 'out.err'), '');
    return done(finish(base, started, 1, 'Error', 'Error', entries, 1));
  }

  // Missing Secrets/ConfigMaps were refused before any step ran (containerConfigError).
  const { env, declared } = stepEnv(ctx, step, stepRefs);
  // The kubelet expands $(VAR) in the container's args (a script file's path has none).
  const expand = (a: string) => expandKube(a, (n) => declared[n]);
  argv = step.script === undefined ? argv.map(expand) : [argv[0]!, ...argv.slice(1).map(expand)];

  const cmd = ctx.executor.prepare({
    argv,
    env,
    workingDir,
    mounts,
    network: ctx.network,
    hostname: ctx.podName,
    hostRoot: join(ctx.runDir, 'rootfs'),
  });

  const timeoutMs = step.timeout ? parseGoDuration(step.timeout) ?? 0 : 0;
  const outcome: ProcessOutcome = await runProcess({
    argv: cmd.argv,
    env: cmd.env,
    cwd: cmd.cwd,
    stepName: base.name,
    stepIndex: i,
    logFile,
    log: ctx.log,
    timeoutMs,
    signal: ctx.signal,
  });

  if (outcome.kind === 'aborted') {
    writeFileSync(join(runDirOf, 'out.err'), '');
    await done({ state: base, message: [], containerExit: 1, timedOut: false, failedPost: true });
    return terminatedByPod(base, ctx.podName, String(ctx.signal.reason), started);
  }
  let exit: number;
  let reason = 'Completed';
  let terminationReason: string;
  let containerExit: number;
  if (outcome.kind === 'timeout') {
    writeFileSync(join(runDirOf, 'out.err'), '');
    entries.push(internal('Reason', 'TimeoutExceeded'));
    exit = containerExit = 1;
    reason = 'Error';
    terminationReason = 'TimeoutExceeded';
  } else if (outcome.kind === 'startFailed') {
    say(`Error executing command: ${outcome.error}`);
    writeFileSync(join(runDirOf, 'out.err'), '');
    exit = containerExit = 1;
    reason = terminationReason = 'Error';
  } else if (outcome.code === 0) {
    writeFileSync(join(runDirOf, 'out'), '');
    writeFileSync(join(statusDir, 'exitCode'), '0');
    exit = containerExit = 0;
    terminationReason = 'Completed';
  } else if (step.onError === 'continue') {
    writeFileSync(join(runDirOf, 'out'), '');
    writeFileSync(join(statusDir, 'exitCode'), String(outcome.code));
    entries.push(internal('ExitCode', String(outcome.code)));
    exit = outcome.code;
    containerExit = 0;
    terminationReason = 'Continued';
  } else {
    writeFileSync(join(runDirOf, 'out.err'), '');
    exit = containerExit = outcome.code;
    reason = terminationReason = 'Error';
  }

  // §8.3 step 9: every declared task result that exists, plus this step's own step results.
  const taskResults = (ctx.spec.results ?? []).filter((r) => r.value === undefined).map((r) => r.name);
  entries.push(...readResultFiles(join(ctx.tektonDir, 'results'), taskResults, 1));
  entries.push(...readResultFiles(join(statusDir, 'results'), (step.results ?? []).map((r) => r.name), 4));
  let message = entries;
  let budgetOnly = false;
  if (Buffer.byteLength(encodeTerminationMessage(entries)) > MAX_TERMINATION_MESSAGE) {
    say(`Termination message is above max allowed size ${MAX_TERMINATION_MESSAGE}, caused by large task result.`);
    const text = budgetExplanation(base.container, entries);
    logFile.write(`${text}\n`);
    ctx.note(text);
    message = [];
    if (containerExit === 0) {
      budgetOnly = true;
      containerExit = 1;
      exit = 1;
      reason = 'Error';
      terminationReason = 'Error';
    }
  }
  return done(finish(base, started, exit, reason, terminationReason, message, containerExit, budgetOnly));
}

function finish(base: StepState, started: Date, exitCode: number, reason: string, terminationReason: string, written: RunResultEntry[], containerExit: number, budgetOnly = false): StepRecord {
  const message = parsedMessage(written);
  const visible = message.filter((e) => e.type !== 3);
  const state: StepState = {
    ...base,
    terminated: {
      exitCode,
      reason,
      ...(visible.length ? { message: encodeTerminationMessage(visible) } : {}),
      startedAt: k8sTime(started),
      finishedAt: k8sTime(new Date()),
    },
    terminationReason,
  };
  return { state, message, containerExit, timedOut: terminationReason === 'TimeoutExceeded', failedPost: containerExit !== 0 && !budgetOnly };
}

/** What the controller reads back from a termination message: one entry per key (the last), sorted by key. */
function parsedMessage(entries: readonly RunResultEntry[]): RunResultEntry[] {
  const byKey = new Map<string, RunResultEntry>();
  for (const e of entries) byKey.set(e.key, e);
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A step the TaskRun timeout or a cancel cut short (running or not yet started), as Tekton reports it. */
function terminatedByPod(base: StepState, pod: string, reason: string, started?: Date): StepRecord {
  const now = k8sTime(new Date());
  return {
    state: {
      ...base,
      terminated: { exitCode: 1, reason, message: podTerminatedMessage(base.name, pod), startedAt: started ? k8sTime(started) : now, finishedAt: now },
      terminationReason: reason,
    },
    message: [],
    containerExit: 1,
    timedOut: false,
    failedPost: true,
  };
}

const startedAt = (d: Date): RunResultEntry => internal('StartedAt', entrypointTime(d));
const internal = (key: string, value: string): RunResultEntry => ({ key, value, type: 3 });

/** `$(steps.<s>.results.<r>)` (and `[*]`, `[i]`, `.key`) from the files earlier steps wrote (§4.11). */
function stepResultReplacements(ctx: StepsContext, step: Step): Replacements {
  const r = emptyReplacements();
  const texts = [...(step.command ?? []), ...(step.args ?? []), ...(step.env ?? []).map((e) => e.value ?? ''), ...(step.when ?? []).flatMap((w) => [w.input ?? '', ...(w.values ?? [])])];
  const re = /\$\(steps\.([^.)]+)\.results\.([^.)[\]]+)/g;
  const seen = new Set<string>();
  for (const t of texts) {
    for (const m of t.matchAll(re)) {
      const [s, name] = [m[1]!, m[2]!];
      if (seen.has(`${s}/${name}`)) continue;
      seen.add(`${s}/${name}`);
      const index = ctx.steps.findIndex((st, i) => stepContainerName(st, i) === `step-${s}`);
      const file = join(ctx.tektonDir, 'run', String(index), 'status', 'results', name);
      if (index < 0 || !existsSync(file)) throw new Error(`result "${name}" of step "${s}" was not written`);
      const { value } = decodeResultText(readFileSync(file, 'utf8'));
      const key = `steps.${s}.results.${name}`;
      if (typeof value === 'string') r.strings.set(key, value);
      else if (Array.isArray(value)) {
        r.arrays.set(key, value);
        r.arrays.set(`${key}[*]`, value);
        value.forEach((v, i) => r.strings.set(`${key}[${i}]`, v));
      } else for (const [k, v] of Object.entries(value)) r.strings.set(`${key}.${k}`, v);
    }
  }
  return r;
}

function evaluateWhen(step: Step, refs: Replacements): boolean | 'cel' {
  for (const w of step.when ?? []) {
    if (w.cel !== undefined) return 'cel';
    const input = replaceString(w.input ?? '', refs.strings);
    const values = replaceList(w.values ?? [], refs);
    const has = values.includes(input);
    if (w.operator === 'notin' ? has : !has) return false;
  }
  return true;
}

/**
 * The step's environment: a base the host needs, the step's env (valueFrom resolved), podTemplate
 * env; `declared` holds only the container's own variables (what the kubelet's expansion sees).
 */
function stepEnv(ctx: StepsContext, step: Step, refs: Replacements): { env: Record<string, string>; declared: Record<string, string> } {
  const env: Record<string, string> = {
    PATH: ctx.executor.name === 'sandbox' ? SANDBOX_PATH : (process.env.PATH ?? SANDBOX_PATH),
    HOSTNAME: ctx.podName,
    // Tekton leaves HOME to the image; tektite points it at the run's /tekton/home so that
    // `git config --global` and friends never touch the real user's files.
    HOME: '/tekton/home',
  };
  // The kubelet expands $(VAR) in each value with the container's variables defined before it.
  const defined: Record<string, string> = {};
  for (const from of (step.envFrom ?? []) as EnvFrom[]) Object.assign(defined, envFromSource(ctx, from));
  for (const e of [...(step.env ?? []), ...ctx.podEnv]) {
    const raw = envValue(ctx, e, refs);
    defined[e.name] = e.value === undefined ? raw : expandKube(raw, (n) => defined[n]);
  }
  return { env: { ...env, ...defined }, declared: defined };
}

interface EnvFrom {
  prefix?: string;
  configMapRef?: { name?: string; optional?: boolean };
  secretRef?: { name?: string; optional?: boolean };
}

/** `envFrom`: every key of a ConfigMap or Secret as a variable (with the prefix), before `env`. */
function envFromSource(ctx: StepsContext, from: EnvFrom): Record<string, string> {
  const ref = from.configMapRef ?? from.secretRef;
  const kind = from.configMapRef ? 'configmap' : 'secret';
  const data = (from.configMapRef ? ctx.objects.configMaps : ctx.objects.secrets).get(ref?.name ?? '');
  if (!data) {
    if (ref?.optional) return {};
    throw new Error(`envFrom: ${kind} "${ref?.name ?? ''}" not found (give its YAML with -f)`);
  }
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [`${from.prefix ?? ''}${k}`, v.toString('utf8')]));
}

function envValue(ctx: StepsContext, e: EnvVar, refs: Replacements): string {
  if (e.value !== undefined) return replaceString(e.value, refs.strings);
  const from = e.valueFrom as Record<string, { name?: string; key?: string; optional?: boolean; fieldPath?: string }> | undefined;
  if (!from) return '';
  const pick = (kind: string, store: ReadonlyMap<string, Record<string, Buffer>>, ref: { name?: string; key?: string; optional?: boolean }) => {
    const v = store.get(ref.name ?? '')?.[ref.key ?? ''];
    if (v === undefined) {
      if (ref.optional) return '';
      throw new Error(`env ${e.name}: ${kind} "${ref.name}" key "${ref.key}" not found (give the ${kind}'s YAML with -f)`);
    }
    return v.toString('utf8');
  };
  if (from.secretKeyRef) return pick('secret', ctx.objects.secrets, from.secretKeyRef);
  if (from.configMapKeyRef) return pick('configmap', ctx.objects.configMaps, from.configMapKeyRef);
  if (from.fieldRef) {
    const f = from.fieldRef.fieldPath;
    if (f === 'metadata.name') return ctx.podName;
    if (f === 'metadata.namespace') return ctx.namespace;
  }
  throw new Error(`env ${e.name}: this valueFrom source cannot be resolved locally`);
}

