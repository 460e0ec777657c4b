// The fast reader must give exactly what the `yaml` package gives (values, kinds, notes,
// positions), or decline: checked on every corpus file and on generated YAML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { expandPaths } from '../../src/tekton/files.js';
import { loadText, loadTextWithYaml, type LoadResult, type PathSegment } from '../../src/tekton/load.js';
import { parseSubset } from '../../src/tekton/yaml-subset.js';
import { requireCorpus } from '../helpers/paths.js';

/** Values with key order, -0 and NaN made visible to deepStrictEqual. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape);
  if (v !== null && typeof v === 'object') return Object.entries(v).map(([k, x]) => [k, shape(x)]);
  return v;
}

/** Every path into `v`, plus paths that miss (an unknown key, an index past the end). */
function paths(v: unknown, prefix: PathSegment[] = [], out: PathSegment[][] = []): PathSegment[][] {
  out.push(prefix);
  if (Array.isArray(v)) {
    v.forEach((x, i) => paths(x, [...prefix, i], out));
    out.push([...prefix, v.length], [...prefix, 'x']);
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
    out.push([...prefix, 'no-such-key'], [...prefix, 0]);
  }
  return out;
}

function valueAt(v: unknown, path: PathSegment[]): unknown {
  for (const seg of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[seg] : undefined;
  return v;
}

function assertSame(fast: LoadResult, slow: LoadResult, what: string): void {
  assert.deepStrictEqual(fast.diagnostics, slow.diagnostics, `${what}: diagnostics`);
  assert.equal(fast.docs.length, slow.docs.length, `${what}: documents`);
  assert.equal(fast.tekton.length, slow.tekton.length, `${what}: Tekton documents`);
  fast.docs.forEach((f, i) => {
    const s = slow.docs[i]!;
    assert.deepStrictEqual([f.index, f.apiVersion, f.kind, f.name], [s.index, s.apiVersion, s.kind, s.name], `${what}: document ${i}`);
    assert.deepStrictEqual(shape(f.value), shape(s.value), `${what}: value of document ${i}`);
    for (const p of paths(s.value)) {
      const where = `${what}: document ${i} at ${JSON.stringify(p)}`;
      assert.deepStrictEqual(f.pos(p), s.pos(p), `${where}: pos`);
      assert.deepStrictEqual(f.keyPos(p), s.keyPos(p), `${where}: keyPos`);
      const str = valueAt(s.value, p);
      if (typeof str === 'string' && str.includes('\n')) {
        const indexes = new Set([0, str.length, str.length - 1, Math.floor(str.length / 2)]);
        for (let n = str.indexOf('\n'); n !== -1 && indexes.size < 12; n = str.indexOf('\n', n + 1)) indexes.add(n).add(n + 1);
        for (const x of indexes) assert.deepStrictEqual(f.textPos(p, x), s.textPos(p, x), `${where}: textPos ${x}`);
      }
    }
  });
}

test('on every corpus file the fast reader equals the yaml package, and reads nearly all of them', () => {
  const corpus = requireCorpus();
  const files = expandPaths([join(corpus, 'catalog'), join(corpus, 'tekton-examples'), join(corpus, 'catalog-tests')]);
  let read = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    if (parseSubset(text)) read++;
    assertSame(loadText(text, f), loadTextWithYaml(text, f), f);
  }
  // the point of the fast reader: it must not quietly hand most files back to yaml
  assert.ok(read >= files.length * 0.9, `fast reader read ${read} of ${files.length} corpus files`);
});

test('documents, empty documents and positions match yaml on hand-picked edge cases', () => {
  const cases = [
    'a: 1\n---\n',
    '---\n---\n',
    '# c\n---\na: 1\n--- # x\n',
    'a:\nb:   \nc:  # c\n',
    '- \n-\n- # x\n',
    'k:\n- a\n- b\nj: 2\n',
    'a: |\n  x\n\n  y\n\n\nb: 1\n',
    'a: |-\n    x\n      y\n   \n    z\n',
    'a: >\n  one\n  two\n\n  three\n    more\n  back\n',
    'a: >-\n  x\n',
    's: "tab\\there \\u00e9 \\x41 \\"q\\""\nt: \'it\'\'s\'\n',
    'f: [a, "b", {c: d, e: []}, 1, -2.5e3, .inf, ~, true, 0x1F, 0o17]\n',
    '__proto__: x\ntoString: y\n',
    '- name: one\n  image: busybox\n- name: two\n  args: ["--x", y]\n',
    'a: 1\na: 2\n',
    'a: b\n  c\n',
    'a: &x 1\nb: *x\n',
    'a: |\n  no newline at end',
    '  indented: root\n  second: 2\n',
    'args: [\n  "echo",\n  x, # c\n  {a: b},\n]\n',
    '- args: [a,\n    b]\n  k: v\n',
    '{\n  "a": [1, 2],\n  "b": {"c": null}\n}\n',
    'a: [x\n  y]\n',
    'a: [x,\n]\n',
    'a: [x,,]\n',
    'a:\n  - [\n    1\n  ]\n',
    'a:\n- [\n  1\n ]\n',
    'a: {a: ?}\n',
    'a: [x, ?, y]\n',
    'a: [-]\n',
    "a: '{\n  \"k\": 1,\n\n\n    \"it''s\": 2 }'\nb: 1\n",
    "- 'x  \n  y'  # c\n- z\n",
    "a: 'x\ny'\n",
    "a:\n  b: 'x\n  y'\n",
  ];
  for (const text of cases) assertSame(loadText(text, 't.yaml'), loadTextWithYaml(text, 't.yaml'), JSON.stringify(text));
  assert.ok(parseSubset('a: 1\n---\n'), 'plain documents are read by the fast reader');
  assert.equal(parseSubset('a: 1\na: 2\n'), undefined, 'duplicate keys are left to yaml (which reports them)');
});

// Generated YAML: Tekton-like structure in many styles; now and then characters that make it
// invalid or push it outside the subset.
const safeWord = fc.constantFrom('a', 'b', 'name', 'x y', 'a:b', '-v', '--help', '1', '0x1F', '0o7', '1.5', '-0', '.5', '1e3', '.inf', '.NaN', 'true', 'False', 'null', '~', '<<', '__proto__', '$(params.x)', 'a #b', 'a#b', 'é', 'echo "hi"');
const trickyWord = fc.constantFrom('', '"', "'", '\\', '\\n', '[', '{', ',', '*', '&', '!', '%', '@', '|', '>', '?', ':', ': ', '#', ' #', '-', '- ', '\t', ' ');
const word = fc.oneof({ weight: 12, arbitrary: safeWord }, { weight: 1, arbitrary: trickyWord });
const keyWord = fc.oneof({ weight: 12, arbitrary: fc.constantFrom('a', 'b', 'name', 'image', 'x y', 'a:b', '-v', 'é', '$(params.x)', '__proto__', 'toString') }, { weight: 1, arbitrary: word });
const text = fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => ws.join(''));
const scalar = fc.oneof(
  text,
  text.map((t) => `"${t}"`),
  text.map((t) => `'${t}'`),
  fc.tuple(fc.constantFrom('|', '|-', '|+', '>', '>-', '|2'), fc.array(fc.tuple(fc.nat(3), text), { minLength: 0, maxLength: 4 }), fc.boolean()).map(
    ([block, lines, blankAfter]) => ({ block, lines, blankAfter }),
  ),
  fc.array(text, { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
  fc.array(fc.tuple(text, text), { maxLength: 2 }).map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
);
type Tree = string | { block: string; lines: [number, string][]; blankAfter: boolean } | { map: [string, Tree][] } | { seq: Tree[] };
const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.uniqueArray(fc.tuple(keyWord, tie('tree')), { minLength: 1, maxLength: 4, selector: ([k]) => k }).map((map) => ({ map })),
    fc.array(tie('tree'), { minLength: 1, maxLength: 3 }).map((seq) => ({ seq })),
  ),
})).tree;
/** Documents are maps (as Tekton's are), now and then something else. */
const doc = fc.oneof({ weight: 8, arbitrary: fc.uniqueArray(fc.tuple(keyWord, tree), { minLength: 1, maxLength: 5, selector: ([k]) => k }).map((map): Tree => ({ map })) }, { weight: 1, arbitrary: tree });

function render(t: Tree, indent: number, step: number, extra: () => string): string[] {
  const pad = ' '.repeat(indent);
  if (typeof t === 'string') return [pad + t];
  if ('block' in t) return [pad + t.block, ...t.lines.map(([more, l], i) => ' '.repeat(indent + step + (i ? more : 0)) + l), ...(t.blankAfter ? [''] : [])];
  const out: string[] = [];
  const entries: [string, Tree][] = 'map' in t ? t.map : t.seq.map((x) => ['-', x]);
  for (const [k, v] of entries) {
    const lead = 'map' in t ? `${k}:` : '-';
    const extraLine = extra();
    if (extraLine) out.push(extraLine);
    if (typeof v === 'string') out.push(`${pad}${lead} ${v}`);
    else if ('block' in v) {
      const [first, ...rest] = render(v, indent, step, extra);
      out.push(`${pad}${lead} ${first!.trimStart()}`, ...rest);
    } else out.push(`${pad}${lead}`, ...render(v, indent + step, step, extra));
  }
  return out;
}

const noise = fc.oneof({ weight: 12, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('# comment', '  # indented', '   ', '---', ' x') });

test('on generated YAML the fast reader equals the yaml package or declines', () => {
  let read = 0;
  fc.assert(
    fc.property(fc.array(doc, { minLength: 1, maxLength: 2 }), fc.integer({ min: 1, max: 3 }), fc.array(noise, { maxLength: 30 }), fc.boolean(), (docs, step, extras, finalNewline) => {
      let e = 0;
      const extra = () => extras[e++ % Math.max(1, extras.length)] ?? '';
      const yaml = docs.map((d) => render(d, 0, step, extra).join('\n')).join('\n---\n') + (finalNewline ? '\n' : '');
      if (parseSubset(yaml)) read++;
      assertSame(loadText(yaml, 'g.yaml'), loadTextWithYaml(yaml, 'g.yaml'), JSON.stringify(yaml));
    }),
    { numRuns: 1000 },
  );
  // most of these inputs are invalid (yaml reports errors): the comparison also needs valid ones
  assert.ok(read > 60, `fast reader read ${read} of 1000 generated inputs`);
});

// Valid YAML in the styles tools write: the `yaml` package's own output for random data.
const key = fc.oneof(fc.constantFrom('name', 'image', 'script', 'a b', 'x:y', '-v', 'true', '1', '', '__proto__', 'toString', '#c'), fc.string({ maxLength: 6 }));
const leaf = fc.oneof(
  fc.constantFrom('', ' ', 'true', 'null', '~', '0x1F', '0o17', '1e3', '.inf', '-0', '1.50', '$(params.x)', 'a: b', '- x', '#x', "it's", 'say "hi"', 'é\u2028', '\t', 'tab\tin'),
  fc.string({ maxLength: 12 }),
  fc.array(fc.constantFrom('line', '  more', '', ' ', 'x: y', '#!/bin/sh', 'echo "$(params.x)"', '\ttab'), { minLength: 1, maxLength: 6 }).map((ls) => ls.join('\n')),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const data = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(key, tie('v'), { maxKeys: 4 })),
})).v;
const options = fc.record({
  indent: fc.integer({ min: 1, max: 4 }),
  indentSeq: fc.boolean(),
  lineWidth: fc.constantFrom(0, 20, 80),
  minContentWidth: fc.constantFrom(0, 20),
  blockQuote: fc.constantFrom(true, false, 'literal' as const, 'folded' as const),
  defaultStringType: fc.constantFrom('PLAIN' as const, 'QUOTE_DOUBLE' as const, 'QUOTE_SINGLE' as const, 'BLOCK_LITERAL' as const, 'BLOCK_FOLDED' as const),
  defaultKeyType: fc.constantFrom(null, 'PLAIN' as const, 'QUOTE_DOUBLE' as const),
  collectionStyle: fc.constantFrom('any' as const, 'block' as const, 'flow' as const),
  doubleQuotedAsJSON: fc.boolean(),
});

test("on the yaml package's own output the fast reader equals it, and reads most of it", () => {
  let read = 0;
  fc.assert(
    fc.property(fc.array(fc.dictionary(key, data, { minKeys: 1, maxKeys: 5 }), { minLength: 1, maxLength: 2 }), options, (docs, opts) => {
      const yaml = docs.map((d) => stringify(d, opts)).join('---\n');
      if (parseSubset(yaml)) read++;
      assertSame(loadText(yaml, 'g.yaml'), loadTextWithYaml(yaml, 'g.yaml'), JSON.stringify(yaml));
    }),
    { numRuns: 1000 },
  );
  assert.ok(read > 250, `fast reader read ${read} of 1000 generated inputs`);
});

// Real Tekton files with a few characters inserted or deleted: mostly broken in ways people break them.
test('on mutated corpus files the fast reader equals the yaml package or declines', () => {
  const corpus = requireCorpus();
  const texts = expandPaths([join(corpus, 'tekton-examples')]).map((f) => readFileSync(f, 'utf8'));
  const edit = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(3), fc.constantFrom(' ', '  ', '\n', ':', ': ', '- ', '#', ' #', "'", '"', '[', ']', '{', '}', ',', '|', '>-', '\t', '\n---\n', '&a ', '*a', '!t ', '\\', '?', ''));
  let read = 0;
  fc.assert(
    fc.property(fc.nat(texts.length - 1), fc.array(edit, { minLength: 1, maxLength: 3 }), (which, edits) => {
      let yaml = texts[which]!;
      for (const [where, cut, insert] of edits) {
        const at = Math.floor(where * yaml.length);
        yaml = yaml.slice(0, at) + insert + yaml.slice(at + cut);
      }
      if (parseSubset(yaml)) read++;
      assertSame(loadText(yaml, 'm.yaml'), loadTextWithYaml(yaml, 'm.yaml'), JSON.stringify(yaml));
    }),
    { numRuns: 400 },
  );
  assert.ok(read > 50, `fast reader read ${read} of 400 mutated files`);
});
