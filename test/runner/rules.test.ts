// The controller's and entrypoint's rules, each with Tekton's exact reason and message.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TaskRun } from '../../src/tekton/types.js';
import { condition, runYaml, type ExecutorName } from './run-helper.js';

const taskRun = (spec: string, name = 'tr') => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: ${name}
spec:
${spec.replace(/^/gm, '  ')}
`;
const states = (t: TaskRun) => (t.status?.steps ?? []).map((s) => ({ name: s.name, exitCode: s.terminated?.exitCode, reason: s.terminated?.reason, terminationReason: s.terminationReason }));
const cond = (t: TaskRun) => {
  const c = condition(t)!;
  return { status: c.status, reason: c.reason, message: c.message };
};

async function one(yaml: string, executor: ExecutorName = 'host', opts: Parameters<typeof runYaml>[2] = {}) {
  const runs = await runYaml(yaml, executor, opts);
  assert.equal(runs.length, 1);
  return runs[0]!;
}

/** Processes whose command line holds `marker` (seen from the host, sandboxed ones included). */
function processesWith(marker: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(marker)) found.push(`${pid}: ${cmd}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

for (const executor of ['host', 'sandbox'] as const) {
  describe(`entrypoint rules, ${executor} executor`, () => {
    it('a failing step fails the TaskRun; later steps are Skipped with exit code 1', async () => {
      const r = await one(taskRun(`taskSpec:
  steps:
    - {name: ok, image: alpine, script: 'echo first'}
    - {name: boom, image: alpine, script: 'echo before; exit 3; echo after'}
    - {name: never, image: alpine, script: 'echo never ran'}
    - {name: never2, image: alpine, script: 'echo never ran'}`), executor);
      assert.deepEqual(cond(r.taskRun), { status: 'False', reason: 'StepFailed', message: '"step-boom" exited with code 3' });
      assert.deepEqual(states(r.taskRun), [
        { name: 'ok', exitCode: 0, reason: 'Completed', terminationReason: 'Completed' },
        { name: 'boom', exitCode: 3, reason: 'Error', terminationReason: 'Error' },
        { name: 'never', exitCode: 1, reason: 'Error', terminationReason: 'Skipped' },
        { name: 'never2', exitCode: 1, reason: 'Error', terminationReason: 'Skipped' },
      ]);
      assert.match(r.log, /^\[boom\] before$/m);
      assert.doesNotMatch(r.log, /after|never ran/);
    });

    it('onError: continue records the real exit code, writes the exitCode file and the TaskRun succeeds', async () => {
      const r = await one(taskRun(`taskSpec:
  steps:
    - {name: flaky, image: alpine, onError: continue, script: 'exit 7'}
    - {name: check, image: alpine, script: 'printf "code=%s" "$(cat $(steps.step-flaky.exitCode.path))"'}`), executor);
      assert.deepEqual(cond(r.taskRun), { status: 'True', reason: 'Succeeded', message: 'All Steps have completed executing' });
      assert.deepEqual(states(r.taskRun)[0], { name: 'flaky', exitCode: 7, reason: 'Completed', terminationReason: 'Continued' });
      assert.match(r.log, /^\[check\] code=7$/m);
    });

    it('onError: stopAndFail behaves like the default', async () => {
      const r = await one(taskRun(`taskSpec:
  steps:
    - {name: a, image: alpine, onError: stopAndFail, script: 'exit 2'}
    - {name: b, image: alpine, script: 'true'}`), executor);
      assert.deepEqual(cond(r.taskRun), { status: 'False', reason: 'StepFailed', message: '"step-a" exited with code 2' });
      assert.equal(states(r.taskRun)[1]!.terminationReason, 'Skipped');
    });

    it('a step sleeping past its timeout is killed with all its children; nothing is left running', async () => {
      const marker = `${executor === 'host' ? 31 : 32}.${process.pid}`;
      const started = Date.now();
      const r = await one(taskRun(`taskSpec:
  steps:
    - name: sleepy
      image: alpine
      timeout: 1s
      script: |
        sleep ${marker} &
        sh -c 'sleep ${marker}' &
        sleep ${marker}
    - {name: after, image: alpine, script: 'echo should not run'}`), executor);
      assert.ok(Date.now() - started < 10_000, 'the step was not stopped at its timeout');
      assert.deepEqual(cond(r.taskRun), { status: 'False', reason: 'StepFailed', message: '"step-sleepy" exited because the step exceeded the specified timeout limit' });
      assert.deepEqual(states(r.taskRun), [
        { name: 'sleepy', exitCode: 1, reason: 'Error', terminationReason: 'TimeoutExceeded' },
        { name: 'after', exitCode: 1, reason: 'Error', terminationReason: 'Skipped' },
      ]);
      assert.deepEqual(processesWith(`sleep ${marker}`), []);
    });

    it('a process the step moved to its own session (setsid) does not outlive the step', async () => {
      const marker = `${executor === 'host' ? 33 : 34}.${process.pid}`;
      const r = await one(taskRun(`taskSpec:
  steps:
    - {name: daemon, image: ubuntu, script: 'setsid sleep ${marker} </dev/null >/dev/null 2>&1 & sleep 0.3'}`), executor);
      assert.equal(cond(r.taskRun).status, 'True');
      assert.deepEqual(processesWith(`sleep ${marker}`), []);
    });

    it('the TaskRun timeout stops the running step and marks steps TaskRunTimeout', async () => {
      const marker = `${executor === 'host' ? 41 : 42}.${process.pid}`;
      const r = await one(taskRun(`timeout: 1s
taskSpec:
  steps:
    - {name: quick, image: alpine, script: 'true'}
    - {name: slow, image: alpine, script: 'sleep ${marker}'}
    - {name: later, image: alpine, script: 'true'}`, 'tr-timeout'), executor);
      assert.deepEqual(cond(r.taskRun), { status: 'False', reason: 'TaskRunTimeout', message: 'TaskRun "tr-timeout" failed to finish within "1s"' });
      assert.deepEqual(states(r.taskRun), [
        { name: 'quick', exitCode: 0, reason: 'Completed', terminationReason: 'Completed' },
        { name: 'slow', exitCode: 1, reason: 'TaskRunTimeout', terminationReason: 'TaskRunTimeout' },
        { name: 'later', exitCode: 1, reason: 'TaskRunTimeout', terminationReason: 'TaskRunTimeout' },
      ]);
      assert.equal(r.taskRun.status!.steps![1]!.terminated!.message, 'Step slow terminated as pod tr-timeout-pod is terminated');
      assert.deepEqual(processesWith(`sleep ${marker}`), []);
    });

    it('a result over the 4096-byte budget fails the step, and tektite names the result and its size', async () => {
      const r = await one(taskRun(`taskSpec:
  results: [{name: big}]
  steps:
    - {name: write, image: alpine, script: 'head -c 5000 /dev/zero | tr "\\\\0" x > $(results.big.path)'}
    - {name: next, image: alpine, script: 'echo next ran'}`), executor);
      assert.deepEqual(cond(r.taskRun), { status: 'False', reason: 'StepFailed', message: '"step-write" exited with code 1' });
      // The success post file was written before the message check, so the next step still runs
      // (§8.3 step 9) — and fails the same way, because it re-reports every result file that exists.
      assert.deepEqual(states(r.taskRun).map((s) => [s.exitCode, s.terminationReason]), [[1, 'Error'], [1, 'Error']]);
      assert.match(r.log, /^\[next\] next ran$/m);
      assert.match(r.log, /^\[write\] Termination message is above max allowed size 4096, caused by large task result\.$/m);
      assert.equal(r.notes.length, 2);
      assert.match(r.notes[1]!, /termination message of "step-next" is/);
      assert.match(r.notes[0]!, /termination message of "step-write" is \d+ bytes, over Tekton's limit of 4096: result "big" \(5000 bytes, \d+ encoded\)/);
      assert.equal(r.taskRun.status!.results, undefined);
    });

    it('later steps re-report earlier results, so two results that fit alone break the budget together', async () => {
      const r = await one(taskRun(`taskSpec:
  results: [{name: one}, {name: two}]
  steps:
    - {name: first, image: alpine, script: 'head -c 2500 /dev/zero | tr "\\\\0" a > $(results.one.path)'}
    - {name: second, image: alpine, script: 'head -c 2500 /dev/zero | tr "\\\\0" b > $(results.two.path)'}`), executor);
      assert.deepEqual(cond(r.taskRun), { status: 'False', reason: 'StepFailed', message: '"step-second" exited with code 1' });
      assert.match(r.notes[0]!, /result "one" \(2500 bytes, \d+ encoded\), result "two" \(2500 bytes, \d+ encoded\)/);
      assert.deepEqual(r.taskRun.status!.results, [{ name: 'one', type: 'string', value: 'a'.repeat(2500) }]);
    });
  });
}

describe('pod creation', () => {
  it('an onError taken from a param is checked after substitution (PodCreationFailed)', async () => {
    const r = await one(taskRun(`params: [{name: mode, value: ignore}]
taskSpec:
  params: [{name: mode}]
  steps: [{name: s, image: alpine, onError: $(params.mode), script: 'echo ran'}]`, 'pod'));
    assert.deepEqual(cond(r.taskRun), {
      status: 'False',
      reason: 'PodCreationFailed',
      message: 'failed to create task run pod "pod": task step onError must be either "continue" or "stopAndFail" but it is set to an invalid value "ignore". Maybe invalid TaskSpec',
    });
    assert.doesNotMatch(r.log, /ran/);
  });
});

describe('retries', () => {
  it('a failed attempt runs again in a new pod with the next retry-count; failed attempts go to retriesStatus', async () => {
    const r = await one(taskRun(`retries: 2
taskSpec:
  steps: [{name: s, image: alpine, script: 'echo "attempt $(context.task.retry-count)"; [ "$(context.task.retry-count)" = 1 ]'}]`, 'again'));
    assert.deepEqual(cond(r.taskRun), { status: 'True', reason: 'Succeeded', message: 'All Steps have completed executing' });
    assert.equal(r.taskRun.status!.podName, 'again-pod-retry1');
    assert.deepEqual(r.taskRun.status!.retriesStatus!.map((s) => [s.podName, s.conditions![0]!.reason, s.conditions![0]!.message]), [['again-pod', 'StepFailed', '"step-s" exited with code 1']]);
    assert.match(r.log, /^\[s\] attempt 0$/m);
    assert.match(r.log, /^\[s\] attempt 1$/m);
    assert.match(r.notes[0]!, /StepFailed: "step-s" exited with code 1 — retry 1 of 2/);
  });

  it('stops after the last retry; validation failures are not retried', async () => {
    const fails = await one(taskRun(`retries: 1
taskSpec:
  steps: [{name: s, image: alpine, script: 'exit 5'}]`));
    assert.deepEqual(cond(fails.taskRun), { status: 'False', reason: 'StepFailed', message: '"step-s" exited with code 5' });
    assert.equal(fails.taskRun.status!.retriesStatus!.length, 1);
    const invalid = await one(taskRun(`retries: 3
taskSpec:
  params: [{name: p}]
  steps: [{name: s, image: alpine, script: 'true'}]`));
    assert.equal(cond(invalid.taskRun).reason, 'TaskRunValidationFailed');
    assert.equal(invalid.taskRun.status!.retriesStatus, undefined);
  });
});

describe('TaskRun spec.status', () => {
  it('a TaskRun created cancelled fails at once; a pending one stays Unknown; no step runs', async () => {
    const steps = `taskSpec:\n  steps: [{name: s, image: alpine, script: 'echo ran'}]`;
    const cancelled = await one(taskRun(`status: TaskRunCancelled\nstatusMessage: no longer needed\n${steps}`, 'stopped'));
    assert.deepEqual(cond(cancelled.taskRun), { status: 'False', reason: 'TaskRunCancelled', message: 'TaskRun "stopped" was cancelled. no longer needed' });
    const pending = await one(taskRun(`status: TaskRunPending\n${steps}`, 'waiting'));
    assert.deepEqual(cond(pending.taskRun), { status: 'Unknown', reason: 'TaskRunPending', message: 'TaskRun "waiting" is pending' });
    assert.doesNotMatch(cancelled.log + pending.log, /ran/);
  });
});

describe('results', () => {
  it('counts the termination message exactly as Tekton\'s entrypoint writes it (Go JSON, 4096 bytes)', async () => {
    // The message of a step writing one result r: StartedAt first, then the result; Go escapes < as \u003c.
    const overhead = '[{"key":"StartedAt","value":"2026-01-01T00:00:00.000Z","type":3},{"key":"r","value":"","type":1}]'.length;
    const run = (cmd: string) => one(taskRun(`taskSpec:
  results: [{name: r}]
  steps: [{name: w, image: alpine, script: '${cmd} > $(results.r.path)'}]`));
    const fits = 4096 - overhead;
    const status = async (cmd: string) => condition((await run(cmd)).taskRun)!.status;
    assert.equal(await status(`head -c ${fits} /dev/zero | tr "\\0" x`), 'True');
    assert.equal(await status(`head -c ${fits + 1} /dev/zero | tr "\\0" x`), 'False');
    const angles = Math.floor(fits / 6);
    assert.equal(await status(`head -c ${angles} /dev/zero | tr "\\0" "<"`), 'True');
    assert.equal(await status(`head -c ${angles + 1} /dev/zero | tr "\\0" "<"`), 'False');
  });

  it('warns when the pod-wide 12 KiB cap would cut a message that fits 4096 bytes', async () => {
    const r = await one(taskRun(`taskSpec:
  results: [{name: r}]
  steps:
    - {name: a, image: alpine, script: 'true'}
    - {name: b, image: alpine, script: 'true'}
    - {name: c, image: alpine, script: 'true'}
    - {name: d, image: alpine, script: 'true'}
    - {name: e, image: alpine, script: 'head -c 2000 /dev/zero | tr "\\0" x > $(results.r.path)'}`));
    assert.equal(condition(r.taskRun)!.status, 'True');
    // 7 containers (prepare, place-scripts, 5 steps): 12288 / 7 = 1755 bytes each.
    const size = '[{"key":"StartedAt","value":"2026-01-01T00:00:00.000Z","type":3},{"key":"r","value":"","type":1}]'.length + 2000;
    assert.deepEqual(r.notes, [`tektite: on a cluster the termination message of "step-e" (${size} bytes) would be cut to 1755 bytes: Kubernetes shares 12 KiB among the pod's 7 containers (2 init)`]);
  });

  it('an array result that is not JSON fails with TaskRunValidationFailed and is dropped', async () => {
    const r = await one(taskRun(`taskSpec:
  results: [{name: list, type: array}, {name: fine}]
  steps:
    - {name: write, image: alpine, script: 'printf "[not json" > $(results.list.path); printf ok > $(results.fine.path)'}`));
    assert.deepEqual(cond(r.taskRun), {
      status: 'False',
      reason: 'TaskRunValidationFailed',
      message: `[User error] Provided results don't match declared results; may be invalid JSON or missing result declaration:  "list": task result is expected to be "array" type but was initialized to a different type "string"`,
    });
    assert.deepEqual(r.taskRun.status!.results, [{ name: 'fine', type: 'string', value: 'ok' }]);
  });

  it('an object result missing declared keys fails with TaskRunValidationFailed', async () => {
    const r = await one(taskRun(`taskSpec:
  results: [{name: obj, type: object, properties: {a: {type: string}, b: {type: string}}}]
  steps:
    - {name: write, image: alpine, script: 'printf "{\\"a\\":\\"1\\"}" > $(results.obj.path)'}`));
    assert.deepEqual(cond(r.taskRun), { status: 'False', reason: 'TaskRunValidationFailed', message: "[User error] missing keys for these results which are required in TaskResult's properties map[obj:[b]]" });
  });

  it('results are taken verbatim: a trailing newline stays, JSON-looking strings stay strings', async () => {
    const r = await one(taskRun(`taskSpec:
  results: [{name: s}, {name: j}]
  steps:
    - {name: write, image: alpine, script: 'echo hi > $(results.s.path); printf "[\\"x\\"]" > $(results.j.path)'}`));
    // The controller reads a step's termination message back sorted by key.
    assert.deepEqual(r.taskRun.status!.results, [{ name: 'j', type: 'string', value: '["x"]' }, { name: 's', type: 'string', value: 'hi\n' }]);
  });

  it('step results reach later steps through $(steps.<s>.results.<r>) and a task result value', async () => {
    const r = await one(taskRun(`taskSpec:
  results: [{name: out, type: array, value: $(steps.produce.results.list)}]
  steps:
    - name: produce
      image: alpine
      results: [{name: word}, {name: list, type: array}]
      script: 'printf hello > $(step.results.word.path); printf "[\\"a\\",\\"b\\"]" > $(step.results.list.path)'
    - name: consume
      image: alpine
      command: [echo]
      args: ["$(steps.produce.results.word)", "$(steps.produce.results.list[*])", "second=$(steps.produce.results.list[1])"]
      env: [{name: W, value: "$(steps.produce.results.word)!"}]
    - {name: env, image: alpine, env: [{name: W, value: "$(steps.produce.results.word)!"}], script: 'echo "W=$W"'}`));
    assert.equal(condition(r.taskRun)!.status, 'True', r.log);
    assert.match(r.log, /^\[consume\] hello a b second=b$/m);
    assert.match(r.log, /^\[env\] W=hello!$/m);
    assert.deepEqual(r.taskRun.status!.steps![0]!.results, [{ name: 'list', type: 'array', value: ['a', 'b'] }, { name: 'word', type: 'string', value: 'hello' }]);
    assert.deepEqual(r.taskRun.status!.results, [{ name: 'out', type: 'array', value: ['a', 'b'] }]);
  });
});

describe('params (run-time checks, §2.5)', () => {
  const task = `apiVersion: tekton.dev/v1
kind: Task
metadata: {name: checked}
spec:
  params:
    - {name: a}
    - {name: b}
    - {name: arr, type: array, default: [x]}
    - {name: obj, type: object, properties: {k1: {type: string}, k2: {type: string}}, default: {k1: one}}
    - {name: withdefault, default: d}
  steps:
    - {name: s, image: alpine, script: 'echo "$(params.a) $(params.arr[0]) $(params.obj.k1)"'}
---
`;
  const run = (params: string) => one(task + taskRun(`taskRef: {name: checked}\nparams: ${params}`));

  it('missing params without defaults', async () => {
    const r = await run('[{name: obj, value: {k2: two}}]');
    assert.deepEqual(cond(r.taskRun), { status: 'False', reason: 'TaskRunValidationFailed', message: '[User error] invalid input params for task checked: missing values for these params which have no default values: [a b]' });
    assert.equal(r.taskRun.status!.steps, undefined, 'no step may run');
  });

  it('wrongly typed params', async () => {
    const r = await run('[{name: a, value: x}, {name: arr, value: plain}, {name: b, value: [w]}, {name: obj, value: {k2: two}}]');
    // Listed in the TaskRun's order.
    assert.deepEqual(cond(r.taskRun), { status: 'False', reason: 'TaskRunValidationFailed', message: "[User error] invalid input params for task checked: param types don't match the user-specified type: [arr b]" });
  });

  it('a string holding a reference is tolerated for an array param', async () => {
    const r = await run('[{name: a, value: x}, {name: b, value: y}, {name: arr, value: "$(tasks.t.results.r)"}, {name: obj, value: {k2: two}}]');
    assert.notEqual(condition(r.taskRun)!.message, "[User error] invalid input params for task checked: param types don't match the user-specified type: [arr]");
  });

  it('object keys missing from both the default and the value', async () => {
    const r = await run('[{name: a, value: x}, {name: b, value: y}]');
    assert.deepEqual(cond(r.taskRun), { status: 'False', reason: 'TaskRunValidationFailed', message: "[User error] invalid input params for task checked: missing keys for these params which are required in ParamSpec's properties map[obj:[k2]]" });
  });

  it('extra params are ignored for a referenced Task; defaults and object keys merge', async () => {
    const r = await run('[{name: a, value: x}, {name: b, value: y}, {name: obj, value: {k2: two}}, {name: extra, value: z}]');
    assert.equal(condition(r.taskRun)!.status, 'True', r.log);
    assert.match(r.log, /^\[s\] x x one$/m);
  });

  it('array index out of bounds', async () => {
    const r = await one(taskRun(`params: [{name: arr, value: [a, b]}]
taskSpec:
  params: [{name: arr, type: array}]
  steps:
    - {name: s, image: alpine, args: ["$(params.arr[1])", "$(params.arr[5])", "$(params['arr'][7])"], command: [echo]}`));
    assert.deepEqual(cond(r.taskRun), { status: 'False', reason: 'TaskRunValidationFailed', message: `[User error] non-existent param references:[$(params.arr[5]) $(params['arr'][7])]` });
  });

  it('array index out of bounds of an array the run gives that the inline spec does not declare', async () => {
    const r = await one(taskRun(`params: [{name: a, value: [x, z]}]
taskSpec:
  steps:
    - {name: s, image: alpine, env: [{name: V, value: '$(params.a[3])'}], script: 'echo "$V"'}`));
    assert.deepEqual(cond(r.taskRun), { status: 'False', reason: 'TaskRunValidationFailed', message: '[User error] non-existent param references:[$(params.a[3])]' });
  });

  it('a step requesting more than its limit (its own, else the stepTemplate\'s) fails before any step runs', async () => {
    const r = await one(taskRun(`taskSpec:
  stepTemplate:
    computeResources: {limits: {memory: 1Gi}}
  steps:
    - {name: s, image: alpine, script: 'echo ran', computeResources: {requests: {memory: 1.5Gi}}}`));
    assert.deepEqual(cond(r.taskRun), { status: 'False', reason: 'TaskRunValidationFailed', message: 'Invalid request resource value: 1536Mi must be less or equal to limit 1Gi' });
    assert.doesNotMatch(r.log, /ran/);
  });

  it('a param value holding $(params.other) stays literal; $(context...) in a value is expanded later', async () => {
    const r = await one(taskRun(`params: [{name: a, value: "$(params.b)"}, {name: b, value: bee}, {name: c, value: "$(context.taskRun.name)"}]
taskSpec:
  params: [{name: a}, {name: b}, {name: c}]
  steps:
    - {name: s, image: alpine, command: [echo], args: ["$(params.a)", "$(params.c)"]}`, 'literal'));
    assert.equal(condition(r.taskRun)!.status, 'True', r.log);
    assert.match(r.log, /^\[s\] \$\(params\.b\) literal$/m);
  });
});

describe('workspaces (run-time checks, §6.3)', () => {
  it('an unbound required workspace fails before any step', async () => {
    const r = await one(taskRun(`taskSpec:
  workspaces: [{name: source}]
  steps: [{name: s, image: alpine, script: 'true'}]`));
    assert.deepEqual(cond(r.taskRun), { status: 'False', reason: 'TaskRunValidationFailed', message: '[User error] declared workspace "source" is required but has not been bound' });
    assert.equal(r.taskRun.status!.steps, undefined);
  });

  it('a binding the referenced Task does not declare', async () => {
    const r = await one(`apiVersion: tekton.dev/v1
kind: Task
metadata: {name: t}
spec:
  steps: [{name: s, image: alpine, script: 'true'}]
---
${taskRun('taskRef: {name: t}\nworkspaces: [{name: stray, emptyDir: {}}]')}`);
    assert.deepEqual(cond(r.taskRun), { status: 'False', reason: 'TaskRunValidationFailed', message: '[User error] workspace binding "stray" does not match any declared workspace' });
  });

  it('a missing Task is a resolution failure', async () => {
    const r = await one(taskRun('taskRef: {name: nowhere}', 'lost'));
    assert.deepEqual(cond(r.taskRun), { status: 'False', reason: 'TaskRunResolutionFailed', message: 'error when listing tasks for taskRun lost: tasks.tekton.dev "nowhere" not found' });
    assert.ok(r.inputError);
  });
});

describe('step contract', () => {
  it('env from ConfigMaps and Secrets: valueFrom, envFrom with prefix, fieldRef; a missing Secret is a config error', async () => {
    const objects = `apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
data: {A: from-cm, B: b}
---
apiVersion: v1
kind: Secret
metadata: {name: sec}
data: {token: ${Buffer.from('s3cret').toString('base64')}}
`;
    const ok = await one(taskRun(`taskSpec:
  steps:
    - name: s
      image: alpine
      envFrom: [{configMapRef: {name: cm}, prefix: CM_}]
      env:
        - {name: TOKEN, valueFrom: {secretKeyRef: {name: sec, key: token}}}
        - {name: A, valueFrom: {configMapKeyRef: {name: cm, key: A}}}
        - {name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
        - {name: CM_B, value: overridden}
      script: 'echo "$TOKEN $A $CM_A $CM_B $POD"'`, 'envs'), 'host', { extra: objects });
    assert.equal(condition(ok.taskRun)!.status, 'True', ok.log);
    assert.match(ok.log, /^\[s\] s3cret from-cm from-cm overridden envs-pod$/m);
    assert.doesNotMatch(JSON.stringify(ok.taskRun), /s3cret/, 'a secret value reached the TaskRun');
    const missing = await one(taskRun(`taskSpec:
  steps:
    - {name: s, image: alpine, env: [{name: T, valueFrom: {secretKeyRef: {name: absent, key: k}}}], script: 'true'}`));
    // Kubernetes starts no container of the pod: no step runs.
    assert.deepEqual(cond(missing.taskRun), { status: 'False', reason: 'CreateContainerConfigError', message: 'Failed to create pod due to config error' });
    assert.equal(missing.taskRun.status!.steps, undefined);
    assert.ok(missing.inputError);
    assert.match(missing.notes[0]!, /step "s": env T: secret "absent" key "k" not found/);
  });

  it('the host executor keeps absolute working directories under the run folder, never the host\'s', async () => {
    const probe = `tektite-probe-${process.pid}`;
    const r = await one(taskRun(`taskSpec:
  steps:
    - {name: etc, image: alpine, workingDir: /etc, script: 'touch ${probe} && pwd'}
    - {name: up, image: alpine, workingDir: ../../etc/x, script: 'touch ${probe}'}`), 'host', { keep: true });
    try {
      assert.equal(condition(r.taskRun)!.status, 'True', r.log);
      assert.ok(!existsSync(`/etc/${probe}`) && !existsSync(`/etc/x/${probe}`), 'a step wrote into the host\'s /etc');
      assert.ok(existsSync(join(r.runDir, 'rootfs', 'etc', probe)));
      assert.ok(existsSync(join(r.runDir, 'rootfs', 'etc', 'x', probe)));
    } finally {
      rmSync(r.runDir, { recursive: true, force: true });
    }
  });

  it('Kubernetes expands $(VAR) and $$ in env values and args after Tekton, not in scripts (tektoncd/pipeline#4860)', async () => {
    const r = await one(taskRun(`taskSpec:
  steps:
    - name: args
      image: alpine
      env: [{name: A, value: one}, {name: B, value: "$(A)-two"}, {name: C, value: "$(LATER)"}, {name: LATER, value: x}]
      command: [echo]
      args: ["Hello$$World", "$(A)", "$(B)", "$(C)", "$(NOPE)", "$(HOME)", "$$(A)"]
    - name: script
      image: alpine
      env: [{name: A, value: one}]
      script: 'echo "Hello$$World" "$(A)" 2>/dev/null || true'`));
    assert.equal(condition(r.taskRun)!.status, 'True', r.log);
    assert.match(r.log, /^\[args\] Hello\$World one one-two \$\(LATER\) \$\(NOPE\) \$\(HOME\) \$\(A\)$/m);
    assert.doesNotMatch(r.log, /^\[script\] Hello\$World/m);
  });

  it('a command that cannot be started fails the step like the entrypoint does', async () => {
    const r = await one(taskRun(`taskSpec:
  steps:
    - {name: s, image: alpine, command: [/no/such/program]}`));
    assert.deepEqual(cond(r.taskRun), { status: 'False', reason: 'StepFailed', message: '"step-s" exited with code 1' });
    assert.match(r.log, /^\[s\] Error executing command: fork\/exec \/no\/such\/program: no such file or directory$/m);
  });

  for (const executor of ['host', 'sandbox'] as const) {
    it(`script preamble, script args, stdin, workingDir, when (${executor})`, async () => {
      const r = await one(taskRun(`taskSpec:
  steps:
    - name: preamble
      image: ubuntu
      args: [one, "two words"]
      workingDir: sub/dir
      script: |
        echo "args=$1|$2 pwd=$(basename $(pwd))"
        if read line; then echo "stdin had data"; else echo "stdin empty"; fi
        false
        echo "set -e did not stop the script"
    - {name: skipped-by-when, image: alpine, when: [{input: a, operator: in, values: [b]}], script: 'echo no'}`), executor);
      assert.deepEqual(cond(r.taskRun), { status: 'False', reason: 'StepFailed', message: '"step-preamble" exited with code 1' });
      assert.match(r.log, /^\[preamble\] args=one\|two words pwd=dir$/m);
      assert.match(r.log, /^\[preamble\] stdin empty$/m);
      assert.doesNotMatch(r.log, /did not stop/);
    });

    it(`working directories under nested mounts are made in the right folder (${executor})`, async () => {
      const r = await one(taskRun(`taskSpec:
  steps:
    - {name: home, image: alpine, workingDir: /tekton/home/deep/er, script: 'pwd; echo x > f'}
    - {name: check, image: alpine, script: 'cat /tekton/home/deep/er/f'}`), executor);
      assert.equal(condition(r.taskRun)!.status, 'True', r.log);
      assert.match(r.log, /^\[check\] x$/m);
    });

    it(`a false when skips only that step, with exit code 0 (${executor})`, async () => {
      const r = await one(taskRun(`params: [{name: go, value: "no"}]
taskSpec:
  params: [{name: go}]
  steps:
    - {name: maybe, image: alpine, when: [{input: "$(params.go)", operator: in, values: ["yes"]}], script: 'echo ran'}
    - {name: always, image: alpine, when: [{input: "$(params.go)", operator: notin, values: ["yes"]}], script: 'cat $(steps.step-maybe.exitCode.path); echo " after"'}`), executor);
      assert.equal(condition(r.taskRun)!.status, 'True', r.log);
      assert.deepEqual(states(r.taskRun), [
        { name: 'maybe', exitCode: 0, reason: 'Completed', terminationReason: 'Skipped' },
        { name: 'always', exitCode: 0, reason: 'Completed', terminationReason: 'Completed' },
      ]);
      assert.match(r.log, /^\[always\] 0 after$/m);
    });
  }

  it('the sandbox mounts other steps\' /tekton/run, /tekton/scripts and readOnly workspaces read-only, and has no network', async () => {
    const r = await one(taskRun(`workspaces: [{name: ro, emptyDir: {}}]
taskSpec:
  workspaces: [{name: ro, readOnly: true}]
  steps:
    - {name: first, image: alpine, script: 'touch /tekton/run/0/mine && echo own-ok'}
    - name: second
      image: alpine
      script: |
        touch /tekton/run/0/theirs 2>/dev/null && echo "wrote other step dir" || echo other-ro
        touch /tekton/scripts/x 2>/dev/null && echo "wrote scripts" || echo scripts-ro
        touch $(workspaces.ro.path)/x 2>/dev/null && echo "wrote ro workspace" || echo ws-ro
        touch /tekton/home/x /tekton/results/x /workspace/x && echo shared-rw
        if grep -q eth /proc/net/dev; then echo has-network; else echo no-network; fi`), 'sandbox');
    assert.equal(condition(r.taskRun)!.status, 'True', r.log);
    for (const line of ['own-ok', 'other-ro', 'scripts-ro', 'ws-ro', 'shared-rw', 'no-network']) assert.match(r.log, new RegExp(`^\\[(first|second)\\] ${line}$`, 'm'));
  });
});
