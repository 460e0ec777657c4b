// Pipeline rules Tekton's webhook applies (PipelineSpec.Validate / Pipeline.Validate), each with
// Tekton's exact message and field path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, indent, tektonErrors } from './helpers.js';

const pipeline = (spec: string) => `apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n${indent(spec, 2)}`;
const pipelineRunSpec = (spec: string) => `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: pr\nspec:\n${indent(spec, 2)}`;
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
  {
    name: 'a cycle wins over a missing task; the smallest name in it is reported with its open dependencies',
    doc: pipeline(`
      tasks:
        - name: c
          taskRef: {name: t}
          runAfter: [ghost]
        - name: b
          taskRef: {name: t}
          params:
            - name: x
              value: $(tasks.a.results.out)
        - name: a
          taskRef: {name: t}
          runAfter: [b]`),
    want: ['invalid value: cycle detected; task "a" depends on "b": spec.tasks'],
  },
  {
    name: 'a task that runs after itself',
    doc: pipeline(`
      tasks:
        - name: solo
          taskRef: {name: t}
          runAfter: [solo]`),
    want: ['invalid value: cycle detected; task "solo" depends on "solo": spec.tasks'],
  },
  {
    name: 'the same task name twice also fails the graph',
    doc: pipeline(`
      tasks:
        - name: a
          taskRef: {name: t}
        - name: a
          taskRef: {name: t}`),
    want: ['expected exactly one, got both: spec.tasks[1].name', "invalid value: task a is already present in Graph, can't add it again: duplicate pipeline task: spec.tasks"],
  },
  {
    name: "the Pipeline's params: types, defaults and duplicates (reported under tasks and finally, as Tekton does)",
    doc: pipeline(`
      params:
        - name: level
          type: number
        - name: list
          type: array
          default: one
        - name: level
      tasks:
        - name: a
          taskRef: {name: t}`),
    want: [
      '"array" type does not match default value\'s type: "string": spec.finally.params.list.default.type, spec.finally.params.list.type, spec.tasks.params.list.default.type, spec.tasks.params.list.type',
      'invalid value: number: spec.finally.params.level.type, spec.tasks.params.level.type',
      'parameter appears more than once: spec.finally.params[level], spec.tasks.params[level]',
    ],
  },
  {
    // knative's ViaFieldKey("params", name): a dotted name prints as params.[a.b]
    name: 'status and finally result references in params whose names have a dot',
    doc: pipeline(`
      tasks:
        - name: a
          taskRef: {name: t}
          params:
            - name: s.t
              value: $(tasks.a.status)
      finally:
        - name: f
          taskRef: {name: t}
          params:
            - name: r.s
              value: $(tasks.f.results.x)
            - name: q.q
              value: $(tasks.zz.status)`),
    want: [
      'invalid value: invalid task result reference, final task has task result reference from a final task f: spec.finally[0].params.[r.s].value',
      'invalid value: pipeline task zz is not defined in the pipeline: spec.finally[0].params.[q.q].value',
      'invalid value: pipeline tasks can not refer to execution status of any other pipeline task or aggregate status of tasks: spec.tasks[0].params.[s.t].value',
    ],
  },
  {
    // kind Task (or none) without apiVersion is a Tekton task: its spec gets TaskSpec.Validate
    name: 'an embedded taskSpec with kind: Task is checked as a task spec',
    doc: pipeline(`
      tasks:
        - name: a
          taskSpec:
            kind: Task
            steps:
              - name: Bad_Name
                image: alpine:3.20
        - name: b
          taskSpec:
            kind: Task`),
    want: [
      'invalid value "Bad_Name": spec.tasks[0].taskSpec.steps[0].name',
      'missing field(s): spec.tasks[1].taskSpec.steps',
      'taskSpec.kind cannot be specified when using taskSpec.steps: spec.tasks[0].taskSpec.kind',
    ],
  },
  {
    // NewResultRefs keeps only what ParseTaskExpression reads: four or five parts
    name: 'a result reference of six parts is no link in the graph',
    doc: pipeline(`
      tasks:
        - name: a
          taskRef: {name: t}
          params:
            - name: x
              value: $(tasks.ghost.results.r.x.y)`),
    want: [],
  },
  {
    name: 'a duplicate pipeline param whose name has a dot',
    doc: pipeline(`
      params:
        - name: a.b
        - name: a.b
      tasks:
        - name: a
          taskRef: {name: t}`),
    want: ['parameter appears more than once: spec.finally.params.[a.b], spec.tasks.params.[a.b]'],
  },
  {
    name: 'a pipeline task passes the same param twice',
    doc: pipeline(`
      tasks:
        - name: a
          taskRef: {name: t}
          params:
            - {name: x, value: "1"}
            - {name: x, value: "2"}
            - {name: x, value: "3"}`),
    want: ['parameter names must be unique, the parameter "x" is also defined at: spec.tasks[0].params[1].name, spec.tasks[0].params[2].name'],
  },
  {
    name: "pipeline task params use only the Pipeline's params, each in its shape",
    doc: pipeline(`
      params:
        - name: url
        - name: flags
          type: array
        - name: cfg
          properties:
            host: {}
      tasks:
        - name: a
          taskRef: {name: t}
          params:
            - name: typo
              value: $(params.ulr)
            - name: glued
              value: --flag=$(params.flags[*])
            - name: whole
              value: $(params.flags[*])
            - name: key
              value: $(params.cfg.port)
            - name: obj
              value: $(params.cfg)
            - name: list
              value: ["-v", "x $(params.flags[*])"]
          when:
            - input: $(params.nope)
              operator: in
              values: ["$(params.flags[*])", "$(params.missing)"]`),
    want: [
      'non-existent variable in "$(params.cfg.port)": spec.tasks[0].params[key]',
      'non-existent variable in "$(params.missing)": spec.tasks[0].when[0].values',
      'non-existent variable in "$(params.nope)": spec.tasks[0].when[0].input',
      'non-existent variable in "$(params.ulr)": spec.tasks[0].params[typo]',
      'variable is not properly isolated in "x $(params.flags[*])": spec.tasks[0].params[list].value[1]',
      'variable type invalid in "$(params.cfg)": spec.tasks[0].params[obj]',
      'variable type invalid in "--flag=$(params.flags[*])": spec.tasks[0].params[glued]',
    ],
  },
  {
    // validateInlineParameters: the run's params, the spec's, and the params and embedded specs'
    // params of every task in `tasks` are gathered; each embedded spec's steps and every task's
    // params are checked against all of them (so `b` may use `a`'s param `x`); `finally` is not
    // checked. Tekton's paths leave out where the tasks are.
    name: "a PipelineRun's inline spec: its tasks may use the params the run passes, no others",
    doc: pipelineRunSpec(`
      params:
        - name: greeting
          value: hello
      pipelineSpec:
        params:
          - name: target
        tasks:
          - name: a
            taskRef: {name: t}
            params:
              - name: x
                value: $(params.from-the-run)
              - name: w
                value: $(params.target) $(params.greeting)
          - name: b
            taskSpec:
              params:
                - name: own
              steps:
                - image: alpine:3.20
                  args: ["$(params.greeting)", "$(params.x)", "$(params.own)", "$(params.nobody)"]
        finally:
          - name: f
            taskRef: {name: t}
            params:
              - name: z
                value: $(params.not-checked)`),
    want: ['non-existent variable in "$(params.from-the-run)": spec[0].params[x]', 'non-existent variable in "$(params.nobody)": spec.steps[0].args[3]'],
  },
  {
    name: "a PipelineRun's object param: its keys are the properties; a declaration of it must list properties",
    doc: pipelineRunSpec(`
      params:
        - name: obj
          value: {url: u}
        - name: other
          value: {k: v}
      pipelineSpec:
        params:
          - name: other
            type: object
        tasks:
          - name: a
            taskSpec:
              steps:
                - image: alpine:3.20
                  args: ["$(params.obj.url)", "$(params.obj.nope)"]`),
    want: ['missing field(s): spec.other.properties', 'non-existent variable in "$(params.obj.nope)": spec.steps[0].args[1]'],
  },
  {
    // an object without properties is not key-checked (Tekton collects object names while
    // looping over their keys); passing an object to a param that has no object default and
    // properties crashes Tekton's webhook (appendPipelineTaskParams writes into a nil map)
    name: "a PipelineRun's object params: none without properties checked; an object passed where Tekton's code crashes",
    doc: pipelineRunSpec(`
      params:
        - {name: cfg, value: {}}
        - {name: str, value: plain}
      pipelineSpec:
        params:
          - name: decl
            type: object
            properties: {a: {type: string}}
        tasks:
          - name: a
            taskRef: {name: t}
            params:
              - {name: c, value: "$(params.cfg.key)"}
              - {name: d, value: "x $(params.cfg)"}
              - {name: decl, value: {a: x}}
              - {name: str, value: {k: v}}
              - {name: fine, value: {k: v}}
              - {name: fine, value: {l: w}}`),
    want: [
      'Tekton\'s validating webhook crashes on this PipelineRun: pipeline task "a" passes an object to "decl", which the run or the spec gives no object default and properties (validateInlineParameters writes into a nil map): spec.pipelineSpec.tasks[0].params[decl]',
      'Tekton\'s validating webhook crashes on this PipelineRun: pipeline task "a" passes an object to "str", which the run or the spec gives no object default and properties (validateInlineParameters writes into a nil map): spec.pipelineSpec.tasks[0].params[str]',
      'parameter names must be unique, the parameter "fine" is also defined at: spec.pipelineSpec.tasks[0].params[5].name, spec[0].params[5].name',
    ],
  },
  {
    // combineParamSpec: a null properties is Go's nil (missing, and the run's keys stay); an
    // object default meeting a declaration without any default dereferences a nil pointer
    name: "a PipelineRun's object params: properties null is missing; an embedded object default where Tekton's code crashes",
    doc: pipelineRunSpec(`
      params:
        - {name: cfg, value: {a: x}}
      pipelineSpec:
        params:
          - name: cfg
            type: object
            properties: null
          - name: nodefault
            type: object
            properties: {k: {type: string}}
        tasks:
          - name: a
            params:
              - {name: cfg, value: {a: z}}
            taskSpec:
              params:
                - name: nodefault
                  type: object
                  properties: {k: {type: string}}
                  default: {k: v}
              steps:
                - image: alpine:3.20
                  args: ["$(params.cfg.a)", "$(params.nodefault.k)"]`),
    want: [
      'Tekton\'s validating webhook crashes on this PipelineRun: the taskSpec of pipeline task "a" gives "nodefault" an object default, which the spec declares without a default (validateInlineParameters reads a nil default): spec.pipelineSpec.tasks[0].taskSpec.params[0]',
      'missing field(s): spec.cfg.properties',
    ],
  },
  {
    // t1's object default is copied into the shared default first (Go then holds a map there),
    // so t2's object value has somewhere to go: no crash
    name: "a PipelineRun's object value after an embedded object default: no crash",
    doc: pipelineRunSpec(`
      pipelineSpec:
        params:
          - {name: cfg, type: string, default: s, properties: {a: {type: string}}}
        tasks:
          - name: t1
            taskSpec:
              params:
                - {name: cfg, type: object, properties: {a: {type: string}}, default: {a: x}}
              steps: [{image: "alpine:3.20", script: echo hi}]
          - name: t2
            params:
              - {name: cfg, value: {a: z}}
            taskSpec:
              params:
                - {name: cfg, type: object, properties: {a: {type: string}}}
              steps: [{image: "alpine:3.20", script: echo hi}]`),
    want: [],
  },
  {
    name: "a PipelineRun's inline spec: array params passed by the run are isolated in embedded steps",
    doc: pipelineRunSpec(`
      params:
        - name: flags
          value: [-a, -b]
      pipelineSpec:
        tasks:
          - name: a
            taskSpec:
              steps:
                - image: alpine:3.20
                  args: ["x $(params.flags[*])"]
                  env:
                    - name: F
                      value: $(params.flags)`),
    want: ['variable is not properly isolated in "x $(params.flags[*])": spec.steps[0].args[0]', 'variable type invalid in "$(params.flags)": spec.steps[0].env[F]'],
  },
  {
    // validateTaskRunSpec per entry, under ViaFieldKey("taskRunSpecs", pipelineTaskName); Tekton
    // merges the identical "got both" messages into one line with all their paths
    name: "a PipelineRun's taskRunSpecs: step and sidecar overrides named once each, computeResources not with a step's",
    doc: pipelineRunSpec(`
      pipelineRef: {name: p}
      taskRunSpecs:
        - pipelineTaskName: build
          stepSpecs:
            - name: compile
              computeResources: {requests: {memory: 1Gi}}
            - name: Compile
            - computeResources: {}
          computeResources: {requests: {cpu: "1"}}
        - pipelineTaskName: test
          sidecarSpecs:
            - name: db
            - name: db
        - pipelineTaskName: fine
          stepSpecs:
            - name: a
              computeResources: {}
          computeResources: {requests: {cpu: "1"}}`),
    want: [
      'expected exactly one, got both: spec.taskRunSpecs[build].computeResources, spec.taskRunSpecs[build].stepSpecs.resources, spec.taskRunSpecs[build].stepSpecs[1].name, spec.taskRunSpecs[test].sidecarSpecs[1].name',
      'missing field(s): spec.taskRunSpecs[build].stepSpecs[2].name',
    ],
  },
  {
    name: 'an embedded task spec may use the Pipeline params, not unknown ones',
    doc: pipeline(`
      params:
        - name: greeting
      tasks:
        - name: a
          taskSpec:
            steps:
              - image: alpine:3.20
                args: ["$(params.greeting)", "$(params.nobody)"]`),
    want: ['non-existent variable in "$(params.nobody)": spec.tasks[0].steps[0].args[1]'],
  },
  {
    name: 'execution status: not in tasks; in finally only of tasks that exist',
    doc: pipeline(`
      tasks:
        - name: a
          taskRef: {name: t}
          params:
            - name: s
              value: $(tasks.status)
      finally:
        - name: f
          taskRef: {name: t}
          params:
            - name: all
              value: $(tasks.status)
            - name: one
              value: $(tasks.a.status)
            - name: gone
              value: $(tasks.b.reason)
          when:
            - input: $(tasks.c.status)
              operator: in
              values: [Failed]`),
    want: [
      'invalid value: pipeline task b is not defined in the pipeline: spec.finally[0].params[gone].value',
      'invalid value: pipeline task c is not defined in the pipeline: spec.finally[0].when[0]',
      'invalid value: pipeline tasks can not refer to execution status of any other pipeline task or aggregate status of tasks: spec.tasks[0].params[s].value',
    ],
  },
  {
    name: 'finally tasks read results of tasks, not of finally tasks or of tasks that do not exist',
    doc: pipeline(`
      tasks:
        - name: a
          taskRef: {name: t}
      finally:
        - name: f
          taskRef: {name: t}
        - name: g
          taskRef: {name: t}
          params:
            - name: ok
              value: $(tasks.a.results.out)
            - name: late
              value: $(tasks.f.results.out)
            - name: gone
              value: $(tasks.zz.results.out)`),
    want: [
      'invalid value: invalid task result reference, final task has task result reference from a final task f: spec.finally[1].params[late].value',
      'invalid value: invalid task result reference, final task has task result reference from a task zz which is not defined in the pipeline: spec.finally[1].params[gone].value',
    ],
  },
  {
    name: "context variables (Tekton checks only each section's last task)",
    doc: pipeline(`
      tasks:
        - name: a
          taskRef: {name: t}
          params:
            - {name: x, value: $(context.pipelineRun.nope)}
        - name: b
          taskRef: {name: t}
          params:
            - {name: x, value: $(context.pipeline.namespace)}
            - {name: y, value: $(context.pipelineTask.retries)}`),
    want: ['non-existent variable in "$(context.pipeline.namespace)": spec.tasks.value'],
  },
  {
    name: 'pipeline results: task result expressions, to tasks that exist',
    doc: pipeline(`
      tasks:
        - name: a
          taskRef: {name: t}
      finally:
        - name: f
          taskRef: {name: t}
      results:
        - name: good
          value: $(tasks.a.results.out)
        - name: late
          value: $(finally.f.results.out)
        - name: gone
          value: $(tasks.b.results.out)
        - name: text
          value: just text
        - name: param
          value: $(params.x)`),
    want: [
      'invalid value: expected pipeline results to be task result expressions but an invalid expressions was found: spec.results[3].value, spec.results[4].value',
      'invalid value: expected pipeline results to be task result expressions but no expressions were found: spec.results[3].value',
      'invalid value: referencing a nonexistent task: spec.results[2].value, spec.results[3].value, spec.results[4].value',
    ],
  },
  {
    name: 'when expressions of pipeline tasks',
    doc: pipeline(`
      tasks:
        - name: a
          taskRef: {name: t}
          when:
            - input: x
              operator: equals
              values: [y]
            - input: x
              operator: in
            - {}
            - cel: "'a' == 'a'"`),
    want: [
      'feature flag enable-cel-in-whenexpression should be set to true to use CEL: \'a\' == \'a\' in WhenExpression: spec.tasks[0].when[3]',
      'invalid value: expecting non-empty values field: spec.tasks[0].when[1]',
      'invalid value: operator "equals" is not recognized. valid operators: in,notin: spec.tasks[0].when[0]',
      'missing field(s): spec.tasks[0].when[2]',
    ],
  },
  {
    name: 'taskRef names, custom tasks, embedded specs with a kind',
    doc: pipeline(`
      tasks:
        - name: a
          taskRef: {name: "bad name!"}
        - name: b
          taskRef: {resolver: ""}
        - name: c
          taskRef: {kind: Wait}
        - name: cluster
          taskRef: {name: build, kind: ClusterTask}
        - name: d
          taskRef: {apiVersion: example.dev, kind: Wait}
        - name: e
          taskSpec:
            apiVersion: example.dev/v1
            kind: Thing
            steps:
              - image: alpine:3.20`),
    want: [
      // ClusterTask is gone from Tekton: any other kind is a custom task's
      'invalid value: custom task ref must specify apiVersion: spec.tasks[2].taskRef.apiVersion, spec.tasks[3].taskRef.apiVersion',
      'invalid value: invalid apiVersion format "example.dev", must be in the format "group/version": spec.tasks[4].taskRef.apiVersion',
      "invalid value: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'): spec.tasks[0].taskRef.name",
      'missing field(s): spec.tasks[1].taskRef.name',
      'taskSpec.apiVersion cannot be specified when using taskSpec.steps: spec.tasks[5].taskSpec.apiVersion',
      'taskSpec.kind cannot be specified when using taskSpec.steps: spec.tasks[5].taskSpec.kind',
    ],
  },
  {
    name: 'onError of a pipeline task',
    doc: pipeline(`
      tasks:
        - name: a
          taskRef: {name: t}
          onError: ignore
        - name: b
          taskRef: {name: t}
          onError: continue
          retries: 2`),
    want: ['PipelineTask OnError cannot be set to "continue" when Retries is greater than 0', 'invalid value: ignore: spec.tasks[0].OnError'],
  },
  {
    name: 'matrix params: unique, and not also in params',
    doc: pipeline(`
      tasks:
        - name: a
          taskRef: {name: t}
          params:
            - {name: os, value: linux}
          matrix:
            params:
              - {name: os, value: [linux, mac]}
              - {name: os, value: [win]}`),
    want: [
      'expected exactly one, got both: spec.tasks[0].matrix[os], spec.tasks[0].params[os]',
      'parameter names must be unique, the parameter "os" is also defined at: spec.tasks[0].matrix.params[1].name',
    ],
  },
  {
    // Matrix.CountCombinations against the default max (256): 17 x 16 = 272; with include, an
    // entry adds one combination per value its matrix param does not list (until one it does)
    name: 'matrix combinations: at most 256, include entries counted',
    doc: pipeline(`
      tasks:
        - name: big
          taskRef: {name: t}
          matrix:
            params:
              - {name: a, value: [${Array.from({ length: 17 }, (_, i) => `a${i}`).join(', ')}]}
              - {name: b, value: [${Array.from({ length: 16 }, (_, i) => `b${i}`).join(', ')}]}
        - name: edge
          taskRef: {name: t}
          matrix:
            params:
              - {name: a, value: [${Array.from({ length: 16 }, (_, i) => `a${i}`).join(', ')}]}
              - {name: b, value: [${Array.from({ length: 16 }, (_, i) => `b${i}`).join(', ')}]}
            include:
              - name: known
                params: [{name: a, value: a0}, {name: b, value: new}]
              - name: new
                params: [{name: a, value: new}, {name: b, value: newer}]
        - name: only-include
          taskRef: {name: t}
          matrix:
            include:
              - {name: one, params: [{name: x, value: "1"}]}`),
    want: ['expected 0 <= 258 <= 256: spec.tasks[1].matrix', 'expected 0 <= 272 <= 256: spec.tasks[0].matrix'],
  },
  {
    // Go's int: 2^63 wraps to a negative count and 2^64 to 0; Tekton reports neither
    name: 'matrix combinations wrap around as Go ints do',
    doc: pipeline(`
      tasks:
        - name: wrapped
          taskRef: {name: t}
          matrix:
            params:
${Array.from({ length: 64 }, (_, i) => `              - {name: p${i}, value: [a, b]}`).join('\n')}`),
    want: [],
  },
  {
    name: 'an empty spec',
    doc: 'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  tasks: []\n',
    want: ['expected at least one, got none: spec.description, spec.params, spec.resources, spec.tasks, spec.workspaces'],
  },
  {
    name: "a Pipeline's params are typed as the CRD types them (an enum that is no list: the API server refuses it)",
    doc: pipeline(`
      params:
        - name: a
          enum: {}
      tasks:
        - name: t
          taskSpec:
            steps:
              - image: alpine:3.20`),
    want: ['spec.params[0].enum: Invalid value: "object": spec.params[0].enum in body must be of type array: "object"'],
  },
];

// A PipelineRun's own spec (PipelineRunSpec.Validate).
const run = (spec: string) => `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: pr\nspec:\n${indent(spec, 2)}`;
const INLINE = '\npipelineSpec:\n  tasks:\n    - name: a\n      taskRef: {name: t}';
cases.push(
  { name: 'PipelineRun: neither pipelineRef nor pipelineSpec', doc: run('taskRunTemplate: {serviceAccountName: sa}'), want: ['expected exactly one, got neither: spec.pipelineRef, spec.pipelineSpec'] },
  {
    name: 'PipelineRun: both, and a negative pipeline timeout',
    doc: run(`pipelineRef: {name: p}\ntimeouts: {pipeline: -1h}${INLINE}`),
    want: ['expected exactly one, got both: spec.pipelineRef, spec.pipelineSpec', 'invalid value: -1h0m0s should be >= 0: spec.timeouts.pipeline'],
  },
  {
    name: 'PipelineRun: status value',
    doc: run('pipelineRef: {name: p}\nstatus: PipelineRunCancell'),
    want: ['invalid value: PipelineRunCancell should be Cancelled, CancelledRunFinally, StoppedRunFinally or PipelineRunPending: spec.status'],
  },
  { name: 'PipelineRun: the statuses Tekton knows', doc: `${run('pipelineRef: {name: p}\nstatus: StoppedRunFinally')}---\n${run('pipelineRef: {name: p}\nstatus: PipelineRunPending')}`, want: [] },
  {
    name: 'PipelineRun: params twice (case-insensitive), a task result as a value, an empty pipelineRef, workspaces twice',
    doc: run(`params:
  - {name: a, value: x}
  - {name: A, value: y}
  - {name: r, value: $(tasks.t.results.out)}
pipelineRef: {}
workspaces:
  - {name: ws, emptyDir: {}}
  - {name: ws}
  - {name: ws, emptyDir: {}}`),
    want: [
      'expected exactly one, got both: spec.params[A].name',
      'expected exactly one, got neither: spec.workspaces[1].configmap, spec.workspaces[1].emptydir, spec.workspaces[1].persistentvolumeclaim, spec.workspaces[1].secret, spec.workspaces[1].volumeclaimtemplate',
      'invalid value: cannot use result expressions in [tasks.t.results.out] as PipelineRun parameter values: spec.params[r].value',
      'missing field(s): spec.pipelineRef.name',
      'workspace "ws" provided by pipelinerun more than once, at index 0 and 1: spec.workspaces[1].name',
      'workspace "ws" provided by pipelinerun more than once, at index 1 and 2: spec.workspaces[2].name',
    ],
  },
  {
    // the API server rejects wrongly typed fields before the webhook (and nothing crashes)
    name: 'PipelineRun: wrongly typed params, ref params, timeouts, status, workspaces',
    doc: run('pipelineRef: {name: p, resolver: git, params: [{name: 1}]}\nparams: [{name: 3}, {name: [1]}]\ntimeouts: {pipeline: 5, tasks: {a: 1}}\nstatus: 7\nworkspaces: {name: a}'),
    want: [
      'spec.params[0].name: Invalid value: "integer": spec.params[0].name in body must be of type string: "integer"',
      'spec.params[1].name: Invalid value: "array": spec.params[1].name in body must be of type string: "array"',
      'spec.pipelineRef.params[0].name: Invalid value: "integer": spec.pipelineRef.params[0].name in body must be of type string: "integer"',
      'spec.status: Invalid value: "integer": spec.status in body must be of type string: "integer"',
      'spec.timeouts.pipeline: Invalid value: "integer": spec.timeouts.pipeline in body must be of type string: "integer"',
      'spec.timeouts.tasks: Invalid value: "object": spec.timeouts.tasks in body must be of type string: "object"',
      'spec.workspaces: Invalid value: "object": spec.workspaces in body must be of type array: "object"',
    ],
  },
  {
    name: 'PipelineRun: a resolver pipelineRef passes with the default (beta) API fields',
    doc: run('pipelineRef:\n  resolver: git\n  params:\n    - {name: url, value: x}'),
    want: [],
  },
  {
    // v1beta1 `timeout` is v1's `timeouts.pipeline`; both at once are disallowed
    name: 'v1beta1 PipelineRun: a negative timeout, and timeout with timeouts',
    doc: 'apiVersion: tekton.dev/v1beta1\nkind: PipelineRun\nmetadata:\n  name: a\nspec:\n  pipelineRef: {name: p}\n  timeout: -1h\n---\napiVersion: tekton.dev/v1beta1\nkind: PipelineRun\nmetadata:\n  name: b\nspec:\n  pipelineRef: {name: p}\n  timeout: 1h\n  timeouts: {tasks: 30m}\n',
    want: ['invalid value: -1h0m0s should be >= 0: spec.timeouts.pipeline', 'must not set the field(s): spec.timeout, spec.timeouts'],
  },
  {
    // the mutating webhook sets timeouts.pipeline to 1h when only tasks/finally are given
    name: 'PipelineRun: tasks and finally timeouts against the (defaulted) pipeline timeout',
    doc: `${run('pipelineRef: {name: p}\ntimeouts: {tasks: 2h, finally: 0s}')}---\n${run('pipelineRef: {name: p}\ntimeouts: {pipeline: 3h, tasks: 2h, finally: 30m}')}`,
    want: [
      'invalid value: 0s (no timeout) should be <= pipeline duration: spec.timeouts.finally',
      'invalid value: 2h0m0s + 0s should be <= pipeline duration: spec.timeouts.finally, spec.timeouts.tasks',
      'invalid value: 2h0m0s should be <= pipeline duration: spec.timeouts.tasks',
    ],
  },
);

test('a PipelineRun pipelineRef and a Pipeline taskRef get the resolver gates with stable API fields', () => {
  const stable = { flags: { apiFields: 'stable' as const } };
  const gate = (f: string) => `${f} requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "stable"`;
  assert.deepEqual(tektonErrors(run('pipelineRef:\n  resolver: git\n  params:\n    - {name: url, value: x}'), stable), [gate('resolver params'), gate('resolver')]);
  assert.deepEqual(tektonErrors(pipeline('tasks:\n  - name: a\n    taskRef:\n      resolver: git'), stable).filter((e) => e.startsWith('resolver')), [gate('resolver')]);
  // taskRunSpecs overrides are beta
  const overrides = run('pipelineRef: {name: p}\ntaskRunSpecs:\n  - pipelineTaskName: a\n    stepSpecs: [{name: s}]\n    sidecarSpecs: [{name: c}]\n    computeResources: {limits: {cpu: "1"}}');
  assert.deepEqual(tektonErrors(overrides, stable), [gate('computeResources'), gate('sidecarSpecs'), gate('stepSpecs')]);
  assert.deepEqual(tektonErrors(overrides), []);
  // empty override lists are gone after the defaulting webhook's omitempty re-encode: no gate
  assert.deepEqual(tektonErrors(run('pipelineRef: {name: p}\ntaskRunSpecs:\n  - {pipelineTaskName: a, stepSpecs: [], sidecarSpecs: []}'), stable), []);
});

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

test('Pipeline findings point at the node they are about', () => {
  const at = (doc: string, message: string) => {
    const d = diagnose(doc).find((x) => x.message === message);
    assert.ok(d, `no finding "${message}"`);
    return d.pos;
  };
  const byName = (name: string) => cases.find((c) => c.name.startsWith(name))!.doc;
  // the task the cycle is reported for
  assert.deepEqual(at(byName('a cycle wins'), 'invalid value: cycle detected; task "a" depends on "b"'), { line: 15, col: 7 });
  // the param value with the unknown reference, and the item of an array value
  const usage = byName("pipeline task params use only the Pipeline's params");
  assert.deepEqual(at(usage, 'non-existent variable in "$(params.ulr)"'), { line: 18, col: 18 });
  assert.deepEqual(at(usage, 'variable is not properly isolated in "x $(params.flags[*])"'), { line: 28, col: 25 });
  // the second declaration of a Pipeline param
  assert.deepEqual(at(byName("the Pipeline's params"), 'parameter appears more than once'), { line: 12, col: 7 });
  // a pipeline result's value
  assert.deepEqual(at(byName('pipeline results'), 'invalid value: referencing a nonexistent task'), { line: 18, col: 14 });
  // a PipelineRun's inline spec: Tekton's paths leave out the task, the positions do not
  const inline = byName("a PipelineRun's inline spec: its tasks");
  assert.deepEqual(at(inline, 'non-existent variable in "$(params.from-the-run)"'), { line: 17, col: 20 });
  assert.deepEqual(at(inline, 'non-existent variable in "$(params.nobody)"'), { line: 26, col: 76 });
  assert.deepEqual(at(byName("a PipelineRun's object param"), 'missing field(s)'), { line: 13, col: 9 });
  // a bad param name: Tekton's path is `params`; the position is the param
  const badName = pipelineRunSpec('params:\n  - {name: 1bad, value: x}\npipelineSpec:\n  tasks:\n    - name: a\n      taskSpec:\n        steps:\n          - {image: alpine:3.20, args: [$(params.1bad)]}');
  assert.deepEqual(at(badName, 'The format of following array and string variable names is invalid: [1bad]'), { line: 7, col: 7 });
});

test('with CEL enabled, a when expression has either cel or input/operator/values (Go prints the pointer: &{…})', () => {
  const doc = pipeline(`
    tasks:
      - name: a
        taskRef: {name: t}
        when:
          - cel: "'$(params.x)' == 'y'"
            input: a
            operator: in
            values: [b, c]`);
  assert.deepEqual(tektonErrors(doc, { flags: { enableCelInWhenExpression: true } }), [
    "cel and input+operator+values cannot be set in one WhenExpression: &{a in [b c] '$(params.x)' == 'y'}",
  ]);
});
