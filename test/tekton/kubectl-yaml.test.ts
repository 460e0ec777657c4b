// Differential test of YAML reading against kubectl's own reader: generated YAML texts go
// through tektite's loader (both of its paths) and through sigs.k8s.io/yaml's YAMLToJSON (Go's
// yaml.v2, what kubectl and tkn use: ./kubectl-yaml/main.go, built here with Debian's Go), and
// must give the same JSON, or both refuse the text. `.ci/run` installs golang-go and
// golang-k8s-sigs-yaml-dev. TEKTITE_YAML_SEED and TEKTITE_YAML_RUNS explore further.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadText, loadTextWithYaml, type LoadResult } from '../../src/tekton/load.js';
import { expandPaths } from '../../src/tekton/files.js';
import { repoRoot, requireCorpus } from '../helpers/paths.js';

/** Builds the Go reader once; a clear failure when Go or the library is missing. */
function buildKubectlReader(dir: string): string {
  const out = join(dir, 'kubectl-yaml');
  const r = spawnSync('go', ['build', '-o', out, 'main.go'], {
    cwd: join(repoRoot, 'test', 'tekton', 'kubectl-yaml'),
    env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: join(dir, 'gocache'), GOFLAGS: '' },
    encoding: 'utf8',
  });
  if (r.error || r.status !== 0) {
    throw new Error(`cannot build kubectl's YAML reader (install golang-go and golang-k8s-sigs-yaml-dev, as .ci/run does): ${r.error?.message ?? r.stderr}`);
  }
  return out;
}

type GoResult = { json?: string; error?: string; ambiguous?: boolean };

function kubectlRead(bin: string, texts: string[], documents = false): GoResult[] {
  const r = spawnSync(bin, documents ? ['-documents'] : [], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`kubectl-yaml failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as GoResult[];
}

/** JSON with sorted keys (Go's encoder sorts them; the loader keeps the file's order). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** What tektite makes of a one-document text: the JSON kubectl would send, or that it refuses it. */
function tektiteRead(load: (text: string, file: string) => LoadResult, text: string): { json?: string; error?: string } {
  const r = load(text, 'k.yaml');
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) return { error: errors.map((d) => d.message).join('; ') };
  if (r.docs.length === 0) return { json: 'null' };
  return { json: canonical(r.docs[0]!.value) };
}

// ---- the generator: scalars in every style, with the spellings YAML 1.1 and 1.2 read apart ----

const word = fc.stringMatching(/^[a-z][a-z0-9.-]{0,6}$/);
const yaml11Words = fc.constantFrom('yes', 'No', 'ON', 'off', 'y', 'N', 'true', 'False', 'null', '~', 'NULL', 'Yes', 'oN', 'tRUE');
const floatWords = fc.constantFrom('.inf', '-.Inf', '+.INF', '.nan', '.NaN', '.5', '-.5', '1.', '1e3', '1E+2', '6.02e23', '0.1');
// (at most 15 digits: beyond 2^53 a JavaScript number cannot keep what Go keeps, a documented difference)
const numberLike = fc.tuple(
  fc.constantFrom('', '', '+', '-'),
  fc.constantFrom('', '', '0', '0x', '0X', '0o', '0O', '0b', '0B', '0b-', '0b+', '.', '_'),
  fc.stringMatching(/^[0-9a-f_]{0,10}$/),
  fc.constantFrom('', '', '.5', '.', 'e3', 'E-2', '_', ':30', '-01-02'),
).map((p) => p.join(''))
  // (`:30` alone in a flow sequence is an error to yaml.v2 and text to YAML 1.2: a documented difference)
  .filter((s) => s !== '' && !s.startsWith(':') && s.replace(/[^0-9]/g, '').length <= 15);
const plain = fc.oneof(word, yaml11Words, floatWords, numberLike);

const dqPiece = fc.oneof(
  { weight: 16, arbitrary: fc.stringMatching(/^[a-z ]{1,3}$/) },
  { weight: 12, arbitrary: fc.constantFrom('\\n', '\\t', '\\"', '\\\\', "\\'", '\\x41', '\\u00e9', '\\U0001F600', '\\N', '\\_', '\\L', '\\P', '\\0', '\\e', '\\ ', "'", '#', ': ', '\\\n  ', '\n  ', '\n\n  ') },
  // escapes kubectl refuses (so does tektite): rarer, or most texts would be refusals
  { weight: 1, arbitrary: fc.constantFrom('\\/', '\\ud800', '\\q') },
);
const doubleQuoted = fc.array(dqPiece, { maxLength: 5 }).map((p) => `"${p.join('')}"`);
const singleQuoted = fc.array(fc.oneof(fc.stringMatching(/^[a-z ]{1,3}$/), fc.constantFrom("''", '\\', '"', '\\n', '\n  ', '\n\n  ')), { maxLength: 4 }).map((p) => `'${p.join('')}'`);
const scalar = fc.oneof({ weight: 5, arbitrary: plain }, { weight: 3, arbitrary: doubleQuoted }, { weight: 2, arbitrary: singleQuoted });
// (a lone `-` in a flow collection is the text "-" to yaml.v2 and an error to YAML 1.2: a documented difference)
const flowSeq = fc.array(scalar.filter((s) => !s.includes('\n') && s !== '-'), { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`);
// (no line of spaces only: yaml.v2 and YAML 1.2 take a more-indented first one apart, a documented difference)
const block = fc.tuple(fc.constantFrom('|', '|-', '|+', '>', '>-'), fc.array(fc.stringMatching(/^(?:[a-z$(){}.#:-][a-z $(){}.#:-]{0,7})?$/), { minLength: 1, maxLength: 3 }))
  .map(([h, lines]) => `${h}\n${lines.map((l) => (l ? `    ${l}` : '')).join('\n')}`);
const flowMap = fc.array(fc.tuple(word, scalar.filter((s) => !s.includes('\n') && s !== '-')), { maxLength: 3 })
  .map((es) => `{${es.map(([k, v]) => `${k}: ${v}`).join(', ')}}`);
/** A plain scalar over two lines (folded into one with a space). */
const multiLinePlain = fc.tuple(word, word).map(([a, b]) => `${a}\n    ${b}`);
const value = fc.oneof({ weight: 6, arbitrary: scalar }, { weight: 1, arbitrary: flowSeq }, { weight: 1, arbitrary: flowMap }, { weight: 1, arbitrary: block }, { weight: 1, arbitrary: multiLinePlain });
const key = fc.oneof({ weight: 4, arbitrary: word }, { weight: 1, arbitrary: yaml11Words }, { weight: 1, arbitrary: numberLike }, { weight: 1, arbitrary: doubleQuoted.filter((s) => !s.includes('\n')) });
/** An anchor name from a word: mostly one yaml.v2 takes (letters, digits, _ and -), now and then with a `.` it refuses. */
const name = (w: string): string => (w.length % 4 === 0 ? w : w.replace(/\./g, '_'));
const comment = fc.constantFrom('', '', '', ' # note', ' #: x');
const entry = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(key, value, comment).map(([k, v, c]) => `${k}: ${v}${v.includes('\n') ? '' : c}`) },
  // a block sequence of maps (steps, env, params)
  { weight: 1, arbitrary: fc.tuple(key, fc.array(fc.array(fc.tuple(word, scalar.filter((x) => !x.includes('\n'))), { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }))
    .map(([k, items]) => `${k}:\n${items.map((es) => es.map(([ek, ev], i) => `${i ? '   ' : '  -'} ${ek}: ${ev}`).join('\n')).join('\n')}`) },
  // an anchored scalar, maybe overridden by a later key, sent on through an alias
  { weight: 1, arbitrary: fc.tuple(word, scalar.filter((x) => !x.includes('\n')), fc.boolean()).map(([k, v, twice]) => `${k}: &${name(k)}s ${v}${twice ? `\n${k}: 1` : ''}\n${k}-ref: *${name(k)}s`) },
  // a comment line, a blank line
  { weight: 1, arbitrary: fc.constantFrom('# a comment line', '', '  # indented comment') },
  // a key that is a list or a map (kubectl refuses the file), as a Helm template's `{{ x }}` is
  { weight: 1, arbitrary: fc.tuple(fc.oneof(flowSeq, flowMap, fc.constantFrom('{{ .Values.x }}', '{{x}}')), fc.boolean(), word)
    .map(([k, asValue, w]) => (asValue ? `${w}: ${k}` : k.startsWith('{{') ? `${k}: ${w}` : `? ${k}\n: ${w}`)) },
  // a block sequence under a key
  { weight: 1, arbitrary: fc.tuple(key, fc.array(scalar.filter((x) => !x.includes('\n')), { minLength: 1, maxLength: 3 })).map(([k, xs]) => `${k}:\n${xs.map((x) => `  - ${x}`).join('\n')}`) },
  // `<<` merges of an anchored map (yaml.v2 merges in order; keys written after the merge win)
  { weight: 1, arbitrary: fc.tuple(word, fc.array(fc.tuple(word, scalar.filter((x) => !x.includes('\n') && x !== '-')), { minLength: 1, maxLength: 2 }), fc.array(fc.tuple(word, plain), { maxLength: 2 }), fc.boolean())
    .map(([k, base, own, before]) => {
      const anchor = `${k}-base: &${name(k)} {${base.map(([bk, bv]) => `${bk}: ${bv}`).join(', ')}}`;
      const ownLines = own.map(([ok, ov]) => `  ${ok}: ${ov}`);
      return `${anchor}\n${k}:\n${[...(before ? ownLines : []), `  <<: *${name(k)}`, ...(before ? [] : ownLines)].join('\n')}`;
    }) },
);
const doc = fc.array(entry, { minLength: 1, maxLength: 4 }).map((es) => `${es.join('\n')}\n`);
/** A document as a Tekton file has it: the generated entries under a step's fields. */
const nested = doc.map((d) => `spec:\n  steps:\n    - name: s\n${d.trimEnd().split('\n').map((l) => (l ? `      ${l}` : '')).join('\n')}\n`);

let dir: string;
let bin: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tektite-kubectl-yaml-'));
  bin = buildKubectlReader(dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('every document of every file of the shared corpus: the same values as kubectl reads them', () => {
  const files = expandPaths([requireCorpus()]);
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  const go = kubectlRead(bin, texts, true);
  let documents = 0;
  texts.forEach((text, i) => {
    const want = go[i]!;
    assert.equal(want.error, undefined, `kubectl refuses ${files[i]}: ${want.error}`);
    const r = loadText(text, files[i]!);
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), [], files[i]);
    const expected = (JSON.parse(want.json!) as unknown[]).map(canonical);
    // (an empty document, `---` alone, is a null here and passed over by kubectl)
    assert.deepEqual(r.docs.filter((d) => d.value !== null).map((d) => canonical(d.value)), expected, files[i]);
    documents += expected.length;
  });
  assert.ok(files.length > 200 && documents > files.length, `${files.length} files, ${documents} documents`);
});

test("YAML read as kubectl reads it: tektite's loader against sigs.k8s.io/yaml (Go's yaml.v2) on generated texts", () => {
  const seed = Number(process.env.TEKTITE_YAML_SEED ?? 20261204);
  const runs = Number(process.env.TEKTITE_YAML_RUNS ?? 4000);
  // (now and then without the final line break: a block scalar at the end keeps none then)
  const texts = fc.sample(fc.tuple(fc.oneof(doc, nested), fc.nat(9)).map(([t, n]) => (n === 0 ? t.trimEnd() : t)), { seed, numRuns: runs });
  const go = kubectlRead(bin, texts);
  const mismatches: string[] = [];
  let ambiguous = 0;
  texts.forEach((text, i) => {
    const want = go[i]!;
    // (two keys kubectl turns into one JSON key: Go's map order picks the value; tektite keeps the last and warns)
    if (want.ambiguous) {
      ambiguous++;
      return;
    }
    const wantJson = want.json === undefined ? undefined : canonical(JSON.parse(want.json));
    for (const load of [loadText, loadTextWithYaml]) {
      const got = tektiteRead(load, text);
      const same = wantJson === undefined ? got.error !== undefined : got.json === wantJson;
      if (!same) mismatches.push(`${load.name} ${JSON.stringify(text)}\n  kubectl: ${want.error ?? wantJson}\n  tektite: ${got.error ?? got.json}`);
    }
  });
  assert.equal(mismatches.length, 0, `${mismatches.length} of ${texts.length * 2} readings differ from kubectl's (seed ${seed}); the first:\n${mismatches.slice(0, 12).join('\n')}`);
  assert.ok(ambiguous < texts.length / 100, `${ambiguous} texts with colliding keys: the generator should rarely make them`);
});
