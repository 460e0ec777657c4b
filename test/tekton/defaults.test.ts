import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultTaskRun, defaultTaskSpec } from '../../src/tekton/defaults.js';

test('param types are inferred from properties and defaults; property types become string', () => {
  const spec = {
    params: [
      { name: 'plain' },
      { name: 'list', default: ['a'] },
      { name: 'map', default: { a: 'b' } },
      { name: 'num', default: 3 },
      { name: 'props', properties: { x: {}, y: { type: 'string' } } },
      { name: 'empty-props', properties: {} },
      { name: 'typed', type: 'array' },
    ],
    results: [{ name: 'r' }, { name: 'o', properties: { k: {} } }, { name: 'a', type: 'array' }],
    steps: [{ image: 'x', results: [{ name: 's' }] }],
  };
  const before = structuredClone(spec);
  const d = defaultTaskSpec(spec);
  assert.deepEqual(spec, before, 'input untouched');
  assert.deepEqual(d.params.map((p) => (p as { type?: string }).type), ['string', 'array', 'object', 'string', 'object', 'object', 'array']);
  assert.deepEqual(d.params[4]!.properties, { x: { type: 'string' }, y: { type: 'string' } });
  assert.deepEqual(d.results.map((r) => (r as { type?: string }).type), ['string', 'object', 'array']);
  assert.deepEqual(d.results[1]!.properties, { k: { type: 'string' } });
  assert.equal((d.steps[0]!.results[0] as { type?: string }).type, 'string');
});

test('TaskRun defaults: timeout, service account, taskRef kind, managed-by label, inline spec', () => {
  const tr = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'r' }, spec: { taskRef: { name: 't' } } };
  const d = defaultTaskRun(tr) as any;
  assert.equal(d.spec.timeout, '1h0m0s');
  assert.equal(d.spec.serviceAccountName, 'default');
  assert.equal(d.spec.taskRef.kind, 'Task');
  assert.deepEqual(d.metadata.labels, { 'app.kubernetes.io/managed-by': 'tekton-pipelines' });
  assert.equal((tr.spec as any).timeout, undefined, 'input untouched');

  const kept = defaultTaskRun({ metadata: { labels: { 'app.kubernetes.io/managed-by': 'me' } }, spec: { timeout: '0s', serviceAccountName: 'sa', taskRef: { resolver: 'git' }, taskSpec: { params: [{ name: 'p', default: ['x'] }], steps: [] } } }) as any;
  assert.equal(kept.spec.timeout, '0s');
  assert.equal(kept.spec.serviceAccountName, 'sa');
  assert.equal(kept.spec.taskRef.kind, undefined, 'no kind with a resolver');
  assert.equal(kept.metadata.labels['app.kubernetes.io/managed-by'], 'me');
  assert.equal(kept.spec.taskSpec.params[0].type, 'array');
});

test('defaulting never throws on odd shapes', () => {
  for (const v of [null, 1, 'x', [], { spec: null }, { spec: { params: [null, 1, { properties: null }] } }, { params: 'x', results: [{ properties: { a: null } }] }]) {
    defaultTaskRun(v);
    defaultTaskSpec(v);
  }
});
