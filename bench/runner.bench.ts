// tektite run: per-step overhead against running the same commands directly with sh, for 1, 10
// and 100 steps (host and sandbox executors), and peak memory of a step printing 200 MB.
// Prints numbers; never fails on time.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { hostExecutor, sandboxAvailable, sandboxExecutor, type Executor } from '../src/runner/executor.js';
import { runTaskRun } from '../src/runner/index.js';
import { tektiteBin } from '../test/helpers/paths.js';

const REPEATS = 5;
const STEP = 'echo step';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[]) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;

function benchTaskRun(steps: number) {
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'TaskRun',
    metadata: { name: `bench-${steps}` },
    spec: { taskSpec: { steps: Array.from({ length: steps }, (_, i) => ({ name: `s${i}`, image: 'ubuntu', script: STEP })) } },
  };
}

const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

async function timeRunner(executor: Executor, steps: number): Promise<number> {
  const runDir = mkdtempSync(join(tmpdir(), 'tektite-bench-'));
  try {
    const t0 = performance.now();
    const { taskRun } = await runTaskRun(
      { taskRun: benchTaskRun(steps), tasks: new Map(), objects: { configMaps: new Map(), secrets: new Map() } },
      { executor, network: false, runDir, pvcRoot: join(runDir, 'pvc'), log: { console: sink(), colour: false } },
    );
    const ms = performance.now() - t0;
    if (taskRun.status?.conditions?.[0]?.status !== 'True') throw new Error(`bench run failed: ${JSON.stringify(taskRun.status?.conditions)}`);
    return ms;
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

/** The alternative: the same script as one `sh` process per step, run one after the other. */
function timeSh(steps: number): number {
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) spawnSync('sh', ['-c', STEP], { stdio: 'ignore' });
  return performance.now() - t0;
}

/** What bubblewrap alone costs: the same `sh` per step in a bare sandbox (system folders only). */
const BARE_BWRAP = ['--unshare-all', '--die-with-parent', '--ro-bind', '/usr', '/usr', '--ro-bind', '/etc', '/etc', '--symlink', 'usr/bin', '/bin', '--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64', '--proc', '/proc', '--dev', '/dev'];
function timeBwrap(steps: number): number {
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) spawnSync('bwrap', [...BARE_BWRAP, 'sh', '-c', STEP], { stdio: 'ignore' });
  return performance.now() - t0;
}

async function overhead(): Promise<void> {
  const executors: [string, Executor][] = [['host', hostExecutor]];
  if (sandboxAvailable()) executors.push(['sandbox', sandboxExecutor]);
  else console.log('(bubblewrap cannot create a sandbox here: sandbox numbers skipped)');
  console.log(`per-step time, ms (median of ${REPEATS}, min–max); each step runs \`${STEP}\` as a script`);
  console.log('steps  executor  sh/step  bare bwrap/step  runner/step  overhead/step  ratio   runner total (min–max)');
  for (const steps of [1, 10, 100]) {
    for (const [name, ex] of executors) {
      await timeRunner(ex, Math.min(steps, 3)); // warm-up
      const sh: number[] = [];
      const bw: number[] = [];
      const runner: number[] = [];
      for (let r = 0; r < REPEATS; r++) {
        sh.push(timeSh(steps));
        if (name === 'sandbox') bw.push(timeBwrap(steps));
        runner.push(await timeRunner(ex, steps));
      }
      const shStep = median(sh) / steps;
      const bwStep = bw.length ? (median(bw) / steps).toFixed(2) : '-';
      const runStep = median(runner) / steps;
      console.log(
        `${String(steps).padStart(5)}  ${name.padEnd(8)}  ${shStep.toFixed(2).padStart(7)}  ${bwStep.padStart(15)}  ${runStep.toFixed(2).padStart(11)}  ${(runStep - shStep).toFixed(2).padStart(13)}  ${(runStep / shStep).toFixed(1).padStart(5)}x  ${median(runner).toFixed(1)} (${spread(runner)})`,
      );
    }
  }
}

/** Peak RSS (KB) of `tektite run` for a step printing `bytes` bytes, via GNU time. */
function peakRss(bytes: number, executor: string): { kb: number; seconds: number } {
  const dir = mkdtempSync(join(tmpdir(), 'tektite-bench-mem-'));
  try {
    writeFileSync(
      join(dir, 'task.yaml'),
      `apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: loud}\nspec:\n  steps:\n    - name: print\n      image: ubuntu\n      script: head -c ${bytes} /dev/zero | tr '\\\\0' x | fold -w 99\n`,
    );
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, tektiteBin, 'run', 'task.yaml', '--executor', executor], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 20 });
    const seconds = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`tektite run failed (${r.status}): ${r.stderr}`);
    return { kb: Number(r.stderr.trim().split('\n').pop()), seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function memory(): void {
  if (spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status !== 0) {
    console.log('(GNU time is missing: install the Debian package `time` for the memory numbers)');
    return;
  }
  console.log('\npeak RSS of `tektite run` (whole process) for one step printing N bytes in 100-byte lines, stdout to /dev/null');
  console.log('executor  output    peak RSS   wall');
  for (const executor of sandboxAvailable() ? ['host', 'sandbox'] : ['host']) {
    for (const bytes of [1_000_000, 200_000_000]) {
      const { kb, seconds } = peakRss(bytes, executor);
      console.log(`${executor.padEnd(8)}  ${`${bytes / 1e6} MB`.padEnd(8)}  ${(kb / 1024).toFixed(1).padStart(6)} MB  ${seconds.toFixed(2)}s`);
    }
  }
}

console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (timings move with the load)`);
await overhead();
memory();
