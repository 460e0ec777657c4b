// `tektite init`: the scaffold installs against this checkout, type-checks, passes its own test,
// and generates YAML; bad names and non-empty folders are refused without writing anything.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot, tektiteBin } from '../helpers/paths.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tektite-init-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function sh(command: string, args: string[], cwd: string) {
  // NODE_TEST_CONTEXT would make the scaffold's `node --test` report to this test runner instead.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
  if (r.error) throw new Error(`${command} could not start: ${r.error.message}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the scaffold passes its own test out of the box', () => {
  const created = sh(process.execPath, [tektiteBin, 'init', 'hello-step'], dir);
  assert.equal(created.code, 0, created.stderr);
  const root = join(dir, 'hello-step');
  assert.deepEqual(readdirSync(root).sort(), ['.gitignore', 'README.md', 'hello-step.test.ts', 'hello-step.ts', 'package.json', 'tsconfig.json']);
  // The scaffold's own `npm install` finds tektite: package.json points at this checkout.
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.equal(pkg.dependencies.tektite, `file:${repoRoot}`);
  const installed = sh('npm', ['install', '--omit=dev', '--no-package-lock'], root);
  assert.equal(installed.code, 0, installed.stderr);
  const tested = sh('npm', ['test'], root);
  assert.equal(tested.code, 0, tested.stdout + tested.stderr);
  assert.match(tested.stdout, /# pass 2\n# fail 0\n/);

  const tsc = sh(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', '.', '--typeRoots', join(repoRoot, 'node_modules/@types')], root);
  assert.equal(tsc.code, 0, tsc.stdout + tsc.stderr);

  const generated = sh('npm', ['run', 'generate'], root);
  assert.equal(generated.code, 0, generated.stderr);
  const task = parse(readFileSync(join(root, 'task.yaml'), 'utf8'));
  assert.equal(task.metadata.annotations['tektite.dev/source'], 'hello-step.ts');
  assert.deepEqual(task.spec.steps[0].command, ['/tektite/node', '/tektite/hello-step.mjs']);
  assert.equal(parse(readFileSync(join(root, 'stepaction.yaml'), 'utf8')).kind, 'StepAction');
});

test('init refuses bad names and non-empty folders, writing nothing', () => {
  for (const name of ['Hello', 'under_score', '-lead', 'x'.repeat(64)]) {
    const r = sh(process.execPath, [tektiteBin, 'init', '--', name], dir);
    assert.equal(r.code, 2, name);
    assert.match(r.stderr, /is not a valid name/);
  }
  const busy = join(dir, 'busy');
  mkdirSync(busy);
  writeFileSync(join(busy, 'keep.txt'), 'mine');
  const r = sh(process.execPath, [tektiteBin, 'init', 'busy'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /busy exists and is not empty; nothing was written/);
  assert.deepEqual(readdirSync(busy), ['keep.txt']);
  writeFileSync(join(dir, 'a-file'), 'mine');
  const onFile = sh(process.execPath, [tektiteBin, 'init', 'x', '--dir', 'a-file'], dir);
  assert.equal(onFile.code, 2, onFile.stderr);
  assert.match(onFile.stderr, /a-file exists and is not a folder; nothing was written/);
  assert.equal(readFileSync(join(dir, 'a-file'), 'utf8'), 'mine');
  const usage = sh(process.execPath, [tektiteBin, 'init'], dir);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /give the plugin's name/);
});

test('tektite/register runs TypeScript that imports ./x.js siblings', () => {
  const root = join(dir, 'ts');
  mkdirSync(root);
  writeFileSync(join(root, 'lib.ts'), 'export const twice = (n: number): number => n * 2;\n');
  writeFileSync(join(root, 'main.ts'), "import { twice } from './lib.js';\nconst x: number = twice(21);\nconsole.log(x);\n");
  const r = sh(process.execPath, ['--import', join(repoRoot, 'dist/src/build/ts-register.js'), 'main.ts'], root);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '42\n');
});
