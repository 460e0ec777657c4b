import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mergeStepTemplate } from '../../src/tekton/merge.js';
import { loadPaths } from '../../src/tekton/files.js';
import { requireCorpus } from '../helpers/paths.js';

test('step fields win; maps merge by key; command and args are atomic', () => {
  const template = {
    image: 'alpine',
    command: ['sh'],
    args: ['-c', 'x'],
    workingDir: '/t',
    computeResources: { limits: { cpu: '1', memory: '1Gi' } },
    securityContext: { runAsUser: 1000, privileged: false },
  };
  const step = { name: 's', image: 'busybox', args: ['y'], computeResources: { limits: { cpu: '2' } }, securityContext: { privileged: true }, workingDir: null, script: 'echo' };
  const m = mergeStepTemplate(template, step) as Record<string, unknown>;
  assert.equal(m.image, 'busybox');
  assert.deepEqual(m.command, ['sh']);
  assert.deepEqual(m.args, ['y']);
  assert.equal('workingDir' in m, false, 'null in the step removes the template value');
  assert.deepEqual(m.computeResources, { limits: { cpu: '2', memory: '1Gi' } });
  assert.deepEqual(m.securityContext, { runAsUser: 1000, privileged: true });
  assert.equal(m.script, 'echo');
  assert.equal(m.name, 's');
});

test('env merges by name (step-only first), volumeMounts by mountPath', () => {
  const template = {
    env: [{ name: 'A', value: 'ta' }, { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }, { name: 'C', value: 'tc' }],
    volumeMounts: [{ name: 'v1', mountPath: '/a' }, { name: 'v2', mountPath: '/b', readOnly: true }],
  };
  const step = {
    image: 'x',
    env: [{ name: 'Z', value: 'sz' }, { name: 'B', value: 'sb' }],
    volumeMounts: [{ name: 'other', mountPath: '/b' }, { name: 'v3', mountPath: '/c' }],
  };
  const m = mergeStepTemplate(template, step) as any;
  assert.deepEqual(m.env, [{ name: 'Z', value: 'sz' }, { name: 'A', value: 'ta' }, { name: 'B', value: 'sb' }, { name: 'C', value: 'tc' }]);
  assert.deepEqual(m.volumeMounts, [{ name: 'v3', mountPath: '/c' }, { name: 'v1', mountPath: '/a' }, { name: 'other', mountPath: '/b', readOnly: true }]);
});

test('steps with a StepAction ref are not merged; inputs are not modified', () => {
  const template = { image: 'alpine', env: [{ name: 'A', value: '1' }] };
  const step = { ref: { name: 'action' } };
  assert.deepEqual(mergeStepTemplate(template, step), { ref: { name: 'action' } });
  const plain = { name: 'x' };
  const m = mergeStepTemplate(template, plain) as any;
  m.env[0].value = 'changed';
  assert.equal(template.env[0]!.value, '1');
  assert.deepEqual(plain, { name: 'x' });
});

test("Tekton's steptemplate-env-merge example merges as its assertions expect", () => {
  const corpus = requireCorpus();
  const doc = loadPaths([join(corpus, 'tekton-examples', 'steptemplate-env-merge.yaml')]).tekton[0]!;
  const spec = (doc.value as any).spec.taskSpec;
  const steps = spec.steps.map((s: unknown) => mergeStepTemplate(spec.stepTemplate, s));
  const env = (name: string) => steps.find((s: any) => s.name === name).env;
  assert.deepEqual(env('qux-no-override'), [{ name: 'QUX', value: 'original' }]);
  assert.deepEqual(env('qux-override'), [{ name: 'QUX', value: 'override' }]);
  assert.deepEqual(env('foo'), [{ name: 'FOO', value: '$(params.FOO)' }, { name: 'QUX', value: 'original' }]);
});
