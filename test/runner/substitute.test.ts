// The replacement algorithm of §3.4-§3.6, on its own.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paramReplacements, replaceList, replaceString, substituteTaskSpec, workspaceVolumeName } from '../../src/tekton/substitute.js';
import type { ParamValue, TaskSpec } from '../../src/tekton/types.js';

const params = (o: Record<string, ParamValue>) => paramReplacements(new Map(Object.entries(o)));

describe('replaceString', () => {
  it('replaces in a single left-to-right pass: replaced text is never rescanned', () => {
    const r = params({ a: '$(params.b)', b: 'bee' });
    assert.equal(replaceString('$(params.a) and $(params.b)', r.strings), '$(params.b) and bee');
  });

  it('accepts the three spellings and the inputs.params alias, and leaves unknown references alone', () => {
    const r = params({ 'dotted.name': 'x', p: 'y' });
    assert.equal(replaceString(`$(params["dotted.name"]) $(params['p']) $(params.p) $(inputs.params.p) $(params.q) $( params.p )`, r.strings), 'x y y y $(params.q) $( params.p )');
  });

  it('indexes arrays and reads object keys (dot form only)', () => {
    const r = params({ arr: ['a', 'b'], obj: { k: 'v' } });
    assert.equal(replaceString('$(params.arr[1]) $(params["arr"][0]) $(params.obj.k) $(params.arr[2]) $(params.obj.missing)', r.strings), 'b a v $(params.arr[2]) $(params.obj.missing)');
  });

  it('handles text without references, unterminated ones and nested dollars', () => {
    const r = params({ p: 'v' });
    assert.equal(replaceString('plain', r.strings), 'plain');
    assert.equal(replaceString('$(params.p', r.strings), '$(params.p');
    assert.equal(replaceString('$($(params.p))', r.strings), '$(v)');
  });
});

describe('replaceList (command/args)', () => {
  it('expands a whole-array element into all items, and an empty array into none', () => {
    const r = params({ arr: ['x', 'y z'], none: [] });
    assert.deepEqual(replaceList(['a', '$(params.arr[*])', '$(params.arr)', "$(params['arr'][*])", '$(params.none[*])', 'b'], r), ['a', 'x', 'y z', 'x', 'y z', 'x', 'y z', 'b']);
  });

  it('does not expand an array embedded in a longer element', () => {
    const r = params({ arr: ['x'] });
    assert.deepEqual(replaceList(['--flag=$(params.arr[*])'], r), ['--flag=$(params.arr[*])']);
  });
});

describe('substituteTaskSpec', () => {
  const spec: TaskSpec = {
    params: [{ name: 'p' }],
    results: [{ name: 'r' }],
    workspaces: [{ name: 'src' }, { name: 'opt', optional: true }, { name: 'custom', mountPath: '/data/$(params.p)' }],
    steps: [
      {
        name: 's',
        image: 'img:$(params.p)',
        results: [{ name: 'sr' }],
        script: 'echo $(params.p) > $(results.r.path) $(step.results.sr.path) $(steps.step-s.exitCode.path) $(credentials.path)',
        args: ['$(workspaces.src.path)', '$(workspaces.src.bound)', '$(workspaces.opt.bound)', '[$(workspaces.opt.path)]', '$(workspaces.src.volume)', '$(workspaces.custom.path)'],
        env: [{ name: 'E', value: '$(context.taskRun.name)/$(context.task.name)/$(context.taskRun.namespace)/$(context.task.retry-count)' }],
      },
      { image: 'x', script: '$(steps.step-unnamed-1.exitCode.path)' },
    ],
  };
  const out = substituteTaskSpec(spec, {
    params: new Map([['p', 'v $(workspaces.src.path)']]),
    context: { taskRunName: 'tr', taskRunNamespace: 'ns', taskRunUid: 'u', taskName: 'task', retryCount: 0 },
    workspaces: (decls) =>
      new Map(decls.map((d) => [d.name, d.name === 'opt' ? { path: '', bound: false, claim: '' } : { path: d.mountPath ?? `/workspace/${d.name}`, bound: true, claim: '', volume: workspaceVolumeName(d.name) }])),
  });

  it('runs the phases in order: a later phase expands what a param value brought in', () => {
    assert.equal(out.steps[0]!.script, 'echo v /workspace/src > /tekton/results/r /tekton/steps/step-s/results/sr /tekton/steps/step-s/exitCode /tekton/creds');
    assert.equal(out.steps[0]!.image, 'img:v /workspace/src');
  });

  it('fills workspace path, bound, volume (also from a substituted mountPath) and context values', () => {
    // The custom mountPath got the param in phase (a); the workspace phase itself is one pass again.
    assert.deepEqual(out.steps[0]!.args, ['/workspace/src', 'true', 'false', '[]', workspaceVolumeName('src'), '/data/v $(workspaces.src.path)']);
    assert.equal(out.steps[0]!.env![0]!.value, 'tr/task/ns/0');
    assert.equal(out.steps[1]!.script, '/tekton/steps/step-unnamed-1/exitCode');
  });

  it('does not modify its input', () => {
    assert.equal(spec.steps[0]!.image, 'img:$(params.p)');
  });
});

it('workspace volume names are ws- and 5 hex digits of FNV-32a', () => {
  // FNV-1a 32-bit test vectors: "" = 811c9dc5, "a" = e40c292c, "foobar" = bf9cf968.
  assert.equal(workspaceVolumeName(''), 'ws-811c9');
  assert.equal(workspaceVolumeName('a'), 'ws-e40c2');
  assert.equal(workspaceVolumeName('foobar'), 'ws-bf9cf');
});
