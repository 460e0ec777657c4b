// Param parsing: Go flag forms, env, defaults, strict typed values, arrays and objects, all
// byte-exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defineStep, param } from 'tektite/sdk';
import { HelpRequested, readParams, UsageError } from '../../src/sdk/inputs.js';

const step = defineStep({
  name: 'probe',
  params: {
    text: param.string(),
    opt: param.string({ default: 'dflt' }),
    shout: param.boolean({ default: false }),
    count: param.integer({ default: 1, min: 0, max: 10 }),
    level: param.enum(['a', 'b'], { default: 'a' }),
    items: param.array({ default: ['d'] }),
    more: param.array({ default: [] }),
    meta: param.object({ properties: ['x', 'y'], default: { x: 'X' } }),
    crt: param.string({ default: 'ca.crt', env: 'PARAM_CRT_FILENAME', aliases: ['crtFile'] }),
  },
  run() {},
});

const read = (argv: string[], env: Record<string, string> = {}) => readParams(step, argv, { PARAM_META_Y: 'Y', ...env });
const usageError = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof UsageError && pattern.test(e.message));

const tricky = ['', '-x', '--', '-h', '--help', '-text=y', 'line1\nline2 ünïcødé ✓ 🚀', '$(params.text)', ' padded ', '=', 'a=b', '--tektite-array=items'];

test('the four Go flag forms carry any value byte-exact', () => {
  for (const v of tricky) {
    for (const argv of [[`-text=${v}`], [`--text=${v}`], ['-text', v], ['--text', v]]) {
      assert.equal(read(argv).text, v, `argv ${JSON.stringify(argv)}`);
    }
  }
});

test('env carries any value byte-exact; an empty variable is a value, not absence', () => {
  for (const v of tricky) assert.equal(read([], { PARAM_TEXT: v }).text, v);
  assert.equal(read([], { PARAM_TEXT: 't', PARAM_OPT: '' }).opt, '');
});

test('argv wins over env, env over the default', () => {
  assert.equal(read(['-text=argv'], { PARAM_TEXT: 'env' }).text, 'argv');
  assert.equal(read([], { PARAM_TEXT: 't', PARAM_OPT: 'env' }).opt, 'env');
  assert.equal(read(['-text=t']).opt, 'dflt');
});

test('the last of repeated scalar flags wins, like Go', () => {
  assert.equal(read(['-text=a', '-text', 'b']).text, 'b');
});

test('custom env names and aliases', () => {
  assert.equal(read(['-text=t'], { PARAM_CRT_FILENAME: 'x.pem' }).crt, 'x.pem');
  assert.equal(read(['-text=t', '-crtFile=y.pem']).crt, 'y.pem');
});

test('booleans: alone means true, Go spellings, strict', () => {
  assert.equal(read(['-text=t', '-shout']).shout, true);
  for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.equal(read(['-text=t', `-shout=${t}`]).shout, true);
  for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) assert.equal(read([], { PARAM_TEXT: 't', PARAM_SHOUT: f }).shout, false);
  usageError(() => read(['-text=t', '-shout=yes']), /invalid value "yes" for param shout: not a boolean/);
  usageError(() => read([], { PARAM_TEXT: 't', PARAM_SHOUT: '' }), /invalid value "" for param shout/);
  // A bool flag never takes the next argument: `false` is then a stray positional argument.
  usageError(() => read(['-text=t', '-shout', 'false']), /unexpected argument "false"/);
});

test('integers: decimal only, within bounds, errors name the param and the value', () => {
  assert.equal(read(['-text=t', '-count=7']).count, 7);
  assert.equal(read(['-text=t', '-count', '-0']).count, 0);
  usageError(() => read(['-text=t', '-count=1.5']), /invalid value "1\.5" for param count: not an integer/);
  usageError(() => read(['-text=t', '-count=0x10']), /"0x10" for param count/);
  usageError(() => read(['-text=t', '-count= 3']), /" 3" for param count/);
  usageError(() => read(['-text=t', '-count=11']), /"11" for param count: must be at most 10/);
  usageError(() => read(['-text=t', '-count=-1']), /must be at least 0/);
  usageError(() => read(['-text=t', '-count=99999999999999999999']), /out of range/);
});

test('enums accept only their values', () => {
  assert.equal(read(['-text=t', '-level=b']).level, 'b');
  usageError(() => read(['-text=t', '-level=c']), /invalid value "c" for param level: must be one of "a", "b"/);
  usageError(() => read(['-text=t', '-level=']), /invalid value "" for param level/);
});

test('arrays after markers: any length, any element, several arrays', () => {
  assert.deepEqual(read(['-text=t', '--tektite-array=items']).items, []);
  assert.deepEqual(read(['-text=t', '--tektite-array=items', 'a', '', '-x']).items, ['a', '', '-x']);
  const r = read(['-text=t', '--tektite-array=items', '--tektite-array=items', '-text=z', '--', '--tektite-array=more', 'm1', '--tektite-array=items']);
  assert.deepEqual(r.items, ['--tektite-array=items', '-text=z', '--']);
  assert.deepEqual(r.more, ['m1', '--tektite-array=items']);
  assert.equal(r.text, 't');
  assert.deepEqual(read(['-text=t', '--tektite-array=more']).items, ['d']);
  usageError(() => read(['-text=t', '--tektite-array=nope']), /does not name an array param/);
});

test('arrays from repeated flags and from env JSON', () => {
  assert.deepEqual(read(['-text=t', '-items', 'a', '-items=-b']).items, ['a', '-b']);
  assert.deepEqual(read(['-text=t'], { PARAM_ITEMS: '["x","\\n"]' }).items, ['x', '\n']);
  assert.deepEqual(read(['-text=t'], { PARAM_ITEMS: '[]' }).items, []);
  usageError(() => read(['-text=t'], { PARAM_ITEMS: 'a,b' }), /PARAM_ITEMS must hold a JSON array of strings, got "a,b"/);
  usageError(() => read(['-text=t'], { PARAM_ITEMS: '[1]' }), /JSON array of strings/);
});

test('objects: one flag or env var per key, defaults per key, missing keys named', () => {
  assert.deepEqual(read(['-text=t', '-meta.x=1']).meta, { x: '1', y: 'Y' });
  assert.deepEqual(read(['-text=t'], { PARAM_META_X: '' }).meta, { x: '', y: 'Y' });
  usageError(() => readParams(step, ['-text=t'], {}), /param meta is missing key y/);
  usageError(() => read(['-text=t', '-meta.z=1']), /flag provided but not defined: -meta\.z/);
});

test('usage errors: unknown flag, missing value, stray argument, missing required', () => {
  usageError(() => read(['-text=t', '-nope=1']), /flag provided but not defined: -nope/);
  usageError(() => read(['-text']), /flag needs an argument: -text/);
  usageError(() => read(['-text=t', 'stray']), /unexpected argument "stray"/);
  usageError(() => read(['-text=t', '--', 'stray']), /unexpected argument "stray"/);
  usageError(() => read(['---text=t']), /bad flag syntax: ---text=t/);
  usageError(() => read([]), /missing required param: text \(flag -text or env PARAM_TEXT\)/);
});

test('property: any string survives every transport unchanged', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 5 }), (s, items) => {
      assert.equal(read([`-text=${s}`]).text, s);
      assert.equal(read(['-text', s]).text, s);
      assert.equal(read([], { PARAM_TEXT: s }).text, s);
      assert.deepEqual(read(['-text=t', '--tektite-array=items', ...items]).items, items);
    }),
    { numRuns: 300 },
  );
});

test('declarations that break Tekton rules or collide are refused at definition', () => {
  assert.throws(() => defineStep({ name: 'Bad_Name', run() {} }), /name "Bad_Name" must be a DNS label/);
  assert.throws(() => defineStep({ name: 'x', params: { 'a.b': param.object({ properties: ['k'] }) }, run() {} }), /param "a.b": name does not match/);
  assert.throws(() => defineStep({ name: 'x', params: { help: param.string() }, run() {} }), /reserved for help/);
  assert.throws(
    () => defineStep({ name: 'x', params: { a: param.string({ env: 'SAME' }), b: param.string({ env: 'SAME' }) }, run() {} }),
    /env var "SAME" is used by both param "a" and param "b"/,
  );
  assert.throws(() => defineStep({ name: 'x', params: { n: param.integer({ default: 5, max: 3 }) }, run() {} }), /default 5 is outside/);
  assert.throws(() => defineStep({ name: 'x', params: { e: param.enum(['a'], { default: 'b' as 'a' }) }, run() {} }), /default "b" is not one of/);
  assert.throws(() => defineStep({ name: 'x', params: { p: param.string({ cliOnly: true }) }, run() {} }), /cliOnly param needs a default/);
});

test('-h/-help/--help ask for help only where a flag may stand', () => {
  for (const h of ['-h', '-help', '--help', '--h']) assert.throws(() => read(['-count=x', h]), HelpRequested);
  assert.equal(read(['-text', '-h']).text, '-h');
  assert.deepEqual(read(['-text=t', '--tektite-array=items', '--help']).items, ['--help']);
});
