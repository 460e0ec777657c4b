// Clone time of a large repository (thousands of commits, thousands of files; built once with
// `git fast-import` and cached under os.tmpdir()), depth 1 and full depth: the bundled git-clone
// plugin run as its program, against the same git commands run directly by sh. Interleaved
// repeats; median, spread, peak RSS and the ratio. Target: the plugin within 5% of plain git.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundlePlugin } from '../src/build/bundle.js';
import { repoRoot } from '../test/helpers/paths.js';

const COMMITS = Number(process.env.BENCH_GIT_COMMITS ?? 5000);
const FILES = Number(process.env.BENCH_GIT_FILES ?? 3000);
const REPEATS = Number(process.env.BENCH_RUNS ?? 7);
/** Clone depths to time; 0 = full history. */
const DEPTHS = (process.env.BENCH_GIT_DEPTHS ?? '1,0').split(',').map(Number);

for (const tool of ['git', '/usr/bin/time']) {
  if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).error) {
    console.error(`git-clone bench: ${tool} is missing (Debian packages git, time)`);
    process.exit(1);
  }
}

/** Deterministic text: lines of pseudo-random words. */
function text(seed: number, lines: number): string {
  let x = seed >>> 0 || 1;
  const words = ['tekton', 'step', 'clone', 'git', 'workspace', 'result', 'param', 'image', 'bundle', 'task', 'run', 'commit'];
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const line: string[] = [];
    for (let w = 0; w < 8; w++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      line.push(words[x % words.length]! + (x >>> 20));
    }
    out.push(line.join(' '));
  }
  return `${out.join('\n')}\n`;
}

/** A bare repository with COMMITS commits over FILES files, made by git fast-import (cached). */
async function bigRepo(): Promise<string> {
  const repo = join(tmpdir(), `tektite-bench-git-clone-${COMMITS}x${FILES}.git`);
  if (existsSync(join(repo, 'tektite-complete'))) return repo;
  rmSync(repo, { recursive: true, force: true });
  console.log(`building ${repo} (${COMMITS} commits, ${FILES} files; cached for later runs)…`);
  const t0 = performance.now();
  spawnSync('git', ['init', '-q', '--bare', '--initial-branch=main', repo]);
  const child = spawn('git', ['fast-import', '--quiet'], { cwd: repo, stdio: ['pipe', 'inherit', 'inherit'] });
  const done = new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  const write = (s: string) => (child.stdin.write(s) ? Promise.resolve() : new Promise<void>((r) => child.stdin.once('drain', () => r())));
  const blob = (content: string) => `data ${Buffer.byteLength(content)}\n${content}\n`;
  const path = (i: number) => `src/module-${i % 40}/file-${i}.txt`;
  for (let c = 0; c < COMMITS; c++) {
    const when = 1_600_000_000 + c * 600;
    const message = `change ${c}\n`;
    let cmd = `commit refs/heads/main\ncommitter Bench <bench@tektite.invalid> ${when} +0000\n${blob(message)}`;
    if (c === 0) for (let f = 0; f < FILES; f++) cmd += `M 100644 inline ${path(f)}\n${blob(text(f + 1, 40))}`;
    else for (let k = 0; k < 3; k++) {
      const f = (c * 7919 + k * 104729) % FILES;
      cmd += `M 100644 inline ${path(f)}\n${blob(text(f + 1, 40) + text(c * 3 + k, 2))}`;
    }
    await write(cmd);
  }
  child.stdin.end();
  if ((await done) !== 0) throw new Error('git fast-import failed');
  spawnSync('git', ['repack', '-a', '-d', '-q'], { cwd: repo, stdio: 'inherit' });
  writeFileSync(join(repo, 'tektite-complete'), '');
  const size = spawnSync('du', ['-sh', repo], { encoding: 'utf8' }).stdout.split('\t')[0];
  console.log(`built in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${size} on disk`);
  return repo;
}

/** The git commands the plugin runs for this clone (a fresh folder, no submodules), as a plain sh script. */
const PLAIN_SH = `set -e
git config --global --add safe.directory "$OUT"
git -c init.defaultBranch=main init "$OUT"
cd "$OUT"
if [ "$DEPTH" != 0 ]; then git config remote.origin.url "$URL"; DEPTH_ARG="--depth=$DEPTH"; else git remote add origin "$URL"; DEPTH_ARG=; fi
git config http.sslVerify true
git fetch --recurse-submodules=yes $DEPTH_ARG origin --update-head-ok --force ''
git show -q --pretty=format:%H%n%ct%n%D 'FETCH_HEAD^{commit}' >/dev/null
git -c advice.detachedHead=false checkout -f FETCH_HEAD
if [ -f .gitmodules ]; then git submodule update --recursive --init --force $DEPTH_ARG; fi
`;

interface Sample {
  ms: number;
  /** user+sys CPU of the whole process tree (less sensitive to a busy machine than wall time). */
  cpuMs: number;
  rssKb: number;
}

function runTimed(argv: string[], env: NodeJS.ProcessEnv): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', 'TIME %U %S %M', ...argv], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) return reject(new Error(`${argv.join(' ')} exited ${code}:\n${stderr}`));
      const [, user, sys, rss] = stderr.trim().split('\n').at(-1)!.split(' ');
      resolve({ ms, cpuMs: (Number(user) + Number(sys)) * 1000, rssKb: Number(rss) });
    });
  });
}

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s.at(-1)! };
}

const repo = await bigRepo();
const url = `file://${repo}`;
const dir = mkdtempSync(join(tmpdir(), 'tektite-bench-git-clone-'));
try {
  const bundle = join(dir, 'git-clone.mjs');
  await bundlePlugin(join(repoRoot, 'plugins', 'git-clone', 'plugin.ts'), bundle);
  writeFileSync(join(dir, 'plain.sh'), PLAIN_SH);
  const results = join(dir, 'results');
  mkdirSync(results);
  const base = { PATH: process.env.PATH, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1' };

  console.log(`\ngit-clone of ${url}: plugin (node ${bundle.replace(dir, '<tmp>')}) vs the same git commands in sh; ${REPEATS} interleaved repeats after 1 warm-up\n`);
  console.log('depth  measure  plugin median (min–max)      plain sh median (min–max)    ratio   peak RSS plugin / sh\n');
  for (const depth of DEPTHS) {
    const samples = { plugin: [] as Sample[], plain: [] as Sample[] };
    for (let i = 0; i <= REPEATS; i++) {
      for (const which of i % 2 ? (['plain', 'plugin'] as const) : (['plugin', 'plain'] as const)) {
        const out = join(dir, `out-${which}`);
        const home = join(dir, `home-${which}`);
        rmSync(out, { recursive: true, force: true });
        rmSync(home, { recursive: true, force: true });
        mkdirSync(out);
        mkdirSync(home);
        const sample =
          which === 'plugin'
            ? await runTimed([process.execPath, bundle], {
                ...base,
                HOME: home,
                PARAM_URL: url,
                PARAM_DEPTH: String(depth),
                PARAM_USER_HOME: home,
                WORKSPACE_OUTPUT_PATH: out,
                RESULT_COMMIT_PATH: join(results, 'commit'),
                RESULT_URL_PATH: join(results, 'url'),
                RESULT_COMMITTER_DATE_PATH: join(results, 'committer-date'),
              })
            : await runTimed(['sh', join(dir, 'plain.sh')], { ...base, HOME: home, OUT: out, URL: url, DEPTH: String(depth) });
        if (i > 0) samples[which].push(sample);
      }
    }
    const rss = (xs: Sample[]) => `${(Math.max(...xs.map((s) => s.rssKb)) / 1024).toFixed(0)} MB`;
    const fmt = (s: { median: number; min: number; max: number }) => `${s.median.toFixed(0).padStart(6)} ms (${s.min.toFixed(0)}–${s.max.toFixed(0)})`.padEnd(29);
    for (const measure of ['wall', 'cpu'] as const) {
      const pick = (s: Sample) => (measure === 'wall' ? s.ms : s.cpuMs);
      const p = stats(samples.plugin.map(pick));
      const q = stats(samples.plain.map(pick));
      const label = measure === 'wall' ? (depth === 0 ? 'full' : String(depth)) : '';
      console.log(`${label.padEnd(7)}${measure.padEnd(9)}${fmt(p)}${fmt(q)}${(p.median / q.median).toFixed(3).padEnd(8)}${measure === 'wall' ? `${rss(samples.plugin)} / ${rss(samples.plain)}` : ''}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
