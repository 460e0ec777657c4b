// Validating the whole shared corpus (catalog Tasks, Tekton's TaskRun examples, the catalog's
// test fixtures): tektite in-process and via its CLI, side by side with @ibm/tekton-lint (the
// linter a user would reach for) on the same files, in-process and via its CLI. Prints the
// median and spread of repeats, files/s, peak RSS and the ratios; plus the start time of
// `tektite --version` against `node -e 0`. Never fails on time.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandPaths, loadPaths } from '../src/tekton/files.js';
import { validateDocs } from '../src/tekton/validate/index.js';
import { corpusDir, repoRoot, requireCorpus, tektiteBin } from '../test/helpers/paths.js';

const REPEATS = Number(process.env.BENCH_RUNS ?? 7);
const dirs = ['catalog', 'tekton-examples', 'catalog-tests'].map((d) => join(requireCorpus(), d));
const files = expandPaths(dirs);
const tektonLintBin = join(repoRoot, 'node_modules', '@ibm', 'tekton-lint', 'dist', 'lint.js');
const lintCache = mkdtempSync(join(tmpdir(), 'tektite-bench-tekton-lint-'));

interface Row {
  name: string;
  ms: number[];
  rssMiB?: number;
  note?: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Runs a command under /usr/bin/time; returns wall ms (measured here) and peak RSS (KiB). */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): { ms: number; rssKiB: number; status: number | null; stdout: string; stderr: string } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME_MAXRSS=%M', cmd, ...args], { encoding: 'utf8', env, maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t0;
  const m = /TIME_MAXRSS=(\d+)/.exec(r.stderr ?? '');
  const stderr = (r.stderr ?? '').replace(/TIME_MAXRSS=\d+\n?/, '').replace(/^Command exited with non-zero status \d+\n/m, '');
  return { ms, rssKiB: m ? Number(m[1]) : NaN, status: r.status, stdout: r.stdout ?? '', stderr };
}

async function main(): Promise<void> {
  if (spawnSync('/usr/bin/time', ['true']).error) {
    console.error('validate bench: /usr/bin/time is missing (Debian package time)');
    process.exit(1);
  }
  const rows: Row[] = [];
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} CPUs (timings on a busy machine are inflated)`);
  console.log(`corpus: ${files.length} files under ${corpusDir} (${dirs.map((d) => d.slice(corpusDir.length + 1)).join(', ')}); ${REPEATS} repeats each\n`);

  // tektite in-process: load + validate (first run included: a CLI user pays the cold JIT too).
  const inproc: number[] = [];
  const validateOnly: number[] = [];
  let findings = 0;
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    const loaded = loadPaths(dirs);
    const t1 = performance.now();
    findings = validateDocs(loaded.tekton).length;
    const t2 = performance.now();
    inproc.push(t2 - t0);
    validateOnly.push(t2 - t1);
  }
  rows.push({ name: 'tektite in-process (load + validate)', ms: inproc, rssMiB: process.resourceUsage().maxRSS / 1024, note: `${findings} findings; RSS is this bench process` });
  rows.push({ name: 'tektite in-process (validate only)', ms: validateOnly });

  // tektite CLI
  const cli: number[] = [];
  let cliRss = 0;
  let cliSummary = '';
  for (let i = 0; i < REPEATS; i++) {
    const r = timed(process.execPath, [tektiteBin, 'validate', ...dirs]);
    cli.push(r.ms);
    cliRss = Math.max(cliRss, r.rssKiB);
    cliSummary = r.stderr.trim().split('\n').pop() ?? '';
  }
  rows.push({ name: 'tektite validate (CLI)', ms: cli, rssMiB: cliRss / 1024, note: cliSummary });

  // @ibm/tekton-lint
  const env = { ...process.env, TL_CACHE_DIR: lintCache };
  const probe = timed(process.execPath, [tektonLintBin, '--format', 'json', ...files], env);
  let lintProblems: number | undefined;
  try {
    lintProblems = (JSON.parse(probe.stdout) as unknown[]).length;
  } catch {
    console.log(`@ibm/tekton-lint could not run on the corpus (exit ${probe.status}): ${probe.stderr.trim().split('\n').slice(-3).join(' | ') || 'no output'}\n`);
  }
  if (lintProblems !== undefined) {
    const lint: number[] = [];
    let lintRss = 0;
    for (let i = 0; i < REPEATS; i++) {
      const r = timed(process.execPath, [tektonLintBin, '--format', 'json', ...files], env);
      lint.push(r.ms);
      lintRss = Math.max(lintRss, r.rssKiB);
    }
    rows.push({ name: '@ibm/tekton-lint (CLI)', ms: lint, rssMiB: lintRss / 1024, note: `${lintProblems} problems` });
    try {
      process.env.TL_CACHE_DIR = lintCache;
      const { Config, Linter } = (await import('@ibm/tekton-lint')) as unknown as {
        Config: new (c: Record<string, unknown>) => unknown;
        Linter: { run(c: unknown): Promise<unknown[]> };
      };
      const lintIn: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        const t0 = performance.now();
        await Linter.run(new Config({ _: files, config: lintCache, format: 'json', quiet: false }));
        lintIn.push(performance.now() - t0);
      }
      rows.push({ name: '@ibm/tekton-lint in-process (Linter.run)', ms: lintIn });
    } catch (e) {
      console.log(`@ibm/tekton-lint in-process API failed: ${(e as Error).message}\n`);
    }
  }

  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`${'what'.padEnd(w)}  median ms   min–max ms        files/s   peak RSS`);
  for (const r of rows) {
    const med = median(r.ms);
    const spread = `${Math.min(...r.ms).toFixed(0)}–${Math.max(...r.ms).toFixed(0)}`;
    const rss = r.rssMiB !== undefined ? `${r.rssMiB.toFixed(0)} MiB` : '';
    console.log(`${r.name.padEnd(w)}  ${med.toFixed(1).padStart(9)}   ${spread.padEnd(15)}  ${(files.length / (med / 1000)).toFixed(0).padStart(8)}   ${rss.padEnd(9)}${r.note ? `  (${r.note})` : ''}`);
  }
  const get = (name: string) => rows.find((r) => r.name === name);
  const ratio = (slow?: Row, fast?: Row) => (slow && fast ? `${(median(slow.ms) / median(fast.ms)).toFixed(1)}x` : 'n/a');
  console.log(`\nratio CLI: tekton-lint / tektite = ${ratio(get('@ibm/tekton-lint (CLI)'), get('tektite validate (CLI)'))}`);
  console.log(`ratio in-process: tekton-lint / tektite = ${ratio(get('@ibm/tekton-lint in-process (Linter.run)'), get('tektite in-process (load + validate)'))}`);

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

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => rmSync(lintCache, { recursive: true, force: true }));
