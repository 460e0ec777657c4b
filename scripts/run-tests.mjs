#!/usr/bin/env node
// Collects every compiled *.test.js under dist/ and hands them to node's test runner.
// `npm test -- runner sdk` runs only the files whose path contains one of the words.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith('-'));

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'bench') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) collect(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

// The CLI tests run bin/tektite.js, which loads the bundle in dist/cli: rebuild it from what tsc
// just compiled, so `tsc -p . && node scripts/run-tests.mjs` never tests a stale command.
const bundled = spawnSync(process.execPath, [join(root, 'scripts', 'bundle-cli.mjs')], { stdio: 'inherit', cwd: root });
if (bundled.status !== 0) process.exit(bundled.status ?? 1);

let files = collect(dist, []).sort();
if (filters.length) files = files.filter((f) => filters.some((w) => relative(dist, f).includes(w)));
if (files.length === 0) {
  console.error('run-tests: no test files found under dist/ (did `npm run build` run?)');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...passThrough, ...files], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(r.status ?? 1);
