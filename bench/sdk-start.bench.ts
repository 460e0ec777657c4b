// Cold start of a bundled plugin: `node echo-all.mjs --help` (and a full run writing results)
// against `node -e 0`, plus the bundle's size. Target: --help within 20 ms of `node -e 0`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundlePlugin } from '../src/build/bundle.js';
import { repoRoot } from '../test/helpers/paths.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const WARMUP = 3;

interface Sample {
  wallMs: number;
  cpuMs: number;
  rssKb: number;
}

/** One run under /usr/bin/time: wall time from here, user+sys CPU and peak RSS from time(1). */
function runOnce(argv: string[], env: NodeJS.ProcessEnv): Sample {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %U %S %M', process.execPath, ...argv], { env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [, user, sys, rss] = r.stderr.trim().split('\n').at(-1)!.split(' ');
  return { wallMs, cpuMs: (Number(user) + Number(sys)) * 1000, rssKb: Number(rss) };
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
function measure(cases: { label: string; argv: string[]; env?: NodeJS.ProcessEnv }[]): Map<string, Sample[]> {
  const samples = new Map(cases.map((c) => [c.label, [] as Sample[]]));
  for (let i = 0; i < WARMUP + RUNS; i++) {
    for (const c of cases) {
      const sample = runOnce(c.argv, c.env ?? { PATH: process.env.PATH });
      if (i >= WARMUP) samples.get(c.label)!.push(sample);
    }
  }
  return samples;
}

if (!existsSync('/usr/bin/time')) {
  console.error('sdk-start bench: /usr/bin/time is missing (Debian package "time")');
  process.exit(1);
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
  // What any ESM program that prints a line pays over `node -e 0` (the ESM loader, stdout).
  const hello = join(dir, 'hello.mjs');
  writeFileSync(hello, "process.stdout.write('hello\\n');\n");
  const cases = [
    { label: 'node -e 0', argv: ['-e', '0'] },
    { label: 'node hello.mjs (prints one line)', argv: [hello] },
    { label: 'echo-all.mjs --help', argv: [plain, '--help'] },
    { label: 'echo-all.min.mjs --help', argv: [minified, '--help'] },
    { label: 'echo-all.mjs (full run, 4 results)', argv: [plain, '--tektite-array=items', 'a', 'b'], env: runEnv },
  ];
  const samples = measure(cases);
  const wall = (label: string) => stats(samples.get(label)!.map((x) => x.wallMs));
  // time(1) reports CPU in 10 ms steps: the mean over the runs resolves finer than the median.
  const cpu = (label: string) => {
    const xs = samples.get(label)!.map((x) => x.cpuMs);
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  const base = wall('node -e 0').median;
  const baseCpu = cpu('node -e 0');

  console.log(`node ${process.version}, ${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (after the runs)`);
  console.log(`${RUNS} runs each after ${WARMUP} warm-up runs, interleaved, each under /usr/bin/time`);
  console.log('wall: median [p10-p90] and the difference to node -e 0; cpu: user+sys mean; peak RSS: max over runs');
  console.log('');
  console.log(`${'command'.padEnd(36)} ${'wall median'.padStart(11)} ${'p10-p90'.padStart(15)} ${'vs node -e 0'.padStart(17)} ${'cpu'.padStart(9)} ${'vs node -e 0'.padStart(13)} ${'peak RSS'.padStart(9)}`);
  for (const c of cases) {
    const w = wall(c.label);
    const u = cpu(c.label);
    const rss = Math.max(...samples.get(c.label)!.map((x) => x.rssKb));
    const first = c.label === 'node -e 0';
    console.log(
      [
        c.label.padEnd(36),
        `${w.median.toFixed(1)} ms`.padStart(11),
        `${w.p10.toFixed(0)}-${w.p90.toFixed(0)} ms`.padStart(15),
        (first ? '' : `+${(w.median - base).toFixed(1)} ms (${(w.median / base).toFixed(2)}x)`).padStart(17),
        `${u.toFixed(1)} ms`.padStart(9),
        (first ? '' : `${u - baseCpu >= 0 ? '+' : ''}${(u - baseCpu).toFixed(1)} ms`).padStart(13),
        `${(rss / 1024).toFixed(1)} MB`.padStart(9),
      ].join(' '),
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
