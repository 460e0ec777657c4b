// The committed task.yaml / stepaction.yaml are exactly what `tektite generate` emits now, and the
// Task has the catalog git-clone 0.10 interface: params (names, types, defaults, descriptions),
// workspaces, results, and every env name the catalog step sets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot, requireCorpus } from '../helpers/paths.js';
import { tektite, taskYaml } from './harness.js';

const pluginDir = join(repoRoot, 'plugins', 'git-clone');

type Named = { name: string; [k: string]: unknown };
type TaskDoc = { spec: { params: Named[]; workspaces: Named[]; results: Named[]; steps: { env: Named[] }[] } };

for (const [file, flags] of [
  ['task.yaml', []],
  ['stepaction.yaml', ['--stepaction']],
] as const) {
  test(`plugins/git-clone/${file} is what \`tektite generate\` emits from plugin.ts`, async () => {
    const run = await tektite(['generate', 'plugin.ts', ...flags], pluginDir);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(readFileSync(join(pluginDir, file), 'utf8'), run.stdout, `${file} is stale: run \`cd plugins/git-clone && tektite generate plugin.ts ${flags.join(' ')} -o ${file}\``);
  });
}

test("the Task's params, workspaces and results are the catalog 0.10 ones", () => {
  const catalog = parse(readFileSync(join(requireCorpus(), 'catalog-tests', 'git-clone', '0.10', 'git-clone.yaml'), 'utf8')) as TaskDoc;
  const ours = parse(readFileSync(taskYaml, 'utf8')) as TaskDoc;
  const param = (p: Named) => ({ name: p.name, type: p.type ?? 'string', default: p.default, description: p.description });
  assert.deepEqual(ours.spec.params.map(param), catalog.spec.params.map(param));
  const ws = (w: Named) => ({ name: w.name, optional: w.optional ?? false, description: w.description });
  assert.deepEqual(ours.spec.workspaces.map(ws), catalog.spec.workspaces.map(ws));
  const res = (r: Named) => ({ name: r.name, type: r.type ?? 'string', description: r.description });
  assert.deepEqual(ours.spec.results.map(res), catalog.spec.results.map(res));
  const ourEnv = new Map(ours.spec.steps[0]!.env.map((e) => [e.name, e.value]));
  for (const e of catalog.spec.steps[0]!.env) assert.equal(ourEnv.get(e.name), e.value, `env ${e.name}`);
});

test('the generated Task and StepAction pass `tektite validate --strict` (webhook rules and lint)', async () => {
  const run = await tektite(['validate', '--strict', 'task.yaml', 'stepaction.yaml'], pluginDir);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout + run.stderr, /2 Tekton documents: 0 errors, 0 warnings/);
});
