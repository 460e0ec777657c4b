#!/usr/bin/env node
// Paired A/B timing of `tektite validate` between builds: each build's dist/cli folder (copy one
// aside before changing the code: `cp -r dist/cli /tmp/before`), run in alternating order so a
// machine that speeds up or slows down hits every build alike. Prints each build's median and
// the median of the paired differences against the first build, which settles changes of 1-3 ms
// that separate batches (hyperfine, the bench) cannot on a machine that drifts ±5%.
//
//   node scripts/ab-validate.mjs [--runs N] [--args "validate args"] <dir/cli> <dir/cli> ...
//
// Default input: the whole shared corpus. NODE_EXTRA_CA_CERTS is unset for the children, as in
// the bench. Never fails on time; exits 2 on bad usage or a build that cannot run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
let runs = 40;
let args;
const dirs = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--runs') runs = Number(argv[++i]);
  else if (argv[i] === '--args') args = (argv[++i] ?? '').split(' ').filter(Boolean);
  else dirs.push(argv[i]);
}
const usage = (why) => {
  console.error(`ab-validate: ${why}\nusage: node scripts/ab-validate.mjs [--runs N] [--args "validate args"] <dir/cli> <dir/cli> ...`);
  process.exit(2);
};
if (dirs.length < 2) usage('give at least two build folders (each holding main.cjs)');
if (!Number.isInteger(runs) || runs < 1) usage('--runs takes a positive whole number');
for (const d of dirs) if (!existsSync(join(d, 'main.cjs'))) usage(`${d}: no main.cjs (give a dist/cli folder)`);
if (!args) {
  const corpus = fileURLToPath(new URL('../../shared/corpus', import.meta.url));
  args = ['catalog', 'tekton-examples', 'catalog-tests'].map((d) => join(corpus, d));
}

const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
const once = (dir) => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(dir, 'main.cjs'), 'validate', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) usage(`${dir}: validate exited ${r.status}: ${(r.stderr ?? '').trim().split('\n').pop()}`);
  return ms;
};
const times = dirs.map(() => []);
for (const d of dirs) once(d); // warm the page cache
for (let i = 0; i < runs; i++) {
  const order = i % 2 ? [...dirs.keys()].reverse() : [...dirs.keys()];
  for (const k of order) times[k].push(once(dirs[k]));
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const w = Math.max(...dirs.map((d) => d.length));
console.log(`${runs} alternating runs each of: validate ${args.length > 3 ? `${args.slice(0, 3).join(' ')} …` : args.join(' ')}`);
dirs.forEach((d, k) => {
  const line = `${d.padEnd(w)}  median ${median(times[k]).toFixed(1)} ms  min ${Math.min(...times[k]).toFixed(1)} ms`;
  console.log(k === 0 ? line : `${line}  paired difference to the first: ${median(times[k].map((t, i) => t - times[0][i])).toFixed(1)} ms`);
});
