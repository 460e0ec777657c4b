import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldErrors, flatten, goQuote, MISSING } from '../../src/tekton/validate/field-error.js';
import { formatGoDuration, parseGoDuration } from '../../src/tekton/validate/duration.js';
import { extractVariables, trimArrayIndex } from '../../src/tekton/references.js';

test('knative path building: fields, indexes, keys, dotted names', () => {
  const e = new FieldErrors().add(MISSING, 'Image', ['image']).viaIndex(0).viaField('steps').viaField('spec');
  assert.equal(e.toString(), 'missing field(s): spec.steps[0].Image');
  assert.deepEqual(e.issues[0]!.raws, [['spec', 'steps', 0, 'image']]);
  assert.equal(flatten(['params', 'a.b.type']), 'params.a.b.type');
  assert.equal(flatten(['[x]', 'name']), '[x].name');
  assert.equal(flatten(['params', '[x].name']), 'params[x].name');
  assert.equal(flatten(['spec', '', 'steps']), 'spec.steps');
  const k = new FieldErrors().add('expected exactly one, got both', 'name').viaKey('FOO', []).viaField('params');
  assert.equal(k.toString(), 'expected exactly one, got both: params[FOO].name');
});

test('errors print sorted by message, identical messages merged with sorted paths', () => {
  const e = new FieldErrors()
    .add('b problem', 'z')
    .add('a problem', 'y', undefined, 'why')
    .add('b problem', 'c')
    .add('b problem', 'c');
  assert.equal(e.toString(), 'a problem: y\nwhy\nb problem: c, z');
  const m = e.merged();
  assert.deepEqual(m.map((x) => x.anchor), [['y'], ['c']]);
});

test("goQuote follows Go's %q", () => {
  assert.equal(goQuote('echo "$(params.x)"\n'), '"echo \\"$(params.x)\\"\\n"');
  assert.equal(goQuote('tab\there\u0000\u007f'), '"tab\\there\\x00\\x7f"');
  assert.equal(goQuote('é ☃ \u00a0 \u2028'), '"é ☃ \\u00a0 \\u2028"');
  assert.equal(goQuote('\u{1F600}'), '"\u{1F600}"');
  assert.equal(goQuote('\u{E0001}'), '"\\U000e0001"');
});

test('Go durations parse and print like time.ParseDuration / Duration.String', () => {
  const cases: [string, string][] = [['0', '0s'], ['1h', '1h0m0s'], ['90m', '1h30m0s'], ['-48h', '-48h0m0s'], ['1.5s', '1.5s'], ['100ms', '100ms'], ['2h45m30.5s', '2h45m30.5s'], ['-10s', '-10s'], ['1us', '1µs'], ['300ns', '300ns']];
  for (const [inp, out] of cases) assert.equal(formatGoDuration(parseGoDuration(inp)!), out, inp);
  for (const bad of ['', '1', 'abc', '1x', '.s', '1h-1m']) assert.equal(parseGoDuration(bad), undefined, bad);
});

test('reference extraction mirrors Tekton (lazy match, dot and bracket forms, 3-part error)', () => {
  assert.deepEqual(extractVariables('a $(params.x) b $(params["y.z"]) $(params.o.k) $(params.arr[*])', 'params').vars, ['x', 'y.z', 'o', 'arr[*]']);
  assert.equal(extractVariables('$(inputs.params.x)', 'params').present, false);
  assert.match(extractVariables('$(params.a.b.c)', 'params').error, /Only two dot-separated components after the prefix "params" are allowed/);
  assert.equal(extractVariables('no refs', 'params').present, false);
  assert.equal(trimArrayIndex('arr[12]'), 'arr');
});
