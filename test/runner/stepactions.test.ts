// Steps that refer to StepActions (steps[].ref): resolved from the given files, params passed
// (Task params substituted first), StepResults between steps, and a tektite plugin StepAction.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot, tektiteBin } from '../helpers/paths.js';
import { condition, runYaml } from './run-helper.js';
import { loadText } from '../../src/tekton/load.js';

const stepAction = `apiVersion: tekton.dev/v1beta1
kind: StepAction
metadata: {name: greet}
spec:
  params:
    - {name: who}
    - {name: greeting, default: hello}
    - {name: extra, type: array, default: []}
  results: [{name: said}]
  image: alpine
  command: [sh, -c]
  args: ['printf "%s %s" "$0" "$1" > $(step.results.said.path); echo "$0 $1 [$2 $3]"', "$(params.greeting)", "$(params.who)", "$(params.extra[*])"]
`;

const taskRun = (steps: string, params = '[{name: name, value: world}]') => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: sa}
spec:
  params: ${params}
  taskSpec:
    params: [{name: name}]
    results: [{name: out, value: $(steps.first.results.said)}]
    steps:
${steps.replace(/^/gm, '      ')}
`;

/** Runs with the StepAction available through the runner API (as `-f stepaction.yaml` does). */
async function run(yaml: string, executor: 'host' | 'sandbox' = 'host') {
  const docs = loadText(stepAction, 'sa.yaml').docs;
  const runs = await runYaml(yaml, executor, { stepActions: new Map(docs.map((d) => [d.name, d.value])) });
  return runs[0]!;
}

describe('StepActions', () => {
  for (const executor of ['host', 'sandbox'] as const) {
    it(`runs referenced StepActions with step params over defaults, and their step results (${executor})`, async () => {
      const r = await run(
        taskRun(`- name: first
  ref: {name: greet}
  params: [{name: who, value: $(params.name)}, {name: extra, value: [x, z]}]
- name: second
  ref: {name: greet}
  params: [{name: who, value: "$(steps.first.results.said)"}, {name: greeting, value: hi}]`),
        executor,
      );
      assert.equal(condition(r.taskRun)!.status, 'True', r.log);
      assert.match(r.log, /^\[first\] hello world \[x z\]$/m);
      assert.match(r.log, /^\[second\] hi hello world \[ \]$/m);
      assert.deepEqual(r.taskRun.status!.results, [{ name: 'out', type: 'string', value: 'hello world' }]);
      assert.deepEqual(r.taskRun.status!.steps![0]!.results, [{ name: 'said', type: 'string', value: 'hello world' }]);
      assert.equal(r.taskRun.status!.taskSpec!.steps[0]!.image, 'alpine');
    });
  }

  it('a StepAction that is not in the given files is an input error', async () => {
    const r = await run(taskRun('- {name: first, ref: {name: nowhere}}'));
    assert.deepEqual(condition(r.taskRun)!.reason, 'TaskRunResolutionFailed');
    assert.equal(condition(r.taskRun)!.message, 'stepactions.tekton.dev "nowhere" not found: give the StepAction\'s file with -f');
    assert.ok(r.inputError);
  });

  it('StepAction defaults that refer to other params are resolved pass by pass; a cycle or a missing param fails the run', async () => {
    const chained = (params: string) => `apiVersion: tekton.dev/v1beta1
kind: StepAction
metadata: {name: paths}
spec:
  params: ${params}
  image: alpine
  command: [echo]
  args: ["$(params.c)"]
`;
    const runWith = async (params: string, stepParams = '[]') => {
      const docs = loadText(chained(params), 'sa.yaml').docs;
      const runs = await runYaml(taskRun(`- {name: first, ref: {name: paths}, params: ${stepParams}}`), 'host', { stepActions: new Map(docs.map((d) => [d.name, d.value])) });
      return runs[0]!;
    };
    // c waits for b, b for a (declared in any order); a step's value counts as given
    const ok = await runWith('[{name: c, default: "$(params.b)/c"}, {name: b, default: "$(params.a)/b"}, {name: a, default: /root}]');
    assert.equal(condition(ok.taskRun)!.status, 'True', ok.log);
    assert.match(ok.log, /^\[first\] \/root\/b\/c$/m);
    const given = await runWith('[{name: c, default: "$(params.b)/c"}, {name: b, default: "$(params.a)/b"}, {name: a, default: /root}]', '[{name: b, value: /mine}]');
    assert.match(given.log, /^\[first\] \/mine\/c$/m);
    const cycle = await runWith('[{name: c, default: "$(params.b)"}, {name: b, default: "$(params.c)"}]');
    assert.deepEqual(condition(cycle.taskRun), { ...condition(cycle.taskRun), status: 'False', reason: 'TaskRunResolutionFailed', message: 'failed to resolve step ref for step "first" (index 0): circular dependency detected in parameter references' });
    const nowhere = await runWith('[{name: c, default: "$(params.zz)"}]');
    assert.equal(condition(nowhere.taskRun)!.message, 'failed to resolve step ref for step "first" (index 0): parameter "c" references non-existent parameter "zz"');
    // a bracket reference in such a default names no param to Tekton (it keeps the match's text)
    const bracket = await runWith(`[{name: c, default: '$(params.a) $(params["a"])'}, {name: a, default: x}]`);
    assert.equal(condition(bracket.taskRun)!.message, 'failed to resolve step ref for step "first" (index 0): parameter "c" references non-existent parameter "$(params[\\"a\\"]"');
  });

  it('a StepAction param without default and without value fails the run', async () => {
    const r = await run(taskRun('- {name: first, ref: {name: greet}}'));
    assert.deepEqual(condition(r.taskRun)!.reason, 'TaskRunValidationFailed');
    assert.equal(condition(r.taskRun)!.message, '[User error] StepAction greet is missing values for these params which have no default values: [who]');
  });
});

describe('StepAction generated from a tektite plugin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tektite-sa-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  it('runs from source through a wrapping Task (tektite.dev/source on the StepAction)', () => {
    const gen = spawnSync(process.execPath, [tektiteBin, 'generate', join(repoRoot, 'examples/echo-all/echo-all.ts'), '--stepaction', '-o', join(dir, 'stepaction.yaml')], { encoding: 'utf8' });
    assert.equal(gen.status, 0, gen.stderr);
    writeFileSync(
      join(dir, 'wrapper.yaml'),
      `apiVersion: tekton.dev/v1
kind: Task
metadata: {name: echo-all-via-stepaction}
spec:
  params: [{name: text}, {name: items, type: array, default: []}]
  results:
    - {name: text, value: $(steps.echo.results.text)}
    - {name: items, type: array, value: $(steps.echo.results.items)}
  steps:
    - name: echo
      ref: {name: echo-all}
      params: [{name: text, value: $(params.text)}, {name: items, value: ["$(params.items[*])"]}]
`,
    );
    const r = spawnSync(process.execPath, [tektiteBin, 'run', 'wrapper.yaml', '-f', 'stepaction.yaml', '-p', 'text=héllo', '-p', 'items=a,b', '--executor', 'host'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^text = héllo$/m);
    assert.match(r.stdout, /^items = \["a","b"\]$/m);
  });
});
