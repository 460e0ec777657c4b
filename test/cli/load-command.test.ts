// The sub-command loader: a V8 code cache made by a run is used by the next load; a bundle
// changed after the cache was made, or a damaged cache, is never run from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadCommand, lastLoad } from '../../src/cli/load-command.js';
import { repoRoot, tektiteBin } from '../helpers/paths.js';

// A bundled sub-command as scripts/bundle-cli.mjs writes one: CommonJS, default export last.
const bundle = (answer: number) => `"use strict";\nmodule.exports = { default: async (argv) => ${answer} + argv.length };\nmodule.exports = module.exports.default;\n`;

/** A folder holding a fake `validate` bundle (the one command with a cache) and another command. */
function folder(t: { after: (f: () => void) => void }, answer: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'tektite-load-command-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'validate.cjs'), bundle(answer));
  writeFileSync(join(dir, 'other.cjs'), bundle(1));
  return dir;
}

async function makeCache(dir: string, name = 'validate'): Promise<number> {
  process.env.TEKTITE_MAKE_CODE_CACHE = '1';
  try {
    return await loadCommand(name, dir)([]);
  } finally {
    delete process.env.TEKTITE_MAKE_CODE_CACHE;
  }
}

test('a code cache made by one run is used by the next; a changed bundle is run from its source', async (t) => {
  const dir = folder(t, 7);
  assert.equal(await makeCache(dir), 7);
  assert.equal(lastLoad, 'making-cache');
  assert.ok(existsSync(join(dir, 'validate.cjs.v8cache')), 'the run wrote the cache');

  assert.equal(await loadCommand('validate', dir)(['a', 'b']), 9);
  assert.equal(lastLoad, 'cache', 'V8 accepted the cache');

  // Same length and no other sign of change: V8 alone would run the cached code.
  writeFileSync(join(dir, 'validate.cjs'), bundle(5));
  assert.equal(readFileSync(join(dir, 'validate.cjs'), 'utf8').length, bundle(7).length);
  assert.equal(await loadCommand('validate', dir)([]), 5, 'the changed bundle runs, not the cached one');
  assert.equal(lastLoad, 'require');
});

/** Loads and runs `validate` from `dir` in a fresh node (in this one V8 would reuse what it compiled before). */
function loadInChild(dir: string): { answer: number; how: string } {
  const loader = new URL('../../src/cli/load-command.js', import.meta.url).href;
  const script = `const m = await import(${JSON.stringify(loader)});\nconst answer = await m.loadCommand('validate', ${JSON.stringify(dir)})(['a']);\nconsole.log(JSON.stringify({ answer, how: m.lastLoad }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'nothing printed (no warning, no unrecognized V8 flag)');
  return JSON.parse(r.stdout) as { answer: number; how: string };
}

test('a damaged cache is never run from (V8 verifies its checksum); other commands never get one', async (t) => {
  const dir = folder(t, 3);
  await makeCache(dir);
  const file = join(dir, 'validate.cjs.v8cache');
  const good = readFileSync(file);
  assert.deepEqual(loadInChild(dir), { answer: 4, how: 'cache' });
  // A flipped byte in the header, in the copy of the bundle, or in V8's data (past V8's own
  // 24-byte header, whose payload-length field the checksum does not cover), and a cache cut short.
  const payload = 128 + Math.ceil(bundle(3).length / 8) * 8;
  const damaged = [5, 130, payload + 32, payload + 100, Math.floor((payload + good.length) / 2), good.length - 1].map((at) => {
    const cache = Buffer.from(good);
    cache[at]! ^= 0xff;
    return { what: `byte ${at} of ${good.length} flipped`, cache };
  });
  damaged.push({ what: 'the last byte cut', cache: good.subarray(0, good.length - 1) });
  for (const { what, cache } of damaged) {
    writeFileSync(file, cache);
    const r = loadInChild(dir);
    assert.equal(r.answer, 4, what);
    assert.ok(r.how === 'require' || r.how === 'cache-rejected', `${what}: loaded as ${r.how}`);
  }

  assert.equal(await makeCache(dir, 'other'), 1);
  assert.equal(lastLoad, 'require');
  assert.ok(!existsSync(join(dir, 'other.cjs.v8cache')), 'no cache for a command the build does not cache');
});

test('npm run build leaves a code cache for validate that the CLI accepts', () => {
  assert.ok(existsSync(join(repoRoot, 'dist', 'cli', 'validate.cjs.v8cache')), 'scripts/bundle-cli.mjs writes dist/cli/validate.cjs.v8cache');
  const r = spawnSync(process.execPath, [tektiteBin, 'validate', join(repoRoot, 'plugins', 'git-clone', 'task.yaml')], {
    encoding: 'utf8',
    env: { ...process.env, TEKTITE_DEBUG_LOAD: '1' },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^tektite: validate loaded from code cache$/m);
});
