import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { toV1, sourcePath, TASK_DEPRECATIONS_ANNOTATION, RESOURCES_ANNOTATION } from '../../src/tekton/convert.js';
import { loadPaths } from '../../src/tekton/files.js';
import { requireCorpus } from '../helpers/paths.js';

test('v1beta1 Task: resources -> computeResources, deprecated fields and PipelineResources to annotations', () => {
  const task = {
    apiVersion: 'tekton.dev/v1beta1',
    kind: 'Task',
    metadata: { name: 't' },
    spec: {
      resources: { inputs: [{ name: 'src', type: 'git' }] },
      stepTemplate: { name: 'tmpl', resources: { limits: { cpu: '1' } } },
      steps: [
        { name: 'a', image: 'x', resources: { requests: { memory: '1Gi' } }, tty: true },
        { name: 'b', image: 'y' },
      ],
      sidecars: [{ name: 's', image: 'z', resources: {} , ports: [{ containerPort: 80 }] }],
    },
  };
  const before = structuredClone(task);
  const v1 = toV1(task) as any;
  assert.deepEqual(task, before, 'input untouched');
  assert.equal(v1.apiVersion, 'tekton.dev/v1');
  assert.equal(v1.spec.resources, undefined);
  assert.deepEqual(JSON.parse(v1.metadata.annotations[RESOURCES_ANNOTATION]), { inputs: [{ name: 'src', type: 'git' }] });
  assert.deepEqual(v1.spec.steps[0], { name: 'a', image: 'x', computeResources: { requests: { memory: '1Gi' } } });
  assert.deepEqual(v1.spec.stepTemplate, { computeResources: { limits: { cpu: '1' } } });
  assert.deepEqual(v1.spec.sidecars[0], { name: 's', image: 'z', computeResources: {}, ports: [{ containerPort: 80 }] }, 'sidecars keep container fields');
  assert.deepEqual(JSON.parse(v1.metadata.annotations[TASK_DEPRECATIONS_ANNOTATION]), {
    t: { deprecatedSteps: [{ tty: true }, {}], deprecatedStepTemplate: { name: 'tmpl' } },
  });
});

test('v1beta1 TaskRun: overrides -> specs, bundle -> resolver, taskResults -> results', () => {
  const tr = {
    apiVersion: 'tekton.dev/v1beta1',
    kind: 'TaskRun',
    metadata: { name: 'r' },
    spec: {
      taskRef: { name: 'build', bundle: 'reg.io/b:1' },
      stepOverrides: [{ name: 'a', resources: { limits: { cpu: '1' } } }],
      sidecarOverrides: [{ name: 's', resources: {} }],
    },
    status: { taskResults: [{ name: 'x', value: 'y' }], cloudEvents: [] },
  };
  const v1 = toV1(tr) as any;
  assert.deepEqual(v1.spec.taskRef, {
    resolver: 'bundles',
    params: [{ name: 'bundle', value: 'reg.io/b:1' }, { name: 'name', value: 'build' }, { name: 'kind', value: 'Task' }],
  });
  assert.deepEqual(v1.spec.stepSpecs, [{ name: 'a', computeResources: { limits: { cpu: '1' } } }]);
  assert.deepEqual(v1.spec.sidecarSpecs, [{ name: 's', computeResources: {} }]);
  assert.equal(v1.spec.stepOverrides, undefined);
  assert.deepEqual(v1.status, { results: [{ name: 'x', value: 'y' }] });
});

test('v1 documents and non-objects come back as equal copies', () => {
  const v1 = { apiVersion: 'tekton.dev/v1', kind: 'Task', spec: { steps: [{ image: 'x', resources: 'kept: v1 has no such field' }] } };
  const out = toV1(v1);
  assert.deepEqual(out, v1);
  assert.notEqual(out, v1);
  for (const v of [null, 3, 'x', [1], { apiVersion: 'tekton.dev/v1beta1', kind: 'Task', spec: { steps: [null, 1] } }]) assert.doesNotThrow(() => toV1(v));
});

test('sourcePath maps renamed keys back to the original document', () => {
  const orig = { spec: { steps: [{ resources: { limits: {} } }], stepOverrides: [{ name: 'a' }] } };
  assert.deepEqual(sourcePath(orig, ['spec', 'steps', 0, 'computeResources', 'limits']), ['spec', 'steps', 0, 'resources', 'limits']);
  assert.deepEqual(sourcePath(orig, ['spec', 'stepSpecs', 0, 'name']), ['spec', 'stepOverrides', 0, 'name']);
  assert.deepEqual(sourcePath(orig, ['spec', 'steps', 0, 'image']), ['spec', 'steps', 0, 'image']);
});

test('every v1beta1 catalog Task converts; steps and params survive', () => {
  const corpus = requireCorpus();
  const docs = loadPaths([join(corpus, 'catalog')]).tekton.filter((d) => d.apiVersion === 'tekton.dev/v1beta1');
  assert.ok(docs.length >= 130, `v1beta1 tasks found: ${docs.length}`);
  for (const d of docs) {
    const v1 = toV1(d.value) as any;
    const orig = d.value as any;
    assert.equal(v1.apiVersion, 'tekton.dev/v1', d.file);
    assert.equal(v1.spec.steps.length, orig.spec.steps.length, d.file);
    assert.deepEqual(v1.spec.params, orig.spec.params, d.file);
    for (const s of v1.spec.steps) assert.equal('resources' in s, false, d.file);
  }
});
