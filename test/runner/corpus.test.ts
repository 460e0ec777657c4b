// Every TaskRun example of Tekton Pipelines in the shared corpus must end Succeeded=True, under
// both executors, with the step states, results and output Tekton documents for it.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { requireCorpus } from '../helpers/paths.js';
import type { TaskRun } from '../../src/tekton/types.js';
import { condition, runYaml, type ExecutorName, type TestRun } from './run-helper.js';

const dir = join(requireCorpus(), 'tekton-examples');

const steps = (t: TaskRun) => (t.status?.steps ?? []).map((s) => [s.name, s.container, s.terminated?.exitCode, s.terminated?.reason, s.terminationReason]);
const completed = (...names: string[]) => names.map((n) => [n, `step-${n}`, 0, 'Completed', 'Completed']);

/** What each example must show beyond Succeeded=True. */
const expectations: Record<string, (r: TestRun, executor: ExecutorName) => void> = {
  '5080-entrypoint-init-regression.yaml': (r) => {
    assert.match(r.log, /^\[echo-cli\] init foo bar$/m);
    assert.deepEqual(r.taskRun.status!.taskSpec!.steps[0]!.args, ['init', 'foo', 'bar']);
  },
  'beta-emit-array-results.yaml': (r) => {
    assert.deepEqual(r.taskRun.status!.results, [{ name: 'array-results', type: 'array', value: ['hello', 'world'] }]);
    assert.match(r.log, /^\[check-results-array\] TRUE$/m);
  },
  'beta-param_array_indexing.yaml': (r) => {
    assert.match(r.log, /^\[echo-params-1\] foo$/m);
    assert.match(r.log, /^\[echo-params-2\] Get expected: bar$/m);
  },
  'custom-env.yaml': (r) => assert.deepEqual(steps(r.taskRun), [['unnamed-0', 'step-unnamed-0', 0, 'Completed', 'Completed']]),
  'default_task_params.yaml': (r) => assert.match(r.log, /^\[echo-input\] No input provided, but that's okay!$/m),
  'ignore-step-error.yaml': (r) => {
    assert.deepEqual(steps(r.taskRun), [
      ['exit-with-1', 'step-exit-with-1', 1, 'Completed', 'Continued'],
      ['verify-step-path', 'step-verify-step-path', 0, 'Completed', 'Completed'],
    ]);
    assert.match(r.log, /Yay! the exit code matches to the previous step exit code/);
  },
  'object-param-result.yaml': (r) => {
    assert.deepEqual(r.taskRun.status!.results, [{ name: 'object-results', type: 'object', value: { IMAGE_URL: 'ar.com', IMAGE_DIGEST: 'sha234' } }]);
    assert.match(r.log, /validate the params.gitrepo.url successfully/);
    assert.match(r.log, /validate the params.gitrepo.commit successfully/);
  },
  'optional-workspaces.yaml': (r, ex) => {
    const where = ex === 'sandbox' ? '/workspace/source-code' : join(r.runDir, 'workspaces', 'source-code');
    assert.ok(r.log.includes(`[check-workspaces] Source code workspace was provided at ${where}!`), r.log);
    assert.doesNotMatch(r.log, /Unexpected extra configuration/);
  },
  'propagating_params_implicit.yaml': (r) => assert.match(r.log, /^\[default\] hello world!$/m),
  'steptemplate-env-merge.yaml': (r) => assert.deepEqual(steps(r.taskRun), completed('foo', 'foobar', 'bar', 'qux-no-override', 'qux-override')),
  'task-result.yaml': (r) => {
    const [ts, human] = r.taskRun.status!.results!;
    assert.equal(ts!.name, 'current-date-unix-timestamp');
    assert.match(ts!.value as string, /^\d{10}\n$/);
    assert.equal(human!.name, 'current-date-human-readable');
    assert.match(human!.value as string, /\d\d:\d\d:\d\d.*\n$/);
  },
  'unnamed-steps.yaml': (r) => assert.deepEqual(steps(r.taskRun).map((s) => s.slice(0, 2)), [0, 1, 2].map((i) => [`unnamed-${i}`, `step-unnamed-${i}`])),
  'using_context_variables.yaml': (r) => {
    const name = r.taskRun.metadata.name!;
    assert.match(name, /^test-taskrun-[a-z0-9]{5}$/);
    assert.ok(r.log.includes(`[print-names] Task name: ${name}\n`), r.log);
    assert.ok(r.log.includes(`[print-names] TaskRun name: ${name}\n`));
    assert.ok(r.log.includes(`[print-uid] TaskRunUID name: ${r.taskRun.metadata.uid}\n`));
  },
  'workingdir.yaml': (r) => assert.deepEqual(steps(r.taskRun), completed('default', 'override')),
};

const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

it('has an expectation for every example in the corpus', () => {
  assert.deepEqual(files, Object.keys(expectations).sort());
});

for (const executor of ['host', 'sandbox'] as const) {
  describe(`tekton examples, ${executor} executor`, () => {
    for (const file of files) {
      it(file, async () => {
        const runs = await runYaml(readFileSync(join(dir, file), 'utf8'), executor);
        assert.equal(runs.length, 1);
        const r = runs[0]!;
        assert.deepEqual(
          { status: condition(r.taskRun)?.status, reason: condition(r.taskRun)?.reason, message: condition(r.taskRun)?.message },
          { status: 'True', reason: 'Succeeded', message: 'All Steps have completed executing' },
          r.log,
        );
        expectations[file]!(r, executor);
      });
    }
  });
}
