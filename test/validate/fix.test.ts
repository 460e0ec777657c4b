// `tektite validate --fix`: script references moved into env, checked on the rewritten text, on
// the catalog, and by running a fixed Task with a hostile param value.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, chmodSync, symlinkSync, lstatSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contexts, fixScriptReferences } from '../../src/tekton/lint/fix-script-references.js';
import { loadText } from '../../src/tekton/load.js';
import { requireCorpus, tektiteBin } from '../helpers/paths.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tektite-fix-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function tektite(args: string[], cwd = dir, input?: string) {
  const r = spawnSync(process.execPath, [tektiteBin, ...args], { cwd, encoding: 'utf8', timeout: 120_000, input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A Task's first lines, down to its first param, `who`. */
const GREET = ['apiVersion: tekton.dev/v1', 'kind: Task', 'metadata:', '  name: greet', 'spec:', '  params:', '    - name: who'];

const fix = (text: string) => fixScriptReferences(text, 'task.yaml', {});

test('the shell context of each reference', () => {
  const script = [
    'echo $(params.a) "$(params.b) $(results.r.path) x" \'$(params.c)\' # $(params.d)',
    'cat <<EOF',
    '$(params.e)',
    'EOF',
    "cat <<-'END'",
    '\t$(params.f)',
    '\tEND',
    'read -r x <<<"$(params.g)"',
    'echo `date` $(params.h)',
  ].join('\n');
  assert.deepEqual(
    contexts(script).map((o) => `${o.ref} ${o.ctx}`),
    ['$(params.a) code', '$(params.b) double', "$(params.c) single", '$(params.d) code', '$(params.e) double', '$(params.f) unsafe', '$(params.g) double', '$(params.h) unsafe'],
  );
  // a command substitution inside double quotes is not followed
  assert.deepEqual(contexts('echo "$(date) $(params.a)"; echo $(params.b)').map((o) => o.ctx), ['unsafe', 'unsafe']);
  // `<<` that starts no here-document (no end line): what looked like its body is not sure either
  assert.deepEqual(contexts("echo $((x<<y))\necho 'v: $(params.a)'\n").map((o) => o.ctx), ['unsafe']);
  // a delimiter partly quoted is not followed
  assert.deepEqual(contexts('cat <<E"OF"\n$(params.a)\nEOF\n').map((o) => o.ctx), ['unsafe']);
  // quotes in a pattern inside double quotes are quotes again; after `)#` a comment or a word
  assert.deepEqual(contexts(`echo "\${X#'$(params.a)'}" $(params.b)`).map((o) => o.ctx), ['unsafe', 'code']);
  assert.deepEqual(contexts("(cd /tmp)# it's\necho $(params.a)").map((o) => o.ctx), ['unsafe']);
  // in a here-document, from its first $(, ${, backtick or backslash on
  assert.deepEqual(contexts("cat <<EOF\n$(params.a)\n$(echo '$(params.b)')\n$(params.c)\nEOF\n").map((o) => o.ctx), ['double', 'unsafe', 'unsafe']);
  // bash brace expansion; what stands beside: ~, $, \\, an assignment's =
  for (const script of ['for i in {1..$(params.n)}; do :; done', 'echo ~$(params.n)/x', 'echo "$$(params.n)"', 'echo \\$(params.n)', '$(params.n)=1', 'echo "\\$(params.n)"']) {
    assert.deepEqual(contexts(script).map((o) => o.ctx), ['unsafe'], script);
  }
  assert.deepEqual(contexts('echo {$(params.n)').map((o) => o.ctx), ['unsafe']);
  // the word of a brace expansion, before and after it; the next word is plain again
  assert.deepEqual(contexts('echo $(params.a){1..3}$(params.b) $(params.c)').map((o) => o.ctx), ['unsafe', 'unsafe', 'code']);
  assert.deepEqual(contexts('f() { echo $(params.n); }').map((o) => o.ctx), ['code'], 'a brace group is no expansion');
});

test('a step without env: env added in front of its first key on a line of its own; every spelling of the place handled', () => {
  const text = [
    ...GREET,
    '    - name: greeting',
    '  steps:',
    '    - name: say # the only step',
    '      image: alpine:3.20',
    '      script: |',
    '        # greets $(params.who)',
    '        echo "$(params.greeting), $(params.who)!" > $(results.out.path)',
    "        echo '$(params.who)' 'dear $(params.who)'",
    '        cat <<EOF',
    '        $(params.greeting)',
    '        EOF',
    '  results:',
    '    - name: out',
    '',
  ].join('\n');
  const r = fix(text);
  assert.equal(r.fixed, 6);
  assert.equal(r.left, 0);
  const lines = text.split('\n');
  assert.equal(
    r.text,
    [
      ...lines.slice(0, 10), // down to the step's first line
      '      env:',
      '        - name: PARAM_WHO',
      '          value: $(params.who)',
      '        - name: PARAM_GREETING',
      '          value: $(params.greeting)',
      ...lines.slice(10, 12),
      '        # greets ${PARAM_WHO}',
      '        echo "${PARAM_GREETING}, ${PARAM_WHO}!" > $(results.out.path)',
      `        echo "\${PARAM_WHO}" 'dear '"\${PARAM_WHO}"''`,
      lines[15],
      '        ${PARAM_GREETING}',
      ...lines.slice(17),
    ].join('\n'),
  );
});

test('an existing env entry is reused; new names avoid env, stepTemplate env and the script\'s own variables', () => {
  const text = [
    'apiVersion: tekton.dev/v1',
    'kind: Task',
    'metadata:',
    '  name: t',
    'spec:',
    '  params: [{name: a}, {name: b}, {name: c}]',
    '  stepTemplate:',
    '    env:',
    '      - name: PARAM_C',
    '        value: from-template',
    '  steps:',
    '    - image: alpine:3.20',
    '      env:',
    '        - name: A',
    '          value: $(params.a)',
    '        - name: PARAM_B',
    '          value: other',
    '      script: |',
    '        PARAM_B_2=x',
    '        echo $(params.a) $(params.b) $(params.c)',
    '',
  ].join('\n');
  const r = fix(text);
  assert.equal(r.fixed, 3);
  const step = (loadText(r.text, 't.yaml').docs[0]!.value as { spec: { steps: { env: unknown; script: string }[] } }).spec.steps[0]!;
  assert.deepEqual(step.env, [
    { name: 'PARAM_B_3', value: '$(params.b)' },
    { name: 'PARAM_C_2', value: '$(params.c)' },
    { name: 'A', value: '$(params.a)' },
    { name: 'PARAM_B', value: 'other' },
  ]);
  assert.equal(step.script, 'PARAM_B_2=x\necho ${A} ${PARAM_B_3} ${PARAM_C_2}\n');
});

test('v1beta1 with $(inputs.params…) and CRLF line ends; a Pipeline\'s embedded task with a task result', () => {
  const beta = 'apiVersion: tekton.dev/v1beta1\r\nkind: Task\r\nmetadata:\r\n  name: old\r\nspec:\r\n  params:\r\n    - name: x\r\n  steps:\r\n    - image: alpine:3.20\r\n      script: |\r\n        echo "$(inputs.params.x)"\r\n';
  const r = fix(beta);
  assert.equal(r.fixed, 1);
  assert.equal(r.text, 'apiVersion: tekton.dev/v1beta1\r\nkind: Task\r\nmetadata:\r\n  name: old\r\nspec:\r\n  params:\r\n    - name: x\r\n  steps:\r\n    - image: alpine:3.20\r\n      env:\r\n        - name: PARAM_X\r\n          value: $(inputs.params.x)\r\n      script: |\r\n        echo "${PARAM_X}"\r\n');

  const pipeline = [
    'apiVersion: tekton.dev/v1',
    'kind: Pipeline',
    'metadata:',
    '  name: p',
    'spec:',
    '  tasks:',
    '    - name: make',
    '      taskSpec:',
    '        results: [{name: id}]',
    '        steps:',
    '          - image: alpine:3.20',
    '            script: printf abc > $(results.id.path)',
    '    - name: use',
    '      taskSpec:',
    '        steps:',
    '          - image: alpine:3.20',
    '            script: |',
    '              echo "id: $(tasks.make.results.id)"',
    '',
  ].join('\n');
  const p = fix(pipeline);
  assert.equal(p.fixed, 1);
  assert.match(p.text, / {10}- image: alpine:3\.20\n {12}env:\n {14}- name: RESULT_MAKE_ID\n {16}value: \$\(tasks\.make\.results\.id\)\n {12}script: \|\n {14}echo "id: \$\{RESULT_MAKE_ID\}"\n/);
});

test('left alone: ignored findings, plain (non-block) scripts, flow env lists, backticks, quoted here-documents', () => {
  const head = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  params: [{name: a}]\n  steps:\n    - image: alpine:3.20\n';
  const cases = [
    '      script: |\n        echo $(params.a) # tektite-ignore: script-reference\n',
    '      script: echo $(params.a)\n',
    '      env: []\n      script: |\n        echo $(params.a)\n',
    '      script: |\n        echo `date` $(params.a)\n',
    "      script: |\n        cat <<'EOF'\n        $(params.a)\n        EOF\n",
  ];
  for (const c of cases) {
    const r = fix(head + c);
    assert.equal(r.text, head + c, c);
    assert.equal(r.fixed, 0);
    assert.equal(r.left, c.includes('tektite-ignore') ? 0 : 1, c);
  }
});

test('left alone: scripts in other languages, values the shell would read differently through env', () => {
  const task = (params: string, script: string) =>
    `apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  params:\n${params}  steps:\n    - image: alpine:3.20\n      script: |\n${script}`;
  for (const shebang of ['#!/usr/bin/env python3', '#!/usr/bin/pwsh', '#!/usr/bin/env node', '#!/bin/zsh']) {
    const text = task('    - name: a\n', `        ${shebang}\n        print("$(params.a)")\n`);
    assert.equal(fix(text).text, text, shebang);
  }
  for (const shebang of ['#!/bin/bash', '#!/usr/bin/env sh', '#!/bin/busybox sh']) {
    assert.equal(fix(task('    - name: a\n', `        ${shebang}\n        echo "$(params.a)"\n`)).fixed, 1, shebang);
  }
  // pasted into double quotes the shell unescapes \" and expands $HOME; through env it would not
  const cases: [string, string, number][] = [
    ['    - name: a\n      default: \'{\\"k\\":1}\'\n', '        echo "$(params.a)"\n', 0],
    ['    - name: a\n      default: $HOME/.cache\n', '        echo "$(params.a)"\n', 0],
    ['    - name: a\n      default: ~/x\n', '        echo $(params.a)\n', 0], // unquoted: ~ expands pasted in
    ['    - name: a\n      default: ~/x\n', '        echo "$(params.a)"\n', 1], // in double quotes it does not
    ['    - name: a\n      default: "--opt \\"a b\\""\n', '        run $(params.a)\n', 0],
    ['    - name: a\n      default: plain words\n', '        run $(params.a)\n', 1],
  ];
  for (const [params, script, fixed] of cases) assert.equal(fix(task(params, script)).fixed, fixed, params + script);
});

test('values a Pipeline task passes its embedded spec count; an env entry the shell cannot name is not reused', () => {
  const pipeline = (value: string) => [
    'apiVersion: tekton.dev/v1',
    'kind: Pipeline',
    'metadata:',
    '  name: p',
    'spec:',
    '  params: [{name: where, default: ~/src}]',
    '  tasks:',
    '    - name: list',
    `      params: [{name: dir, value: ${value}}]`,
    '      taskSpec:',
    '        params: [{name: dir}]',
    '        steps:',
    '          - image: alpine:3.20',
    '            script: |',
    '              ls $(params.dir)',
    '',
  ].join('\n');
  assert.equal(fix(pipeline('~/src')).fixed, 0);
  assert.equal(fix(pipeline('"$(params.where)"')).fixed, 0, 'through the Pipeline param');
  assert.equal(fix(pipeline('src')).fixed, 1);

  const text = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  params: [{name: a}]\n  steps:\n    - image: alpine:3.20\n      env:\n        - name: my-var\n          value: $(params.a)\n      script: |\n        echo "$(params.a)"\n';
  const r = fix(text);
  assert.equal(r.fixed, 1);
  assert.match(r.text, /- name: PARAM_A\n {10}value: \$\(params\.a\)\n {8}- name: my-var\n[\s\S]*echo "\$\{PARAM_A\}"/);
});

test('a script reached twice through a YAML alias is fixed once and counted so; new lines take the line end of their place', () => {
  const text = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  params: [{name: a}]\n  steps:\n    - &st\n      name: s\n      image: alpine:3.20\n      script: |\n        echo "$(params.a)"\n  sidecars:\n    - *st\n';
  const r = fix(text);
  assert.deepEqual([r.fixed, r.done, r.left], [1, 2, 0]);
  const mixed = 'apiVersion: tekton.dev/v1\r\nkind: Task\nmetadata:\n  name: t\nspec:\n  params: [{name: a}]\n  steps:\n    - name: s\n      image: alpine:3.20\n      script: |\n        echo "$(params.a)"\n';
  assert.match(fix(mixed).text, /- name: s\n {6}env:\n {8}- name: PARAM_A\n {10}value: \$\(params\.a\)\n {6}image/);
});

test("a StepAction's script with a param (a Tekton error there) is fixed the same way: the env entry goes on its spec", () => {
  const text = 'apiVersion: tekton.dev/v1beta1\nkind: StepAction\nmetadata:\n  name: s\nspec:\n  params:\n    - name: a\n  results:\n    - name: r\n  image: alpine:3.20\n  script: |\n    echo "$(params.a)" > $(step.results.r.path)\n';
  const before = tektite(['validate', '-'], dir, text);
  assert.equal(before.code, 1);
  assert.match(before.stdout, /param substitution in scripts is not allowed\.: spec\.script/);
  const r = fix(text);
  assert.deepEqual([r.fixed, r.done, r.left], [1, 1, 0]);
  assert.equal(r.text, text.replace('spec:\n', 'spec:\n  env:\n    - name: PARAM_A\n      value: $(params.a)\n').replace('"$(params.a)"', '"${PARAM_A}"'));
  const after = tektite(['validate', '-'], dir, r.text);
  assert.equal(after.code, 0, after.stdout);
});

test('the finding suggests the name --fix would use: one the step\'s env does not hold already', () => {
  const r = tektite(['validate', '-'], dir, 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  params: [{name: who}]\n  steps:\n    - image: alpine:3.20\n      env:\n        - name: PARAM_WHO\n          value: other\n      script: |\n        echo $(params.who)\n');
  assert.match(r.stdout, /write "\$\{PARAM_WHO_2\}" in the script:\n {4}env:\n {6}- name: PARAM_WHO_2\n/);
});

test('a comment over the key env goes in front of stays with its key', () => {
  const text = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  params: [{name: a}]\n  steps:\n    - name: s\n      # tektite-ignore: image-unpinned\n      image: alpine\n      script: |\n        echo $(params.a)\n';
  const r = fix(text);
  assert.equal(r.fixed, 1);
  assert.match(r.text, /- name: s\n {6}env:\n {8}- name: PARAM_A\n {10}value: \$\(params\.a\)\n {6}# tektite-ignore: image-unpinned\n {6}image: alpine\n/);
});

test('tektite validate --fix: files rewritten in place (mode and links kept, nothing else left behind), findings gone, bad usage refused', () => {
  const work = join(dir, 'cli');
  mkdirSync(join(work, 'real'), { recursive: true });
  writeFileSync(join(work, 'real', 'task.yaml'), readFileSync(join(requireCorpus(), 'catalog', 'jq-0.1.yaml'), 'utf8'));
  chmodSync(join(work, 'real', 'task.yaml'), 0o640);
  symlinkSync(join('real', 'task.yaml'), join(work, 'link.yaml'));
  const before = tektite(['validate', 'link.yaml'], work);
  assert.match(before.stdout, /\[script-reference\]/);

  let r = tektite(['validate', '--fix', 'link.yaml'], work);
  assert.equal(r.code, 0, r.stderr);
  // jq's `input` default holds backslashes, which the shell unescapes pasted in but not through env
  assert.match(r.stderr, /^fixed 7 script references in link\.yaml \(env entries added; the scripts read "\$\{NAME\}"\); 1 left as they were \(/);
  assert.deepEqual(r.stdout.match(/reference \S+ in a script/g), ['reference $(params.input) in a script']);
  assert.ok(lstatSync(join(work, 'link.yaml')).isSymbolicLink(), 'the link still a link');
  assert.equal(statSync(join(work, 'real', 'task.yaml')).mode & 0o777, 0o640);
  assert.deepEqual(readdirSync(join(work, 'real')), ['task.yaml']);
  const fixed = readFileSync(join(work, 'real', 'task.yaml'), 'utf8');
  // a second --fix finds nothing to do and changes nothing
  r = tektite(['validate', '--fix', 'link.yaml'], work);
  assert.equal(r.code, 0);
  assert.equal(readFileSync(join(work, 'real', 'task.yaml'), 'utf8'), fixed);

  writeFileSync(join(work, 'off.yaml'), 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  params: [{name: a}]\n  steps:\n    - image: alpine:3.20\n      script: |\n        echo $(params.a)\n');
  const off = readFileSync(join(work, 'off.yaml'), 'utf8');
  r = tektite(['validate', '--fix', '--rule', 'script-reference=off', 'off.yaml'], work);
  assert.equal(r.code, 0);
  assert.equal(readFileSync(join(work, 'off.yaml'), 'utf8'), off, 'a rule turned off fixes nothing');

  // read-only: left as it is, and said; a file with another hard link keeps it
  const ro = join(work, 'ro.yaml');
  writeFileSync(ro, off);
  chmodSync(ro, 0o444);
  r = tektite(['validate', '--fix', 'ro.yaml'], work);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /^tektite: validate: --fix: cannot write ro\.yaml: it is read-only: its findings are left\nfixed no script reference; 1 in files it could not write: see below\n/);
  assert.equal(readFileSync(ro, 'utf8'), off);
  linkSync(join(work, 'off.yaml'), join(work, 'hard.yaml'));
  r = tektite(['validate', '--fix', 'hard.yaml'], work);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(statSync(join(work, 'off.yaml')).ino, statSync(join(work, 'hard.yaml')).ino);
  assert.match(readFileSync(join(work, 'off.yaml'), 'utf8'), /echo \$\{PARAM_A\}/);

  // -o json says what was fixed where
  writeFileSync(join(work, 'json.yaml'), off);
  r = tektite(['validate', '--fix', '-o', 'json', 'json.yaml'], work);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual([j.fixed, j.fixedFiles, j.warnings], [1, ['json.yaml'], 0]);

  r = tektite(['validate', '--fix', 'nowhere.yaml'], work);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'tektite: validate: cannot read nowhere.yaml: no such file or directory\n');

  r = tektite(['validate', '--fix', '-'], work);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'tektite: validate: --fix cannot rewrite stdin (-): give files or folders\n');
  r = tektite(['validate', '--fix', '--watch', 'off.yaml'], work);
  assert.equal(r.code, 2);
});

test('a fixed Task runs as before for a plain value, and a hostile value stays data', () => {
  const work = join(dir, 'run');
  mkdirSync(work);
  writeFileSync(join(work, 'task.yaml'), [
    ...GREET,
    '  results:',
    '    - name: greeting',
    '  steps:',
    '    - name: say',
    '      image: alpine:3.20',
    '      script: |',
    '        printf "hello %s" "$(params.who)" > $(results.greeting.path)',
    '',
  ].join('\n'));
  const greeting = (who: string) => {
    const r = tektite(['run', '--executor', 'host', 'task.yaml', '-p', `who=${who}`], work);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    return /^greeting = (.*)$/m.exec(r.stdout)?.[1];
  };
  // before the fix the value is shell code
  assert.equal(greeting('world'), 'hello world');
  assert.equal(greeting('$(echo INJECTED)'), 'hello INJECTED');
  const r = tektite(['validate', '--fix', 'task.yaml'], work);
  assert.equal(r.code, 0, r.stderr);
  assert.match(readFileSync(join(work, 'task.yaml'), 'utf8'), /printf "hello %s" "\$\{PARAM_WHO\}"/);
  // after it, the same result for a plain value, and the hostile one is printed as given
  assert.equal(greeting('world'), 'hello world');
  assert.equal(greeting('$(echo INJECTED)'), 'hello $(echo INJECTED)');
});

test('the catalog, fixed: no new finding of any other kind, and far fewer script references', () => {
  const work = join(dir, 'catalog');
  cpSync(join(requireCorpus(), 'catalog'), work, { recursive: true });
  for (const f of readdirSync(work)) chmodSync(join(work, f), 0o644); // as in a checkout (the shared copy is read-only)
  const count = () => {
    const r = tektite(['validate', '-o', 'json', '.'], work);
    const byRule = new Map<string, number>();
    for (const d of JSON.parse(r.stdout).diagnostics as { rule?: string; severity: string }[]) {
      const k = `${d.severity} ${d.rule ?? 'tekton'}`;
      byRule.set(k, (byRule.get(k) ?? 0) + 1);
    }
    return byRule;
  };
  const before = count();
  const r = tektite(['validate', '--fix', '-q', '.'], work);
  assert.match(r.stderr, /^fixed \d+ script references in /);
  const after = count();
  for (const [k, n] of after) if (k !== 'warning script-reference') assert.equal(n, before.get(k), k);
  assert.equal(after.size <= before.size, true);
  const was = before.get('warning script-reference')!;
  const left = after.get('warning script-reference') ?? 0;
  assert.ok(was > 300 && left < was / 2, `${was} -> ${left}`);
});
