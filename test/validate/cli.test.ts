// `tektite validate` as users run it: a child process, real files, exit codes and output.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, chmodSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusDir, requireCorpus, tektiteBin } from '../helpers/paths.js';

let dir: string;

const GOOD = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: hello\nspec:\n  steps:\n    - name: say\n      image: alpine:3.20\n      script: echo hello\n';
const WARN = GOOD.replace('alpine:3.20', 'alpine');
const BAD = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: bad\nspec:\n  steps:\n    - name: Say\n      script: echo $(params.who)\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n';

function tektite(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [tektiteBin, ...args], { input, encoding: 'utf8', cwd: dir, timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tektite-validate-'));
  writeFileSync(join(dir, 'good.yaml'), GOOD);
  writeFileSync(join(dir, 'warn.yaml'), WARN);
  writeFileSync(join(dir, 'bad.yaml'), BAD);
  writeFileSync(join(dir, 'broken.yaml'), 'apiVersion: tekton.dev/v1\nkind: Task\nspec:\n  steps: [\n');
  mkdirSync(join(dir, 'folder'));
  writeFileSync(join(dir, 'folder', 'a.yml'), GOOD);
  writeFileSync(join(dir, 'folder', 'notes.txt'), 'not yaml');
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('a file named twice, or named and in a folder also given, is read once', () => {
  const r = tektite(['validate', 'warn.yaml', './warn.yaml', 'folder', 'folder/a.yml']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '2 files, 2 Tekton documents: 0 errors, 1 warning\n');
  assert.equal(r.stdout.match(/\[image-unpinned\]/g)?.length, 1);
});

test('valid file: exit 0, summary on stderr, nothing on stdout', () => {
  const r = tektite(['validate', 'good.yaml']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, '1 file, 1 Tekton document: 0 errors, 0 warnings\n');
});

test('warnings alone keep exit 0; --strict makes them errors (exit 1)', () => {
  const r = tektite(['validate', 'warn.yaml']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^warn\.yaml:8:14: warning: image "alpine" has no tag or digest \(Kubernetes pulls :latest\): spec\.steps\[0\]\.image \[image-unpinned\]$/m);
  const s = tektite(['validate', '--strict', 'warn.yaml']);
  assert.equal(s.code, 1);
  assert.match(s.stdout, /^warn\.yaml:8:14: image "alpine" has no tag/m);
});

test('errors: exit 1, file:line:col: message: path, in line order', () => {
  const r = tektite(['validate', 'bad.yaml']);
  assert.equal(r.code, 1);
  const lines = r.stdout.split('\n').filter((l) => /^bad\.yaml:\d+:\d+: /.test(l));
  assert.deepEqual(lines.filter((l) => !l.includes('warning:')), [
    'bad.yaml:7:7: missing field(s): spec.steps[0].Image',
    'bad.yaml:7:13: invalid value "Say": spec.steps[0].name',
    'bad.yaml:8:15: non-existent variable in "echo $(params.who)": spec.steps[0].script',
  ]);
  assert.match(r.stdout, /^ {2}Task step name must be a valid DNS Label/m, 'details on the next line');
  assert.equal(r.stderr, '1 file, 1 Tekton document (1 other skipped): 3 errors, 1 warning\n');
  assert.doesNotMatch(r.stdout, /ConfigMap/, 'notes only with --verbose');
  assert.match(tektite(['validate', '--verbose', 'bad.yaml']).stdout, /^bad\.yaml:10:1: note: skipped ConfigMap \(v1\)/m);
});

test('YAML syntax errors are errors with a position, not crashes', () => {
  const r = tektite(['validate', 'broken.yaml']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^broken\.yaml:\d+:\d+: .+\[yaml-syntax\]$/m);
  assert.doesNotMatch(r.stderr, /internal error/);
});

test('folders are searched for .yaml/.yml/.json; several paths at once', () => {
  const r = tektite(['validate', 'folder', 'good.yaml']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '2 files, 2 Tekton documents: 0 errors, 0 warnings\n');
});

test('stdin with -', () => {
  const ok = tektite(['validate', '-'], GOOD);
  assert.equal(ok.code, 0);
  const bad = tektite(['validate', '-'], BAD);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /^<stdin>:7:7: missing field\(s\): spec\.steps\[0\]\.Image$/m);
});

test('input without any Tekton document warns (an error with --strict)', () => {
  writeFileSync(join(dir, 'configmap.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n');
  writeFileSync(join(dir, 'noise.yaml'), 'just some text: [1, 2]\n');
  const r = tektite(['validate', 'configmap.yaml', 'noise.yaml']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^warning: nothing to validate: no Task, TaskRun, StepAction, Pipeline or PipelineRun found/m);
  assert.match(r.stderr, /0 errors, 1 warning\n$/);
  assert.equal(tektite(['validate', '--strict', 'configmap.yaml']).code, 1);
  assert.doesNotMatch(tektite(['validate', 'good.yaml', 'configmap.yaml']).stdout, /nothing to validate/);
});

test('-o json: machine-readable findings and counts', () => {
  const r = tektite(['validate', '-o', 'json', 'bad.yaml', 'good.yaml']);
  assert.equal(r.code, 1);
  const j = JSON.parse(r.stdout);
  assert.equal(j.files, 2);
  assert.equal(j.documents, 2);
  assert.equal(j.skipped, 1);
  assert.equal(j.errors, 3);
  assert.equal(j.warnings, 1);
  assert.deepEqual(j.diagnostics[0], { file: 'bad.yaml', line: 7, col: 7, severity: 'error', message: 'missing field(s)', paths: ['spec.steps[0].Image'] });
  const lint = j.diagnostics.find((d: { rule?: string }) => d.rule === 'script-reference');
  assert.equal(lint.severity, 'warning');
  assert.match(lint.details, /name: PARAM_WHO/);
});

test("the API server's type errors: path first in text, pathFirst in JSON, a note per field; a key twice is a duplicate-key warning", () => {
  const typed = GOOD.replace('image: alpine:3.20', 'image: 3').replace('script: echo hello', 'script: echo hello\n      timeout: 5');
  const text = tektite(['validate', '-'], typed);
  assert.equal(text.code, 1);
  assert.equal(text.stdout, [
    '<stdin>:8:14: spec.steps[0].image: Invalid value: "integer": spec.steps[0].image in body must be of type string: "integer"',
    '<stdin>:10:16: spec.steps[0].timeout: Invalid value: "integer": spec.steps[0].timeout in body must be of type string: "integer"',
    '',
  ].join('\n'));
  const j = JSON.parse(tektite(['validate', '-o', 'json', '-'], typed).stdout);
  assert.deepEqual(j.diagnostics[0], { file: '<stdin>', line: 8, col: 14, severity: 'error', message: 'Invalid value: "integer": spec.steps[0].image in body must be of type string: "integer"', paths: ['spec.steps[0].image'], pathFirst: true });
  const twice = GOOD.replace('script: echo hello', 'script: echo hello\n      script: echo bye');
  const dup = tektite(['validate', '-'], twice);
  assert.equal(dup.code, 0);
  assert.match(dup.stdout, /^<stdin>:10:7: warning: key "script" is already in this map \(line 9\): kubectl keeps this value .* \[duplicate-key\]$/m);
  assert.equal(tektite(['validate', '--strict', '-'], twice).code, 1);
  assert.equal(tektite(['validate', '--strict', '--rule', 'duplicate-key=off', '-'], twice).stdout, '');
});

test('unreadable input and bad usage: exit 2 with a clear message', () => {
  const missing = tektite(['validate', 'nope.yaml']);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, 'tektite: validate: cannot read nope.yaml: no such file or directory\n');
  assert.equal(tektite(['validate']).code, 2);
  assert.equal(tektite(['validate', '--output', 'xml', 'good.yaml']).code, 2);
  assert.equal(tektite(['validate', '--enable', 'enable-nothing', 'good.yaml']).code, 2);
  assert.equal(tektite(['validate', '--api-fields', 'gamma', 'good.yaml']).code, 2);
  assert.equal(tektite(['validate', '--frobnicate', 'good.yaml']).code, 2);
  mkdirSync(join(dir, 'empty'));
  const empty = tektite(['validate', 'empty']);
  assert.equal(empty.code, 2);
  assert.equal(empty.stderr, 'tektite: validate: no .yaml, .yml or .json files in empty\n');
  if (process.getuid?.() !== 0) {
    const locked = join(dir, 'locked.yaml');
    writeFileSync(locked, GOOD);
    chmodSync(locked, 0o000);
    const r = tektite(['validate', locked]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /permission denied/);
  }
});

test('feature flags: --enable and --api-fields change what the webhook accepts', () => {
  const doc = GOOD.replace('spec:\n', 'spec:\n  params:\n    - name: level\n      enum: [a, b]\n');
  assert.equal(tektite(['validate', '-'], doc).code, 1);
  assert.equal(tektite(['validate', '--enable', 'enable-param-enum', '-'], doc).code, 0);
  const ws = GOOD.replace('script: echo hello', 'workspaces:\n        - name: w\n      script: echo hello').replace('spec:\n', 'spec:\n  workspaces:\n    - name: w\n');
  assert.equal(tektite(['validate', '-'], ws).code, 0);
  assert.equal(tektite(['validate', '--api-fields', 'stable', '-'], ws).code, 1);
});

test('the CLI also reports what the TaskRun controller would reject', () => {
  const run = 'apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata:\n  name: r\nspec:\n  taskSpec:\n    params:\n      - name: url\n    steps:\n      - image: alpine:3.20\n';
  const r = tektite(['validate', '-'], run);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^<stdin>:6:3: \[User error\] invalid input params for task r: missing values for these params which have no default values: \[url\]: spec\.params$/m);
});

test('--help lists options, exit codes and lint rules', () => {
  const r = tektite(['validate', '--help']);
  assert.equal(r.code, 0);
  for (const s of ['--strict', '-o, --output', 'Exit codes', 'script-reference', 'result-budget', 'sh-bashism', 'image-unpinned']) assert.ok(r.stdout.includes(s), s);
});

test('the whole shared corpus through the CLI', () => {
  requireCorpus();
  const r = tektite(['validate', join(corpusDir, 'catalog'), join(corpusDir, 'tekton-examples')]);
  assert.equal(r.code, 1, 'the four PipelineResources tasks are errors');
  assert.match(r.stderr, /^185 files, 187 Tekton documents \(1 other skipped\): 4 errors, \d+ warnings\n$/);
});

test('a reader that stops early (| head) ends the output quietly, with the usual exit code', async () => {
  // 1000 findings of ~250 bytes: more than a pipe holds, so the writer meets the closed pipe.
  const many = Array.from({ length: 1000 }, (_, i) => WARN.replace('name: hello', `name: hello-${i}`)).join('---\n');
  writeFileSync(join(dir, 'many.yaml'), many);
  const child = spawn(process.execPath, [tektiteBin, 'validate', 'many.yaml'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout.once('data', () => child.stdout.destroy()); // like `| head -c 100`
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stderr, /EPIPE|internal error/);
  assert.match(stderr, /^1 file, 1000 Tekton documents: 0 errors, 1000 warnings$/m, 'the summary still reaches stderr');
});

test('a TaskRun is checked against the Task it names in another file, before or after it; not when the name is ambiguous', () => {
  const run = (task: string) => `apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata:\n  name: run-${task}\nspec:\n  taskRef:\n    name: ${task}\n  workspaces:\n    - name: nope\n      emptyDir: {}\n`;
  const taskYaml = (name: string) => `apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: ${name}\nspec:\n  steps:\n    - name: s\n      image: alpine:3.20\n      script: echo\n`;
  mkdirSync(join(dir, 'refs'));
  writeFileSync(join(dir, 'refs', '1-runs.yaml'), `${run('later')}---\n${run('twice')}---\n${run('earlier')}`);
  writeFileSync(join(dir, 'refs', '0-earlier.yaml'), taskYaml('earlier'));
  writeFileSync(join(dir, 'refs', '2-later.yaml'), taskYaml('later'));
  writeFileSync(join(dir, 'refs', '3-twice-a.yaml'), taskYaml('twice'));
  writeFileSync(join(dir, 'refs', '4-twice-b.yaml'), taskYaml('twice'));
  const r = tektite(['validate', 'refs']);
  assert.equal(r.code, 1, r.stderr);
  const unbound = r.stdout.split('\n').filter((l) => l.includes('workspace binding "nope" does not match any declared workspace'));
  // run-later (line 9 of the runs file) and run-earlier (line 31); run-twice names two Tasks: no check
  assert.deepEqual(unbound.map((l) => l.split(': ')[0]), ['refs/1-runs.yaml:9:7', 'refs/1-runs.yaml:31:7']);
  assert.match(r.stderr, /^5 files, 7 Tekton documents: 2 errors, 0 warnings$/m);
});

test('a List (kubectl get -o yaml, TaskList) is validated item by item, at the items\' own positions; removed Tekton kinds are errors', () => {
  const list = [
    'apiVersion: v1',
    'kind: List',
    'items:',
    '  - apiVersion: tekton.dev/v1',
    '    kind: Task',
    '    metadata:',
    '      name: listed',
    '    spec:',
    '      steps:',
    '        - name: s',
    '          image: alpine:3.20',
    '          script: echo $(params.nope)',
    '  - apiVersion: tekton.dev/v1',
    '    kind: TaskRun',
    '    metadata:',
    '      name: listed-run',
    '    spec:',
    '      taskRef:',
    '        name: listed',
    '      workspaces:',
    '        - name: nope',
    '          emptyDir: {}',
    '  - apiVersion: v1',
    '    kind: ConfigMap',
    '    metadata:',
    '      name: cm',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'list.yaml'), list);
  const r = tektite(['validate', '-v', '--rule', 'script-reference=off', 'list.yaml']);
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), [
    'list.yaml:12:19: non-existent variable in "echo $(params.nope)": spec.steps[0].script',
    'list.yaml:21:11: [User error] workspace binding "nope" does not match any declared workspace: spec.workspaces[0]',
    '  Tekton admits this TaskRun, then fails it when it starts (reason TaskRunValidationFailed).',
    'list.yaml:23:5: note: skipped ConfigMap (v1): not a Tekton Task, TaskRun, StepAction, Pipeline or PipelineRun',
  ]);
  assert.match(r.stderr, /^1 file, 2 Tekton documents \(1 other skipped\): 2 errors, 0 warnings$/m);
  // the API's own list kind; a list of something else is one document, skipped
  const taskList = list.replace('apiVersion: v1\nkind: List', 'apiVersion: tekton.dev/v1\nkind: TaskList');
  writeFileSync(join(dir, 'tasklist.yaml'), taskList);
  assert.equal(tektite(['validate', '--rule', 'script-reference=off', 'tasklist.yaml']).stdout, r.stdout.replace(/list\.yaml/g, 'tasklist.yaml').split('\n').filter((l) => !l.includes('note:')).join('\n'));
  // each item is checked on its own: a param only another item uses is unused; a YAML 1.1 scalar
  // is reported on the item it stands in, whatever comes before
  const two = [
    'apiVersion: v1',
    'kind: List',
    'items:',
    '  - {apiVersion: v1, kind: ConfigMap, metadata: {name: cm}, data: {k: v}}',
    '  - apiVersion: tekton.dev/v1',
    '    kind: Task',
    '    metadata: {name: declares, labels: {on: x}}',
    '    spec:',
    '      params: [{name: foo}]',
    '      steps: [{name: s, image: "alpine:3.20", script: echo}]',
    '  - apiVersion: tekton.dev/v1',
    '    kind: Task',
    '    metadata: {name: uses}',
    '    spec:',
    '      params: [{name: foo}]',
    '      steps: [{name: s, image: "alpine:3.20", env: [{name: F, value: $(params.foo)}], script: echo}]',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'two.yaml'), two);
  const t = tektite(['validate', 'two.yaml']);
  assert.deepEqual(t.stdout.split('\n').filter((l) => l.startsWith('two.yaml')).map((l) => l.replace(/: .*\[/, ' [')), [
    'two.yaml:7:41 [yaml11-scalar]',
    'two.yaml:9:23 [unused-param]',
  ]);
  writeFileSync(join(dir, 'other-list.yaml'), list.replace('kind: List', 'kind: ConfigMapList'));
  assert.match(tektite(['validate', 'other-list.yaml']).stderr, /^1 file, 0 Tekton documents \(1 other skipped\)/m);

  writeFileSync(join(dir, 'clustertask.yaml'), 'apiVersion: tekton.dev/v1beta1\nkind: ClusterTask\nmetadata:\n  name: ct\nspec:\n  steps:\n    - image: alpine:3.20\n      script: echo\n');
  const ct = tektite(['validate', 'clustertask.yaml']);
  assert.equal(ct.code, 1);
  assert.equal(ct.stdout, 'clustertask.yaml:2:7: no matches for kind "ClusterTask" in version "tekton.dev/v1beta1": Tekton Pipelines no longer serves ClusterTask; make it a Task and refer to it with the cluster resolver (taskRef: {resolver: cluster, params: [kind, name, namespace]}): kind\n');
  assert.match(ct.stderr, /^1 file, 0 Tekton documents: 1 error, 0 warnings$/m);
});

test('a Tekton Triggers TriggerTemplate: its resource templates are checked as Tekton will see them, but for the $(tt.params) Triggers fills in', () => {
  const tt = [
    'apiVersion: triggers.tekton.dev/v1beta1',
    'kind: TriggerTemplate',
    'metadata:',
    '  name: on-pr',
    'spec:',
    '  params: [{name: title}, {name: retries}, {name: timeout}]',
    '  resourcetemplates:',
    '    - apiVersion: tekton.dev/v1',
    '      kind: TaskRun',
    '      metadata:',
    '        generateName: pr-',
    '      spec:',
    '        timeout: $(tt.params.timeout)',
    '        serviceAccountName: $(tt.params.sa)',
    '        taskSpec:',
    '          steps:',
    '            - name: Echo',
    '              image: alpine:3.20',
    '              script: |',
    '                echo "$(tt.params.title)"',
    '                echo $(params.nope)',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'trigger.yaml'), tt);
  const r = tektite(['validate', 'trigger.yaml']);
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('trigger.yaml'));
  // (a timeout or a name built from $(tt.params) is judged once Triggers fills it in: not here)
  assert.deepEqual(lines.map((l) => l.split(': ')[0]), ['trigger.yaml:17:21', 'trigger.yaml:19:23', 'trigger.yaml:20:23', 'trigger.yaml:21:22']);
  assert.equal(lines[0], 'trigger.yaml:17:21: invalid value "Echo": spec.taskSpec.steps[0].name');
  assert.ok(lines[1]!.startsWith('trigger.yaml:19:23: non-existent variable in "echo \\"$(tt.params.title)\\"\\necho $(params.nope)'), lines[1]);
  assert.ok(lines[2]!.startsWith('trigger.yaml:20:23: warning: trigger param reference $(tt.params.title) in a script'), lines[2]);
  assert.ok(lines[3]!.startsWith('trigger.yaml:21:22: warning: param reference $(params.nope) in a script'), lines[3]);
  assert.match(r.stdout, /Triggers pastes the event's value into the shell code before it runs \(code injection by whoever can send the event/);
  assert.match(r.stdout, /- name: TT_PARAMS_TITLE\n\s+value: \$\(tt\.params\.title\)/);
  assert.match(r.stderr, /^1 file, 1 Tekton document: 2 errors, 2 warnings$/m);
  // Triggers replaces $(tt.params.r) as text: `retries` stays a string, which the API server refuses
  writeFileSync(join(dir, 'trigger-retries.yaml'), tt.replace('        timeout: $(tt.params.timeout)', '        retries: $(tt.params.retries)'));
  const typed = tektite(['validate', 'trigger-retries.yaml']);
  assert.match(typed.stdout, /^trigger-retries\.yaml:13:18: spec\.retries: Invalid value: "string": spec\.retries in body must be of type integer: "string"$/m);
  // not run: Triggers fills in the values first
  const run = tektite(['run', 'trigger.yaml']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /no Task or TaskRun in the given files \(a TriggerTemplate's resources are not run: Triggers fills in their \$\(tt\.params\) first\)/);
});

// One Task with two lint findings: an unpinned image (line 10) and a param pasted into a script (line 11).
const TWO_WARNINGS = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  params:\n    - name: who\n  steps:\n    - name: s\n      image: alpine\n      script: echo $(params.who)\n';

test('--rule sets a lint rule to off, warning or error, ahead of --strict; unknown rules are usage errors', () => {
  writeFileSync(join(dir, 'two.yaml'), TWO_WARNINGS);
  const rules = (out: string) => [...out.matchAll(/^two\.yaml:(\d+):\d+: (warning: )?.*\[([a-z-]+)\]$/gm)].map((m) => `${m[1]} ${m[2] ? 'warning' : 'error'} ${m[3]}`);
  let r = tektite(['validate', 'two.yaml']);
  assert.deepEqual([r.code, rules(r.stdout)], [0, ['10 warning image-unpinned', '11 warning script-reference']]);
  r = tektite(['validate', '--rule', 'image-unpinned=off', '--rule', 'script-reference=error', 'two.yaml']);
  assert.deepEqual([r.code, rules(r.stdout)], [1, ['11 error script-reference']]);
  assert.match(r.stderr, /1 error, 0 warnings/);
  r = tektite(['validate', '--strict', '--rule', 'image-unpinned=warning', 'two.yaml']);
  assert.deepEqual([r.code, rules(r.stdout)], [1, ['10 warning image-unpinned', '11 error script-reference']]);
  r = tektite(['validate', '--rule', 'image-pinned=off', 'two.yaml']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown lint rule "image-pinned" \(known: script-reference, /);
  r = tektite(['validate', '--rule', 'image-unpinned', 'two.yaml']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--rule takes <rule-id>=off\|warning\|error, not "image-unpinned"/);
});

test('--quiet shows errors only; --max-warnings fails a run with more warnings than allowed', () => {
  writeFileSync(join(dir, 'two.yaml'), TWO_WARNINGS);
  let r = tektite(['validate', '-q', 'two.yaml', 'bad.yaml']);
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.stdout, /warning:/);
  assert.match(r.stdout, /^bad\.yaml:7:\d+: /m);
  assert.match(r.stderr, /2 files, 2 Tekton documents \(1 other skipped\): \d+ errors?, [1-9]\d* warnings?/, 'the summary still counts the warnings');
  r = tektite(['validate', '--max-warnings', '2', 'two.yaml']);
  assert.equal(r.code, 0, r.stderr);
  r = tektite(['validate', '--max-warnings', '1', 'two.yaml']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^tektite: validate: 2 warnings, more than --max-warnings 1$/m);
  assert.equal(tektite(['validate', '--max-warnings', 'many', 'two.yaml']).code, 2);
});

test('-o github writes GitHub Actions annotations, escaped as the runner reads them', () => {
  mkdirSync(join(dir, 'gh'), { recursive: true });
  writeFileSync(join(dir, 'gh', 'a,b:c.yaml'), TWO_WARNINGS);
  const r = tektite(['validate', '-o', 'github', '--rule', 'script-reference=error', 'gh']);
  assert.equal(r.code, 1);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 2);
  assert.equal(lines[0], '::warning file=gh/a%2Cb%3Ac.yaml,line=10,col=14,title=tektite image-unpinned::image "alpine" has no tag or digest (Kubernetes pulls :latest): spec.steps[0].image%0APin a version tag, or better a digest (image@sha256:…), so the Task runs the same code tomorrow.');
  assert.match(lines[1]!, /^::error file=gh\/a%2Cb%3Ac\.yaml,line=11,col=15,title=tektite script-reference::param reference \$\(params\.who\) in a script: .*%0APass it through the environment/);
  assert.doesNotMatch(r.stdout.trimEnd(), /\n(?!::)/, 'one line per annotation: newlines inside are %0A');
});

test('# tektite-ignore comments drop lint findings on their line or the next, never Tekton errors', () => {
  const text = [
    'apiVersion: tekton.dev/v1',
    'kind: Task',
    'metadata:',
    '  name: Ignored_Name # tektite-ignore', // a Tekton error: stays
    'spec:',
    '  params:',
    '    - name: who',
    '  steps:',
    '    - name: s',
    '      image: alpine # tektite-ignore: image-unpinned', // line 10: dropped
    '      script: |',
    '        # tektite-ignore: duplicate-env, script-reference', // the shell comment above line 13
    '        echo $(params.who)',
    '    - name: u',
    '      # tektite-ignore',
    '      image: busybox', // line 16: dropped (bare comment above)
    '      script: echo hi $(params.who)  # tektite-ignore: sh-bashism', // line 17: another rule, stays
    '    - name: v',
    '      script: |',
    '        echo done',
    '        # tektite-ignore', // the script's last line, indented deeper than the key below
    '      image: alpine', // line 22: stays
    '',
  ].join('\n');
  writeFileSync(join(dir, 'ignore.yaml'), text);
  const r = tektite(['validate', 'ignore.yaml']);
  assert.equal(r.code, 1);
  const found = r.stdout.split('\n').filter((l) => /^ignore\.yaml:/.test(l)).map((l) => l.replace(/^ignore\.yaml:(\d+):\d+: (warning: )?.*?(\[([a-z-]+)\])?$/, '$1 $4'));
  assert.deepEqual(found, ['4 ', '17 script-reference', '22 image-unpinned']);
  assert.match(r.stderr, /^1 file, 1 Tekton document: 1 error, 2 warnings \(3 ignored by tektite-ignore comments\)$/m);
  const j = JSON.parse(tektite(['validate', '-o', 'json', 'ignore.yaml']).stdout) as { ignored: number; warnings: number };
  assert.deepEqual([j.ignored, j.warnings], [3, 2]);
});

test('yaml11-scalar findings: a rule id with digits in tektite-ignore and --rule', () => {
  const text = [
    'apiVersion: tekton.dev/v1',
    'kind: Task',
    'metadata:',
    '  name: t',
    'spec:',
    '  params:',
    '    - name: a',
    '      default: yes # tektite-ignore: yaml11-scalar', // line 8: dropped
    '    - name: b',
    '      default: off', // line 10: stays
    '  steps:',
    '    - image: alpine:3.20',
    '      args: [$(params.a), $(params.b)]',
    '      script: echo "$0"',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'y11.yaml'), text);
  const r = tektite(['validate', 'y11.yaml']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^y11\.yaml:10:16: warning: kubectl reads the unquoted off as the boolean false \(YAML 1\.1\), YAML 1\.2 tools as the text "off": quote it to keep the text, or write false \[yaml11-scalar\]$/m);
  assert.doesNotMatch(r.stdout, /y11\.yaml:8:/);
  assert.equal(tektite(['validate', '--strict', 'y11.yaml']).code, 1);
  const off = tektite(['validate', '--strict', '--rule', 'yaml11-scalar=off', 'y11.yaml']);
  assert.equal(off.code, 0, off.stdout);
  assert.doesNotMatch(off.stdout, /yaml11-scalar/);
});

test('absurdly deep nesting is a YAML error with a position, not a crash', () => {
  const n = 20000;
  writeFileSync(join(dir, 'deep-flow.yaml'), `apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: t}\nspec:\n  x: ${'['.repeat(n)}${']'.repeat(n)}\n`);
  let block = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: t}\nspec:\n';
  for (let i = 0; i < 3000; i++) block += `${' '.repeat(i + 2)}a:\n`;
  writeFileSync(join(dir, 'deep-block.yaml'), block);
  for (const f of ['deep-flow.yaml', 'deep-block.yaml']) {
    const r = tektite(['validate', f]);
    assert.equal(r.code, 1, `${f}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^${f.replace('.', '\\.')}:\\d+:\\d+: nested too deeply to read \\(hundreds of levels\\) \\[yaml-syntax\\]$`, 'm'));
    assert.doesNotMatch(r.stderr, /internal error/);
  }
});

test('folders: a symbolic link back to a parent is walked once, pipes and dangling or looping links are passed over', () => {
  const root = join(dir, 'links');
  mkdirSync(join(root, 'sub'), { recursive: true });
  writeFileSync(join(root, 'sub', 'good.yaml'), GOOD);
  symlinkSync('..', join(root, 'sub', 'up'));
  symlinkSync('nowhere.yaml', join(root, 'sub', 'dangling.yaml'));
  symlinkSync('self.yaml', join(root, 'sub', 'self.yaml')); // ELOOP
  assert.equal(spawnSync('mkfifo', [join(root, 'sub', 'pipe.yaml')]).status, 0, 'mkfifo');
  const r = tektite(['validate', 'links']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '1 file, 1 Tekton document: 0 errors, 0 warnings\n');
});

test('a Task read from a pipe (<(cmd), a fifo) is kept for the TaskRuns that name it: a pipe cannot be read twice', () => {
  const fifoDir = join(dir, 'fifo');
  mkdirSync(fifoDir, { recursive: true });
  writeFileSync(join(fifoDir, 'task.src'), 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: piped\nspec:\n  workspaces:\n    - name: output\n  steps:\n    - name: s\n      image: alpine:3.20\n      script: echo\n');
  writeFileSync(join(fifoDir, 'run.yaml'), 'apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata:\n  name: r\nspec:\n  taskRef:\n    name: piped\n');
  assert.equal(spawnSync('mkfifo', [join(fifoDir, 'task.yaml')]).status, 0, 'mkfifo');
  const r = spawnSync('/bin/sh', ['-c', `cat task.src > task.yaml & exec "${process.execPath}" "${tektiteBin}" validate task.yaml run.yaml`], { cwd: fifoDir, encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /^run\.yaml:\d+:\d+: \[User error\] declared workspace "output" is required but has not been bound: spec\.workspaces$/m);
});

test('--feature-flags reads the flags from the cluster\'s feature-flags ConfigMap; --enable and --api-fields still apply on top', () => {
  const ff = join(dir, 'ff');
  mkdirSync(ff, { recursive: true });
  // an enum param (enable-param-enum) and stdoutConfig (enable-api-fields: alpha)
  writeFileSync(join(ff, 'task.yaml'), 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: e\nspec:\n  params:\n    - name: env\n      enum: [dev, prod]\n  steps:\n    - name: s\n      image: alpine:3.20\n      stdoutConfig:\n        path: /tmp/out\n      args: [$(params.env)]\n      script: echo\n');
  // as in Tekton's release YAML: other documents around it
  writeFileSync(join(ff, 'flags.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: tekton-pipelines\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: feature-flags\n  namespace: tekton-pipelines\ndata:\n  enable-api-fields: "alpha"\n  enable-param-enum: "T"\n  keep-pod-on-cancel: "false"\n');
  writeFileSync(join(ff, 'beta.yaml'), 'kind: ConfigMap\nmetadata: {name: feature-flags}\ndata:\n  enable-api-fields: beta\n  enable-param-enum: "false"\n');
  assert.equal(tektite(['validate', 'ff/task.yaml']).code, 1, 'default flags reject both');
  let r = tektite(['validate', '--feature-flags', 'ff/flags.yaml', 'ff/task.yaml']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  r = tektite(['validate', '--feature-flags', 'ff/beta.yaml', '--enable', 'enable-param-enum', 'ff/task.yaml']);
  assert.deepEqual(r.stdout.split('\n').filter((l) => l.startsWith('ff/')), ['ff/task.yaml:13:9: step stdout stream support requires "enable-api-fields" feature gate to be "alpha" but it is "beta"']);
  const bad = (data: string) => {
    writeFileSync(join(ff, 'bad.yaml'), `kind: ConfigMap\nmetadata: {name: feature-flags}\ndata:\n${data}`);
    const x = tektite(['validate', '--feature-flags', 'ff/bad.yaml', 'ff/task.yaml']);
    assert.equal(x.code, 2, data);
    return x.stderr.trim();
  };
  assert.equal(bad('  enable-param-enum: true\n'), 'tektite: validate: --feature-flags ff/bad.yaml: enable-param-enum: ConfigMap data values are strings (Kubernetes rejects true): quote it');
  assert.equal(bad('  enable-param-enum: "yes"\n'), 'tektite: validate: --feature-flags ff/bad.yaml: enable-param-enum must be true or false, not "yes"');
  assert.equal(bad('  enable-api-fields: "gamma"\n'), 'tektite: validate: --feature-flags ff/bad.yaml: enable-api-fields must be alpha, beta or stable, not "gamma"');
  r = tektite(['validate', '--feature-flags', 'ff/task.yaml', 'ff/task.yaml']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--feature-flags ff\/task\.yaml: no ConfigMap named feature-flags in it/);
});
