// Catalog Tasks run their own tests (shared/corpus/catalog-tests) to success. The catalog tests
// are PipelineRuns or TaskRuns; each pipeline task becomes a TaskRun here (params, workspace
// bindings, $(context.pipelineRun.*) and $(tasks.X.results.Y) resolved in order), URLs of the
// outside world point at servers this test starts on 127.0.0.1.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { loadText, type LoadedDoc } from '../../src/tekton/load.js';
import { replaceString } from '../../src/tekton/substitute.js';
import { LOCAL_DIR_ANNOTATION, runTaskRun } from '../../src/runner/index.js';
import { kubeObjectsOf } from '../../src/runner/taskrun-from-flags.js';
import type { TaskRun } from '../../src/tekton/types.js';
import { requireCorpus } from '../helpers/paths.js';
import { startFixtureServer, startServer, type TestServer } from '../helpers/http-server.js';
import { executorOf, type ExecutorName } from './run-helper.js';

const catalog = join(requireCorpus(), 'catalog-tests');

interface Ctx {
  docs: LoadedDoc[];
  executor: ExecutorName;
  network?: boolean;
}

/** Runs one TaskRun; returns it with the captured log. */
async function run(ctx: Ctx, tr: unknown): Promise<{ taskRun: TaskRun; log: string }> {
  const runDir = mkdtempSync(join(tmpdir(), 'tektite-catalog-'));
  const console = new PassThrough();
  const chunks: Buffer[] = [];
  console.on('data', (c: Buffer) => chunks.push(c));
  try {
    const { taskRun } = await runTaskRun(
      { taskRun: tr, tasks: new Map(ctx.docs.filter((d) => d.kind === 'Task').map((d) => [d.name, d.value])), objects: kubeObjectsOf(ctx.docs) },
      { executor: executorOf(ctx.executor), network: ctx.network ?? false, runDir, pvcRoot: join(runDir, 'pvc'), log: { console, colour: false } },
    );
    return { taskRun, log: Buffer.concat(chunks).toString('utf8') };
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

type Obj = Record<string, any>;

/** Runs a PipelineRun as one TaskRun per pipeline task, in order; returns the TaskRuns. */
async function runPipelineRun(ctx: Ctx, pr: Obj): Promise<{ taskRun: TaskRun; log: string }[]> {
  const pipeline = ctx.docs.find((d) => d.kind === 'Pipeline' && d.name === pr.spec.pipelineRef.name)!.value as Obj;
  const shared = mkdtempSync(join(tmpdir(), 'tektite-pvc-'));
  const strings = new Map<string, string>([
    ['context.pipelineRun.uid', randomUUID()],
    ['context.pipelineRun.name', pr.metadata.name],
  ]);
  for (const p of pipeline.spec.params ?? []) if (p.default !== undefined) strings.set(`params.${p.name}`, p.default);
  for (const p of pr.spec.params ?? []) strings.set(`params.${p.name}`, p.value);
  const bindings = new Map<string, Obj>((pr.spec.workspaces ?? []).map((w: Obj) => [w.name, w]));
  const out: { taskRun: TaskRun; log: string }[] = [];
  try {
    for (const t of pipeline.spec.tasks as Obj[]) {
      const annotations: Record<string, string> = {};
      const workspaces = [];
      for (const w of t.workspaces ?? []) {
        const b = bindings.get(w.workspace);
        if (!b) continue; // an optional pipeline workspace left unbound
        if (b.volumeClaimTemplate) {
          workspaces.push({ name: w.name, emptyDir: {} });
          annotations[LOCAL_DIR_ANNOTATION + w.name] = shared;
        } else workspaces.push({ ...b, name: w.name });
      }
      const tr = {
        apiVersion: 'tekton.dev/v1',
        kind: 'TaskRun',
        metadata: { name: `${pr.metadata.name}-${t.name}`, annotations },
        spec: {
          ...(t.taskRef ? { taskRef: t.taskRef } : { taskSpec: t.taskSpec }),
          params: (t.params ?? []).map((p: Obj) => ({ name: p.name, value: typeof p.value === 'string' ? replaceString(p.value, strings) : p.value })),
          workspaces,
        },
      };
      const r = await run(ctx, tr);
      out.push(r);
      assert.equal(r.taskRun.status?.conditions?.[0]?.status, 'True', `${t.name}: ${JSON.stringify(r.taskRun.status?.conditions)}\n${r.log}`);
      for (const res of r.taskRun.status?.results ?? []) strings.set(`tasks.${t.name}.results.${res.name}`, String(res.value));
    }
  } finally {
    rmSync(shared, { recursive: true, force: true });
  }
  return out;
}

function docsOf(task: string, rewrite: (text: string) => string = (s) => s, extra = ''): LoadedDoc[] {
  const dir = join(catalog, task);
  const files = [join(dir, `${task.split('/')[0]}.yaml`), ...readdirSync(join(dir, 'tests')).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(dir, 'tests', f))];
  return [...files.flatMap((f) => loadText(rewrite(readFileSync(f, 'utf8')), f).docs), ...loadText(extra, 'extra.yaml').docs];
}

for (const executor of ['host', 'sandbox'] as const) {
  describe(`catalog tests, ${executor} executor`, () => {
    let web: TestServer;
    let github: TestServer;
    before(async () => {
      web = await startServer((_req, _body, res) => res.writeHead(200, { 'x-test': 'tektite' }).end('hello from 127.0.0.1\n'));
      github = await startFixtureServer(join(catalog, 'github-add-comment/0.7/tests/fixtures'));
    });
    after(async () => {
      await web.close();
      await github.close();
    });

    it('write-file/0.1: the file is written with its mode (1234) and the verify task finds the uid', async () => {
      const ctx = { docs: docsOf('write-file/0.1'), executor };
      const [write, verify] = await runPipelineRun(ctx, ctx.docs.find((d) => d.kind === 'PipelineRun')!.value as Obj);
      assert.ok(write && verify);
      assert.match(verify.log, /^\[check-output\] password = [0-9a-f-]{36}$/m);
      assert.match(verify.log, /^\[check-output\] --w--wxr-T .* \.\/config\/login\.ini$/m);
    });

    it('jq/0.1: string, file (configMap workspace) and filter inputs; the result feeds the next task', async () => {
      const ctx = { docs: docsOf('jq/0.1'), executor };
      const runs = await runPipelineRun(ctx, ctx.docs.find((d) => d.kind === 'PipelineRun')!.value as Obj);
      assert.equal(runs.length, 4);
      const outcome = (i: number) => runs[i]!.taskRun.status!.results![0]!;
      assert.equal(outcome(0).name, 'jq-script-outcome');
      assert.equal(JSON.parse(outcome(0).value as string).manufacturer.name, 'ABC Manufacturing');
      assert.equal(outcome(1).value, '"Alice"\n"Bob"\n"Charlie"\n');
      assert.deepEqual(JSON.parse(outcome(2).value as string), ['ELPPA', 'ANANAB', 'EGNARO', 'EPARG', 'IWIK', 'ALEUGIRIS', 'OãMAM']);
      // print-result pastes the JSON into `echo "..."`, so the shell eats its quotes, as on a cluster.
      assert.match(runs[3]!.log, /^\[print\]   product: Widget,$/m);
    });

    it('curl/0.1: both TaskRuns of the test, against a server on 127.0.0.1', async () => {
      const ctx = { docs: docsOf('curl/0.1', (t) => t.replaceAll('www.google.com', web.url)), executor, network: true };
      const trs = ctx.docs.filter((d) => d.kind === 'TaskRun');
      assert.equal(trs.length, 2);
      const [withHeaders, plain] = [await run(ctx, trs[0]!.value), await run(ctx, trs[1]!.value)];
      for (const r of [withHeaders, plain]) assert.equal(r.taskRun.status?.conditions?.[0]?.status, 'True', r.log);
      assert.match(withHeaders.log, /^\[curl\] x-test: tektite/m);
      assert.match(plain.log, /^\[curl\] hello from 127\.0\.0\.1$/m);
      assert.doesNotMatch(plain.log, /x-test/);
    });

    it('github-add-comment/0.7: both PipelineRuns (GitHub and GHE prefix) against its fixtures', async () => {
      const secret = 'apiVersion: v1\nkind: Secret\nmetadata: {name: github}\nstringData: {token: secret}\n';
      const ctx = { docs: docsOf('github-add-comment/0.7', (t) => t.replaceAll('http://127.0.0.1:8080', github.url), secret), executor, network: true };
      const prs = ctx.docs.filter((d) => d.kind === 'PipelineRun');
      assert.equal(prs.length, 2);
      for (const pr of prs) {
        const [add] = await runPipelineRun(ctx, pr.value as Obj);
        assert.match(add!.log, /a GitHub comment has been updated to https:\/\/github.com\/tektoncd\/catalog\/issues\/1/);
      }
      const patches = github.requests.filter((r) => r.method === 'PATCH');
      assert.deepEqual(patches.map((p) => p.path), ['/repos/tektoncd/plumbing/issues/comments/2222222222', '/api/v3/repos/tektoncd/plumbing/issues/comments/2222222222']);
      assert.equal(patches[0]!.headers.authorization, 'Bearer secret');
      assert.deepEqual(JSON.parse(patches[0]!.body), { body: 'Hello from TektonCD test<!-- TEST_TAG123 -->' });
    });
  });
}
