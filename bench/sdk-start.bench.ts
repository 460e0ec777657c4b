// Cold start of a bundled plugin: `node echo-all.mjs --help` (and a full run writing results)
// against `node -e 0`, plus the bundle's size. Target: --help within 20 ms of `node -e 0`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundlePlugin } from '../src/build/bundle.js';
import { repoRoot } from '../test/helpers/paths.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const WARMUP = 3;

function timeOnce(argv: string[], env: NodeJS.ProcessEnv): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { env, stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${argv.join(' ')} exited ${r.status}`);
  return ms;
}

function peakRssKb(argv: string[], env: NodeJS.ProcessEnv): number | undefined {
  if (!existsSync('/usr/bin/time')) return undefined;
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...argv], { env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const kb = Number(r.stderr.trim().split('\n').at(-1));
  return Number.isFinite(kb) ? kb : undefined;
}

interface Stats {
  median: number;
  p10: number;
  p90: number;
}

function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { median: at(0.5), p10: at(0.1), p90: at(0.9) };
}

/** Interleaves the commands run by run, so machine noise hits them alike. */
function measure(cases: { label: string; argv: string[]; env?: NodeJS.ProcessEnv }[]): Map<string, number[]> {
  const times = new Map(cases.map((c) => [c.label, [] as number[]]));
  for (let i = 0; i < WARMUP + RUNS; i++) {
    for (const c of cases) {
      const ms = timeOnce(c.argv, c.env ?? { PATH: process.env.PATH });
      if (i >= WARMUP) times.get(c.label)!.push(ms);
    }
  }
  return times;
}

const dir = mkdtempSync(join(tmpdir(), 'tektite-bench-sdk-'));
try {
  const source = join(repoRoot, 'examples/echo-all/echo-all.ts');
  const plain = join(dir, 'echo-all.mjs');
  const minified = join(dir, 'echo-all.min.mjs');
  const t0 = performance.now();
  await bundlePlugin(source, plain);
  const bundleMs = performance.now() - t0;
  await bundlePlugin(source, minified, { minify: true });

  const results = join(dir, 'results');
  mkdirSync(results);
  const runEnv = {
    PATH: process.env.PATH,
    PARAM_TEXT: 'hello',
    RESULT_TEXT_PATH: join(results, 'text'),
    RESULT_ITEMS_PATH: join(results, 'items'),
    RESULT_META_PATH: join(results, 'meta'),
    RESULT_SUMMARY_PATH: join(results, 'summary'),
  };
  const cases = [
    { label: 'node -e 0', argv: ['-e', '0'] },
    { label: 'echo-all.mjs --help', argv: [plain, '--help'] },
    { label: 'echo-all.min.mjs --help', argv: [minified, '--help'] },
    { label: 'echo-all.mjs (full run, 4 results)', argv: [plain, '--tektite-array=items', 'a', 'b'], env: runEnv },
  ];
  const times = measure(cases);
  const base = stats(times.get('node -e 0')!).median;

  console.log(`node ${process.version}, ${RUNS} runs each after ${WARMUP} warm-up runs, interleaved; wall time per process`);
  console.log('');
  console.log(`${'command'.padEnd(38)} ${'median'.padStart(9)} ${'p10'.padStart(9)} ${'p90'.padStart(9)} ${'vs node -e 0'.padStart(14)} ${'peak RSS'.padStart(10)}`);
  for (const c of cases) {
    const s = stats(times.get(c.label)!);
    const rss = peakRssKb(c.argv, c.env ?? { PATH: process.env.PATH });
    const delta = c.label === 'node -e 0' ? '' : `+${(s.median - base).toFixed(1)} ms (${(s.median / base).toFixed(2)}x)`;
    console.log(
      `${c.label.padEnd(38)} ${`${s.median.toFixed(1)} ms`.padStart(9)} ${`${s.p10.toFixed(1)} ms`.padStart(9)} ${`${s.p90.toFixed(1)} ms`.padStart(9)} ${delta.padStart(14)} ${rss ? `${(rss / 1024).toFixed(1)} MB` : 'n/a'}`.trimEnd(),
    );
  }
  console.log('');
  for (const [label, file] of [
    ['bundle', plain],
    ['bundle, minified', minified],
  ] as const) {
    const bytes = readFileSync(file);
    console.log(`${label.padEnd(18)} ${(bytes.length / 1024).toFixed(1)} KiB (${(gzipSync(bytes).length / 1024).toFixed(1)} KiB gzipped)`);
  }
  console.log(`bundling time (esbuild, first bundle of this process): ${bundleMs.toFixed(0)} ms`);
  console.log('target: --help within 20 ms of node -e 0');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
