// Kubernetes resource quantities: read, compared and printed as resource.Quantity does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareQuantities, formatQuantity, parseQuantity } from '../../src/tekton/quantity.js';

const q = (s: unknown) => {
  const v = parseQuantity(s);
  assert.ok(v, `${String(s)} should parse`);
  return v;
};

test('printed in the canonical form Kubernetes prints (Quantity.String)', () => {
  const cases: [unknown, string][] = [
    ['1000m', '1'], ['1500m', '1500m'], ['0.5', '500m'], ['0.1', '100m'], ['2', '2'], [2, '2'], [0.25, '250m'],
    ['2000', '2k'], ['100M', '100M'], ['1.5G', '1500M'], ['0', '0'], ['0m', '0'],
    ['1Ki', '1Ki'], ['1024Mi', '1Gi'], ['1.5Gi', '1536Mi'], ['1.0Gi', '1Gi'], ['0.5Ki', '512'], ['1536', '1536'],
    ['1e3', '1e3'], ['12e6', '12e6'], ['1n', '1n'], ['0.1n', '1n'], ['1u', '1u'], ['1.5e3', '1500'], ['1023Ki', '1023Ki'],
    // text Kubernetes finds canonical already is printed as written
    ['1.500', '1.500'], ['1.250', '1.250'], ['1E3', '1E3'], ['+1', '+1'], ['01', '01'], ['+1Ki', '+1Ki'], [' 2Gi', '2Gi'],
    // below nano units: away from zero; binary beyond int64: capped; no decimal suffix beyond E: none
    ['-1.5n', '-2n'], ['1e-999999999', '1e-9'], ['1024Ei', '9223372036854775807'], ['1000E', '1'], ['1e999999999', '1e999999999'],
    ['Gi', '0'], ['Ti', '0'],
    // an exponent is read as an int64 and truncated to int32, as Kubernetes does (the text kept)
    ['1e4294967296', '1e4294967296'],
  ];
  for (const [text, want] of cases) assert.equal(formatQuantity(q(text)), want, String(text));
});

test('compared exactly, across suffix families', () => {
  assert.equal(compareQuantities(q('1000m'), q('1')), 0);
  assert.equal(compareQuantities(q('1Gi'), q('1G')), 1);
  assert.equal(compareQuantities(q('1073741824'), q('1Gi')), 0);
  assert.equal(compareQuantities(q('0.5'), q('600m')), -1);
  assert.equal(compareQuantities(q('5G'), q('4Gi')), 1);
  assert.equal(compareQuantities(q('1e3'), q('1k')), 0);
  assert.equal(compareQuantities(q('8Ei'), q('9Ei')), 0, 'both capped at the largest int64');
  assert.equal(compareQuantities(q('1e4294967296'), q('1')), 0, 'the exponent truncated to int32');
  assert.equal(compareQuantities(q('1e4294967299'), q('1k')), 0);
  assert.equal(compareQuantities(q('-2'), q('1m')), -1);
  // huge exponents are compared by magnitude, at once
  assert.equal(compareQuantities(q('1e999999999'), q('1m')), 1);
  assert.equal(compareQuantities(q('1e-999999999'), q('1n')), 0);
  assert.equal(compareQuantities(q('2e999999999'), q('1e999999999')), 1);
});

test('what Kubernetes does not read is no quantity', () => {
  // (digits-less text is zero where Kubernetes' fast path reads it, `Gi`, and refused where its slow path does)
  for (const bad of ['', 'abc', '1K', '1.2.3', '1 Gi', '1e99999999999999999999', 'Pi', 'Ei', 'e-10', '.e-10', '-Pi', '--1', null, {}, ['1']]) assert.equal(parseQuantity(bad), undefined, String(bad));
});
