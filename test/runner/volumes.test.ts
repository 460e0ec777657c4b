// Volumes and the implicit Tekton mounts, after Tekton's examples home-volume, workspace-volume,
// custom-volume and template-volume: a step's own volumeMount at /tekton/home or /workspace wins
// over the implicit one; emptyDir volumes (Task or podTemplate) are shared by the steps mounting them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tektiteBin } from '../helpers/paths.js';
import { condition, runYaml } from './run-helper.js';

const yaml = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: volumes}
spec:
  podTemplate:
    volumes: [{name: from-template, emptyDir: {}}]
  taskSpec:
    volumes: [{name: empty, emptyDir: {}}, {name: custom, emptyDir: {}}]
    steps:
      - {name: write-home, image: ubuntu, script: 'echo some stuff > /tekton/home/stuff; echo ws > /workspace/ws-file'}
      - {name: read-home, image: ubuntu, script: 'cat /tekton/home/stuff /workspace/ws-file'}
      - name: override-home
        image: ubuntu
        volumeMounts: [{name: empty, mountPath: /tekton/home}]
        script: 'if [ -f /tekton/home/stuff ]; then echo "home not overridden"; exit 1; fi; echo home-overridden'
      - name: override-workspace
        image: ubuntu
        volumeMounts: [{name: empty, mountPath: /workspace}]
        script: 'if [ -f /workspace/ws-file ]; then echo "workspace not overridden"; exit 1; fi; echo workspace-overridden'
      - name: write-custom
        image: ubuntu
        volumeMounts: [{name: custom, mountPath: /short/path}, {name: from-template, mountPath: /tmpl}]
        script: 'echo custom > /short/path/f; echo tmpl > /tmpl/f'
      - name: read-custom
        image: ubuntu
        volumeMounts: [{name: custom, mountPath: /other/path}, {name: from-template, mountPath: /tmpl2}]
        script: 'cat /other/path/f /tmpl2/f'
`;

describe('volumes and implicit mounts', () => {
  for (const executor of ['host', 'sandbox'] as const) {
    it(`a step's own volumeMount wins; emptyDir volumes are shared (${executor})`, async () => {
      const [r] = await runYaml(yaml, executor);
      assert.equal(condition(r!.taskRun)!.status, 'True', r!.log);
      for (const line of ['[read-home] some stuff', '[read-home] ws', '[override-home] home-overridden', '[override-workspace] workspace-overridden', '[read-custom] custom', '[read-custom] tmpl']) {
        assert.ok(r!.log.includes(`${line}\n`), `missing "${line}" in:\n${r!.log}`);
      }
    });
  }
});

const objects = `apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
data: {a.txt: alpha, b.txt: beta}
---
apiVersion: v1
kind: Secret
metadata: {name: sec}
data: {token: ${Buffer.from('t0ken').toString('base64')}}
`;

const bindings = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: bindings}
spec:
  workspaces:
    - {name: conf, configMap: {name: cm, items: [{key: b.txt, path: nested/renamed.txt}]}}
    - {name: creds, secret: {secretName: sec}}
    - {name: scratch, emptyDir: {}, subPath: deeper}
    - {name: claim, persistentVolumeClaim: {claimName: my-claim}}
  taskSpec:
    workspaces: [{name: conf}, {name: creds, mountPath: /etc/creds}, {name: scratch}, {name: claim}]
    steps:
      - name: read
        image: alpine
        script: |
          cat $(workspaces.conf.path)/nested/renamed.txt; echo
          [ -e $(workspaces.conf.path)/a.txt ] && echo "a.txt should not be there" || echo only-items
          cat /etc/creds/token; echo
          echo "claim=$(workspaces.claim.claim) volume=$(workspaces.creds.volume)"
          echo x > $(workspaces.scratch.path)/f && echo scratch-rw
          echo y > $(workspaces.claim.path)/kept && echo claim-rw
`;

describe('workspace bindings', () => {
  for (const executor of ['host', 'sandbox'] as const) {
    it(`configMap items, secret, emptyDir subPath and PVC bindings (${executor})`, async () => {
      const [r] = await runYaml(bindings, executor, { extra: objects });
      assert.equal(condition(r!.taskRun)!.status, 'True', r!.log);
      for (const line of ['beta', 'only-items', 't0ken', 'claim=my-claim volume=ws-', 'scratch-rw', 'claim-rw']) {
        assert.ok(r!.log.includes(`[read] ${line}`), `missing "${line}" in:\n${r!.log}`);
      }
    });
  }

  it('no copy of a Secret stays in the run folder', async () => {
    const [r] = await runYaml(
      `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: no-secret-left}
spec:
  workspaces: [{name: creds, secret: {secretName: sec}}]
  taskSpec:
    workspaces: [{name: creds}]
    volumes: [{name: sv, secret: {secretName: sec}}]
    steps:
      - {name: read, image: alpine, volumeMounts: [{name: sv, mountPath: /sv}], script: 'cat $(workspaces.creds.path)/token /sv/token; echo'}
`,
      'sandbox',
      { extra: objects, keep: true },
    );
    try {
      assert.match(r!.log, /^\[read\] t0kent0ken$/m);
      const files = readdirSync(r!.runDir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
      assert.ok(files.some((f) => f.endsWith('status.yaml')));
      // The step's own output (logs/) is the step's business, as on a cluster.
      for (const f of files.filter((x) => !x.includes('/logs/'))) assert.ok(!readFileSync(f, 'utf8').includes('t0ken'), `${f} holds the secret`);
    } finally {
      rmSync(r!.runDir, { recursive: true, force: true });
    }
  });

  it('configMap and secret workspaces are read-only in the sandbox', async () => {
    const [r] = await runYaml(
      `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: ro}
spec:
  workspaces: [{name: conf, configMap: {name: cm}}, {name: creds, secret: {secretName: sec}}]
  taskSpec:
    workspaces: [{name: conf}, {name: creds}]
    steps:
      - {name: w, image: alpine, script: 'touch $(workspaces.conf.path)/x 2>/dev/null || echo conf-ro; touch $(workspaces.creds.path)/x 2>/dev/null || echo creds-ro'}
`,
      'sandbox',
      { extra: objects },
    );
    assert.match(r!.log, /^\[w\] conf-ro$/m);
    assert.match(r!.log, /^\[w\] creds-ro$/m);
  });
});

describe('volumeMount subPath', () => {
  for (const executor of ['host', 'sandbox'] as const) {
    it(`a subPath leaving its volume is refused before any step runs (${executor})`, async () => {
      const outside = mkdtempSync(join(tmpdir(), 'tektite-outside-'));
      try {
        writeFileSync(join(outside, 'key'), 'host-only');
        const [r] = await runYaml(
          `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: escape}
spec:
  taskSpec:
    volumes: [{name: v, emptyDir: {}}]
    steps:
      - name: s
        image: alpine
        volumeMounts: [{name: v, mountPath: /esc, subPath: ${'../'.repeat(30)}${outside.slice(1)}}]
        script: 'cat /esc/key; echo written > /esc/pwned'
`,
          executor,
        );
        const c = condition(r!.taskRun)!;
        assert.equal(c.reason, 'CreateContainerConfigError', r!.log);
        assert.ok(r!.inputError);
        assert.match(r!.notes.join('\n'), /volumeMount "v": subPath ".*" leaves the volume/);
        assert.ok(!r!.log.includes('host-only'), r!.log);
        assert.deepEqual(readdirSync(outside), ['key']);
        assert.ok(!existsSync(join(outside, 'pwned')));
      } finally {
        rmSync(outside, { recursive: true, force: true });
      }
    });
  }
});

describe('volumeMount subPath through a symbolic link', () => {
  for (const executor of ['host', 'sandbox'] as const) {
    it(`a step cannot mount a link an earlier step left in a shared volume (${executor})`, async () => {
      const outside = mkdtempSync(join(tmpdir(), 'tektite-outside-'));
      try {
        writeFileSync(join(outside, 'key'), 'host-only');
        const [r] = await runYaml(
          `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: link-escape}
spec:
  taskSpec:
    volumes: [{name: v, emptyDir: {}}]
    steps:
      - {name: a, image: alpine, volumeMounts: [{name: v, mountPath: /vol}], script: 'mkdir -p /vol/d && ln -s ${outside} /vol/d/link'}
      - {name: b, image: alpine, volumeMounts: [{name: v, mountPath: /esc, subPath: d/link}], script: 'cat /esc/key; echo written > /esc/pwned'}
`,
          executor,
        );
        assert.equal(r!.taskRun.status!.steps![1]!.terminated?.exitCode, 1, r!.log);
        assert.match(r!.log, /\[b\] Error: failed to prepare subPath: .*subPath "d\/link" leaves the volume through a symbolic link/);
        assert.ok(!r!.log.includes('host-only'), r!.log);
        assert.deepEqual(readdirSync(outside), ['key']);
      } finally {
        rmSync(outside, { recursive: true, force: true });
      }
    });
  }
});

describe('workspace subPath through a symbolic link', () => {
  it('a PVC subPath through a link an earlier run left in the claim is refused, and nothing is made outside', () => {
    const work = mkdtempSync(join(tmpdir(), 'tektite-pvc-'));
    try {
      const outside = join(work, 'outside');
      mkdirSync(outside);
      mkdirSync(join(work, '.tektite', 'pvc', 'c1'), { recursive: true });
      symlinkSync(outside, join(work, '.tektite', 'pvc', 'c1', 'link'));
      writeFileSync(
        join(work, 'run.yaml'),
        `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: pvc-link}
spec:
  workspaces: [{name: w, persistentVolumeClaim: {claimName: c1}, subPath: link/newdir}]
  taskSpec:
    workspaces: [{name: w}]
    steps: [{name: s, image: alpine, script: 'echo written > $(workspaces.w.path)/pwned'}]
`,
      );
      const r = spawnSync(process.execPath, [tektiteBin, 'run', 'run.yaml', '--executor', 'host'], { cwd: work, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.match(r.stdout + r.stderr, /workspace binding "w": subPath "link\/newdir" leaves the volume through a symbolic link/);
      assert.deepEqual(readdirSync(outside), []);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('host secrets in the sandbox', () => {
  it('makes /etc/shadow unreadable, keeps the rest of /etc', async () => {
    assert.ok(existsSync('/etc/shadow'), 'this test needs a host with /etc/shadow');
    const [run] = await runYaml(
      `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: host-secrets}
spec:
  taskSpec:
    results: [{name: shadow}, {name: passwd-has-root}]
    steps:
      - name: look
        image: ubuntu
        script: |
          if cat /etc/shadow > /dev/null 2>&1; then printf readable; else printf hidden; fi > $(results.shadow.path)
          if grep -q '^root:' /etc/passwd; then printf yes; else printf no; fi > $(results.passwd-has-root.path)
`,
      'sandbox',
    );
    assert.equal(condition(run!.taskRun)?.status, 'True', run!.log);
    const results = Object.fromEntries((run!.taskRun.status?.results ?? []).map((r) => [r.name, r.value]));
    assert.deepEqual(results, { shadow: 'hidden', 'passwd-has-root': 'yes' });
  });
});
