// One invalid document per Tekton webhook rule for Tasks (§9.2 and the reference rules of §3),
// each asserting Tekton's exact message and field path(s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, task, tektonErrors } from './helpers.js';
import type { ValidateOptions } from '../../src/tekton/validate/index.js';
import { formatDiagnostic } from '../../src/tekton/diagnostics.js';

const STEP = 'steps:\n  - image: alpine:3.20\n    script: echo ok';

interface Case {
  name: string;
  doc: string;
  want: string[];
  opts?: ValidateOptions;
}

const cases: Case[] = [
  // metadata (§1.1)
  { name: 'resource name not a DNS subdomain', doc: task(STEP, 'Bad_Name'), want: ['invalid resource name "Bad_Name": must be a valid DNS label: metadata.name'] },
  { name: 'resource name longer than 63', doc: task(STEP, 'a'.repeat(64)), want: ['Invalid resource name: length must be no more than 63 characters: metadata.name'] },
  // spec shape
  { name: 'no steps', doc: task('description: nothing to do'), want: ['missing field(s): spec.steps'] },
  {
    name: 'duplicate volume names',
    doc: task(`${STEP}\nvolumes:\n  - name: v\n    emptyDir: {}\n  - name: v\n    emptyDir: {}`),
    want: ['multiple volumes with same name "v": spec.volumes[1].name'],
  },
  // workspaces (§6.1)
  {
    name: 'duplicate workspace names',
    doc: task(`${STEP}\nworkspaces:\n  - name: w\n  - name: w\n    mountPath: /elsewhere`),
    want: ['workspace name "w" must be unique: spec.workspaces[1].name'],
  },
  {
    name: 'workspace mount path clashes with a volumeMount (paths cleaned)',
    doc: task(`steps:\n  - image: alpine:3.20\n    volumeMounts:\n      - name: data\n        mountPath: /data\nworkspaces:\n  - name: w\n    mountPath: /data/\nvolumes:\n  - name: data\n    emptyDir: {}`),
    want: ['workspace mount path "/data" must be unique: spec.workspaces[0].mountpath'],
  },
  {
    name: 'isolated step workspace not declared',
    doc: task(`steps:\n  - image: alpine:3.20\n    workspaces:\n      - name: nope`),
    want: ['undefined workspace "nope": spec.steps[0].workspaces[0].name'],
  },
  {
    name: 'isolated step workspaces need beta API fields',
    doc: task(`steps:\n  - image: alpine:3.20\n    workspaces:\n      - name: w\nworkspaces:\n  - name: w`),
    opts: { flags: { apiFields: 'stable' } },
    want: ['step workspaces requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "stable"'],
  },
  // steps (§4)
  {
    name: 'duplicate step names',
    doc: task('steps:\n  - name: a\n    image: alpine:3.20\n  - name: a\n    image: alpine:3.20'),
    want: ['expected exactly one, got both: spec.steps[1].name'],
  },
  { name: 'step name not a DNS label', doc: task('steps:\n  - name: Build_It\n    image: alpine:3.20'), want: ['invalid value "Build_It": spec.steps[0].name'] },
  { name: 'step without image', doc: task('steps:\n  - name: a\n    script: echo'), want: ['missing field(s): spec.steps[0].Image'] },
  {
    name: 'image from stepTemplate satisfies the step',
    doc: task('stepTemplate:\n  image: alpine:3.20\nsteps:\n  - name: a\n    script: echo'),
    want: [],
  },
  { name: 'script with command', doc: task('steps:\n  - image: alpine:3.20\n    command: [sh]\n    script: echo'), want: ['script cannot be used with command: spec.steps[0].script'] },
  { name: 'script with args is fine', doc: task('steps:\n  - image: alpine:3.20\n    args: [a]\n    script: echo "$1"'), want: [] },
  {
    name: 'StepAction ref with image, command, args, script, workingDir, env, volumeMounts, results',
    doc: task(`steps:\n  - ref:\n      name: action\n    image: alpine:3.20\n    command: [x]\n    args: [z]\n    script: echo\n    workingDir: /w\n    env:\n      - name: A\n        value: b\n    volumeMounts:\n      - name: v\n        mountPath: /v\n    results:\n      - name: r`),
    want: [
      'args cannot be used with Ref: spec.steps[0].args',
      'command cannot be used with Ref: spec.steps[0].command',
      'env cannot be used with Ref: spec.steps[0].env',
      'image cannot be used with Ref: spec.steps[0].image',
      'results cannot be used with Ref: spec.steps[0].results',
      'script cannot be used with Ref: spec.steps[0].script',
      'volumeMounts cannot be used with Ref: spec.steps[0].volumeMounts',
      'working dir cannot be used with Ref: spec.steps[0].workingDir',
    ],
  },
  // Tekton's defaulting webhook re-encodes the step: an empty env list is dropped (omitempty)
  { name: 'StepAction ref with empty lists (gone once Tekton re-encodes the step)', doc: task('steps:\n  - ref:\n      name: action\n    env: []\n    args: []\n    volumeMounts: []'), want: [] },
  { name: 'params without ref', doc: task('steps:\n  - image: alpine:3.20\n    params:\n      - name: a\n        value: b'), want: ['params cannot be used without Ref: spec.steps[0].params'] },
  // Tekton validates a step's ref without adding `ref` to the path (Step.Validate calls Ref.Validate directly).
  { name: 'ref without name or resolver', doc: task('steps:\n  - ref: {}'), want: ['missing field(s): spec.steps[0].name'] },
  {
    name: 'ref with name and params',
    doc: task('steps:\n  - ref:\n      name: action\n      resolver: git\n      params:\n        - name: url\n          value: x'),
    // with a resolver, a name must look like a URL (concise syntax)
    want: ['expected exactly one, got both: spec.steps[0].name, spec.steps[0].params', 'invalid value: invalid URI for request: spec.steps[0].name'],
  },
  {
    name: 'url-like ref name needs the concise resolver syntax flag',
    doc: task('steps:\n  - ref:\n      name: git://github.com/o/r/action.yaml\n      resolver: git'),
    want: ['feature flag enable-concise-resolver-syntax should be set to true to use concise resolver syntax: spec.steps[0]'],
  },
  { name: 'negative step timeout', doc: task('steps:\n  - image: alpine:3.20\n    timeout: -10s'), want: ['invalid value: -10s: spec.steps[0].negative timeout'] },
  {
    name: 'volume mount under /tekton',
    doc: task('steps:\n  - image: alpine:3.20\n    volumeMounts:\n      - name: v\n        mountPath: /tekton/results\nvolumes:\n  - name: v\n    emptyDir: {}'),
    want: ['volumeMount cannot be mounted under /tekton/ (volumeMount "v" mounted at "/tekton/results"): spec.steps[0].volumeMounts[0].mountPath'],
  },
  {
    name: 'volume mount under /tekton through .. (the path is cleaned first)',
    doc: task('steps:\n  - image: alpine:3.20\n    volumeMounts:\n      - name: a\n        mountPath: /somedir/../tekton/newdir\n      - name: b\n        mountPath: /tekton/home/../results\n      - name: c\n        mountPath: /tekton/home/x/../y\nvolumes:\n  - {name: a, emptyDir: {}}\n  - {name: b, emptyDir: {}}\n  - {name: c, emptyDir: {}}'),
    want: [
      'volumeMount cannot be mounted under /tekton/ (volumeMount "a" mounted at "/somedir/../tekton/newdir"): spec.steps[0].volumeMounts[0].mountPath',
      'volumeMount cannot be mounted under /tekton/ (volumeMount "b" mounted at "/tekton/home/../results"): spec.steps[0].volumeMounts[1].mountPath',
    ],
  },
  {
    name: 'volume mounts that clean to /tekton/home are allowed',
    doc: task('steps:\n  - image: alpine:3.20\n    volumeMounts:\n      - name: a\n        mountPath: /tekton/./home/x\n      - name: b\n        mountPath: /tekton//home\nvolumes:\n  - {name: a, emptyDir: {}}\n  - {name: b, emptyDir: {}}'),
    want: [],
  },
  {
    name: 'volume mount under /tekton/home is allowed',
    doc: task('steps:\n  - image: alpine:3.20\n    volumeMounts:\n      - name: v\n        mountPath: /tekton/home/.cache\nvolumes:\n  - name: v\n    emptyDir: {}'),
    want: [],
  },
  {
    name: 'reserved volume mount name',
    doc: task('steps:\n  - image: alpine:3.20\n    volumeMounts:\n      - name: tekton-internal-x\n        mountPath: /x'),
    want: ['volumeMount name "tekton-internal-x" cannot start with "tekton-internal-": spec.steps[0].volumeMounts[0].name'],
  },
  { name: 'bad onError', doc: task('steps:\n  - image: alpine:3.20\n    onError: ignore'), want: ['invalid value: "ignore": spec.steps[0].onError'] },
  { name: 'onError from a param passes the webhook', doc: task('params:\n  - name: mode\nsteps:\n  - image: alpine:3.20\n    onError: $(params.mode)'), want: [] },
  {
    name: 'windows script needs alpha API fields',
    doc: task('steps:\n  - image: mcr.microsoft.com/powershell:7.4\n    script: |\n      #!win pwsh.exe -File\n      echo hi'),
    want: ['windows script support requires "enable-api-fields" feature gate to be "alpha" but it is "beta"'],
  },
  {
    name: 'stdoutConfig and stderrConfig need alpha API fields',
    doc: task('steps:\n  - image: alpine:3.20\n    stdoutConfig:\n      path: /data/out\n    stderrConfig:\n      path: /data/err'),
    want: [
      'step stderr stream support requires "enable-api-fields" feature gate to be "alpha" but it is "beta"',
      'step stdout stream support requires "enable-api-fields" feature gate to be "alpha" but it is "beta"',
    ],
  },
  {
    name: 'artifacts need enable-artifacts',
    doc: task('steps:\n  - image: alpine:3.20\n    script: echo {} > $(step.artifacts.path)'),
    want: ['feature flag enable-artifacts should be set to true to use artifacts feature.: spec.steps[0]'],
  },
  {
    name: 'step result reference outside env/command/args',
    doc: task('steps:\n  - name: a\n    image: alpine:3.20\n    results:\n      - name: out\n  - name: b\n    image: $(steps.a.results.out)\n    workingDir: /w/$(steps.a.results.out)'),
    want: ['stepResult substitutions are only allowed in env, command and args. Found usage in: spec.steps[1].image, spec.steps[1].workingDir'],
  },
  {
    // Tekton builds this path as ViaIndex(step).ViaField("results") around the result's own index.
    name: 'step result with a bad name',
    doc: task('steps:\n  - image: alpine:3.20\n    results:\n      - name: "bad name"'),
    want: ['invalid key name "bad name": spec.steps.results[0][0].name'],
  },
  {
    name: 'step result script reference to an undeclared step result',
    doc: task('steps:\n  - image: alpine:3.20\n    results:\n      - name: out\n    script: echo x > $(step.results.other.path)'),
    want: ['non-existent variable in "echo x > $(step.results.other.path)": spec.steps[0].script'],
  },
  {
    name: 'when: unknown operator, empty values, CEL without its flag',
    doc: task('steps:\n  - image: alpine:3.20\n    when:\n      - input: a\n        operator: is\n        values: [a]\n      - input: a\n        operator: in\n        values: []\n      - cel: "1 == 1"'),
    want: [
      'feature flag enable-cel-in-whenexpression should be set to true to use CEL: 1 == 1 in WhenExpression: spec.steps[0].when[2]',
      'invalid value: expecting non-empty values field: spec.steps[0].when[1]',
      'invalid value: operator "is" is not recognized. valid operators: in,notin: spec.steps[0].when[0]',
    ],
  },
  // sidecars: Tekton reports them without an index
  {
    name: 'sidecar without image, with script and command, reserved name',
    doc: task(`${STEP}\nsidecars:\n  - name: tekton-log-results\n    command: [sh]\n    script: echo`),
    want: [
      'Invalid: cannot use reserved sidecar name tekton-log-results : spec.sidecars.name',
      'missing field(s): spec.sidecars.image',
      'script cannot be used with command: spec.sidecars.script',
    ],
  },
  // params (§2)
  { name: 'invalid param type', doc: task(`params:\n  - name: p\n    type: number\n${STEP}`), want: ['invalid value: number: spec.params.p.type'] },
  {
    name: "default does not match the declared type",
    doc: task(`params:\n  - name: p\n    type: array\n    default: x\n${STEP}`),
    want: ['"array" type does not match default value\'s type: "string": spec.params.p.default.type, spec.params.p.type'],
  },
  {
    name: 'object property with a non-string type',
    doc: task(`params:\n  - name: o\n    properties:\n      k: {type: array}\n${STEP}`),
    want: ['The value type specified for these keys [k] is invalid: spec.params.o.properties'],
  },
  { name: 'object param without properties', doc: task(`params:\n  - name: o\n    type: object\n${STEP}`), want: ['missing field(s): spec.o.properties'] },
  {
    // the defaulting webhook sets the type from a non-nil map, then its omitempty re-encode drops the empty map
    name: 'object param with empty properties ({} is dropped as Go drops an empty map; with no type it still makes an object)',
    doc: task(`params:\n  - name: o\n    type: object\n    properties: {}\n  - name: p\n    properties: {}\n${STEP}`),
    want: ['missing field(s): spec.o.properties, spec.p.properties'],
  },
  { name: 'duplicate param (case-sensitive)', doc: task(`params:\n  - name: p\n  - name: p\n  - name: P\n${STEP}`), want: ['parameter appears more than once: spec.params[p]'] },
  {
    // knative's ViaKey then ViaField: flattening splits `[a.b]` at the dot, so it is no index
    name: 'keys with a dot in paths (duplicate param, enum, env name)',
    doc: task('params:\n  - name: a.b\n  - name: a.b\n  - name: c.d\n    enum: [x]\nsteps:\n  - image: alpine:3.20\n    env:\n      - name: MY.VAR\n        value: $(params.nope)'),
    want: [
      'feature flag `enable-param-enum` should be set to true to use Enum: spec.params.[c.d]',
      'non-existent variable in "$(params.nope)": spec.steps[0].env.[MY.VAR]',
      'parameter appears more than once: spec.params.[a.b]',
    ],
  },
  {
    name: 'string/array param name format',
    doc: task(`params:\n  - name: 0bad\n  - name: also bad\n    type: array\n${STEP}`),
    want: ['The format of following array and string variable names is invalid: [0bad also bad]: spec.params'],
  },
  {
    name: 'object param name and key format (no dots)',
    doc: task(`params:\n  - name: o.x\n    properties:\n      a.b: {}\n      ok: {}\n${STEP}`),
    want: ['Object param name and key name format is invalid: map[o.x:[a.b]]: spec.params'],
  },
  {
    name: 'enum needs its feature flag (off by default)',
    doc: task(`params:\n  - name: level\n    enum: [debug, info]\n${STEP}`),
    want: ['feature flag `enable-param-enum` should be set to true to use Enum: spec.params[level]'],
  },
  {
    name: 'enum rules with the flag on',
    doc: task(`params:\n  - name: level\n    enum: [debug, debug]\n    default: info\n  - name: list\n    type: array\n    enum: [a]\n${STEP}`),
    opts: { flags: { enableParamEnum: true } },
    want: [
      'enum can only be set with string type param: spec.params[list]',
      'param default value info not in the enum list: spec.params[level]',
      'parameter enum value debug appears more than once: spec.params[level]',
    ],
  },
  // references (§3.5, §3.6, §3.8)
  {
    name: 'array reference not isolated in args',
    doc: task('params:\n  - name: a\n    type: array\nsteps:\n  - image: alpine:3.20\n    command: [echo]\n    args: ["--x=$(params.a[*])"]'),
    want: ['variable is not properly isolated in "--x=$(params.a[*])": spec.steps[0].args[0]'],
  },
  {
    name: 'array reference in a script',
    doc: task('params:\n  - name: a\n    type: array\nsteps:\n  - image: alpine:3.20\n    script: echo $(params.a)'),
    want: ['variable type invalid in "echo $(params.a)": spec.steps[0].script'],
  },
  {
    // Tekton re-prefixes earlier steps' findings with each later step's index in this loop.
    name: 'array misuse in an earlier step keeps Tekton\'s repeated path prefix',
    doc: task('params:\n  - name: a\n    type: array\nsteps:\n  - image: alpine:3.20\n    script: echo $(params.a)\n  - image: alpine:3.20'),
    want: ['variable type invalid in "echo $(params.a)": spec.steps[1].steps[0].script'],
  },
  {
    name: 'indexed array reference is a plain string',
    doc: task('params:\n  - name: a\n    type: array\nsteps:\n  - image: alpine:3.20\n    command: [echo, "x-$(params.a[0])"]'),
    want: [],
  },
  {
    name: 'whole object used in a step',
    doc: task('params:\n  - name: o\n    properties:\n      k: {}\nsteps:\n  - image: alpine:3.20\n    env:\n      - name: O\n        value: $(params.o)'),
    want: ['variable type invalid in "$(params.o)": spec.steps[0].env[O]'],
  },
  {
    name: 'undeclared param',
    doc: task('steps:\n  - image: alpine:3.20\n    script: |\n      echo $(params.nope)'),
    want: ['non-existent variable in "echo $(params.nope)\\n": spec.steps[0].script'],
  },
  {
    name: 'undeclared object key',
    doc: task('params:\n  - name: o\n    properties:\n      k: {}\nsteps:\n  - image: alpine:3.20\n    args: ["$(params.o.zz)"]'),
    want: ['non-existent variable in "$(params.o.zz)": spec.steps[0].args[0]'],
  },
  {
    // the name is not a valid object name, and as a regex it has a group of its own: the keys of
    // `ab` must still be read from the reference, not from that group
    name: 'object param whose name holds regex groups',
    doc: task('params:\n  - name: "a(b)"\n    properties:\n      key: {}\n  - name: ab\nsteps:\n  - image: alpine:3.20\n    env:\n      - name: K\n        value: $(params.ab.key)'),
    want: ['Object param name and key name format is invalid: map[a(b):[]]: spec.params'],
  },
  {
    name: 'unknown context variables',
    doc: task('steps:\n  - image: alpine:3.20\n    args: ["$(context.taskRun.bogus)", "$(context.task.nope)", "$(context.taskRun.name)"]'),
    want: [
      'non-existent variable in "$(context.task.nope)": spec.steps[0].args[1]',
      'non-existent variable in "$(context.taskRun.bogus)": spec.steps[0].args[0]',
    ],
  },
  {
    name: 'undeclared param in a volume mount uses the capitalised path segment',
    doc: task('steps:\n  - image: alpine:3.20\n    volumeMounts:\n      - name: v\n        mountPath: /m/$(params.nope)\nvolumes:\n  - name: v\n    emptyDir: {}'),
    want: ['non-existent variable in "/m/$(params.nope)": spec.steps[0].volumeMount[0].MountPath'],
  },
  {
    name: 'three dot-separated parts after params',
    doc: task('params:\n  - name: a\nsteps:\n  - image: alpine:3.20\n    args: ["$(params.a.b.c)"]'),
    want: ['Invalid referencing of parameters in "$(params.a.b.c)"! Only two dot-separated components after the prefix "params" are allowed.: spec.steps[0].args[0]'],
  },
  {
    name: 'dotted param name needs the bracket form',
    doc: task('params:\n  - name: a.b\nsteps:\n  - image: alpine:3.20\n    args: ["$(params[\'a.b\'])", \'$(params["a.b"])\']'),
    want: [],
  },
  {
    name: '$(inputs.params.x) is not validated',
    doc: task('steps:\n  - image: alpine:3.20\n    args: ["$(inputs.params.nope)"]'),
    want: [],
  },
  {
    name: 'string param with a key passes (Tekton hole, §3.6)',
    doc: task('params:\n  - name: s\nsteps:\n  - image: alpine:3.20\n    args: ["$(params.s.anything)"]'),
    want: [],
  },
  {
    name: 'undeclared result in a script',
    doc: task('results:\n  - name: out\nsteps:\n  - image: alpine:3.20\n    script: echo x > $(results.nope.path)'),
    want: ['non-existent variable in "echo x > $(results.nope.path)": spec.steps[0].script'],
  },
  {
    name: 'unknown params in stepTemplate and sidecars are not checked by Tekton',
    doc: task('stepTemplate:\n  env:\n    - name: X\n      value: $(params.nope)\nsteps:\n  - image: alpine:3.20'),
    want: [],
  },
  // results (§5.1)
  {
    name: 'result name format',
    doc: task(`results:\n  - name: -bad\n${STEP}`),
    want: ['invalid key name "-bad": spec.results[0].name'],
  },
  { name: 'result type', doc: task(`results:\n  - name: r\n    type: number\n${STEP}`), want: ['invalid value: number: spec.results[0].type'] },
  { name: 'object result without properties', doc: task(`results:\n  - name: r\n    type: object\n${STEP}`), want: ['missing field(s): spec.results[0].r.properties'] },
  { name: 'object result with empty properties', doc: task(`results:\n  - name: r\n    type: object\n    properties: {}\n${STEP}`), want: ['missing field(s): spec.results[0].r.properties'] },
  {
    name: 'object result property type',
    doc: task(`results:\n  - name: r\n    properties:\n      k: {type: array}\n${STEP}`),
    want: ['The value type specified for these keys [k] is invalid, the type must be string: spec.results[0].r.properties'],
  },
  {
    name: 'result value not a step result reference',
    doc: task(`results:\n  - name: r\n    value: hello\n${STEP}`),
    want: ['Could not extract step name and result name. Expected value to look like $(steps.<stepName>.results.<resultName>) but got "hello": spec.results[0].r.value'],
  },
  {
    // ExtractStepResultName: unanchored, lazy parts; "" is not checked; the value printed with \"%v\"
    name: 'result values: reference anywhere in the text, dotted step name, empty value, quotes',
    doc: task(`results:\n  - name: a\n    value: pre $(steps.s.results.x) post\n  - name: b\n    value: $(steps.foo.foo.results.Bar)\n  - name: c\n    value: ""\n  - name: d\n    value: 'say "hi"'\n${STEP}`),
    want: [
      'Could not extract step name and result name. Expected value to look like $(steps.<stepName>.results.<resultName>) but got "say "hi"": spec.results[3].d.value',
      'invalid extracted step name "foo.foo": spec.results[1].b.value',
    ],
  },
  {
    name: "a result's type findings and value findings come together",
    doc: task(`results:\n  - name: r\n    type: object\n    value: hello\n  - name: s\n    type: number\n    value: hello\n${STEP}`),
    want: [
      'Could not extract step name and result name. Expected value to look like $(steps.<stepName>.results.<resultName>) but got "hello": spec.results[0].r.value, spec.results[1].s.value',
      'invalid value: number: spec.results[1].type',
      'missing field(s): spec.results[0].r.properties',
    ],
  },
  // beta features with enable-api-fields: stable (Task.Validate only)
  {
    name: 'object params, array indexing and array/object results need beta API fields',
    doc: task('params:\n  - name: o\n    properties:\n      k: {}\n  - name: a\n    type: array\nresults:\n  - name: list\n    type: array\nsteps:\n  - image: alpine:3.20\n    args: ["$(params.a[1])", "$(params.o.k)"]'),
    opts: { flags: { apiFields: 'stable' } },
    want: [
      'array results requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "stable"',
      "cannot index into array parameters when 'enable-api-fields' is 'stable', but found indexing references: map[$(params.a[1]):{}]",
      'object type parameter requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "stable"',
    ],
  },
  // v1beta1 (§1.7)
  {
    name: 'v1beta1 PipelineResources',
    doc: `apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: old\nspec:\n  resources:\n    inputs:\n      - name: src\n        type: git\n  ${STEP.replace(/\n/g, '\n  ')}\n`,
    want: ['must not set the field(s): spec.resources'],
  },
];

test('bad names extracted from a result value carry Tekton\'s details', () => {
  const found = diagnose(task(`results:\n  - name: a\n    value: $(steps.Bad_Step.results.b_)\n${STEP}`)).filter((d) => d.severity === 'error');
  assert.deepEqual(found.map((d) => [d.message, d.details]), [
    ['invalid extracted result name "b_"', "resultName in $(steps.<stepName>.results.<resultName>) must consist of alphanumeric characters, '-', '_', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my-name',  or 'my_name', regex used for validation is '^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$')"],
    ['invalid extracted step name "Bad_Step"', 'stepName in $(steps.<stepName>.results.<resultName>) must be a valid DNS Label, For more info refer to https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names'],
  ]);
});

for (const c of cases) {
  test(`Task rule: ${c.name}`, () => {
    assert.deepEqual(tektonErrors(c.doc, c.opts), c.want);
  });
}

test('details are kept (printed on the next line)', () => {
  const d = diagnose(task('steps:\n  - name: Bad\n    image: alpine:3.20')).find((x) => x.severity === 'error')!;
  assert.equal(d.details, 'Task step name must be a valid DNS Label, For more info refer to https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names');
  const p = diagnose(task(`params:\n  - name: 1x\n${STEP}`)).find((x) => x.severity === 'error')!;
  assert.equal(p.details, 'String/Array Names: \nMust only contain alphanumeric characters, hyphens (-), underscores (_), and dots (.)\nMust begin with a letter or an underscore (_)');
});

test('errors point at the node they are about', () => {
  const doc = task('steps:\n  - name: ok\n    image: alpine:3.20\n  - name: two\n    script: |\n      echo $(params.nope)');
  const ds = diagnose(doc).filter((d) => d.severity === 'error');
  const image = ds.find((d) => d.message === 'missing field(s)')!;
  assert.deepEqual(image.pos, { line: 9, col: 7 }, 'missing image: the step that lacks it');
  const ref = ds.find((d) => d.message.startsWith('non-existent'))!;
  assert.deepEqual(ref.pos, { line: 10, col: 15 }, 'the script');
});

test('the API server\'s type errors: one per field, each at its own node, printed path first', () => {
  const doc = task('params:\n  - name: 3\nsteps:\n  - name: s\n    image: alpine:3.20\n    timeout: 5\n    env: foo');
  const ds = diagnose(doc).filter((d) => d.severity === 'error');
  assert.deepEqual(ds.map((d) => [d.pos!.line, d.pos!.col, formatDiagnostic(d)]), [
    [7, 13, 't.yaml:7:13: spec.params[0].name: Invalid value: "integer": spec.params[0].name in body must be of type string: "integer"'],
    [11, 16, 't.yaml:11:16: spec.steps[0].timeout: Invalid value: "integer": spec.steps[0].timeout in body must be of type string: "integer"'],
    [12, 12, 't.yaml:12:12: spec.steps[0].env: Invalid value: "string": spec.steps[0].env in body must be of type array: "string"'],
  ]);
});

test('v1beta1 findings point at the original (unconverted) nodes', () => {
  const doc = 'apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata:\n  name: old\nspec:\n  steps:\n    - image: alpine:3.20\n      resources:\n        limits: {cpu: 1}\n      script: echo $(params.nope)\n';
  const ds = diagnose(doc);
  const ref = ds.find((d) => d.message.startsWith('non-existent'))!;
  assert.deepEqual(ref.pos, { line: 10, col: 15 });
  assert.deepEqual(ds.filter((d) => d.rule === 'unknown-field'), [], 'steps[].resources is a v1beta1 field');
});
