// tektite's lint rules: what each flags, what it leaves alone, and --strict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, findings, task, taskRun, tektonErrors } from './helpers.js';
import { bashisms, codeOnly } from '../../src/tekton/lint/shell.js';
import { loadText } from '../../src/tekton/load.js';
import { validateResource } from '../../src/tekton/validate/index.js';

test('script-reference: a param pasted into a script, with the exact env snippet', () => {
  const doc = task('params:\n  - name: url\nsteps:\n  - name: clone\n    image: alpine:3.20\n    script: |\n      git clone "$(params.url)" && echo $(params.url)');
  const f = findings(doc, 'script-reference');
  assert.equal(f.length, 1, 'one finding per distinct reference');
  assert.equal(f[0]!.severity, 'warning');
  assert.equal(f[0]!.message, 'param reference $(params.url) in a script: the value is pasted into the shell code before it runs (code injection)');
  assert.deepEqual(f[0]!.paths, ['spec.steps[0].script']);
  assert.equal(f[0]!.details, 'Pass it through the environment and write "${PARAM_URL}" in the script:\n  env:\n    - name: PARAM_URL\n      value: $(params.url)');
});

test('findings inside a | script point at the exact line and column', () => {
  const doc = task('params:\n  - name: url\nsteps:\n  - image: alpine:3.20\n    script: |\n      set -eu\n\n      git clone $(params.url)\n      # [[ only in a comment ]]\n      [[ -d .git ]]');
  const [ref] = findings(doc, 'script-reference');
  assert.deepEqual(ref!.pos, { line: 13, col: 19 });
  const [bash] = findings(doc, 'sh-bashism');
  assert.deepEqual(bash!.pos, { line: 15, col: 9 });
});

test('script-reference: reuses an env var that already carries the value; covers workspace paths and legacy inputs.params', () => {
  const doc = task('params:\n  - name: url\nworkspaces:\n  - name: src\nsteps:\n  - image: alpine:3.20\n    env:\n      - name: URL\n        value: $(params.url)\n    script: |\n      cd $(workspaces.src.path)\n      echo $(params.url) $(inputs.params.url)\n      echo x > $(results.r.path)\nresults:\n  - name: r');
  const f = findings(doc, 'script-reference');
  assert.deepEqual(f.map((x) => x.message.split(' in a script')[0]), [
    'workspace path reference $(workspaces.src.path)',
    'param reference $(params.url)',
    'param reference $(inputs.params.url)',
  ]);
  assert.match(f[1]!.details!, /already has env URL with that value; write "\$\{URL\}"/);
  assert.match(f[2]!.details!, /name: PARAM_URL/);
});

test('script-reference: nothing for env-form scripts', () => {
  const doc = task('params:\n  - name: url\nsteps:\n  - image: alpine:3.20\n    env:\n      - name: URL\n        value: $(params.url)\n    script: git clone "$URL"');
  assert.deepEqual(findings(doc, 'script-reference'), []);
});

test('undeclared-workspace: references Tekton leaves literal; propagated bindings count as declared', () => {
  const doc = task('workspaces:\n  - name: source\nsteps:\n  - image: alpine:3.20\n    script: cd $(workspaces.output.path) && ls $(workspaces.source.path)');
  const f = findings(doc, 'undeclared-workspace');
  assert.equal(f.length, 1);
  assert.equal(f[0]!.message, 'workspace "output" is not declared: $(workspaces.output.path) stays literal text');
  assert.deepEqual(f[0]!.paths, ['spec.steps[0].script']);
  const run = taskRun('workspaces:\n  - name: output\n    emptyDir: {}\ntaskSpec:\n  steps:\n    - image: alpine:3.20\n      script: ls $(workspaces.output.path)');
  assert.deepEqual(findings(run, 'undeclared-workspace'), []);
  // a PipelineRun's workspaces reach the task specs inline in its pipelineSpec
  const pipelineRun = (ws: string) => `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: pr\nspec:\n${ws}  pipelineSpec:\n    tasks:\n      - name: a\n        taskSpec:\n          steps:\n            - image: alpine:3.20\n              script: ls $(workspaces.cache.path)\n`;
  assert.deepEqual(findings(pipelineRun('  workspaces:\n    - name: cache\n      emptyDir: {}\n'), 'undeclared-workspace'), []);
  assert.deepEqual(findings(pipelineRun(''), 'undeclared-workspace').map((x) => x.paths[0]), ['spec.pipelineSpec.tasks[0].taskSpec.steps[0].script']);
});

test('undeclared-param: fields Tekton does not check, and param defaults', () => {
  const doc = task('params:\n  - name: image\n    default: $(params.IMAGE)\nstepTemplate:\n  env:\n    - name: A\n      value: $(params.nope)\nsteps:\n  - image: alpine:3.20\n    env:\n      - name: TOKEN\n        valueFrom:\n          secretKeyRef:\n            name: $(params.secret)\n            key: token');
  const f = findings(doc, 'undeclared-param');
  assert.deepEqual(f.map((x) => `${x.paths[0]}: ${x.message}`).sort(), [
    'spec.params[0].default: param "IMAGE" is not declared: $(params.IMAGE) stays literal text',
    'spec.stepTemplate.env[0].value: param "nope" is not declared: $(params.nope) stays literal text',
    'spec.steps[0].env[0].valueFrom.secretKeyRef.name: param "secret" is not declared: $(params.secret) stays literal text',
  ]);
  assert.deepEqual(findings(task('steps:\n  - image: alpine:3.20\n    args: ["$(inputs.params.gone)"]'), 'undeclared-param').map((x) => x.message), [
    'param "gone" is not declared: $(inputs.params.gone) stays literal text',
  ]);
});

test('result-budget: fires only when even empty results overflow the termination message', () => {
  const results = (n: number, extra = '') => Array.from({ length: n }, (_, i) => `  - name: result-with-a-fairly-long-name-${String(i).padStart(3, '0')}${extra}`).join('\n');
  const few = task(`results:\n${results(40)}\nsteps:\n  - image: alpine:3.20\n    script: echo`);
  assert.deepEqual(findings(few, 'result-budget'), []);
  const many = task(`results:\n${results(80)}\nsteps:\n  - image: alpine:3.20\n    script: echo`);
  const f = findings(many, 'result-budget');
  assert.equal(f.length, 1);
  assert.deepEqual(f[0]!.paths, ['spec.results']);
  // 80 entries of {"key":"result-with-a-fairly-long-name-NNN","value":"","type":1} (64 bytes),
  // StartedAt (63 bytes), brackets and commas: 2 + 80*64 + 63 + 80 = 5265.
  assert.match(f[0]!.message, /with all 80 results written, even with empty values, step 0 reports 5265 bytes and the limit is 4096 bytes/);
  // objects must carry every declared key: the keys count even when empty
  const keys = Array.from({ length: 400 }, (_, i) => `k${i}: {}`).join(', ');
  const obj = task(`results:\n  - name: big\n    properties: {${keys}}\nsteps:\n  - image: alpine:3.20`);
  assert.equal(findings(obj, 'result-budget').length, 1);
});

test('result-budget: with many containers Kubernetes keeps less than 4096 bytes each', () => {
  const results = Array.from({ length: 30 }, (_, i) => `  - name: result-with-a-fairly-long-name-${i}`).join('\n');
  const steps = Array.from({ length: 6 }, (_, i) => `  - name: s${i}\n    image: alpine:3.20\n    script: echo`).join('\n');
  const f = findings(task(`results:\n${results}\nsteps:\n${steps}`), 'result-budget');
  assert.equal(f.length, 1);
  assert.match(f[0]!.message, /the pod has at least 8 containers, so Kubernetes keeps at most 1536 bytes/);
});

test('sh-bashism: bash-only syntax under /bin/sh only', () => {
  assert.deepEqual(bashisms('if [[ -f x ]]; then echo; fi'), ['[[ … ]] test']);
  assert.deepEqual(bashisms('#!/bin/bash\nif [[ -f x ]]; then echo; fi'), []);
  assert.deepEqual(bashisms('#!/usr/bin/env sh\nsource ./env.sh'), ['`source` (POSIX sh has `.`)']);
  assert.deepEqual(bashisms('function build {\n  :\n}'), ['`function` keyword']);
  assert.deepEqual(bashisms('ARGS=(a b)\necho "${ARGS[@]}"'), ['array assignment', 'array expansion ${name[…]}']);
  assert.deepEqual(bashisms('read -r x <<< "$y"\ncmd &> /dev/null'), ['here-string <<<', '&> redirection']);
  assert.deepEqual(bashisms('if [ "$a" == "b" ]; then :; fi'), ['== inside [ ]']);
  // not code: comments, quoted text, here-document bodies; POSIX look-alikes
  assert.deepEqual(bashisms('# if [[ x ]] in a comment\necho "[[ quoted ]] source x"\ncat <<EOF\n[[ heredoc ]]\nEOF\nx=$(date) y=${z:-1} 2>&1\n[ "$a" = b ]'), []);
  assert.equal(codeOnly('echo "a # b" # c'), 'echo "     "    ', 'same length: indexes stay valid');
  const doc = task('steps:\n  - image: debian:12\n    script: |\n      [[ -n "$X" ]] && echo set');
  const f = findings(doc, 'sh-bashism');
  assert.equal(f.length, 1);
  assert.equal(f[0]!.message, 'script uses bash-only syntax ([[ … ]] test) but it has no shebang, so Tekton runs it with #!/bin/sh; it fails where /bin/sh is dash');
});

test('script-shebang: interpreter line without #!, and text before #!', () => {
  const missing = findings(task('steps:\n  - image: mikefarah/yq:4\n    script: |\n      /usr/bin/env sh\n      yq --version'), 'script-shebang');
  assert.equal(missing[0]!.message, 'the first line "/usr/bin/env sh" looks like an interpreter but lacks #!: sh runs it as a command');
  const late = findings(task('steps:\n  - image: alpine:3.20\n    script: "\\n  #!/bin/sh\\necho"'), 'script-shebang');
  assert.match(late[0]!.message, /exec format error/);
});

test('image-unpinned: no tag, latest; params and digests are fine', () => {
  const doc = task('params:\n  - name: img\nsteps:\n  - image: alpine\n  - image: registry.local:5000/tools:latest\n  - image: registry.local:5000/tools\n  - image: $(params.img)\n  - image: alpine@sha256:25109184c71bdad752c8312a8623239686a9a2071e8825f20acb8f2198c3f659\n  - image: alpine:3.20');
  assert.deepEqual(findings(doc, 'image-unpinned').map((f) => f.paths[0]), ['spec.steps[0].image', 'spec.steps[1].image', 'spec.steps[2].image']);
});

test('relative-working-dir', () => {
  const f = findings(task('steps:\n  - image: alpine:3.20\n    workingDir: src'), 'relative-working-dir');
  assert.equal(f[0]!.message, 'workingDir "src" is relative: Tekton creates /workspace/src but how the container runtime resolves it is runtime-specific');
});

test('duplicate-env: the same variable twice in one step', () => {
  const f = findings(task('steps:\n  - image: alpine:3.20\n    env:\n      - name: A\n        value: "1"\n      - name: B\n        value: "2"\n      - name: A\n        value: "3"'), 'duplicate-env');
  assert.deepEqual(f.map((d) => `${d.paths[0]}: ${d.message}`), ['spec.steps[0].env[2].name: env var "A" is set again (first at env[0]): Kubernetes keeps only the last value']);
});

test('--strict turns lint findings into errors', () => {
  const doc = task('steps:\n  - image: alpine');
  assert.deepEqual(diagnose(doc).map((d) => d.severity), ['warning']);
  assert.deepEqual(diagnose(doc, { strict: true }).map((d) => d.severity), ['error']);
});

test('yaml11-scalar: an unquoted scalar kubectl (YAML 1.1) reads as a boolean or number, with both readings', () => {
  const doc = task('params:\n  - name: mode\n    default: 0755\n  - name: ok\n    default: "yes"\nsteps:\n  - image: alpine:3.20\n    env:\n      - name: FLAG\n        value: on\n    volumeMounts:\n      - name: v\n        mountPath: /v\n        readOnly: yes\nvolumes:\n  - name: v\n    emptyDir: {}');
  const f = findings(doc, 'yaml11-scalar');
  assert.deepEqual(f.map((x) => [x.pos!.line, x.pos!.col, x.severity, x.message]), [
    [8, 16, 'warning', 'kubectl reads the unquoted 0755 as the number 493 (YAML 1.1), YAML 1.2 tools as the number 755: quote it to keep the text'],
    [15, 18, 'warning', 'kubectl reads the unquoted on as the boolean true (YAML 1.1), YAML 1.2 tools as the text "on": quote it to keep the text, or write true'],
    [19, 21, 'warning', 'kubectl reads the unquoted yes as the boolean true (YAML 1.1), YAML 1.2 tools as the text "yes": quote it to keep the text, or write true'],
  ]);
  assert.ok(findings(doc, 'yaml11-scalar', { strict: true }).every((x) => x.severity === 'error'));
  // what kubectl sends is what Tekton checks: a boolean is no env value; readOnly: yes is fine
  assert.deepEqual(tektonErrors(doc), ['spec.steps[0].env[0].value: Invalid value: "boolean": spec.steps[0].env[0].value in body must be of type string: "boolean"']);
});

test('unused-param: the reference it suggests is one Tekton takes (a dotted name in brackets)', () => {
  for (const name of ['plain', 'dotted.name']) {
    const unused = task(`params:\n  - name: ${name}\nsteps:\n  - image: alpine:3.20\n    script: echo`);
    const f = findings(unused, 'unused-param');
    assert.equal(f.length, 1, name);
    const suggested = /use it as (\$\(params\S*\)) /.exec(f[0]!.details ?? '')?.[1];
    assert.equal(suggested, name === 'plain' ? '$(params.plain)' : '$(params["dotted.name"])');
    // used as suggested: no unused-param, and no error from Tekton's rules
    const used = task(`params:\n  - name: ${name}\nsteps:\n  - image: alpine:3.20\n    env: [{name: V, value: '${suggested}'}]\n    script: echo "$V"`);
    const all = diagnose(used);
    assert.deepEqual(all.map((d) => d.message), [], name);
  }
});

test('unused-param: a declared param nothing refers to (Task, StepAction, Pipeline), any reference form counts', () => {
  const doc = task([
    'params:',
    '  - name: used-in-env',
    '  - name: used-in-args',
    '    type: array',
    '  - name: obj',
    '    type: object',
    '    properties: {k: {}}',
    '  - name: dotted.name',
    '  - name: sq.name',
    '  - name: legacy',
    '  - name: in-volume',
    '  - name: forgotten',
    '    default: $(params.used-in-env)', // a default is no use
    'steps:',
    '  - image: alpine:3.20',
    '    env:',
    '      - {name: A, value: $(params.used-in-env)}',
    '      - {name: K, value: $(params.obj.k)}',
    '      - {name: D, value: \'$(params["dotted.name"])\'}',
    '      - {name: S, value: \'$(params[\'\'sq.name\'\'])\'}',
    '      - {name: L, value: $(inputs.params.legacy)}',
    '    args: ["$(params.used-in-args[*])"]',
    '    script: echo "$A"',
    'volumes:',
    '  - name: v',
    '    configMap: {name: $(params.in-volume)}',
  ].join('\n'));
  const f = findings(doc, 'unused-param');
  assert.deepEqual(f.map((x) => [x.message, x.paths, x.pos]), [
    ['param "forgotten" is declared but nothing refers to it: the value a run passes changes nothing', ['spec.params[7]'], { line: 17, col: 13 }],
  ]);
  // a value built in memory has no text: its strings are walked instead, with the same result
  const inMemory = validateResource(loadText(doc, 't.yaml').docs[0]!.value).filter((d) => d.rule === 'unused-param');
  assert.deepEqual(inMemory.map((x) => x.paths), [['spec.params[7]']]);
  const pipelineDoc = 'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n  params: [{name: url}, {name: inner}, {name: idle}]\n  tasks:\n    - name: a\n      taskRef: {name: t}\n      params: [{name: u, value: $(params.url)}]\n    - name: b\n      taskSpec:\n        steps: [{image: "alpine:3.20", env: [{name: I, value: $(params.inner)}]}]\n';
  assert.deepEqual(findings(pipelineDoc, 'unused-param').map((x) => x.paths[0]), ['spec.params[2]']);
  const action = 'apiVersion: tekton.dev/v1beta1\nkind: StepAction\nmetadata: {name: s}\nspec:\n  image: alpine:3.20\n  params: [{name: used}, {name: spare}]\n  env: [{name: U, value: $(params.used)}]\n  script: echo "$U"\n';
  assert.deepEqual(findings(action, 'unused-param').map((x) => x.paths[0]), ['spec.params[1]']);
});

test('undeclared-volume: a volumeMount naming no volume (steps, sidecars, stepTemplate); reference names are left alone', () => {
  const doc = task([
    'workspaces: [{name: src}]',
    'stepTemplate:',
    '  volumeMounts: [{name: tmpl, mountPath: /t}]',
    'steps:',
    '  - image: alpine:3.20',
    '    volumeMounts:',
    '      - {name: cache, mountPath: /cache}',
    '      - {name: missing, mountPath: /m}',
    '      - {name: $(workspaces.src.volume), mountPath: /s}',
    '    script: echo hi',
    'sidecars:',
    '  - image: alpine:3.20',
    '    volumeMounts: [{name: gone, mountPath: /g}]',
    'volumes:',
    '  - {name: cache, emptyDir: {}}',
  ].join('\n'));
  const f = findings(doc, 'undeclared-volume');
  assert.deepEqual(f.map((x) => [x.paths[0], x.pos!.line]), [
    ['spec.stepTemplate.volumeMounts[0].name', 8],
    ['spec.steps[0].volumeMounts[1].name', 13],
    ['spec.sidecars[0].volumeMounts[0].name', 18],
  ]);
  assert.equal(f[1]!.message, 'volumeMount "missing" names no volume of the Task: Kubernetes refuses the pod (volumeMounts[1].name: Not found) unless each run\'s podTemplate adds a volume "missing"');
  assert.equal(f[1]!.details, "The Task's volumes: cache.");
});

test("undeclared-volume: a run's own podTemplate volumes count (TaskRun; PipelineRun taskRunTemplate and taskRunSpecs, v1 and v1beta1)", () => {
  const step = 'steps: [{name: s, image: alpine:3.20, script: docker ps, volumeMounts: [{name: sock, mountPath: /run/docker.sock}, {name: other, mountPath: /o}]}]';
  const head = (v: string, kind: string) => `apiVersion: tekton.dev/${v}\nkind: ${kind}\nmetadata:\n  name: r\nspec:\n`;
  const sock = '{volumes: [{name: sock, hostPath: {path: /var/run/docker.sock}}]}';
  const taskRun = `${head('v1', 'TaskRun')}  podTemplate: ${sock}\n  taskSpec: {${step}}\n`;
  const messages = (doc: string) => findings(doc, 'undeclared-volume').map((x) => x.message);
  const other = 'volumeMount "other" names no volume of the Task or of the run\'s podTemplate: Kubernetes refuses the pod (volumeMounts[1].name: Not found), so the run fails';
  assert.deepEqual(messages(taskRun), [other]);
  const pipelineSpec = `  pipelineSpec:\n    tasks:\n      - {name: a, taskSpec: {${step}}}\n      - {name: b, taskSpec: {${step}}}\n`;
  // the run-wide template serves both tasks; a taskRunSpecs entry only its own
  assert.deepEqual(messages(`${head('v1', 'PipelineRun')}  taskRunTemplate: {podTemplate: ${sock}}\n${pipelineSpec}`), [other, other]);
  const perTask = findings(`${head('v1', 'PipelineRun')}  taskRunSpecs: [{pipelineTaskName: b, podTemplate: ${sock}}]\n${pipelineSpec}`, 'undeclared-volume');
  assert.deepEqual(perTask.map((x) => x.paths[0]), ['spec.pipelineSpec.tasks[0].taskSpec.steps[0].volumeMounts[0].name', 'spec.pipelineSpec.tasks[0].taskSpec.steps[0].volumeMounts[1].name', 'spec.pipelineSpec.tasks[1].taskSpec.steps[0].volumeMounts[1].name']);
  assert.deepEqual(messages(`${head('v1beta1', 'PipelineRun')}  podTemplate: ${sock}\n${pipelineSpec}`), [other, other]);
  assert.deepEqual(messages(`${head('v1beta1', 'PipelineRun')}  taskRunSpecs: [{pipelineTaskName: a, taskPodTemplate: ${sock}}]\n${pipelineSpec}`).length, 3);
  // a taskRunTemplate written in a v1beta1 PipelineRun is not v1beta1's: the API server drops it
  const dropped = findings(`${head('v1beta1', 'PipelineRun')}  taskRunTemplate: {podTemplate: {volumes: [{name: other}]}}\n  podTemplate: ${sock}\n${pipelineSpec}`, 'undeclared-volume');
  assert.deepEqual(dropped.map((x) => x.message), [other, other]);
});
