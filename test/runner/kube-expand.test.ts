// The kubelet's $(VAR) expansion on its own (Kubernetes third_party/forked/golang/expansion).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { expandKube } from '../../src/runner/kube-expand.js';

const vars: Record<string, string> = { A: 'a', EMPTY: '' };
const x = (s: string) => expandKube(s, (n) => vars[n]);

it('replaces defined variables, keeps undefined ones, unescapes $$', () => {
  assert.equal(x('$(A)-$(B)-$(EMPTY)|'), 'a-$(B)-|');
  assert.equal(x('$$(A) $$ $$$(A)'), '$(A) $ $a');
  assert.equal(x('$A ${A} $(A'), '$A ${A} $(A');
  assert.equal(x('end$'), 'end$');
  assert.equal(x('no dollars'), 'no dollars');
});
