// One invalid document per TaskRun webhook rule (§9.3, §6.2, §2.6), plus StepAction rules and
// the API server's schema checks, each asserting the exact message and path(s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, indent, taskRun, tektonErrors } from './helpers.js';
import type { ValidateOptions } from '../../src/tekton/validate/index.js';

const SPEC = 'taskSpec:\n  steps:\n    - image: alpine:3.20\n      script: echo ok';

const cases: { name: string; doc: string; want: string[]; opts?: ValidateOptions }[] = [
  { name: 'neither taskRef nor taskSpec', doc: taskRun('params: []'), want: ['expected exactly one, got neither: spec.taskRef, spec.taskSpec'] },
  { name: 'both taskRef and taskSpec', doc: taskRun(`taskRef:\n  name: t\n${SPEC}`), want: ['expected exactly one, got both: spec.taskRef, spec.taskSpec'] },
  { name: 'taskRef without name or resolver', doc: taskRun('taskRef:\n  kind: Task'), want: ['missing field(s): spec.taskRef.name'] },
  {
    name: 'taskRef name not a qualified name',
    doc: taskRun('taskRef:\n  name: "-bad-"'),
    want: ["invalid value: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'): spec.taskRef.name"],
  },
  {
    name: 'duplicate params compare case-insensitively',
    doc: taskRun('taskRef:\n  name: t\nparams:\n  - name: foo\n    value: a\n  - name: FOO\n    value: b'),
    want: ['expected exactly one, got both: spec.params[FOO].name'],
  },
  { name: 'bad status', doc: taskRun('taskRef:\n  name: t\nstatus: Stopped'), want: ['invalid value: Stopped should be TaskRunCancelled or TaskRunPending: spec.status'] },
  {
    name: 'statusMessage without status',
    doc: taskRun('taskRef:\n  name: t\nstatusMessage: why'),
    want: ['invalid value: statusMessage should not be set if status is not set, but it is currently set to why: spec.statusMessage'],
  },
  { name: 'negative retries', doc: taskRun('taskRef:\n  name: t\nretries: -1'), want: ['invalid value: -1 should be >= 0: spec.retries'] },
  { name: 'negative timeout', doc: taskRun('taskRef:\n  name: t\ntimeout: -48h'), want: ['invalid value: -48h0m0s should be >= 0: spec.timeout'] },
  { name: 'debug needs alpha API fields', doc: taskRun('taskRef:\n  name: t\ndebug:\n  breakpoints:\n    onFailure: enabled'), want: ['debug requires "enable-api-fields" feature gate to be "alpha" but it is "beta"'] },
  {
    // the duplicate's index is its place among the named entries (Tekton's validateNoDuplicateNames)
    name: 'stepSpecs without name, duplicated',
    doc: taskRun('taskRef:\n  name: t\nstepSpecs:\n  - computeResources: {}\n  - name: a\n  - name: A'),
    want: ['expected exactly one, got both: spec.stepSpecs[1].name', 'missing field(s): spec.stepSpecs[0].name'],
  },
  {
    name: 'sidecarSpecs without name, duplicated',
    doc: taskRun('taskRef:\n  name: t\nsidecarSpecs:\n  - name: x\n  - {}\n  - name: X'),
    want: ['expected exactly one, got both: spec.sidecarSpecs[1].name', 'missing field(s): spec.sidecarSpecs[1].name'],
  },
  {
    name: 'debug breakpoints: onFailure other than enabled, a before-step twice',
    doc: taskRun('taskRef:\n  name: t\ndebug:\n  breakpoints:\n    onFailure: turnOn\n    beforeSteps: [step-1, step-2, step-1]'),
    opts: { flags: { apiFields: 'alpha' } },
    want: [
      'before step must be unique, the same step: step-1 is defined multiple times at: spec.debug.breakpoints.beforeSteps[2]',
      'invalid value: turnOn is not a valid onFailure breakpoint value, onFailure breakpoint is only allowed to be set as enabled: spec.debug.breakpoints.onFailure',
    ],
  },
  {
    name: 'debug breakpoints without onFailure, and without alpha API fields',
    doc: taskRun('taskRef:\n  name: t\ndebug:\n  breakpoints:\n    beforeSteps: [a]'),
    want: [
      'debug requires "enable-api-fields" feature gate to be "alpha" but it is "beta"',
      'invalid value: onFailure breakpoint is empty, it is only allowed to be set as enabled: spec.debug.breakpoints.onFailure',
    ],
  },
  {
    name: 'computeResources together with stepSpecs resources',
    doc: taskRun('taskRef:\n  name: t\ncomputeResources:\n  limits: {cpu: "1"}\nstepSpecs:\n  - name: a\n    computeResources:\n      limits: {cpu: "2"}'),
    want: ['expected exactly one, got both: spec.computeResources, spec.stepSpecs.resources'],
  },
  { name: 'object param values need beta API fields', doc: taskRun('taskRef:\n  name: t\nparams:\n  - name: o\n    value: {a: b}'), opts: { flags: { apiFields: 'stable' } }, want: ['object type parameter requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "stable"'] },
  {
    name: 'remote resolution needs beta API fields (a taskRef)',
    doc: taskRun('taskRef:\n  resolver: git\n  params:\n    - {name: url, value: x}'),
    opts: { flags: { apiFields: 'stable' } },
    want: [
      'resolver params requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "stable"',
      'resolver requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "stable"',
    ],
  },
  {
    name: 'remote resolution needs beta API fields (a step ref in an inline spec)',
    doc: taskRun('taskSpec:\n  steps:\n    - ref:\n        resolver: hub'),
    opts: { flags: { apiFields: 'stable' } },
    want: ['resolver requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "stable"'],
  },
  {
    name: 'debug breakpoints of the wrong types are rejected by the schema',
    doc: taskRun('taskRef:\n  name: t\ndebug:\n  breakpoints:\n    onFailure: true\n    beforeSteps: [1]'),
    opts: { flags: { apiFields: 'alpha' } },
    want: ['spec.debug.breakpoints.beforeSteps[0]: Invalid value: "integer": spec.debug.breakpoints.beforeSteps[0] in body must be of type string: "integer"', 'spec.debug.breakpoints.onFailure: Invalid value: "boolean": spec.debug.breakpoints.onFailure in body must be of type string: "boolean"'],
  },
  { name: 'stepSpecs gate with stable API fields', doc: taskRun('taskRef:\n  name: t\nstepSpecs:\n  - name: a'), opts: { flags: { apiFields: 'stable' } }, want: ['stepSpecs requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "stable"'] },
  // workspace bindings (§6.2)
  { name: 'empty binding', doc: taskRun(`${SPEC}\nworkspaces:\n  - {}`), want: ['missing field(s): spec.workspaces[0]'] },
  {
    name: 'binding without a source',
    doc: taskRun(`${SPEC}\nworkspaces:\n  - name: w`),
    want: ['expected exactly one, got neither: spec.workspaces[0].configmap, spec.workspaces[0].emptydir, spec.workspaces[0].persistentvolumeclaim, spec.workspaces[0].secret, spec.workspaces[0].volumeclaimtemplate'],
  },
  {
    name: 'binding with two sources',
    doc: taskRun(`${SPEC}\nworkspaces:\n  - name: w\n    emptyDir: {}\n    secret:\n      secretName: s`),
    want: ['expected exactly one, got both: spec.workspaces[0].configmap, spec.workspaces[0].emptydir, spec.workspaces[0].persistentvolumeclaim, spec.workspaces[0].secret, spec.workspaces[0].volumeclaimtemplate'],
  },
  { name: 'PVC without claimName', doc: taskRun(`${SPEC}\nworkspaces:\n  - name: w\n    persistentVolumeClaim: {}`), want: ['missing field(s): spec.workspaces[0].persistentvolumeclaim.claimname'] },
  { name: 'configMap without name', doc: taskRun(`${SPEC}\nworkspaces:\n  - name: w\n    configMap: {}`), want: ['missing field(s): spec.workspaces[0].configmap.name'] },
  { name: 'secret without secretName', doc: taskRun(`${SPEC}\nworkspaces:\n  - name: w\n    secret: {}`), want: ['missing field(s): spec.workspaces[0].secret.secretName'] },
  { name: 'projected without sources', doc: taskRun(`${SPEC}\nworkspaces:\n  - name: w\n    projected: {sources: []}`), want: ['missing field(s): spec.workspaces[0].projected.sources'] },
  { name: 'csi without driver', doc: taskRun(`${SPEC}\nworkspaces:\n  - name: w\n    csi: {}`), want: ['missing field(s): spec.workspaces[0].csi.driver'] },
  {
    name: 'duplicate bindings compare case-insensitively',
    doc: taskRun(`${SPEC}\nworkspaces:\n  - name: w\n    emptyDir: {}\n  - name: W\n    emptyDir: {}`),
    want: ['expected exactly one, got both: spec.workspaces[1].name'],
  },
  // inline taskSpec with propagated params (§2.6)
  {
    name: 'propagated params are visible in an inline taskSpec',
    doc: taskRun('params:\n  - name: words\n    value: [hello, run]\ntaskSpec:\n  steps:\n    - image: alpine:3.20\n      command: [echo]\n      args: ["$(params.words[*])"]'),
    want: [],
  },
  {
    // Tekton reports the inline param checks at spec.steps (not spec.taskSpec.steps).
    name: 'param neither declared nor provided',
    doc: taskRun('taskSpec:\n  steps:\n    - image: alpine:3.20\n      command: [echo]\n      args: ["$(params.task-words[*])"]'),
    want: ['non-existent variable in "$(params.task-words[*])": spec.steps[0].args[0]'],
  },
  {
    name: 'object param provided by the run but declared without properties',
    doc: taskRun('params:\n  - name: task-words\n    value: {hello: run}\ntaskSpec:\n  params:\n    - name: task-words\n      type: object\n      default: {hello: def}\n  steps:\n    - image: alpine:3.20\n      args: ["$(params.task-words.hello)"]'),
    want: ['missing field(s): spec.task-words.properties'],
  },
  {
    name: 'inline spec errors get the taskSpec prefix',
    doc: taskRun('taskSpec:\n  steps:\n    - name: a\n      script: echo'),
    want: ['missing field(s): spec.taskSpec.steps[0].Image'],
  },
  // StepAction (tekton.dev/v1beta1)
  {
    name: 'StepAction without image; param in script',
    doc: 'apiVersion: tekton.dev/v1beta1\nkind: StepAction\nmetadata:\n  name: act\nspec:\n  params:\n    - name: p\n  script: echo $(params.p)\n',
    want: ['missing field(s): spec.Image', 'param substitution in scripts is not allowed.: spec.script'],
  },
  {
    name: 'StepAction volume mount name must be a single param reference',
    doc: 'apiVersion: tekton.dev/v1beta1\nkind: StepAction\nmetadata:\n  name: act\nspec:\n  image: alpine:3.20\n  volumeMounts:\n    - name: data\n      mountPath: /data\n',
    want: ['invalid value: data: spec.volumeMounts[0].name'],
  },
  {
    // a StepAction writes only its own results, $(results.x.path) spelling included
    name: 'StepAction script writing a result it does not declare, in either spelling',
    doc: 'apiVersion: tekton.dev/v1beta1\nkind: StepAction\nmetadata:\n  name: act\nspec:\n  image: alpine:3.20\n  results:\n    - name: out\n  script: |\n    echo a > $(results.out.path)\n    echo b > $(step.results.out.path)\n    echo c > $(results.other.path)\n',
    want: ['non-existent variable in "echo a > $(results.out.path)\\necho b > $(step.results.out.path)\\necho c > $(results.other.path)\\n": spec.script'],
  },
  {
    name: 'StepAction script writing an undeclared step result',
    doc: 'apiVersion: tekton.dev/v1beta1\nkind: StepAction\nmetadata:\n  name: act\nspec:\n  image: alpine:3.20\n  results:\n    - name: out\n  script: echo c > $(step.results.other.path)\n',
    want: ['non-existent variable in "echo c > $(step.results.other.path)": spec.script'],
  },
  // served versions and the API server's schema
  {
    name: 'unserved version',
    doc: 'apiVersion: tekton.dev/v1alpha1\nkind: Task\nmetadata:\n  name: t\nspec: {}\n',
    want: ['no matches for kind "Task" in version "tekton.dev/v1alpha1" (served: tekton.dev/v1, tekton.dev/v1beta1): apiVersion'],
  },
  {
    name: 'wrong value types are rejected before the webhook runs',
    doc: 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - image: 3\n      args: a\n',
    want: ['spec.steps[0].args: Invalid value: "string": spec.steps[0].args in body must be of type array: "string"', 'spec.steps[0].image: Invalid value: "integer": spec.steps[0].image in body must be of type string: "integer"'],
  },
];

for (const c of cases) {
  test(`TaskRun/StepAction rule: ${c.name}`, () => {
    assert.deepEqual(tektonErrors(c.doc, c.opts), c.want);
  });
}

test('unknown fields are warnings pointing at the key', () => {
  const ds = diagnose('apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  steps:\n    - image: alpine:3.20\n      scirpt: echo\n');
  const u = ds.filter((d) => d.rule === 'unknown-field');
  assert.equal(u.length, 1);
  assert.equal(u[0]!.severity, 'warning');
  assert.equal(u[0]!.message, 'unknown field "scirpt"');
  assert.deepEqual(u[0]!.paths, ['spec.steps[0].scirpt']);
  assert.deepEqual(u[0]!.pos, { line: 8, col: 7 });
  assert.equal(ds.filter((d) => d.severity === 'error').length, 0, 'the pruned document is valid');
});

test('Pipeline and PipelineRun: embedded task specs get the TaskSpec rules', () => {
  const p = 'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  params:\n    - name: x\n  tasks:\n    - name: a\n      taskSpec:\n        steps:\n          - name: Bad\n            image: alpine:3.20\n            script: echo $(params.x)\n';
  assert.deepEqual(tektonErrors(p), ['invalid value "Bad": spec.tasks[0].taskSpec.steps[0].name']);
  const pr = 'apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: pr\nspec:\n  pipelineSpec:\n    finally:\n      - name: a\n        taskSpec:\n          steps:\n            - script: echo\n';
  assert.deepEqual(tektonErrors(pr), [
    'invalid value: spec.tasks is empty but spec.finally has 1 tasks: spec.pipelineSpec.finally',
    'missing field(s): spec.pipelineSpec.finally[0].taskSpec.steps[0].Image',
  ]);
});

const RUN = { runTimeChecks: true };

test('run-time checks once the Task is known: inline spec, or a taskRef among the documents', () => {
  const inline = taskRun('params:\n  - name: list\n    value: x\ntaskSpec:\n  params:\n    - name: url\n    - name: list\n      type: array\n  workspaces:\n    - name: src\n    - name: cache\n      optional: true\n  steps:\n    - image: alpine:3.20');
  assert.deepEqual(tektonErrors(inline, RUN), [
    '[User error] declared workspace "src" is required but has not been bound: spec.workspaces',
    '[User error] invalid input params for task run: missing values for these params which have no default values: [url]: spec.params',
  ]);
  const task = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: build\nspec:\n  params:\n    - name: list\n      type: array\n    - name: conf\n      properties: {a: {}, b: {}}\n      default: {a: x}\n  steps:\n    - name: compile\n      image: alpine:3.20\n';
  const wrongType = `${task}---\n${taskRun('taskRef:\n  name: build\nparams:\n  - name: list\n    value: one\nworkspaces:\n  - name: extra\n    emptyDir: {}\nstepSpecs:\n  - name: link')}`;
  assert.deepEqual(tektonErrors(wrongType, RUN), [
    "[User error] invalid input params for task build: param types don't match the user-specified type: [list]: spec.params",
    '[User error] workspace binding "extra" does not match any declared workspace: spec.workspaces[0]',
    'invalid StepOverride: No Step named link: spec.stepSpecs[0].name',
  ]);
  const keys = `${task}---\n${taskRun('taskRef:\n  name: build\nparams:\n  - name: list\n    value: $(tasks.a.results.r)')}`;
  assert.deepEqual(tektonErrors(keys, RUN), ["[User error] invalid input params for task build: missing keys for these params which are required in ParamSpec's properties map[conf:[b]]: spec.params"]);
  // an unknown taskRef (resolved in the cluster) is not judged
  assert.deepEqual(tektonErrors(taskRun('taskRef:\n  name: elsewhere\nparams:\n  - name: x\n    value: y'), RUN), []);
  // off by default: Tekton admits these TaskRuns (tektite run reports them in the TaskRun status)
  assert.deepEqual(tektonErrors(inline), []);
});

test('run-time checks: requests above limits, enum values (with enable-param-enum), array indexes beyond the value', () => {
  const steps = (resources: string) => `steps:\n  - name: s\n    image: alpine:3.20\n    args: ["$(params.arr[1])", "$(params['arr'][2])", "$(params.e)"]\n    computeResources:\n${indent(resources, 6)}`;
  const params = 'params:\n  - name: arr\n    type: array\n    default: [a, b, c]\n  - name: e\n    enum: [x, v]\n    default: x\n';
  const task = (resources: string, template = '') => `apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: tk\nspec:\n${indent(params + template + steps(resources), 2)}`;
  const ENUM = { ...RUN, flags: { enableParamEnum: true } };
  const run = (given: string) => taskRun(`taskRef:\n  name: tk\nparams:\n${indent(given, 2)}`);
  // the step's limit, else the stepTemplate's; quantities compared exactly and printed as Kubernetes prints them
  const over = `${task('requests: {cpu: "2", memory: 512Mi}\nlimits: {cpu: 1500m}')}---\n${run("- name: e\n  value: ''")}`;
  assert.deepEqual(tektonErrors(over, ENUM), ['Invalid request resource value: 2 must be less or equal to limit 1500m: spec.taskRef']);
  const d = diagnose(over, ENUM).find((x) => x.message.startsWith('Invalid request'))!;
  assert.equal(d.details, 'Tekton admits this TaskRun, then fails it when it starts (reason TaskRunValidationFailed): step 0 (s) of Task tk requests more cpu than its limit.');
  const template = `${task('requests: {memory: 1.5Gi}', 'stepTemplate:\n  computeResources:\n    limits: {memory: 1Gi, cpu: "1"}\n')}---\n${run('- name: e\n  value: v')}`;
  assert.deepEqual(tektonErrors(template, ENUM), ['Invalid request resource value: 1536Mi must be less or equal to limit 1Gi: spec.taskRef']);
  const equal = `${task('requests: {cpu: 1000m, memory: 1Gi}\nlimits: {cpu: "1", memory: 1073741824}')}---\n${run('- name: e\n  value: v')}`;
  assert.deepEqual(tektonErrors(equal, ENUM), []);
  // enum: the first given value outside the list (an empty one is not checked); only with the flag
  const fine = 'requests: {cpu: 100m}';
  const outside = `${task(fine)}---\n${run('- name: e\n  value: z\n- name: arr\n  value: [p, q, r]')}`;
  assert.deepEqual(tektonErrors(outside, ENUM), ['[User error] param `e` value: z is not in the enum list: spec.params[0]']);
  assert.equal(diagnose(outside, ENUM).find((x) => x.message.includes('enum list'))!.details, 'Tekton admits this TaskRun, then fails it when it starts (reason InvalidParamValue).');
  assert.deepEqual(tektonErrors(outside, RUN).filter((m) => m.includes('enum list')), [], 'without enable-param-enum the Task itself is refused, and no value is checked');
  // array indexes: against the value the run gives, else the default
  const short = `${task(fine)}---\n${run('- name: arr\n  value: [p, q]')}`;
  assert.deepEqual(tektonErrors(short, ENUM), ["[User error] non-existent param references:[$(params['arr'][2])]: spec.params"]);
  const inline = taskRun('params:\n  - name: arr\n    value: [one]\ntaskSpec:\n  params:\n    - name: arr\n      type: array\n  steps:\n    - name: s\n      image: alpine:3.20\n      args: ["$(params.arr[0])", "$(params.arr[3])"]\n      computeResources:\n        requests: {memory: 2G}\n        limits: {memory: 1Gi}');
  assert.deepEqual(tektonErrors(inline, RUN), [
    'Invalid request resource value: 2G must be less or equal to limit 1Gi: spec.taskSpec.steps[0].computeResources.requests.memory',
    '[User error] non-existent param references:[$(params.arr[3])]: spec.params',
  ]);
  // the lengths are of every array the run gives (an inline spec's undeclared one too), and a
  // string value (pipeline plumbing) leaves the default's
  const undeclared = taskRun('params:\n  - name: a\n    value: [x, z]\ntaskSpec:\n  steps:\n    - name: s\n      image: alpine:3.20\n      env: [{name: V, value: "$(params.a[3])"}]\n      script: echo "$V"');
  assert.deepEqual(tektonErrors(undeclared, RUN), ['[User error] non-existent param references:[$(params.a[3])]: spec.params']);
  const plumbing = `${task(fine)}---\n${run('- name: arr\n  value: $(tasks.x.results.y)')}`;
  assert.deepEqual(tektonErrors(plumbing.replace('default: [a, b, c]', 'default: [a]'), ENUM), ["[User error] non-existent param references:[$(params.arr[1]) $(params['arr'][2])]: spec.params"]);
  // not when the params themselves fail (Tekton stops there)
  assert.deepEqual(tektonErrors(`${task(fine)}---\n${run('- name: arr\n  value: one\n- name: e\n  value: z')}`, ENUM), [
    "[User error] invalid input params for task tk: param types don't match the user-specified type: [arr]: spec.params",
  ]);
});

test('run-time checks of a Pipeline task that names a Task among the documents: params (with the matrix) and workspaces', () => {
  const build = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: build\nspec:\n  params:\n    - name: url\n    - name: flags\n      type: array\n      default: []\n  workspaces:\n    - name: src\n    - name: cache\n      optional: true\n  steps:\n    - name: compile\n      image: alpine:3.20\n';
  const pipeline = (tasks: string) => `${build}---\napiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  workspaces:\n    - name: shared\n  tasks:\n${indent(tasks, 4)}`;
  const DETAILS = /^Tekton admits this Pipeline; a run of it fails when it gets to this task/;
  const missing = pipeline(`
    - name: a
      taskRef:
        name: build
      workspaces:
        - name: source
          workspace: shared
    - name: b
      taskRef:
        name: build
      matrix:
        params:
          - name: url
            value: [x, y]
      workspaces:
        - name: src
          workspace: shared
    - name: c
      taskRef:
        name: build
      params:
        - name: url
          value: $(tasks.b.results.r)
        - name: flags
          value: one
      workspaces:
        - name: src
          workspace: shared
    - name: d
      taskRef:
        name: build
      params:
        - name: url
          value: u
      matrix:
        params:
          - name: flags
            value: [a, b]
      workspaces:
        - name: src
          workspace: shared`);
  assert.deepEqual(tektonErrors(missing, RUN), [
    'declared workspace "src" is required but has not been bound: spec.tasks[0].workspaces',
    'invalid input params for task build: missing values for these params which have no default values: [url]: spec.tasks[0].params',
    "invalid input params for task build: param types don't match the user-specified type: [flags]: spec.tasks[2].params",
    // a matrix gives each TaskRun one string: an array param cannot take it
    "invalid input params for task build: param types don't match the user-specified type: [flags]: spec.tasks[3].params",
    'workspace binding "source" does not match any declared workspace: spec.tasks[0].workspaces[0]',
  ]);
  const d = diagnose(missing, RUN).find((x) => x.message.includes('missing values'))!;
  assert.match(d.details ?? '', DETAILS);
  assert.deepEqual(d.pos, { line: 27, col: 7 }, 'at the pipeline task (it has no params to point at)');
  // the same inside a PipelineRun's pipelineSpec, in finally
  const pr = `${build}---\napiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: pr\nspec:\n  pipelineSpec:\n    tasks:\n      - name: first\n        taskSpec:\n          steps:\n            - image: alpine:3.20\n    finally:\n      - name: f\n        taskRef:\n          name: build\n        params:\n          - name: url\n            value: u\n`;
  assert.deepEqual(tektonErrors(pr, RUN), ['declared workspace "src" is required but has not been bound: spec.pipelineSpec.finally[0].workspaces']);
  // Tasks resolved elsewhere (a resolver, a custom task, an unknown name) are not judged; nor without run-time checks
  const elsewhere = pipeline(`
    - name: r
      taskRef:
        resolver: git
        params:
          - name: name
            value: build
    - name: k
      taskRef:
        apiVersion: example.dev/v1
        kind: Build
        name: build
    - name: u
      taskRef:
        name: unknown`);
  assert.deepEqual(tektonErrors(elsewhere, RUN), []);
  assert.deepEqual(tektonErrors(missing), []);
});
