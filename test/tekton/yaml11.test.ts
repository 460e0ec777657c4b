// Plain scalars read as kubectl reads them (Go's yaml.v2, YAML 1.1): the resolution table, what
// the loader gives for a document on both of its paths, and the notes it keeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadText, loadTextWithYaml } from '../../src/tekton/load.js';
import { doubleQuotedV2, kubectlScalar } from '../../src/tekton/yaml11.js';
import { parse as parseYaml12 } from 'yaml';
import { parseSubset } from '../../src/tekton/yaml-subset.js';
import fc from 'fast-check';

test("kubectlScalar follows yaml.v2's resolve: words, Go's base-0 integers without underscores, floats", () => {
  const cases: [string, unknown][] = [
    // booleans: YAML 1.1's words, in three spellings each
    ['y', true], ['Y', true], ['yes', true], ['Yes', true], ['YES', true], ['on', true], ['On', true], ['ON', true],
    ['n', false], ['N', false], ['no', false], ['No', false], ['NO', false], ['off', false], ['Off', false], ['OFF', false],
    ['true', true], ['False', false], ['yEs', 'yEs'], ['oN', 'oN'], ['tRUE', 'tRUE'],
    ['', null], ['~', null], ['null', null], ['NULL', null], ['nULL', 'nULL'],
    // integers as Go's strconv.ParseInt(s, 0, 64) takes them once yaml.v2 drops every `_`
    ['0755', 0o755], ['-012', -10], ['0', 0], ['-0', 0], ['00', 0], ['0x1F', 31], ['0X1f', 31], ['-0x10', -16], ['+0x10', 16],
    ['0o17', 15], ['0O17', 15], ['0b101', 5], ['0B11', 3], ['-0b11', -3], ['1_000', 1000], ['_1', '_1'], ['1__0_', 10], ['0x_1F', 31],
    ['+12', 12], ['12', 12], ['-_1', -1], ['+_5', 5], ['-1234567890123456789', -1234567890123456789],
    // yaml.v2's last try after ParseInt, ParseUint and ParseFloat: `0b`, then ParseInt(rest, 2), which takes a sign
    // (its `-0b` branch parses "-" + rest: nothing ParseInt(s, 0) did not take already)
    ['0b-101', -5], ['0b+11', 3], ['-0b-101', '-0b-101'], ['-0b+1', '-0b+1'], ['-0b-0', '-0b-0'], ['0B-1', '0B-1'], ['0b-', '0b-'], ['0b-2', '0b-2'], ['+0b-1', '+0b-1'],
    // not integers: floats when yamlStyleFloat matches (08 and 09 are not octal: ParseInt fails, ParseFloat takes them)
    ['08', 8], ['0789', 789], ['1.5', 1.5], ['1.', 1], ['.5', 0.5], ['+.5', 0.5], ['1e3', 1000], ['1_000.5', 1000.5], ['-1.5E-2', -0.015],
    ['.inf', Infinity], ['-.Inf', -Infinity], ['+.INF', Infinity],
    // text
    ['.', '.'], ['.5_0', 0.5], ['.5__0', '.5__0'], ['._5', '._5'], ['1e400', '1e400'], ['0b', '0b'], ['0x', '0x'], ['1:20', '1:20'], ['2026-01-02', '2026-01-02'], ['0.1.2', '0.1.2'],
    ['-', '-'], ['+', '+'], ['-c', '-c'], ['1e', '1e'], ['0x1p3', '0x1p3'], ['Inf', 'Inf'], ['+Inf', '+Inf'], ['v1', 'v1'], ['<<', '<<'],
  ];
  for (const [s, want] of cases) assert.deepEqual(kubectlScalar(s), want, JSON.stringify(s));
  assert.ok(Number.isNaN(kubectlScalar('.nan')));
});

const TEXT = [
  'apiVersion: tekton.dev/v1', // 1
  'kind: Task',
  'metadata:',
  '  name: t',
  'spec:', // 5
  '  params:',
  '    - name: mode',
  '      default: 0755',
  '    - name: quoted',
  "      default: 'yes'", // 10
  '    - name: flags',
  '      default: [on, "off", y, 1_0]',
  '    - name: tagged',
  '      default: !!str yes',
  '  steps:', // 15
  '    - image: alpine:3.20',
  '      env:',
  '        - name: A',
  '          value: no',
  '      volumeMounts:', // 20
  '        - {name: v, mountPath: /v, readOnly: Yes}',
  '  volumes:',
  '    - name: v',
  '      emptyDir: {}',
  '  description: on', // 25
  '',
].join('\n');

test('a document is read as kubectl reads it, with a note at each scalar YAML 1.2 reads otherwise (both loader paths)', () => {
  for (const load of [loadText, loadTextWithYaml]) {
    const doc = load(TEXT, 't.yaml').docs[0]!;
    const spec = (doc.value as { spec: Record<string, any> }).spec;
    assert.deepEqual(spec.params.map((p: { default: unknown }) => p.default), [493, 'yes', [true, 'off', true, 10], 'yes']);
    assert.equal(spec.steps[0].env[0].value, false);
    assert.equal(spec.steps[0].volumeMounts[0].readOnly, true);
    assert.equal(spec.description, true);
    assert.deepEqual(
      doc.yaml11!.map((n) => [n.pos.line, n.pos.col, n.text, n.kubectl, n.yaml12, n.key]),
      [
        [8, 16, '0755', 493, 755, false],
        [12, 17, 'on', true, 'on', false],
        [12, 28, 'y', true, 'y', false],
        [12, 31, '1_0', 10, '1_0', false],
        [19, 18, 'no', false, 'no', false],
        [21, 46, 'Yes', true, 'Yes', false],
        [25, 16, 'on', true, 'on', false],
      ],
    );
    assert.deepEqual(doc.pos(['spec', 'description']), { line: 25, col: 16 });
  }
});

test("a key kubectl reads as a boolean or number becomes that value's text, and the path to it still finds its position", () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  on: push\n  y: 1\n  "no": quoted\n';
  for (const load of [loadText, loadTextWithYaml]) {
    const doc = load(text, 'c.yaml').docs[0]!;
    // `on` and `y` both become the key "true"; the later one wins, as in yaml.v2
    assert.deepEqual((doc.value as { data: unknown }).data, { true: 1, no: 'quoted' });
    // (the `on` key a later key overrides gets no note of its own: the duplicate-key note says it)
    assert.deepEqual(doc.yaml11!.filter((n) => !n.rule).map((n) => [n.pos.line, n.text, n.key]), [[7, 'y', true]]);
    // and, as kubectl sees one key twice, a duplicate-key note at the later one
    assert.deepEqual(doc.yaml11!.filter((n) => n.rule === 'duplicate-key').map((n) => [n.pos.line, n.text]), [[7, 'true']]);
    assert.deepEqual(doc.keyPos(['data', 'no']), { line: 8, col: 3 });
  }
});

test('merge keys merge, as in yaml.v2', () => {
  const text = 'base: &b {image: alpine:3.20, workingDir: /w}\nstep:\n  <<: *b\n  name: s\n';
  assert.deepEqual(loadText(text, 'm.yaml').docs[0]!.value, { base: { image: 'alpine:3.20', workingDir: '/w' }, step: { image: 'alpine:3.20', workingDir: '/w', name: 's' } });
});

test('the fast reader declines such files (the yaml path notes them) and reads the others, which carry no notes', () => {
  assert.equal(parseSubset(TEXT), undefined);
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: "yes"\n  b: 10\n  c: true\n  d: 1.5\n  e: -c\n  f: 0o17\n';
  assert.ok(parseSubset(text));
  const doc = loadText(text, 'c.yaml').docs[0]!;
  assert.equal(doc.yaml11, undefined);
  assert.deepEqual(doc.value, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'yes', b: 10, c: true, d: 1.5, e: '-c', f: 15 } });
});

test('merges as yaml.v2 merges them: in order, so a key written before << is overwritten by the merged one', () => {
  const text = 'base: &b {image: alpine:3.20, workingDir: /w}\nbefore:\n  image: busybox:1.36\n  <<: *b\nafter:\n  <<: *b\n  image: busybox:1.36\nboth:\n  <<: [*b, {image: x:1, name: m}]\n';
  const v = loadText(text, 'm.yaml').docs[0]!.value as Record<string, Record<string, string>>;
  assert.deepEqual(v.before, { workingDir: '/w', image: 'alpine:3.20' });
  assert.deepEqual(v.after, { image: 'busybox:1.36', workingDir: '/w' });
  // in a list of merged maps the earlier ones win
  assert.deepEqual(v.both, { image: 'alpine:3.20', workingDir: '/w', name: 'm' });
  assert.equal(loadText(text, 'm.yaml').docs[0]!.yaml11, undefined, 'a merge key is no YAML 1.1 note');
  // several merges in one map, in order; a tagged merge; a merge that is no map
  const more = loadText('a: &a {x: 1}\nc: &c {x: 3}\nb: {<<: *a, x: 2, <<: *c}\nd:\n  x: 0\n  !!merge <<: {x: 1}\n', 'm.yaml').docs[0]!.value as Record<string, unknown>;
  assert.deepEqual([more.b, more.d], [{ x: 3 }, { x: 1 }]);
  const bad = loadText('a: {<<: [1]}\n', 'm.yaml').diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(bad.map((d) => d.message), ['cannot read document: map merge requires map or sequence of maps as the value']);
  // anchors set inside a merge, or on a pair a merge overrides, stay usable
  const anchors = loadText('a: &a {x: 1}\nb:\n  x: &n 1\n  <<: [*a, &m {z: 2}]\nd: *m\ne: *n\n', 'm.yaml').docs[0]!.value as Record<string, unknown>;
  assert.deepEqual([anchors.b, anchors.d, anchors.e], [{ x: 1, z: 2 }, { z: 2 }, 1]);
  // what yaml.v2 does not merge, or refuses
  const tags = loadText('b:\n  !!str <<: {x: 9}\n', 'm.yaml').docs[0]!.value as Record<string, unknown>;
  assert.deepEqual(tags.b, { '<<': { x: 9 } });
  const refused = (text: string) => loadText(text, 'm.yaml').diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
  assert.deepEqual(refused('s: &s [{x: 1}]\nb:\n  <<: *s\n'), ['cannot read document: map merge requires map or sequence of maps as the value']);
  assert.deepEqual(refused('a: &a {x: 1, <<: *a}\n'), ["cannot read document: anchor 'a' value contains itself"]);
});

test('what kubectl cannot send is an error at its position; floats beyond float64 and keys as sigs.k8s.io/yaml writes them', () => {
  const text = `a: .nan\nb: -.inf\n~: x\nc: 1e400\nd: .5_5\n1e6: e\n1.5: f\n0755: g\n9223372036854775807: i\n1e39: j\n-0.0: k\n18446744073709551616: l\nbig: 1${'0'.repeat(400)}\nfloat: 1${'0'.repeat(40)}\n`;
  for (const load of [loadText, loadTextWithYaml]) {
    const r = load(text, 'k.yaml');
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.pos!.line, d.pos!.col, d.severity, d.message]), [
      [1, 4, 'error', 'kubectl cannot send .nan: JSON has no NaN or infinity; quote it if you mean the text'],
      [2, 4, 'error', 'kubectl cannot send -.inf: JSON has no NaN or infinity; quote it if you mean the text'],
      [3, 1, 'error', 'kubectl cannot send the key ~ (a null key): quote it if you mean the text'],
    ]);
    const v = r.docs[0]!.value as Record<string, unknown>;
    assert.equal(v.c, '1e400', 'Go ParseFloat fails with ErrRange: yaml.v2 keeps the text');
    assert.equal(v.d, 0.55, 'Go ParseFloat takes _ between digits');
    assert.deepEqual([v['1e+06'], v['1.5'], v['493']], ['e', 'f', 'g']);
    // int64 keys keep every digit; float keys are float32 'g' (beyond float32: .inf)
    assert.deepEqual([v['9223372036854775807'], v['.inf'], v['-0'], v['1.8446744e+19']], ['i', 'j', 'k', 'l']);
    // an integer key beyond int64 is a uint64 or big.Int key, which sigs.k8s.io/yaml refuses
    assert.deepEqual(load('9223372036854775808: x\n', 'u.yaml').diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
      ["kubectl cannot send the key 9223372036854775808 (an integer key beyond int64 (Go's uint64)): quote it if you mean the text"]);
    // beyond uint64 and float64 sigs.k8s.io/yaml makes a big.Int: every digit reaches the cluster
    assert.equal(v.big, `1${'0'.repeat(400)}`);
    assert.equal(v.float, 1e40, 'a float64 when Go\'s ParseFloat takes it');
  }
});

test('a control character yaml.v2 refuses is an error at its position, on both paths', () => {
  for (const load of [loadText, loadTextWithYaml]) {
    const r = load('a: ok\nb: x\u0090y\n', 'c.yaml');
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.pos!.line, d.pos!.col, d.message]),
      [[2, 5, "kubectl cannot read this file: it holds the control character U+0090 (Go's yaml.v2 allows none); write it as an escape in a double-quoted string"]]);
  }
});

test('property: number-like plain scalars read the same on the fast path and the yaml path (values, notes, errors)', () => {
  // a sign, a base prefix or leading 0, digits and underscores, a fraction or exponent
  const scalar = fc.tuple(
    fc.constantFrom('', '+', '-'),
    fc.constantFrom('', '0', '00', '0x', '0X', '0o', '0O', '0b', '0B', '0b-', '0b+', '.', '_'),
    fc.stringMatching(/^[0-9_]{0,20}$/),
    fc.constantFrom('', '.', '.5', 'e3', 'E+2', '_', '0', 'f'),
  ).map((parts) => parts.join('')).filter((x) => x !== '' && x !== '-' && x !== '+');
  fc.assert(
    fc.property(scalar, (s) => {
      const text = `v: ${s}\nw: [${s}]\n`;
      const fast = loadText(text, 'n.yaml');
      const slow = loadTextWithYaml(text, 'n.yaml');
      assert.deepEqual(fast.diagnostics, slow.diagnostics);
      assert.deepEqual(fast.docs.map((d) => [d.value, d.yaml11]), slow.docs.map((d) => [d.value, d.yaml11]));
    }),
    { numRuns: 3000 },
  );
});

test('NEL, LS and PS in a file are line breaks to kubectl: a note at each, on both paths (the fast reader declines the file)', () => {
  const text = 'a: "x\u2028y"\n# c\u0085\nb: 1\n';
  assert.equal(parseSubset(text), undefined);
  for (const load of [loadText, loadTextWithYaml]) {
    const notes = load(text, 'l.yaml').docs[0]!.yaml11!;
    assert.deepEqual(notes.map((n) => [n.pos.line, n.pos.col, n.message]), [
      [1, 6, 'kubectl reads U+2028 as a line break (YAML 1.1), YAML 1.2 tools as a character, so the cluster may see other keys and values: remove it, or write it as \\L in a double-quoted string'],
      [2, 4, 'kubectl reads U+0085 as a line break (YAML 1.1), YAML 1.2 tools as a character, so the cluster may see other keys and values: remove it, or write it as \\N in a double-quoted string'],
    ]);
  }
});

test("double-quoted scalars as yaml.v2 reads them: \\' is a quote, \\/ no escape, surrogates refused; the rest as YAML 1.2", () => {
  // where both readers agree, the yaml package (YAML 1.2) is the reference
  const alike = ['"plain"', '"a\\tb\\n\\\\c"', '"\\x41\\u00e9\\U0001F600"', '"\\0\\a\\b\\v\\f\\r\\e\\ \\"\\N\\_\\L\\P"', '"tab\\\tx"',
    '"a\n  b"', '"a\n\n  b"', '"a\n\n\n b "', '"a  \n  b"', '"a \\\n  b"', '"a\\\n  b"', '" lead\n trail "', '"x\r\n  y"'];
  for (const raw of alike) assert.deepEqual(doubleQuotedV2(raw), { value: parseYaml12(raw) }, JSON.stringify(raw));
  assert.deepEqual(doubleQuotedV2('"it\\\'s"'), { value: "it's" });
  assert.deepEqual(doubleQuotedV2('"multi \\\'\n  line"'), { value: "multi ' line" });
  // an escaped line break, then an empty line: a newline to yaml.v2 (and to the YAML 1.2 spec), a space to the yaml package
  assert.deepEqual(doubleQuotedV2('"a\\\n\n  b"'), { value: 'a\nb' });
  assert.deepEqual(doubleQuotedV2('"https:\\/\\/x"'), { error: '\\/ is no escape to Go\'s yaml.v2 ("found unknown escape character"), though YAML 1.2 tools read it as /: write / alone', at: 7 });
  assert.deepEqual(doubleQuotedV2('"p\\ud800q"'), { error: '\\ud800 is no Unicode character to Go\'s yaml.v2 ("found invalid Unicode character escape code")', at: 2 });
  assert.deepEqual(doubleQuotedV2('"\\U00110000"'), { error: '\\U00110000 is no Unicode character to Go\'s yaml.v2 ("found invalid Unicode character escape code")', at: 1 });
});

test("double-quoted escapes yaml.v2 reads otherwise: the same value or error on both of the loader's paths", () => {
  for (const load of [loadText, loadTextWithYaml]) {
    const ok = load('a: "it\\\'s"\nb: ["x\\\'y", "\\\\\'"]\n', 'q.yaml');
    assert.deepEqual(ok.diagnostics.filter((d) => d.severity !== 'note'), [], load.name);
    assert.deepEqual(ok.docs[0]!.value, { a: "it's", b: ["x'y", "\\'"] }, load.name);
    const bad = load('a: ok\nurl: "https:\\/\\/example.com"\n', 'q.yaml');
    assert.deepEqual(bad.diagnostics.filter((d) => d.severity !== 'note').map((d) => [d.pos!.line, d.pos!.col, d.severity, d.rule]), [[2, 13, 'error', 'yaml-syntax']], load.name);
    assert.match(bad.diagnostics[0]!.message, /^kubectl cannot read this file: \\\/ is no escape to Go's yaml\.v2/);
  }
});


test('NEL, LS and PS outside a document (a leading comment, a comment-only document, the end) are noted too', () => {
  const text = '# header\u0085x: 1\na: 1\n---\n# only a comment\u2028y: 2\n---\nb: 2\n# trailing\u2029\n';
  const r = loadText(text, 'l.yaml');
  assert.deepEqual(r.docs.map((d) => (d.yaml11 ?? []).map((n) => [n.pos.line, n.pos.col, n.text])), [
    [[1, 9, '\u0085']],
    [[4, 17, '\u2028']],
    [[7, 11, '\u2029']],
  ]);
});

test('anchor and alias names: yaml.v2 takes letters, digits, _ and - only; any other is an error kubectl stops at, where it stands', () => {
  const bad = loadText('base: &my.anchor {a: 1}\nx: *my.anchor\nl: &ok_1-A [1]\nm: *ok_1-A\n', 'a.yaml');
  assert.deepEqual(bad.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.pos!.line, d.pos!.col, d.rule, d.message]), [
    [1, 7, 'yaml-syntax', 'kubectl cannot read this file: Go\'s yaml.v2 takes only letters, digits, _ and - in an anchor name, not "my.anchor" ("did not find expected alphabetic or numeric character")'],
    [2, 4, 'yaml-syntax', 'kubectl cannot read this file: Go\'s yaml.v2 takes only letters, digits, _ and - in an alias name, not "my.anchor" ("did not find expected alphabetic or numeric character")'],
  ]);
  const good = loadText('base: &b_1 {a: 1}\nx: *b_1\n', 'a.yaml');
  assert.deepEqual(good.diagnostics.filter((d) => d.severity === 'error'), []);
});

test('a key that is a map or a list (a Helm template\'s {{ }} too) is an error kubectl stops at; the document is not checked', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on('warning', onWarning);
  try {
    const helm = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  steps:\n    - image: {{ .Values.image }}\n      script: echo hi\n';
    for (const load of [loadText, loadTextWithYaml]) {
      const r = load(helm, 'chart.yaml');
      assert.deepEqual(r.diagnostics.map((d) => [d.pos!.line, d.pos!.col, d.severity, d.rule]), [[4, 10, 'error', 'yaml-syntax'], [7, 15, 'error', 'yaml-syntax']], load.name);
      assert.match(r.diagnostics[0]!.message, /^kubectl cannot read this file: a map key that is a map \(Go's yaml\.v2: "invalid map key"\); "\{\{ \.\.\. \}\}" is a template expression \(Helm, Go templates, Pipelines-as-Code\), not YAML: validate the rendered output \(helm template \.\.\.\), or quote it$/);
      assert.equal(r.tekton.length, 0, 'nothing kubectl could send is validated');
    }
    const list = loadText('a: 1\n? [x, y]\n: 2\nb: {[z]: 3}\n', 'k.yaml');
    assert.deepEqual(list.diagnostics.map((d) => [d.pos!.line, d.pos!.col, d.message]), [
      [2, 3, 'kubectl cannot read this file: a map key that is a list (Go\'s yaml.v2: "invalid map key")'],
      [4, 5, 'kubectl cannot read this file: a map key that is a list (Go\'s yaml.v2: "invalid map key")'],
    ]);
    // an alias key stands for its anchor's node: a scalar is a key, a map is not
    assert.deepEqual(loadText('a: &s k\n*s : 1\n', 'k.yaml').diagnostics.filter((d) => d.severity === 'error'), []);
    assert.equal(loadText('a: &m {x: 1}\n*m : 1\n', 'k.yaml').diagnostics[0]?.message, 'kubectl cannot read this file: a map key that is a map (Go\'s yaml.v2: "invalid map key")');
    await new Promise((r) => setImmediate(r)); // (process warnings are emitted on the next tick)
    assert.deepEqual(warnings, [], 'the yaml package warns of nothing');
  } finally {
    process.off('warning', onWarning);
  }
});

test('merges override the keys written before them (yaml.v2 merges in order): what they override is never checked', () => {
  // `.nan` before the merge is overridden: kubectl never sends it, so it is no error
  const r = loadText('base: &b {d: 1}\nm:\n  d: .nan\n  <<: *b\n', 'm.yaml');
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.deepEqual(r.docs[0]!.value, { base: { d: 1 }, m: { d: 1 } });
  // after the merge it stands, and is the error kubectl stops at
  assert.equal(loadText('base: &b {d: 1}\nm:\n  <<: *b\n  d: .nan\n', 'm.yaml').diagnostics.filter((d) => d.severity === 'error').length, 1);
});

test('what a later key overrides is still read as kubectl reads it (an alias may send it), only not reported', () => {
  for (const load of [loadText, loadTextWithYaml]) {
    const viaAlias = load('a: &x yes\na: 1\nb: *x\nc: &n .nan\nc: 2\nd: [*n]\n', 'o.yaml');
    assert.deepEqual(viaAlias.docs[0]!.value, { a: 1, b: true, c: 2, d: [NaN] }, load.name);
    // NaN through the alias is sent, and refused: an error at the scalar
    assert.deepEqual(viaAlias.diagnostics.filter((d) => d.severity === 'error').map((d) => d.pos), [{ line: 4, col: 7 }], load.name);
    // without an alias nothing inside the overridden value is reported (kubectl never sends it)
    const quiet = load('a: {~: 1, b: .inf, c: on}\na: 2\nm:\n  <<: {x: .nan}\n  x: 1\n', 'o.yaml');
    assert.deepEqual(quiet.diagnostics.filter((d) => d.severity === 'error'), [], load.name);
    assert.deepEqual(quiet.docs[0]!.value, { a: 2, m: { x: 1 } }, load.name);
    assert.deepEqual(quiet.docs[0]!.yaml11!.map((n) => n.rule), ['duplicate-key'], load.name);
  }
});

test('duplicate-key: keys of two YAML types meet only in the JSON, where Go\'s map order picks the value', () => {
  const notes = (t: string) => loadText(t, 'k.yaml').docs[0]!.yaml11!.filter((n) => n.rule === 'duplicate-key').map((n) => n.message);
  assert.deepEqual(notes('x:\n  1: a\n  1.0: b\n'), ['key "1" is already in this map (line 2): kubectl sends one of the two values, which one depends on Go\'s map order (the YAML keys are of two types, int and float) (YAML 1.2 tools refuse the file); remove one']);
  assert.deepEqual(notes('x:\n  true: a\n  "true": b\n'), ['key "true" is already in this map (line 2): kubectl sends one of the two values, which one depends on Go\'s map order (the YAML keys are of two types, bool and string) (YAML 1.2 tools refuse the file); remove one']);
  // one Go key (the boolean true twice): yaml.v2 itself keeps the last
  assert.match(notes('x:\n  on: a\n  yes: b\n')[0]!, /kubectl keeps this value and silently drops the earlier one/);
});

test('NEL, LS and PS on a document that is not Tekton (or on none) are warnings of the file', () => {
  const text = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: a}\n---\n# c \u0085 x: 1\n---\nkind: ConfigMap\n# t \u2028 y: 2\n';
  const r = loadText(text, 'n.yaml');
  assert.deepEqual(r.diagnostics.filter((d) => d.rule === 'yaml11-scalar').map((d) => [d.severity, d.pos]), [['warning', { line: 5, col: 5 }], ['warning', { line: 8, col: 5 }]]);
  assert.deepEqual(loadText('# only \u2029 a comment\n', 'c.yaml').diagnostics.map((d) => [d.rule, d.pos]), [['yaml11-scalar', { line: 1, col: 8 }]]);
});

