// The bundle is one executable ESM file that runs the plugin as a process: argv/env in, results
// out, exit codes, masking (also of console output), CommonJS dependencies, license comments.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, symlinkSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundlePlugin, BundleError } from '../../src/build/bundle.js';
import { loadStepProgram, sourceOverlays } from '../../src/build/plugin-source.js';
import { repoRoot } from '../helpers/paths.js';

const echoAllSource = join(repoRoot, 'examples/echo-all/echo-all.ts');
let dir: string;
let echoAll: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tektite-bundle-'));
  echoAll = join(dir, 'echo-all.mjs');
  await bundlePlugin(echoAllSource, echoAll);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function run(bundle: string, argv: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bundle, ...argv], { env: { PATH: process.env.PATH!, ...env }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the bundle is executable and prints usage on --help', () => {
  assert.ok(statSync(echoAll).mode & 0o100);
  const viaShebang = spawnSync(echoAll, ['--help'], { encoding: 'utf8' });
  assert.equal(viaShebang.status, 0);
  assert.match(viaShebang.stdout, /^echo-all — Echo every param back/);
});

test('params from argv and env reach results byte for byte', () => {
  const res = mkdtempSync(join(dir, 'results-'));
  const env = {
    PARAM_TEXT: 'a\nü ✓ $(params.x) -x',
    PARAM_META_A: '',
    PARAM_META_B: '-b',
    RESULT_TEXT_PATH: join(res, 'text'),
    RESULT_ITEMS_PATH: join(res, 'items'),
    RESULT_META_PATH: join(res, 'meta'),
    RESULT_SUMMARY_PATH: join(res, 'summary'),
  };
  const r = run(echoAll, ['-count', '2', '-shout=false', '--tektite-array=items', '', '-x', 'new\nline'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(join(res, 'text'), 'utf8'), env.PARAM_TEXT);
  assert.equal(readFileSync(join(res, 'items'), 'utf8'), '["","-x","new\\nline"]');
  assert.equal(readFileSync(join(res, 'meta'), 'utf8'), '{"a":"","b":"-b"}');
  assert.equal(readFileSync(join(res, 'summary'), 'utf8'), 'shout=false count=2 level=normal token-length=0');
});

test('usage errors exit 2; a thrown error exits 1', () => {
  const u = run(echoAll, ['-text=x', '-nope']);
  assert.equal(u.code, 2);
  assert.match(u.stderr, /^echo-all: flag provided but not defined: -nope\n\n.*\nUsage: echo-all \[flags\]/s);
  const w = run(echoAll, ['-text=x'], { WORKSPACE_OUTPUT_PATH: join(dir, 'does/not/exist'), WORKSPACE_OUTPUT_BOUND: 'true' });
  assert.equal(w.code, 1);
  assert.match(w.stderr, /^error: ENOENT: no such file or directory/);
});

function fixture(name: string, files: Record<string, string>): string {
  const root = join(dir, name);
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), content);
  }
  mkdirSync(join(root, 'node_modules'), { recursive: true });
  symlinkSync(repoRoot, join(root, 'node_modules/tektite'));
  return root;
}

test('CommonJS dependencies that require Node built-ins work; license comments are kept; console output is masked', async () => {
  const root = fixture('cjs', {
    'node_modules/legacy/package.json': JSON.stringify({ name: 'legacy', main: 'index.js' }),
    'node_modules/legacy/index.js': [
      '/*! legacy v1.0.0 | @license MIT */',
      "const name = 'os';",
      'exports.host = () => typeof require(name).hostname();',
      "exports.join = (a, b) => require('path').join(a, b);",
    ].join('\n'),
    'plugin.ts': [
      "import { defineStep, param, result } from 'tektite/sdk';",
      "import legacy from 'legacy';",
      'export default defineStep({',
      "  name: 'cjs-user',",
      '  params: { token: param.string({ secret: true }) },',
      '  results: { joined: result.string() },',
      '  run({ params }) {',
      '    console.log(`console says ${params.token}`);',
      '    console.error(`stderr says ${params.token}`);',
      "    return { joined: legacy.join('a', legacy.host()) };",
      '  },',
      '});',
    ].join('\n'),
  });
  const out = join(root, 'dist/plugin.mjs');
  const built = await bundlePlugin(join(root, 'plugin.ts'), out, { sourcemap: true });
  assert.equal(built.bytes, statSync(out).size);
  const text = readFileSync(out, 'utf8');
  assert.match(text, /legacy v1\.0\.0 \| @license MIT/);
  assert.ok(existsSync(`${out}.map`));
  const r = run(out, [], { PARAM_TOKEN: 'tok-123-secret' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'console says ***\nresult joined: a/string\n');
  assert.equal(r.stderr, 'stderr says ***\n');
});

test('a secret written to process.stdout/stderr in pieces is masked, an unfinished last line too', async () => {
  const root = fixture('pieces', {
    'plugin.ts': [
      "import { defineStep, param } from 'tektite/sdk';",
      'export default defineStep({',
      "  name: 'pieces',",
      '  params: { token: param.string({ secret: true }) },',
      '  run({ params, log }) {',
      "    process.stdout.write('a ' + params.token.slice(0, 4));",
      "    process.stdout.write(params.token.slice(4) + ' b\\nnext ');",
      "    log.info('logged');",
      "    process.stderr.write(params.token.slice(0, 3));",
      "    process.stderr.write(params.token.slice(3));",
      '  },',
      '});',
    ].join('\n'),
  });
  const out = join(root, 'plugin.mjs');
  await bundlePlugin(join(root, 'plugin.ts'), out);
  const r = run(out, [], { PARAM_TOKEN: 'tok-123-secret' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'a *** b\nnext logged\n');
  assert.equal(r.stderr, '***');
});

test('a bundle error names the file, line and column', async () => {
  const root = fixture('broken', { 'plugin.ts': "import { defineStep } from 'tektite/sdk';\nexport default defineStep({ name: 'x', run() { return 1 +; } });\n" });
  await assert.rejects(bundlePlugin(join(root, 'plugin.ts'), join(root, 'out.mjs')), (e: unknown) => {
    assert.ok(e instanceof BundleError);
    assert.match(e.message, /cannot bundle .*plugin\.ts:\nplugin\.ts:2:\d+: /);
    return true;
  });
});

test('loadStepProgram returns the checked declaration; a non-step default export is refused', async () => {
  const p = await loadStepProgram(echoAllSource);
  assert.equal(p.name, 'echo-all');
  assert.deepEqual(Object.keys(p.params), ['text', 'shout', 'count', 'level', 'items', 'meta', 'token']);
  const root = fixture('notstep', { 'plugin.ts': 'export default { name: "x" };\n' });
  await assert.rejects(loadStepProgram(join(root, 'plugin.ts')), /the default export must be defineStep/);
});

test('sourceOverlays bundles the annotated source for the paths the step commands name', async () => {
  const yamlFile = join(repoRoot, 'examples/echo-all/task.yaml');
  const doc = {
    metadata: { annotations: { 'tektite.dev/source': 'echo-all.ts' } },
    spec: { steps: [{ command: ['/tektite/node', '/tektite/echo-all.mjs'] }] },
  };
  const out = mkdtempSync(join(dir, 'overlay-'));
  const overlays = await sourceOverlays(yamlFile, doc, out);
  assert.deepEqual(overlays, { '/tektite/node': process.execPath, '/tektite/echo-all.mjs': join(out, 'echo-all.mjs') });
  assert.equal(run(join(out, 'echo-all.mjs'), ['-h']).code, 0);
  assert.equal(await sourceOverlays(yamlFile, { metadata: {} }, out), undefined);
  // A StepAction's command is at spec level; the bundle is named after the image path.
  const stepAction = { metadata: { annotations: { 'tektite.dev/source': 'echo-all.ts' } }, spec: { command: ['/tektite/node', '/tektite/renamed.mjs'] } };
  assert.deepEqual(await sourceOverlays(yamlFile, stepAction, out), { '/tektite/node': process.execPath, '/tektite/renamed.mjs': join(out, 'renamed.mjs') });
});

test('a run that never settles or a stray rejection fails the step, masked', async () => {
  const root = fixture('stray', {
    'plugin.ts': [
      "import { defineStep, param } from 'tektite/sdk';",
      'export default defineStep({',
      "  name: 'stray',",
      "  params: { mode: param.enum(['hang', 'reject', 'throw-later']), token: param.string({ secret: true }) },",
      '  run({ params }) {',
      "    if (params.mode === 'hang') return new Promise<void>(() => {});",
      "    if (params.mode === 'reject') { void Promise.reject(new Error(`stray ${params.token}`)); return new Promise<void>((r) => setTimeout(r, 200)); }",
      '    setTimeout(() => { throw new Error(`late ${params.token}`); }, 10);',
      '    return new Promise<void>((r) => setTimeout(r, 200));',
      '  },',
      '});',
    ].join('\n'),
  });
  const out = join(root, 'stray.mjs');
  await bundlePlugin(join(root, 'plugin.ts'), out);
  const hang = run(out, ['-mode=hang'], { PARAM_TOKEN: 'sekrit-1' });
  assert.equal(hang.code, 1);
  assert.equal(hang.stderr, 'error: the program ended before run() finished (it awaits a promise that never settles)\n');
  const rejected = run(out, ['-mode=reject'], { PARAM_TOKEN: 'sekrit-1' });
  assert.equal(rejected.code, 1);
  assert.equal(rejected.stderr, 'error: stray ***\n');
  const late = run(out, ['-mode=throw-later'], { PARAM_TOKEN: 'sekrit-1' });
  assert.equal(late.code, 1);
  assert.equal(late.stderr, 'error: late ***\n');
});

test('property: the bundled program carries any argv/env text byte for byte', async () => {
  const { default: fc } = await import('fast-check');
  const text = fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => !s.includes('\0'));
  fc.assert(
    fc.property(text, fc.array(text, { maxLength: 4 }), text, (t, items, a) => {
      const res = mkdtempSync(join(dir, 'prop-'));
      const env = { PARAM_META_A: a, PARAM_META_B: '', RESULT_TEXT_PATH: join(res, 'text'), RESULT_ITEMS_PATH: join(res, 'items'), RESULT_META_PATH: join(res, 'meta') };
      const r = run(echoAll, [`-text=${t}`, '-level=quiet', '--tektite-array=items', ...items], env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(readFileSync(join(res, 'text'), 'utf8'), t);
      assert.deepEqual(JSON.parse(readFileSync(join(res, 'items'), 'utf8')), items);
      assert.deepEqual(JSON.parse(readFileSync(join(res, 'meta'), 'utf8')), { a, b: '' });
    }),
    { numRuns: 25 },
  );
});
