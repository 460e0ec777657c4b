// `tektite run` as a user calls it: flags, files, exit codes, output, the run folder, and a
// tektite plugin run straight from its TypeScript source.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { corpusDir, repoRoot, requireCorpus, tektiteBin } from '../helpers/paths.js';

const work = mkdtempSync(join(tmpdir(), 'tektite-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

function tektite(args: string[], cwd = work) {
  const r = spawnSync(process.execPath, [tektiteBin, 'run', ...args], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const write = (name: string, text: string) => {
  const p = join(work, name);
  writeFileSync(p, text);
  return p;
};

const flagsTask = write(
  'flags.yaml',
  `apiVersion: tekton.dev/v1
kind: Task
metadata: {name: flags}
spec:
  params:
    - {name: s}
    - {name: arr, type: array}
    - {name: obj, type: object, properties: {k1: {type: string}, k2: {type: string}}}
    - {name: d, default: dflt}
  workspaces: [{name: out}, {name: conf, optional: true}]
  results: [{name: r}]
  steps:
    - name: show
      image: alpine
      command: [echo]
      args: ["s=$(params.s)", "$(params.arr[*])", "k1=$(params.obj.k1)", "k2=$(params.obj.k2)", "d=$(params.d)"]
    - name: files
      image: alpine
      script: |
        printf from-step > $(workspaces.out.path)/made.txt
        cat $(workspaces.conf.path)/greeting
        printf done > $(results.r.path)
`,
);
const configMap = write('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {greeting: "hello from a configmap\\n"}\n');

for (const executor of ['host', 'sandbox']) {
  describe(`tektite run (${executor})`, () => {
    it('runs a Task with tkn-style -p/-w flags, prints prefixed logs, a summary and results, keeps a run folder', () => {
      const out = join(work, `out-${executor}`);
      mkdirSync(out);
      const r = tektite([flagsTask, '--executor', executor, '-p', 's=one two', '-p', 'arr=a,b,c', '-p', 'obj=k1:v1, k2:v2', '-w', `out=./out-${executor}`, '-w', `conf=configMap:${configMap}`, '--use-param-defaults']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^\[show\] s=one two a b c k1=v1 k2=v2 d=dflt$/m);
      assert.match(r.stdout, /^\[files\] hello from a configmap$/m);
      assert.match(r.stdout, /^STEP +OUTCOME +EXIT +DURATION$/m);
      assert.match(r.stdout, /^show +Completed +0 +\d+\.\d\ds$/m);
      assert.match(r.stdout, /^r = done$/m);
      assert.match(r.stdout, /TaskRun flags-run-[a-z0-9]{5} Succeeded \(Succeeded: All Steps have completed executing\)/);
      assert.equal(readFileSync(join(out, 'made.txt'), 'utf8'), 'from-step');
      const folder = /run folder: (\S+)/.exec(r.stdout)![1]!;
      assert.match(folder, /^\.tektite\/runs\/flags-run-[a-z0-9]{5}-[0-9a-f]{6}$/);
      const status = readFileSync(join(work, folder, 'status.yaml'), 'utf8');
      assert.match(status, /reason: Succeeded/);
      assert.ok(existsSync(join(work, folder, 'logs', 'step-show.log')));
      assert.equal(readFileSync(join(work, folder, 'logs', 'step-show.log'), 'utf8'), 's=one two a b c k1=v1 k2=v2 d=dflt\n');
    });
  });
}

describe('tektite run: output and exit codes', () => {
  it('-o json prints the final TaskRun in Tekton\'s shape; logs go to stderr', () => {
    const r = tektite([flagsTask, '--executor', 'host', '-p', 's=x', '-p', 'arr=', '-p', 'obj=k1:a,k2:b', '-w', 'out=emptyDir', '-w', `conf=configMap:${configMap}`, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const tr = JSON.parse(r.stdout);
    assert.equal(tr.kind, 'TaskRun');
    assert.deepEqual(tr.spec.params, [{ name: 's', value: 'x' }, { name: 'arr', value: [] }, { name: 'obj', value: { k1: 'a', k2: 'b' } }]);
    assert.deepEqual(tr.status.conditions.map((c: Record<string, string>) => [c.type, c.status, c.reason]), [['Succeeded', 'True', 'Succeeded']]);
    assert.deepEqual(tr.status.taskSpec.steps[0].args, ['s=x', 'k1=a', 'k2=b', 'd=dflt']);
    assert.deepEqual(tr.status.results, [{ name: 'r', type: 'string', value: 'done' }]);
    assert.equal(tr.status.steps[1].container, 'step-files');
    assert.match(r.stderr, /^\[show\] s=x k1=a k2=b d=dflt$/m);
  });

  it('exit 1 when the TaskRun fails, with the condition in the summary', () => {
    const f = write('fails.yaml', 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: fails}\nspec:\n  steps: [{name: bad, image: alpine, script: "exit 4"}]\n');
    const r = tektite([f, '--executor', 'host']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Failed \(StepFailed: "step-bad" exited with code 4\)/);
  });

  it('exit 1 for a run-time validation failure (missing param)', () => {
    const r = tektite([flagsTask, '--executor', 'host', '-w', 'out=emptyDir']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /TaskRunValidationFailed: \[User error\] invalid input params for task flags: missing values for these params which have no default values: \[s arr obj\]/);
  });

  it('exit 2 with file:line:col for broken YAML', () => {
    const f = write('broken.yaml', 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: [unclosed\n');
    const r = tektite([f]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`${f.replace(/[.]/g, '\\.')}:\\d+:\\d+: `));
  });

  it('exit 2 with file:line:col when Tekton\'s webhook would refuse the Task', () => {
    const f = write('refused.yaml', 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: refused}\nspec:\n  steps:\n    - name: s\n      image: alpine\n      command: [sh]\n      script: echo\n');
    const r = tektite([f, '--executor', 'host']);
    assert.equal(r.code, 2);
    assert.ok(r.stderr.includes(`${f}:9:15: script cannot be used with command: spec.steps[0].script`), r.stderr);
    assert.doesNotMatch(r.stdout, /TaskRun/);
  });

  it('exit 2 for bad flags, missing files and folders, and an unresolvable taskRef', () => {
    assert.equal(tektite(['/nonexistent.yaml']).code, 2);
    assert.match(tektite([flagsTask, '-p', 'novalue']).stderr, /-p "novalue": expected name=value/);
    assert.match(tektite([flagsTask, '-w', 'out=./missing-dir']).stderr, /-w out=\.\/missing-dir: no such directory/);
    assert.equal(tektite([flagsTask, '-o', 'xml']).code, 2);
    assert.equal(tektite([flagsTask, '--executor', 'docker']).code, 2);
    const tr = write('orphan.yaml', 'apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: {name: orphan}\nspec:\n  taskRef: {name: absent}\n');
    const r = tektite([tr, '--executor', 'host']);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /TaskRunResolutionFailed: error when listing tasks for taskRun orphan: tasks.tekton.dev "absent" not found/);
  });

  it('exit 2 for a TaskRun file binding a host folder through tektite\'s -w annotation; nothing runs', () => {
    const host = mkdtempSync(join(work, 'host-'));
    writeFileSync(join(host, 'key'), 'host-only');
    const tr = write(
      'smuggle.yaml',
      `apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata:\n  name: smuggle\n  annotations:\n    tektite.dev/workspace-dir.w: ${host}\nspec:\n  workspaces: [{name: w, emptyDir: {}}]\n  taskSpec:\n    workspaces: [{name: w}]\n    steps: [{name: s, image: alpine, script: 'cat $(workspaces.w.path)/key; echo x > $(workspaces.w.path)/pwned'}]\n`,
    );
    const r = tektite([tr, '--executor', 'sandbox']);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /smuggle\.yaml:6:5: TaskRun smuggle: the annotation tektite\.dev\/workspace-dir\.w is tektite's own/);
    assert.ok(!r.stdout.includes('host-only'), r.stdout);
    assert.deepEqual(readdirSync(host), ['key']);
  });

  it('runs TaskRun files with -f for the referenced Task (several documents in one file)', () => {
    requireCorpus();
    const task = join(corpusDir, 'catalog-tests', 'curl', '0.1', 'curl.yaml');
    const trs = write('two.yaml', ['one', 'two'].map((n) => `apiVersion: tekton.dev/v1beta1\nkind: TaskRun\nmetadata: {name: run-${n}}\nspec:\n  taskRef: {name: curl}\n  params: [{name: url, value: "file://${task}"}, {name: options, value: ["-s"]}]\n`).join('---\n'));
    const r = tektite([trs, '-f', task, '--executor', 'host']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout.match(/Succeeded \(Succeeded/g)?.length, 2);
    assert.match(r.stdout, /^\[curl\] kind: Task$/m);
  });
});

describe('tektite run: Ctrl-C', () => {
  for (const executor of ['host', 'sandbox']) {
    it(`cancels the TaskRun and leaves nothing running (${executor})`, async () => {
      const marker = `${executor === 'host' ? 51 : 52}.${process.pid}`;
      const f = write(`cancel-${executor}.yaml`, `apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: cancel}\nspec:\n  steps:\n    - {name: wait, image: alpine, script: "echo waiting; sleep ${marker} & sleep ${marker}"}\n    - {name: after, image: alpine, script: "echo after"}\n`);
      const child = spawn(process.execPath, [tektiteBin, 'run', f, '--executor', executor], { cwd: work, env: { ...process.env, NO_COLOR: '1' } });
      let stdout = '';
      let sent = false;
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (!sent && stdout.includes('[wait] waiting')) sent = child.kill('SIGINT');
      });
      const code = await new Promise<number | null>((r) => child.on('close', r));
      assert.equal(code, 1, stdout);
      assert.match(stdout, /TaskRun cancel-run-[a-z0-9]{5} Failed \(TaskRunCancelled: TaskRun "cancel-run-[a-z0-9]{5}" was cancelled\. \)/);
      assert.match(stdout, /^wait +TaskRunCancelled +1 /m);
      assert.match(stdout, /^after +TaskRunCancelled +1 /m);
      const left = spawnSync('pgrep', ['-f', `sleep ${marker}`], { encoding: 'utf8' }).stdout.trim();
      assert.equal(left, '', 'processes of the cancelled step are still running');
    });
  }
});

describe('tektite run: a plugin straight from source (tektite.dev/source)', () => {
  for (const executor of ['host', 'sandbox']) {
    it(`generates the Task, bundles the plugin and runs it (${executor})`, () => {
      const dir = join(work, `plugin-${executor}`);
      mkdirSync(join(dir, 'out'), { recursive: true });
      const gen = spawnSync(process.execPath, [tektiteBin, 'generate', join(repoRoot, 'examples/echo-all/echo-all.ts'), '-o', join(dir, 'task.yaml')], { encoding: 'utf8' });
      assert.equal(gen.status, 0, gen.stderr);
      const r = tektite(['task.yaml', '--executor', executor, '-p', 'text=héllo -x', '-p', 'items=a,b', '-p', 'meta=a:x, b:y', '-w', 'output=./out'], dir);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^text = héllo -x$/m);
      assert.match(r.stdout, /^items = \["a","b"\]$/m);
      assert.match(r.stdout, /^meta = \{"a":"x","b":"y"\}$/m);
      assert.equal(readFileSync(join(dir, 'out', 'echo.txt'), 'utf8'), 'héllo -x');
      const runs = readdirSync(join(dir, '.tektite', 'runs'));
      assert.ok(existsSync(join(dir, '.tektite', 'runs', runs[0]!, 'echo-all.mjs')), 'the bundle is kept in the run folder');
    });
  }

  it('refuses an annotation that names anything but a program source (exit 2, nothing bundled)', () => {
    const dir = join(work, 'plugin-not-a-program');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'secret.json'), '{"auths": {"r.example": {"auth": "c2VjcmV0"}}}');
    const gen = spawnSync(process.execPath, [tektiteBin, 'generate', join(repoRoot, 'examples/echo-all/echo-all.ts')], { encoding: 'utf8' });
    assert.equal(gen.status, 0, gen.stderr);
    writeFileSync(join(dir, 'task.yaml'), gen.stdout.replace(/tektite\.dev\/source: .*/, 'tektite.dev/source: secret.json'));
    const r = tektite(['task.yaml', '--executor', 'host', '-p', 'text=x'], dir);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /must name a \.ts\/\.mts\/\.js\/\.mjs plugin source, not "secret\.json"/);
    assert.doesNotMatch(r.stdout + r.stderr, /c2VjcmV0/);
  });
});

describe('tektite run: plain scalars as kubectl reads them (YAML 1.1)', () => {
  it('an unquoted 0755 default is the number 493 on a cluster and here, and the run says so', () => {
    const file = write('octal.yaml', [
      'apiVersion: tekton.dev/v1',
      'kind: TaskRun',
      'metadata: {name: octal}',
      'spec:',
      '  taskSpec:',
      '    params:',
      '      - name: mode',
      '        default: 0755',
      '      - name: quoted',
      '        default: "0755"',
      '    results: [{name: mode}, {name: quoted}]',
      '    steps:',
      '      - name: s',
      '        image: alpine',
      '        env: [{name: MODE, value: $(params.mode)}, {name: QUOTED, value: $(params.quoted)}]',
      '        script: |',
      '          printf %s "$MODE" > $(results.mode.path)',
      '          printf %s "$QUOTED" > $(results.quoted.path)',
      '',
    ].join('\n'));
    const r = tektite([file, '--executor', 'host']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^mode = 493$/m);
    assert.match(r.stdout, /^quoted = 0755$/m);
    assert.match(r.stderr, /octal\.yaml:8:18: warning: kubectl reads the unquoted 0755 as the number 493 \(YAML 1\.1\)/);
  });
});
