// `tektite run`: runs a Task (with tkn-style -p/-w flags) or the TaskRuns of the given files on
// this machine, prints live `[step]` logs, a summary and the results, keeps a run folder.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { formatDiagnostic } from '../tekton/diagnostics.js';
import { InputError, loadPaths } from '../tekton/files.js';
import type { LoadedDoc } from '../tekton/load.js';
import { parseGoDuration } from '../runner/duration.js';
import { hostExecutor, sandboxAvailable, sandboxExecutor, type Executor } from '../runner/executor.js';
import { LOCAL_DIR_ANNOTATION, normaliseTaskRun, runTaskRun, type KubeObjects } from '../runner/index.js';
import { buildTaskRun, FlagError, kubeObjectsOf, parseParamFlag, parseWorkspaceFlag } from '../runner/taskrun-from-flags.js';
import { printSummary } from '../runner/summary.js';
import type { ParamSpec, TaskRun, TaskSpec } from '../tekton/types.js';
import { parseCommand } from './args.js';
import { EXIT, fail } from './exit.js';

const USAGE = `Usage: tektite run <task.yaml | taskrun.yaml | folder>... [options]

Runs a Task, or every TaskRun in the given files, on this machine with Tekton's semantics.

Options:
  -p, --param name=value     param value; arrays as a,b,c; objects as "k1:v1, k2:v2"
  -w, --workspace name=SRC   SRC: ./dir (a folder of yours), emptyDir, configMap:file.yaml, secret:file.yaml
      --use-param-defaults   use declared defaults for params not given with -p (always the case here)
      --timeout DURATION     TaskRun timeout (Go duration, e.g. 10m, 1h30m; 0 = none; default 1h)
  -f, --filename PATH        more files or folders holding referenced Tasks, StepActions, ConfigMaps and
                             Secrets (repeatable)
  -o, --output yaml|json     print the final TaskRun (Tekton's status shape) to stdout
      --executor host|sandbox  where steps run (default: sandbox when bubblewrap works here, else host)
      --network              let sandboxed steps use the network (default: none)
  -h, --help                 this help

Exit codes: 0 Succeeded, 1 the TaskRun failed, 2 invalid input. Each run keeps its folder
(workspaces, logs, status.yaml) under .tektite/runs/. More: docs/run.md.
`;

/**
 * A referenced Task or StepAction generated from a tektite plugin runs from its TypeScript source
 * (see team-contracts): its bundle and node are overlaid where the image would have them.
 */
async function pluginOverlays(tr: TaskRun, tasks: ReadonlyMap<string, LoadedDoc>, stepActions: ReadonlyMap<string, LoadedDoc>, runDir: string): Promise<Record<string, string>> {
  const task = tr.spec.taskRef?.name ? tasks.get(tr.spec.taskRef.name) : undefined;
  const steps = ((task?.value as { spec?: TaskSpec } | undefined)?.spec ?? tr.spec.taskSpec)?.steps ?? [];
  const docs = [task, ...steps.map((s) => (s.ref?.name ? stepActions.get(s.ref.name) : undefined))];
  const annotated = docs.filter((d): d is LoadedDoc => Boolean((d?.value as { metadata?: { annotations?: Record<string, string> } } | undefined)?.metadata?.annotations?.['tektite.dev/source']));
  if (annotated.length === 0) return {};
  const { sourceOverlays } = await import('../build/plugin-source.js');
  const overlays: Record<string, string> = {};
  for (const d of new Set(annotated)) Object.assign(overlays, await sourceOverlays(d.file, d.value, runDir));
  return overlays;
}

export default async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(
    argv,
    {
      param: { type: 'string', short: 'p', multiple: true },
      workspace: { type: 'string', short: 'w', multiple: true },
      'use-param-defaults': { type: 'boolean' },
      timeout: { type: 'string' },
      filename: { type: 'string', short: 'f', multiple: true },
      output: { type: 'string', short: 'o' },
      executor: { type: 'string' },
      network: { type: 'boolean' },
    },
    USAGE,
  );
  if (typeof parsed === 'number') return parsed;
  const o = parsed.values;
  if (parsed.positionals.length === 0) return fail(`give a Task or TaskRun file\n\n${USAGE}`);
  if (o.output !== undefined && o.output !== 'yaml' && o.output !== 'json') return fail(`-o must be yaml or json, not "${o.output}"`);
  if (o.timeout !== undefined && (parseGoDuration(o.timeout) ?? -1) < 0) return fail(`--timeout "${o.timeout}" is not a duration like 10m or 1h30m`);

  let executor: Executor;
  if (o.executor === 'host') executor = hostExecutor;
  else if (o.executor === 'sandbox') {
    if (!sandboxAvailable()) return fail('--executor sandbox: bubblewrap (bwrap) cannot create a sandbox on this machine; install bubblewrap or use --executor host');
    executor = sandboxExecutor;
  } else if (o.executor === undefined) executor = sandboxAvailable() ? sandboxExecutor : hostExecutor;
  else return fail(`--executor must be host or sandbox, not "${o.executor}"`);

  let main, extra;
  try {
    main = loadPaths(parsed.positionals);
    extra = loadPaths(o.filename ?? []);
  } catch (e) {
    if (e instanceof InputError) return fail(e.message);
    throw e;
  }
  const errors = [...main.diagnostics, ...extra.diagnostics].filter((d) => d.severity === 'error');
  if (errors.length) return fail(errors.map(formatDiagnostic).join('\n'));
  // (a TriggerTemplate's resources are not run: Triggers fills in their $(tt.params) first)
  const templates = main.tekton.some((d) => d.template);
  for (const r of [main, extra]) {
    r.docs = r.docs.filter((d) => !d.template);
    r.tekton = r.tekton.filter((d) => !d.template);
  }

  // Tekton's webhook would refuse invalid documents before anything runs: so does tektite.
  const { validateDocs } = await import('../tekton/validate/index.js');
  const checked = [...main.tekton, ...extra.tekton].filter((d) => d.kind === 'Task' || d.kind === 'TaskRun' || d.kind === 'StepAction');
  const found = validateDocs(checked);
  const invalid = found.filter((d) => d.severity === 'error');
  if (invalid.length) return fail(`invalid input (Tekton's admission webhook would refuse it):\n${invalid.map(formatDiagnostic).join('\n')}`);
  // The run uses kubectl's reading of these scalars (as a cluster would): say so, since it is
  // rarely what the author meant.
  for (const d of found.filter((x) => x.rule === 'yaml11-scalar' || x.rule === 'duplicate-key')) process.stderr.write(`${formatDiagnostic(d)}\n`);

  const all = [...main.docs, ...extra.docs];
  const tasks = new Map<string, LoadedDoc>();
  const stepActions = new Map<string, LoadedDoc>();
  for (const d of all) {
    const byKind = d.kind === 'Task' ? tasks : d.kind === 'StepAction' ? stepActions : undefined;
    if (byKind && d.name && !byKind.has(d.name)) byKind.set(d.name, d);
  }
  const objects: KubeObjects = kubeObjectsOf(all);

  const taskRuns: unknown[] = main.tekton.filter((d) => d.kind === 'TaskRun').map((d) => d.value);
  const flagsGiven = (o.param?.length ?? 0) + (o.workspace?.length ?? 0) > 0;
  if (taskRuns.length) {
    if (flagsGiven) return fail('-p and -w set the params and workspaces of a Task; for a TaskRun file, edit its spec');
    // Only -w binds a folder of the host: a TaskRun file must not do it through tektite's own annotation.
    for (const d of main.tekton.filter((x) => x.kind === 'TaskRun')) {
      const annotations = (d.value as { metadata?: { annotations?: Record<string, unknown> } }).metadata?.annotations ?? {};
      const key = Object.keys(annotations).find((k) => k.startsWith(LOCAL_DIR_ANNOTATION));
      const at = key === undefined ? undefined : d.keyPos(['metadata', 'annotations', key]);
      if (at) return fail(`${d.file}:${at.line}:${at.col}: TaskRun ${d.name}: the annotation ${key} is tektite's own (set by -w name=./dir); a TaskRun file cannot bind a host folder`);
    }
  } else {
    const mainTasks = main.tekton.filter((d) => d.kind === 'Task');
    if (mainTasks.length !== 1) {
      return fail(mainTasks.length ? `${mainTasks.length} Tasks in the given files (${mainTasks.map((t) => t.name).join(', ')}); run one Task file or a TaskRun`
        : `no Task or TaskRun in the given files${templates ? " (a TriggerTemplate's resources are not run: Triggers fills in their $(tt.params) first)" : ''}`);
    }
    const task = mainTasks[0]!;
    const specs = (((task.value as { spec?: { params?: ParamSpec[] } }).spec?.params) ?? []);
    try {
      const params = (o.param ?? []).map((p) => parseParamFlag(p, specs));
      const ws = (o.workspace ?? []).map((w) => parseWorkspaceFlag(w));
      taskRuns.push(buildTaskRun(task.name, params, ws, objects, o.timeout));
    } catch (e) {
      if (e instanceof FlagError) return fail(e.message);
      throw e;
    }
  }

  const out = o.output ? process.stderr : process.stdout;
  const colour = Boolean(out.isTTY) && !process.env.NO_COLOR;
  // A closed console (`tektite run … | head`) must not stop the run half-way or leave steps running.
  out.on('error', () => {});
  const printed: TaskRun[] = [];
  // Ctrl-C cancels like `tkn taskrun cancel`: the running step's process group is killed.
  const cancel = new AbortController();
  const onSignal = () => cancel.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let code: number = EXIT.ok;
  for (const raw of taskRuns) {
    const tr = normaliseTaskRun(raw);
    if (o.timeout !== undefined) tr.spec.timeout = o.timeout;
    const runDir = resolve('.tektite', 'runs', `${tr.metadata.name}-${randomBytes(3).toString('hex')}`);
    mkdirSync(runDir, { recursive: true });
    let overlays: Record<string, string>;
    try {
      overlays = await pluginOverlays(tr, tasks, stepActions, runDir);
    } catch (e) {
      return fail((e as Error).message);
    }
    out.write(`TaskRun ${tr.metadata.name} · executor ${executor.name}${o.network ? ' (network)' : ''} · run folder ${relative(process.cwd(), runDir)}\n`);
    const started: number[] = [];
    const t0 = Date.now();
    const outcome = await runTaskRun(
      { taskRun: tr, tasks: new Map([...tasks].map(([n, d]) => [n, d.value])), stepActions: new Map([...stepActions].map(([n, d]) => [n, d.value])), objects },
      {
        executor,
        network: Boolean(o.network),
        runDir,
        pvcRoot: resolve('.tektite', 'pvc'),
        overlays,
        log: { console: out, colour },
        note: (text) => out.write(`${colour ? '\x1b[33m' : ''}${text}${colour ? '\x1b[0m' : ''}\n`),
        cancel: cancel.signal,
        onStepStart: (i, name, image) => {
          started[i] = Date.now();
          out.write(`${colour ? '\x1b[1m' : ''}── step ${name}${colour ? '\x1b[0m' : ''} (image ${image || 'none'}, not pulled: host tools)\n`);
        },
      },
    );
    printSummary(out, outcome.taskRun, started, Date.now() - t0, colour, relative(process.cwd(), runDir) || '.');
    printed.push(outcome.taskRun);
    const cond = outcome.taskRun.status?.conditions?.[0];
    if (outcome.inputError) code = Math.max(code, EXIT.usage);
    else if (cond?.status !== 'True') code = Math.max(code, EXIT.failed);
    if (cancel.signal.aborted) break;
  }
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (o.output) {
    const docs = printed.map((t) => (o.output === 'json' ? JSON.stringify(t, null, 2) : stringify(t, { lineWidth: 0 })));
    process.stdout.write(o.output === 'json' ? `${docs.join('\n')}\n` : docs.join('---\n'));
  }
  return code;
}

