// The sub-command loader: a V8 code cache made by a run is used by the next load, and a bundle
// changed after the cache was made is compiled from its source, never from the stale cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadCommand, lastLoad } from '../../src/cli/load-command.js';
import { repoRoot, tektiteBin } from '../helpers/paths.js';

// A bundled sub-command as scripts/bundle-cli.mjs writes one: CommonJS, default export last.
const bundle = (answer: number) => `"use strict";\nmodule.exports = { default: async (argv) => ${answer} + argv.length };\nmodule.exports = module.exports.default;\n`;

test('a code cache made by one run is used by the next; a changed bundle is never run from it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tektite-load-command-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'x.cjs');
  writeFileSync(file, bundle(7));
  // (a plain require is cached by node for the process: 'y' shows it, 'x' stays unrequired)
  writeFileSync(join(dir, 'y.cjs'), bundle(1));
  assert.equal(await loadCommand('y', dir)(['a']), 2);
  assert.equal(lastLoad, 'require', 'no cache: a plain require');

  process.env.TEKTITE_MAKE_CODE_CACHE = '1';
  try {
    assert.equal(await loadCommand('x', dir)([]), 7);
  } finally {
    delete process.env.TEKTITE_MAKE_CODE_CACHE;
  }
  assert.ok(existsSync(`${file}.v8cache`), 'the run wrote the cache');

  assert.equal(await loadCommand('x', dir)(['a', 'b']), 9);
  assert.equal(lastLoad, 'cache', 'V8 accepted the cache');

  // Same length, other code: V8 alone would accept the cache (it checks the length only).
  writeFileSync(file, bundle(5));
  utimesSync(file, new Date(), new Date(Date.now() + 5000));
  assert.equal(readFileSync(file, 'utf8').length, bundle(7).length);
  assert.equal(await loadCommand('x', dir)([]), 5, 'the changed bundle runs, not the cached one');
  assert.equal(lastLoad, 'require');
});

test('npm run build leaves a code cache for validate that the CLI accepts', () => {
  const cache = join(repoRoot, 'dist', 'cli', 'validate.cjs.v8cache');
  assert.ok(existsSync(cache), 'scripts/bundle-cli.mjs writes dist/cli/validate.cjs.v8cache');
  // The loader's verdict, from a real run of the CLI.
  const r = spawnSync(process.execPath, [tektiteBin, 'validate', join(repoRoot, 'plugins', 'git-clone', 'task.yaml')], {
    encoding: 'utf8',
    env: { ...process.env, TEKTITE_DEBUG_LOAD: '1' },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^tektite: validate loaded from code cache$/m);
});
