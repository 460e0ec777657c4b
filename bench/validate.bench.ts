// Validating the whole shared corpus (catalog Tasks, Tekton's TaskRun examples, the catalog's
// test fixtures): tektite in-process and via its CLI, side by side with @ibm/tekton-lint (the
// linter a user would reach for) on the same files, in-process and via its CLI. Prints the
// median and spread of repeats, files/s, peak RSS and the ratios; plus the start time of
// `tektite --version` against `node -e 0`. Never fails on time. Each tool's in-process runs
// happen in a process of their own (this file, run with `--in-process <tool>`), so neither pays
// for collecting the other's garbage.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expandPaths, loadPaths } from '../src/tekton/files.js';
import { validateDocs } from '../src/tekton/validate/index.js';
import { corpusDir, repoRoot, requireCorpus, tektiteBin } from '../test/helpers/paths.js';

const REPEATS = Number(process.env.BENCH_RUNS ?? 7);
const dirs = ['catalog', 'tekton-examples', 'catalog-tests'].map((d) => join(requireCorpus(), d));
const files = expandPaths(dirs);
const tektonLintBin = join(repoRoot, 'node_modules', '@ibm', 'tekton-lint', 'dist', 'lint.js');
const lintCache = mkdtempSync(join(tmpdir(), 'tektite-bench-tekton-lint-'));

// NODE_EXTRA_CA_CERTS makes every node process read and parse that bundle before running any
// code (~80 ms per start on these machines, where it is set machine-wide); neither tool makes
// a TLS connection here. Both CLIs run without it unless BENCH_KEEP_CA_CERTS=1.
const keepCaCerts = process.env.BENCH_KEEP_CA_CERTS === '1';
const childEnv: NodeJS.ProcessEnv = { ...process.env };
if (!keepCaCerts) delete childEnv.NODE_EXTRA_CA_CERTS;

interface Row {
  name: string;
  ms: number[];
  /** CPU time (user + system): less distorted than wall time when the machine is shared. */
  cpu: number[];
  rssMiB?: number;
  note?: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Runs a command under /usr/bin/time; returns wall ms (measured here) and peak RSS (KiB). */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = childEnv): { ms: number; cpu: number; rssKiB: number; status: number | null; stdout: string; stderr: string } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME_MAXRSS=%M TIME_CPU=%U+%S', cmd, ...args], { encoding: 'utf8', env, maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t0;
  const m = /TIME_MAXRSS=(\d+) TIME_CPU=([\d.]+)\+([\d.]+)/.exec(r.stderr ?? '');
  const stderr = (r.stderr ?? '').replace(/TIME_MAXRSS=.*\n?/, '').replace(/^Command exited with non-zero status \d+\n/m, '');
  return { ms, cpu: m ? (Number(m[2]) + Number(m[3])) * 1000 : NaN, rssKiB: m ? Number(m[1]) : NaN, status: r.status, stdout: r.stdout ?? '', stderr };
}

/** Wall and CPU milliseconds. */
interface Timing {
  ms: number;
  cpu: number;
}

/** The Timing of an in-process call. */
async function measure(f: () => unknown): Promise<Timing> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await f();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpu: (c.user + c.system) / 1000 };
}

type Run = { total: Timing; load: Timing; validate: Timing };
interface ChildResult {
  /** Wall ms of the first (cold) run. */
  first: number;
  runs: Run[];
  findings: number;
  error?: string;
}

const self = fileURLToPath(import.meta.url);

/** Runs this file as `--in-process <tool>` in a child node and reads its result. */
function inProcessChild(tool: 'tektite' | 'tekton-lint'): ChildResult {
  const r = spawnSync(process.execPath, [self, '--in-process', tool], { encoding: 'utf8', env: { ...childEnv, TL_CACHE_DIR: lintCache }, maxBuffer: 64 * 1024 * 1024 });
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as ChildResult;
  } catch {
    return { first: NaN, runs: [], findings: 0, error: `exit ${r.status}: ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}` };
  }
}

/**
 * The child: one cold run, then REPEATS runs back to back. (A forced full collection before
 * each run made both tools slower: 72 and 355 ms against 47 and 217 ms.)
 */
async function inProcess(tool: string): Promise<void> {
  const out: ChildResult = { first: 0, runs: [], findings: 0 };
  let once: () => Promise<Run>;
  if (tool === 'tektite') {
    once = async () => {
      let loaded = loadPaths([]);
      const load = await measure(() => {
        loaded = loadPaths(dirs);
      });
      const validate = await measure(() => {
        out.findings = validateDocs(loaded.tekton).length;
      });
      return { total: { ms: load.ms + validate.ms, cpu: load.cpu + validate.cpu }, load, validate };
    };
  } else {
    const api = (await import('@ibm/tekton-lint')) as unknown as { Config: new (c: Record<string, unknown>) => unknown; Linter: { run(c: unknown): Promise<unknown[]> } };
    once = async () => {
      const total = await measure(() => api.Linter.run(new api.Config({ _: files, config: lintCache, format: 'json', quiet: false })));
      return { total, load: total, validate: total };
    };
  }
  out.first = (await once()).total.ms;
  for (let i = 0; i < REPEATS; i++) out.runs.push(await once());
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

async function main(): Promise<void> {
  if (spawnSync('/usr/bin/time', ['true']).error) {
    console.error('validate bench: /usr/bin/time is missing (Debian package time)');
    process.exit(1);
  }
  const rows: Row[] = [];
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} CPUs (timings on a busy machine are inflated)`);
  console.log(`corpus: ${files.length} files under ${corpusDir} (${dirs.map((d) => d.slice(corpusDir.length + 1)).join(', ')}); ${REPEATS} repeats each\n`);

  // @ibm/tekton-lint: does it run here at all?
  if (process.env.NODE_EXTRA_CA_CERTS && !keepCaCerts) console.log('NODE_EXTRA_CA_CERTS is unset for both CLIs (it costs each node start ~80 ms here; BENCH_KEEP_CA_CERTS=1 keeps it)\n');
  const env = { ...childEnv, TL_CACHE_DIR: lintCache };
  process.env.TL_CACHE_DIR = lintCache;
  const probe = timed(process.execPath, [tektonLintBin, '--format', 'json', ...files], env);
  let lintProblems: number | undefined;
  try {
    lintProblems = (JSON.parse(probe.stdout) as unknown[]).length;
  } catch {
    console.log(`@ibm/tekton-lint could not run on the corpus (exit ${probe.status}): ${probe.stderr.trim().split('\n').slice(-3).join(' | ') || 'no output'}\n`);
  }
  // The CLIs' repeats interleaved, so a load change on this shared machine hits both alike.
  const row = (name: string): Row => ({ name, ms: [], cpu: [] });
  const inproc = row('tektite in-process (load + validate)');
  const loadOnly = row('tektite in-process (load only)');
  const validateOnly = row('tektite in-process (validate only)');
  const lintIn = row('@ibm/tekton-lint in-process (Linter.run)');
  const cli = row('tektite validate (CLI)');
  const lintCli = row('@ibm/tekton-lint (CLI)');
  let cliRss = 0;
  let lintRss = 0;
  for (let i = 0; i < REPEATS; i++) {
    const c = timed(process.execPath, [tektiteBin, 'validate', ...dirs]);
    cli.ms.push(c.ms);
    cli.cpu.push(c.cpu);
    cliRss = Math.max(cliRss, c.rssKiB);
    cli.note = c.stderr.trim().split('\n').pop() ?? '';
    if (lintProblems !== undefined) {
      const t = timed(process.execPath, [tektonLintBin, '--format', 'json', ...files], env);
      lintCli.ms.push(t.ms);
      lintCli.cpu.push(t.cpu);
      lintRss = Math.max(lintRss, t.rssKiB);
    }
  }
  // In-process: each tool in a child process of its own; its first (cold) run is left out.
  const tektiteIn = inProcessChild('tektite');
  if (tektiteIn.error) console.log(`tektite in-process could not run: ${tektiteIn.error}\n`);
  for (const [r, k] of [[inproc, 'total'], [loadOnly, 'load'], [validateOnly, 'validate']] as const) {
    r.ms = tektiteIn.runs.map((x) => x[k].ms);
    r.cpu = tektiteIn.runs.map((x) => x[k].cpu);
  }
  inproc.note = `${tektiteIn.findings} findings; first, cold run ${tektiteIn.first.toFixed(0)} ms`;
  if (lintProblems !== undefined) {
    const lintRuns = inProcessChild('tekton-lint');
    if (lintRuns.error) console.log(`@ibm/tekton-lint in-process could not run: ${lintRuns.error}\n`);
    lintIn.ms = lintRuns.runs.map((x) => x.total.ms);
    lintIn.cpu = lintRuns.runs.map((x) => x.total.cpu);
    if (lintIn.ms.length) lintIn.note = `first, cold run ${lintRuns.first.toFixed(0)} ms`;
  }
  cli.rssMiB = cliRss / 1024;
  lintCli.rssMiB = lintRss / 1024;
  lintCli.note = `${lintProblems} problems`;
  rows.push(inproc, loadOnly, validateOnly);
  if (lintIn.ms.length) rows.push(lintIn);
  rows.push(cli);
  if (lintCli.ms.length) rows.push(lintCli);

  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`${'what'.padEnd(w)}  wall median   min–max ms      CPU median  files/s (wall)  peak RSS`);
  for (const r of rows) {
    const med = median(r.ms);
    const spread = `${Math.min(...r.ms).toFixed(0)}–${Math.max(...r.ms).toFixed(0)}`;
    const rss = r.rssMiB !== undefined ? `${r.rssMiB.toFixed(0)} MiB` : '';
    console.log(`${r.name.padEnd(w)}  ${med.toFixed(0).padStart(8)} ms   ${spread.padEnd(14)}  ${median(r.cpu).toFixed(0).padStart(7)} ms  ${(files.length / (med / 1000)).toFixed(0).padStart(14)}  ${rss.padEnd(9)}${r.note ? `  (${r.note})` : ''}`);
  }
  const ratio = (slow: Row, fast: Row, k: 'ms' | 'cpu') => (slow.ms.length && fast.ms.length ? `${(median(slow[k]) / median(fast[k])).toFixed(1)}x` : 'n/a');
  console.log(`\nratio CLI (tekton-lint / tektite): wall ${ratio(lintCli, cli, 'ms')}, CPU ${ratio(lintCli, cli, 'cpu')}`);
  console.log(`ratio in-process, warm (tekton-lint / tektite load+validate): wall ${ratio(lintIn, inproc, 'ms')}, CPU ${ratio(lintIn, inproc, 'cpu')}`);

  // One file, as a pre-commit hook or an editor runs it: start-up is most of both tools' time.
  if (lintProblems !== undefined) {
    const one = join(requireCorpus(), 'catalog', 'git-clone-0.10.yaml');
    const small = { tektite: [] as number[], lint: [] as number[] };
    for (let i = 0; i < REPEATS; i++) {
      small.tektite.push(timed(process.execPath, [tektiteBin, 'validate', one]).ms);
      small.lint.push(timed(process.execPath, [tektonLintBin, '--format', 'json', one], env).ms);
    }
    const [t, l] = [median(small.tektite), median(small.lint)];
    console.log(`\none file (catalog git-clone 0.10), CLI wall median: tektite ${t.toFixed(0)} ms, @ibm/tekton-lint ${l.toFixed(0)} ms: ${(l / t).toFixed(1)}x`);

    // How cost grows: the corpus four times over (each copy in a folder of its own), fewer repeats.
    const big = mkdtempSync(join(tmpdir(), 'tektite-bench-corpus-x4-'));
    try {
      const bigFiles: string[] = [];
      for (let copy = 0; copy < 4; copy++) {
        const dir = join(big, String(copy));
        mkdirSync(dir);
        files.forEach((f, i) => {
          const to = join(dir, `${i}-${basename(f)}`);
          copyFileSync(f, to);
          bigFiles.push(to);
        });
      }
      const runs = Math.max(3, Math.ceil(REPEATS / 2));
      const x4 = { tektite: [] as number[], lint: [] as number[] };
      for (let i = 0; i < runs; i++) {
        x4.tektite.push(timed(process.execPath, [tektiteBin, 'validate', big]).ms);
        x4.lint.push(timed(process.execPath, [tektonLintBin, '--format', 'json', ...bigFiles], env).ms);
      }
      const [tb, lb] = [median(x4.tektite), median(x4.lint)];
      console.log(`the corpus x4 (${bigFiles.length} files), CLI wall median of ${runs}: tektite ${tb.toFixed(0)} ms (${(tb / median(cli.ms)).toFixed(1)}x the corpus), @ibm/tekton-lint ${lb.toFixed(0)} ms (${(lb / median(lintCli.ms)).toFixed(1)}x): ${(lb / tb).toFixed(1)}x`);
    } finally {
      rmSync(big, { recursive: true, force: true });
    }
  }

  // Start-up: the CLI must not load YAML or the validator for --version.
  const start = (args: string[]) => {
    const ms: number[] = [];
    for (let i = 0; i < REPEATS * 2; i++) ms.push(timed(process.execPath, args).ms);
    return ms;
  };
  const nodeStart = start(['-e', '0']);
  const version = start([tektiteBin, '--version']);
  console.log(`\nstart-up (median of ${REPEATS * 2}): node -e 0 = ${median(nodeStart).toFixed(1)} ms, tektite --version = ${median(version).toFixed(1)} ms (+${(median(version) - median(nodeStart)).toFixed(1)} ms)`);
}

const child = process.argv.indexOf('--in-process');
(child !== -1 ? inProcess(process.argv[child + 1] ?? '') : main())
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => rmSync(lintCache, { recursive: true, force: true }));
