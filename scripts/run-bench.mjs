#!/usr/bin/env node
// Runs the compiled benchmarks in dist/bench (all, or those whose name contains an argument).
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, 'dist', 'bench');
if (!existsSync(dir)) {
  console.error('run-bench: dist/bench is missing; run `npm run build` first');
  process.exit(2);
}
const words = process.argv.slice(2);
let failed = 0;
for (const name of readdirSync(dir).filter((n) => n.endsWith('.bench.js')).sort()) {
  if (words.length && !words.some((w) => name.includes(w))) continue;
  console.log(`\n## ${name}`);
  const r = spawnSync(process.execPath, [join(dir, name)], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
