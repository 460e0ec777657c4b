import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadText, loadTextWithYaml } from '../../src/tekton/load.js';
import { expandPaths, loadPaths } from '../../src/tekton/files.js';
import { requireCorpus } from '../helpers/paths.js';

test('multi-document YAML keeps kinds, names and source positions', () => {
  const text = [
    'apiVersion: tekton.dev/v1',
    'kind: Task',
    'metadata:',
    '  name: hello',
    'spec:',
    '  steps:',
    '    - name: one',
    '      image: busybox',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: cm}',
    '',
  ].join('\n');
  const r = loadText(text, 'x.yaml');
  assert.equal(r.docs.length, 2);
  assert.equal(r.tekton.length, 1);
  const task = r.tekton[0]!;
  assert.equal(task.kind, 'Task');
  assert.equal(task.name, 'hello');
  assert.deepEqual(task.pos(['spec', 'steps', 0, 'image']), { line: 8, col: 14 });
  assert.deepEqual(task.keyPos(['spec', 'steps', 0, 'image']), { line: 8, col: 7 });
  // a path that does not exist points at its nearest ancestor
  assert.deepEqual(task.pos(['spec', 'steps', 0, 'script']), { line: 7, col: 7 });
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0]!.severity, 'note');
  assert.match(r.diagnostics[0]!.message, /skipped ConfigMap/);
});

test('keyPos points at the key the whole path names, also when an outer key has the same text', () => {
  // `data.data`: the inner key, on line 3, not the outer one on line 2 (both readers)
  // (an anchor puts the second text outside the fast reader's subset: the yaml package reads it)
  for (const t of ['kind: ConfigMap\ndata:\n  data: x\n', 'kind: ConfigMap\ndata:\n  data: &a x\n']) {
    const doc = loadText(t, 'x.yaml').docs[0]!;
    assert.deepEqual(doc.keyPos(['data', 'data']), { line: 3, col: 3 }, JSON.stringify(t));
    assert.deepEqual(doc.keyPos(['data']), { line: 2, col: 1 }, JSON.stringify(t));
  }
});

test('YAML syntax errors become diagnostics with a position, never exceptions', () => {
  const r = loadText('kind: Task\nspec:\n  steps: [\n', 'bad.yaml');
  assert.equal(r.tekton.length, 0);
  const err = r.diagnostics.find((d) => d.severity === 'error');
  assert.ok(err, 'an error is reported');
  assert.equal(err.file, 'bad.yaml');
  assert.ok(err.pos && err.pos.line >= 3, `position points into the broken flow sequence: ${JSON.stringify(err.pos)}`);
});

test('a key twice is no error, as in yaml.v2 (kubectl): the last value stands, and a duplicate-key note marks the later key', () => {
  for (const load of [loadText, loadTextWithYaml]) {
    const r = load('kind: ConfigMap\na: 1\nb: x\na: 2\n', 'dup.yaml');
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), [], load.name);
    const doc = r.docs[0]!;
    assert.deepEqual(doc.value, { kind: 'ConfigMap', a: 2, b: 'x' }, load.name);
    assert.deepEqual(doc.pos(['a']), { line: 4, col: 4 }, 'the value that stands');
    assert.deepEqual(doc.yaml11!.map((n) => [n.rule, n.pos, n.message]), [
      ['duplicate-key', { line: 4, col: 1 }, 'key "a" is already in this map (line 2): kubectl keeps this value and silently drops the earlier one (YAML 1.2 tools refuse the file); remove one'],
    ], load.name);
  }
});

test('every file of the shared corpus loads without a syntax error', () => {
  const corpus = requireCorpus();
  const r = loadPaths([join(corpus, 'catalog'), join(corpus, 'tekton-examples'), join(corpus, 'catalog-tests')]);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors, []);
  const tasks = r.tekton.filter((d) => d.kind === 'Task' && d.file.includes('/catalog/'));
  assert.equal(tasks.length, 171);
});

test('files found in a folder are named as path.join names them, however the folder is spelled', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'tektite-expand-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'd', 'sub'), { recursive: true });
  for (const f of ['a.yaml', 'sub/b.yml', 'sub/..c.json', 'skip.txt']) writeFileSync(join(root, 'd', f), 'x: 1\n');
  const cwd = process.cwd();
  process.chdir(root);
  t.after(() => process.chdir(cwd));
  for (const dir of ['d', 'd/', './d', 'd//', 'd/sub/..', join(root, 'd'), `${join(root, 'd')}/`]) {
    const found = expandPaths([dir]);
    assert.deepEqual(found.filter((f) => !f.endsWith('..c.json')), [join(dir, 'a.yaml'), join(dir, 'sub', 'b.yml')], dir);
    assert.ok(found.includes(join(dir, 'sub', '..c.json')), `${dir}: ${found.join(', ')}`);
  }
  process.chdir(join(root, 'd'));
  assert.deepEqual(expandPaths(['.']), ['a.yaml', join('sub', '..c.json'), join('sub', 'b.yml')]);
  assert.deepEqual(expandPaths(['./']), ['a.yaml', join('sub', '..c.json'), join('sub', 'b.yml')]);
  assert.deepEqual(expandPaths(['sub/../']), ['a.yaml', join('sub', '..c.json'), join('sub', 'b.yml')]);
});
