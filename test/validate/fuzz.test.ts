// Property tests: whatever YAML or Tekton-shaped data comes in, the validator returns findings
// and never throws (nor hits its own internal-error guard).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { loadText } from '../../src/tekton/load.js';
import { validateDocs, validateResource } from '../../src/tekton/validate/index.js';
import { toV1 } from '../../src/tekton/convert.js';
import { defaultTaskRun, defaultTaskSpec } from '../../src/tekton/defaults.js';
import { mergeStepTemplate } from '../../src/tekton/merge.js';
import { fixScriptReferences } from '../../src/tekton/lint/fix-script-references.js';

// FUZZ_MS=60000 FUZZ_RUNS=1000000 node scripts/run-tests.mjs fuzz  runs a longer search locally.
const TIME_LIMIT_MS = Number(process.env.FUZZ_MS ?? 4000);
const RUNS = Number(process.env.FUZZ_RUNS ?? 20_000);

// Strings that exercise the reference scanners and Go-style quoting.
const word = fc.oneof(
  fc.constantFrom('', 'a', 'alpine', 'alpine:3.20', 'x.y', 'Bad_Name', '-', '0', 'continue', 'stopAndFail', '/tekton/x', '/workspace/w',
    '$(params.a)', '$(params.a[*])', '$(params.o.k)', '$(params["a.b"])', "$(params['x'])", '$(params.a.b.c)', '$(inputs.params.a)',
    '$(context.taskRun.name)', '$(context.task.bogus)', '$(results.r.path)', '$(step.results.s.path)', '$(steps.s.results.r)',
    '$(workspaces.w.path)', '$(step.artifacts.path)', '#!/bin/sh\n[[ x ]]', '#!win pwsh', 'a\u0000b\u2028c', '$(', ')', '[[', '10s', '-5m', 'bogus',
    '1.5Gi', '500m', '2', '1e999999999', '-1.5n', '8Ei', 'Gi', '$(params.a[3])', '$(tt.params.t)', 'x $(tt.params.t) $(params.a)'),
  fc.string({ maxLength: 12 }),
);

const scalar = fc.oneof(word, fc.integer(), fc.boolean(), fc.constant(null), fc.double());
const leaf: fc.Arbitrary<unknown> = fc.oneof(scalar, fc.array(word, { maxLength: 3 }), fc.dictionary(word, word, { maxKeys: 3 }));

const KEYS = ['name', 'image', 'script', 'command', 'args', 'env', 'value', 'valueFrom', 'workingDir', 'onError', 'timeout', 'volumeMounts',
  'mountPath', 'subPath', 'ref', 'params', 'results', 'when', 'input', 'operator', 'values', 'cel', 'type', 'default', 'properties', 'enum',
  'workspaces', 'steps', 'sidecars', 'stepTemplate', 'volumes', 'taskRef', 'taskSpec', 'resolver', 'status', 'statusMessage', 'retries',
  'stepSpecs', 'computeResources', 'resources', 'emptyDir', 'persistentVolumeClaim', 'claimName', 'secret', 'configMap', 'csi', 'projected',
  'tasks', 'finally', 'pipelineSpec', 'debug', 'optional', 'readOnly', 'description', 'stdoutConfig', 'bundle', 'stepOverrides',
  'pipelineRef', 'timeouts', 'pipeline', 'breakpoints', 'onFailure', 'beforeSteps', 'taskRunSpecs', 'taskRunTemplate', 'sidecarSpecs', 'kind',
  'requests', 'limits', 'cpu', 'memory', 'items'];

/** Tekton-looking trees: known keys, nested maps and lists, any leaf anywhere. */
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('map'), tie('list')),
  map: fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), word), tie('node'), { maxKeys: 5 }),
  list: fc.array(tie('node'), { maxLength: 3 }),
})).node;

const tektonDoc = fc.record({
  apiVersion: fc.constantFrom('tekton.dev/v1', 'tekton.dev/v1beta1', 'tekton.dev/v1alpha1', 'v1', ''),
  kind: fc.constantFrom('Task', 'TaskRun', 'StepAction', 'Pipeline', 'PipelineRun'),
  metadata: fc.oneof(fc.record({ name: word }), fc.record({ generateName: word }), leaf),
  spec: tree,
});

/**
 * Runs are bounded by time (the machine is shared); YAML parsing makes the text-based properties
 * slower than the in-memory one, so they need fewer inputs to count as a real exercise.
 */
function enough(t: { diagnostic(msg: string): void }, runs: number, min = 100): void {
  t.diagnostic(`${runs} inputs`);
  assert.ok(runs >= min, `only ${runs} inputs ran within ${TIME_LIMIT_MS} ms`);
}

/** `base` with each mutation applied in turn: `len` characters at `at` (wrapped) replaced by `insert`. */
function mutate(base: string, ms: readonly { at: number; len: number; insert: string }[]): string {
  let text = base;
  for (const m of ms) {
    const at = m.at % (text.length + 1);
    text = text.slice(0, at) + m.insert + text.slice(at + m.len);
  }
  return text;
}

function noInternalErrors(ds: { rule?: string; message: string }[]): void {
  const internal = ds.filter((d) => d.rule === 'internal');
  assert.deepEqual(internal, [], internal.map((d) => d.message).join('\n'));
}

test('Tekton-shaped documents with random content never make the validator throw', (t) => {
  const r = fc.check(
    fc.property(tektonDoc, (doc) => {
      noInternalErrors(validateResource(doc));
      noInternalErrors(validateResource(doc, { strict: true, runTimeChecks: true, flags: { apiFields: 'alpha', enableParamEnum: true, enableCelInWhenExpression: true } }));
      toV1(doc);
      defaultTaskRun(doc);
      defaultTaskSpec(doc.spec);
      mergeStepTemplate((doc.spec as Record<string, unknown> | null)?.stepTemplate, doc.spec);
    }),
    { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
  );
  assert.equal(r.failed, false, fc.defaultReportMessage(r) ?? '');
  enough(t, r.numRuns);
});

/** A run's own fields (what PipelineRunSpec.Validate and TaskRunSpec.Validate read), any types. */
const namedList = fc.array(fc.oneof(fc.record({ name: scalar, value: leaf }, { requiredKeys: [] }), tree), { maxLength: 3 });
const runDoc = fc.record({
  apiVersion: fc.constantFrom('tekton.dev/v1', 'tekton.dev/v1beta1'),
  kind: fc.constantFrom('PipelineRun', 'TaskRun'),
  metadata: fc.record({ name: word }),
  spec: fc.record({
    pipelineRef: fc.oneof(fc.record({ name: scalar, resolver: scalar, params: namedList }, { requiredKeys: [] }), tree),
    taskRef: fc.oneof(fc.record({ name: scalar, resolver: scalar, params: namedList }, { requiredKeys: [] }), tree),
    params: fc.oneof(namedList, tree),
    workspaces: fc.oneof(namedList, tree),
    stepSpecs: fc.oneof(namedList, tree),
    timeouts: fc.oneof(fc.record({ pipeline: scalar, tasks: scalar, finally: scalar }, { requiredKeys: [] }), tree),
    timeout: scalar,
    status: scalar,
    debug: fc.oneof(fc.record({ breakpoints: fc.record({ onFailure: scalar, beforeSteps: fc.oneof(fc.array(scalar, { maxLength: 3 }), tree) }, { requiredKeys: [] }) }), tree),
    taskRunSpecs: tree,
    pipelineSpec: tree,
  }, { requiredKeys: [] }),
});

test("PipelineRun and TaskRun specs with any types in their own fields never throw", (t) => {
  const r = fc.check(
    fc.property(runDoc, (doc) => {
      noInternalErrors(validateResource(doc));
      noInternalErrors(validateResource(doc, { flags: { apiFields: 'stable' } }));
      noInternalErrors(validateDocs(loadText(JSON.stringify(doc), 'run.json').tekton, { runTimeChecks: true, flags: { apiFields: 'alpha' } }));
    }),
    { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
  );
  assert.equal(r.failed, false, fc.defaultReportMessage(r) ?? '');
  enough(t, r.numRuns);
});

test('mutated YAML of a valid Task (through the loader, with positions) never throws', (t) => {
  const base = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: hello\nspec:\n  params:\n    - name: who\n      default: world\n  results:\n    - name: out\n  workspaces:\n    - name: src\n  steps:\n    - name: say\n      image: alpine:3.20\n      env:\n        - name: WHO\n          value: $(params.who)\n      script: |\n        echo "$WHO" > $(results.out.path)\n';
  const mutation = fc.record({ at: fc.nat(), len: fc.nat({ max: 8 }), insert: fc.oneof(fc.constantFrom(':', '- ', '\n', '  ', '[', '{', '"', '$(params.', '---\n', '&a ', '*a', '!!map ', '\t'), fc.string({ maxLength: 6 })) });
  const r = fc.check(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
      const text = mutate(base, ms);
      const loaded = loadText(text, 'm.yaml');
      const ds = validateDocs(loaded.tekton);
      noInternalErrors(ds);
      for (const d of ds) assert.ok(d.pos && d.pos.line >= 1 && d.pos.col >= 1);
    }),
    { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
  );
  assert.equal(r.failed, false, fc.defaultReportMessage(r) ?? '');
  enough(t, r.numRuns);
});

test('validate --fix on mutated YAML never throws; what it writes loads, and a second fix finds nothing more to do', (t) => {
  const base = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: hello\nspec:\n  params:\n    - name: who\n    - name: n\n      default: "3"\n  stepTemplate:\n    env:\n      - name: PARAM_N\n        value: x\n  steps:\n    - name: say # a step\n      image: alpine:3.20\n      env:\n        - name: WHO\n          value: $(params.who)\n      script: |\n        echo "$(params.who)" $(params.n) \'$(params.who)\'\n        cat <<EOF\n        $(params.n)\n        EOF\n    - image: alpine:3.20\n      script: |-\n        # $(params.who)\n        printf %s "$(params.n)"\n';
  const mutation = fc.record({ at: fc.nat(), len: fc.nat({ max: 8 }), insert: fc.oneof(fc.constantFrom(':', '- ', '\n', '  ', '[', '{', '"', "'", '$(params.', '$(params.who)', '---\n', '&a ', '*a', '`', '<<', '#', '\\', '{1..2}', '\r\n'), fc.string({ maxLength: 6 })) });
  const r = fc.check(
    fc.property(fc.array(mutation, { minLength: 0, maxLength: 3 }), (ms) => {
      const text = mutate(base, ms);
      const once = fixScriptReferences(text, 'm.yaml', {});
      if (once.fixed === 0) {
        assert.equal(once.text, text);
        return;
      }
      assert.equal(loadText(once.text, 'm.yaml').diagnostics.filter((d) => d.severity === 'error').length, 0);
      const twice = fixScriptReferences(once.text, 'm.yaml', {});
      assert.equal(twice.fixed, 0, once.text);
      assert.equal(twice.left, once.left);
    }),
    { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
  );
  assert.equal(r.failed, false, fc.defaultReportMessage(r) ?? '');
  enough(t, r.numRuns);
});

test('random Tekton-shaped trees as YAML text (alone, as items of a List, in a TriggerTemplate) never throw', (t) => {
  const r = fc.check(
    fc.property(tektonDoc, fc.nat(3), leaf, (doc, wrap, other) => {
      let text: string;
      try {
        text = stringify(wrap === 0 ? { apiVersion: 'v1', kind: 'List', items: [other, doc, other] }
          : wrap === 1 ? { apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'TriggerTemplate', spec: { resourcetemplates: [doc, other] } } : doc);
      } catch {
        return; // values YAML cannot write (none expected) are not the validator's concern
      }
      const ds = validateDocs(loadText(text, 'r.yaml').tekton, { runTimeChecks: true });
      noInternalErrors(ds);
      for (const d of ds) assert.ok(d.pos && d.pos.line >= 1 && d.pos.col >= 1);
    }),
    { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
  );
  assert.equal(r.failed, false, fc.defaultReportMessage(r) ?? '');
  enough(t, r.numRuns);
});

test('keys named like Object.prototype members are plain data', () => {
  const doc = JSON.parse('{"apiVersion":"tekton.dev/v1","kind":"Task","metadata":{"name":"x"},"spec":{"__proto__":{"polluted":true},"toString":{},"constructor":1,"steps":[{"image":"alpine:3.20","hasOwnProperty":"x"}]}}');
  const ds = validateResource(doc);
  noInternalErrors(ds);
  assert.deepEqual(ds.filter((d) => d.rule === 'unknown-field').map((d) => d.paths[0]).sort(), ['spec.__proto__', 'spec.constructor', 'spec.steps[0].hasOwnProperty', 'spec.toString']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  noInternalErrors(validateResource({ ...doc, kind: 'constructor' }));
});

test('null list items decode as Go zero values', () => {
  const ds = validateResource({ apiVersion: 'tekton.dev/v1beta1', kind: 'StepAction', metadata: { name: 'a' }, spec: { image: 'alpine:3.20', command: [null], args: [null, '$(params.x)'] } });
  noInternalErrors(ds);
  assert.deepEqual(ds.filter((d) => d.severity === 'error').map((d) => `${d.message}: ${d.paths.join(', ')}`), ['non-existent variable in "$(params.x)": spec.args[1]']);
  noInternalErrors(validateResource({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't' }, spec: { steps: [null, { image: 'a:1', env: [null], volumeMounts: [null] }], params: [null], workspaces: [null] } }));
});
