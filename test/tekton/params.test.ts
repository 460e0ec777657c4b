import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeParamValue } from '../../src/tekton/params.js';
import { loadText } from '../../src/tekton/load.js';

test('decodeParamValue follows the JSON form of the value (§1.6)', () => {
  const cases: [unknown, ReturnType<typeof decodeParamValue>][] = [
    ['hello', { type: 'string', value: 'hello' }],
    ['', { type: 'string', value: '' }],
    ['["a"]', { type: 'string', value: '["a"]' }], // a YAML string that looks like JSON stays a string
    [1, { type: 'string', value: '1' }],
    [1.5, { type: 'string', value: '1.5' }],
    [true, { type: 'string', value: 'true' }],
    [null, { type: 'string', value: '' }],
    [[], { type: 'array', value: [] }],
    [['a', 'b'], { type: 'array', value: ['a', 'b'] }],
    [['a', null], { type: 'array', value: ['a', ''] }],
    [['a', 1], { type: 'string', value: '["a",1]' }],
    [[['nested']], { type: 'string', value: '[["nested"]]' }],
    [{}, { type: 'object', value: {} }],
    [{ a: '1', b: 'x' }, { type: 'object', value: { a: '1', b: 'x' } }],
    [{ a: 1 }, { type: 'string', value: '{"a":1}' }],
    [{ a: { b: 'c' } }, { type: 'string', value: '{"a":{"b":"c"}}' }],
  ];
  for (const [raw, want] of cases) assert.deepEqual(decodeParamValue(raw), want, JSON.stringify(raw));
});

test('values decode the same way when they come from YAML', () => {
  const doc = loadText('a: 3\nb: [x, z]\nc: {k: v}\nd: "007"\ne: 007\nf: [1, 2]\ng: [x, y]\nh: 0755\n', 'v.yaml').docs[0]!.value as Record<string, unknown>;
  assert.deepEqual(decodeParamValue(doc.a), { type: 'string', value: '3' });
  assert.deepEqual(decodeParamValue(doc.b), { type: 'array', value: ['x', 'z'] });
  // read as kubectl reads YAML (1.1): an unquoted y is true, 0755 is octal
  assert.deepEqual(decodeParamValue(doc.g), { type: 'string', value: '["x",true]' });
  assert.deepEqual(decodeParamValue(doc.h), { type: 'string', value: '493' });
  assert.deepEqual(decodeParamValue(doc.c), { type: 'object', value: { k: 'v' } });
  assert.deepEqual(decodeParamValue(doc.d), { type: 'string', value: '007' });
  assert.deepEqual(decodeParamValue(doc.e), { type: 'string', value: '7' });
  assert.deepEqual(decodeParamValue(doc.f), { type: 'string', value: '[1,2]' });
});
