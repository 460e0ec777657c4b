// Pipeline rules Tekton's webhook applies (PipelineSpec.Validate / Pipeline.Validate), each with
// Tekton's exact message and field path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, indent, tektonErrors } from './helpers.js';

const pipeline = (spec: string) => `apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n${indent(spec, 2)}`;
const pipelineRun = (spec: string) => `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: pr\nspec:\n  pipelineSpec:\n${indent(spec, 4)}`;

const cases: { name: string; doc: string; want: string[] }[] = [
  {
    name: 'task names: a DNS label, unique across tasks and finally',
    doc: pipeline(`
      tasks:
        - name: Build
          taskRef: {name: b}
        - name: test
          taskRef: {name: t}
      finally:
        - name: test
          taskRef: {name: t}`),
    want: ['expected exactly one, got both: spec.finally[0].name', 'invalid value "Build": spec.tasks[0].name'],
  },
  {
    name: 'one of taskRef and taskSpec',
    doc: pipeline(`
      tasks:
        - name: both
          taskRef: {name: b}
          taskSpec:
            steps:
              - image: alpine:3.20
        - name: neither
          params:
            - name: x
              value: y`),
    want: ['expected exactly one, got multiple: spec.tasks[0].taskRef, spec.tasks[0].taskSpec', 'expected exactly one, got neither: spec.tasks[1].taskRef, spec.tasks[1].taskSpec'],
  },
  {
    name: 'runAfter a task that does not exist (the first missing link, dependencies in name order)',
    doc: pipeline(`
      tasks:
        - name: a
          taskRef: {name: t}
          runAfter: [zeta, b, ghost]
        - name: b
          taskRef: {name: t}`),
    want: ["invalid value: couldn't add link between a and ghost: task a depends on ghost but ghost wasn't present in Pipeline: spec.tasks"],
  },
  {
    name: 'a result reference to a task that does not exist',
    doc: pipeline(`
      tasks:
        - name: a
          taskRef: {name: t}
        - name: b
          taskRef: {name: t}
          when:
            - input: $(tasks.gone.results.ok)
              operator: in
              values: ["true"]`),
    want: ["invalid value: couldn't add link between b and gone: task b depends on gone but gone wasn't present in Pipeline: spec.tasks"],
  },
  {
    name: 'workspace declarations: names non-empty and unique',
    doc: pipeline(`
      workspaces:
        - name: src
        - name: src
        - description: nameless
      tasks:
        - name: a
          taskRef: {name: t}`),
    want: ['invalid value: workspace 2 has empty name: spec.workspaces[2]', 'invalid value: workspace with name "src" appears more than once: spec.workspaces[1]'],
  },
  {
    name: 'a pipeline task binds a workspace the Pipeline does not declare; a binding twice',
    doc: pipeline(`
      workspaces:
        - name: shared
      tasks:
        - name: a
          taskRef: {name: t}
          workspaces:
            - name: output
              workspace: nope
            - name: output
              workspace: shared
      finally:
        - name: f
          taskRef: {name: t}
          workspaces:
            - name: cache`),
    want: [
      'invalid value: pipeline task "a" expects workspace with name "nope" but none exists in pipeline spec: spec.tasks[0].workspaces[0]',
      'invalid value: pipeline task "f" expects workspace with name "cache" but none exists in pipeline spec: spec.finally[0].workspaces[0]',
      'workspace name "output" must be unique: spec.tasks[0].workspaces[1]',
    ],
  },
  {
    name: 'an inline pipelineSpec may bind workspaces the PipelineRun propagates (not checked)',
    doc: pipelineRun(`
      tasks:
        - name: a
          taskRef: {name: t}
          workspaces:
            - name: output
              workspace: from-the-run`),
    want: [],
  },
  {
    name: 'finally without tasks; runAfter in finally',
    doc: pipeline(`
      finally:
        - name: f
          taskRef: {name: t}
          runAfter: [x]`),
    want: ['invalid value: no runAfter allowed under spec.finally, final task f has runAfter specified: spec.finally[0]', 'invalid value: spec.tasks is empty but spec.finally has 1 tasks: spec.finally'],
  },
];

for (const c of cases) {
  test(`Pipeline rule: ${c.name}`, () => {
    assert.deepEqual(tektonErrors(c.doc), [...c.want].sort());
  });
}

test('the bad task name carries Tekton\'s details and points at the name', () => {
  const d = diagnose(cases[0]!.doc).find((x) => x.message === 'invalid value "Build"')!;
  assert.equal(d.details, 'Pipeline Task name must be a valid DNS Label.For more info refer to https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names');
  assert.deepEqual(d.pos, { line: 7, col: 13 });
});
