// The catalog's own tests for git-clone 0.10 (tests/run.yaml, 10 TaskRuns), with their GitHub
// urls pointed at local repositories served over file://, git daemon and smart HTTP, run through
// `tektite run` against our generated Task; plus a branch, a sha, a refspec-only commit and
// submodules. Every run must succeed, and its results and checkout must equal what plain git gives.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { buildRepos, fileServer, gitAsync, isolatedGitEnv, requireGit, startGitDaemon, startHttpGitServer, type GitServer, type Repos } from '../helpers/git-servers.js';
import { requireCorpus } from '../helpers/paths.js';
import { checkoutState, plainClone, readStatus, runFolder, taskYaml, tektite, type CheckoutState, type PlainOptions } from './harness.js';

type TaskRunDoc = { metadata: { name: string }; spec: { params: { name: string; value: string }[]; workspaces: unknown[]; taskRef: { name: string } } };

const GITHUB: Record<string, keyof Repos['names']> = {
  'https://github.com/kelseyhightower/nocode': 'main',
  'https://github.com/githubtraining/example-dependency': 'super',
};

function catalogTaskRuns(): TaskRunDoc[] {
  const file = join(requireCorpus(), 'catalog-tests', 'git-clone', '0.10', 'tests', 'run.yaml');
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as TaskRunDoc);
}

function param(tr: TaskRunDoc, name: string): string | undefined {
  return tr.spec.params.find((p) => p.name === name)?.value;
}

function taskRun(name: string, params: Record<string, string>): TaskRunDoc {
  return {
    metadata: { name },
    spec: { taskRef: { name: 'git-clone' }, workspaces: [{ name: 'output', emptyDir: {} }], params: Object.entries(params).map(([n, value]) => ({ name: n, value })) },
  } as TaskRunDoc;
}

/** What plain git is asked for, to compare with, given the TaskRun's params. */
function plainOptions(tr: TaskRunDoc): PlainOptions {
  const sparse = param(tr, 'sparseCheckoutDirectories');
  return {
    revision: param(tr, 'revision') || undefined,
    depth: Number(param(tr, 'depth') ?? '1'),
    submodules: (param(tr, 'submodules') ?? 'true') === 'true',
    ...(sparse ? { sparse: sparse.split(',') } : {}),
  };
}

describe('git-clone: the catalog 0.10 TaskRuns through tektite run', () => {
  let dir: string;
  let repos: Repos;
  let env: NodeJS.ProcessEnv;
  const servers: Record<string, GitServer> = {};
  const catalog = catalogTaskRuns();

  before(async () => {
    requireGit();
    dir = mkdtempSync(join(tmpdir(), 'git-clone-catalog-'));
    mkdirSync(join(dir, 'srv'));
    repos = buildRepos(join(dir, 'srv'));
    env = isolatedGitEnv(dir);
    servers.file = fileServer(repos.root);
    servers['git daemon'] = await startGitDaemon(repos.root);
    servers['smart HTTP'] = await startHttpGitServer(repos.root);
  });
  after(async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  test('the corpus holds the 10 TaskRuns of the catalog, all against the two GitHub repositories', () => {
    assert.equal(catalog.length, 10);
    for (const tr of catalog) assert.ok(param(tr, 'url')! in GITHUB, param(tr, 'url'));
  });

  test('under the sandbox executor (bubblewrap, --network for the daemon on 127.0.0.1): succeeds, home in its emptyDir', async () => {
    const work = join(dir, 'sandbox');
    mkdirSync(work);
    const url = servers['git daemon']!.url(repos.names.main);
    const run = await tektite(['run', taskYaml, '--executor', 'sandbox', '--network', '-p', `url=${url}`, '-p', 'revision=1.0.0', '-w', 'output=emptyDir'], work);
    assert.equal(run.code, 0, `tektite run failed:\n${run.stdout}\n${run.stderr}`);
    const name = /TaskRun (\S+) /.exec(run.stdout)![1]!;
    const folder = runFolder(work, name);
    assert.equal(readStatus(folder).results.commit, repos.main.tagCommit);
    assert.equal((await checkoutState(join(folder, 'workspaces', 'output'), env)).commit, repos.main.tagCommit);
    assert.match(readFileSync(join(folder, 'volumes', 'user-home', '.gitconfig'), 'utf8'), /safe/);
  });

  for (const transport of ['file', 'git daemon', 'smart HTTP']) {
    test(`over ${transport}: all succeed, and commit, committer-date, depth, files and submodules equal plain git`, async () => {
      const server = servers[transport]!;
      const work = join(dir, transport.replace(' ', '-'));
      mkdirSync(work);
      const runs = catalog.map((tr) => {
        const copy = structuredClone(tr);
        const url = copy.spec.params.find((p) => p.name === 'url')!;
        url.value = server.url(repos.names[GITHUB[url.value]!]);
        return copy;
      });
      const mainUrl = server.url(repos.names.main);
      runs.push(
        taskRun('git-clone-run-branch', { url: mainUrl, revision: 'feature' }),
        taskRun('git-clone-run-sha', { url: mainUrl, revision: repos.main.commits[1]!, depth: '0' }),
        taskRun('git-clone-run-refspec', { url: mainUrl, refspec: 'refs/pull/1/head:refs/pr/1 refs/tags/1.0.0:refs/tags/1.0.0', revision: 'refs/pr/1' }),
      );
      // git refuses file:// submodules by default (failures.test.ts checks the message).
      if (transport !== 'file') runs.push(taskRun('git-clone-run-submodules', { url: server.url(repos.names.super) }));
      writeFileSync(join(work, 'taskruns.yaml'), runs.map((r) => stringify({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', ...r })).join('---\n'));

      const run = await tektite(['run', 'taskruns.yaml', '-f', taskYaml, '--executor', 'host'], work);
      assert.equal(run.code, 0, `tektite run failed:\n${run.stdout}\n${run.stderr}`);

      for (const tr of runs) {
        const name = tr.metadata.name;
        const folder = runFolder(work, name);
        const status = readStatus(folder);
        assert.ok(status.succeeded, name);
        const subdirectory = param(tr, 'subdirectory') ?? '';
        const ours = await checkoutState(join(folder, 'workspaces', 'output', subdirectory), env);
        assert.deepEqual(status.results, { commit: ours.commit, url: param(tr, 'url'), 'committer-date': ours.committerDate }, name);

        if (name === 'git-clone-run-sha' || name === 'git-clone-run-refspec') {
          // plain git cannot clone "at" a sha or a non-branch ref: compare with what the server has.
          const ref = name === 'git-clone-run-sha' ? repos.main.commits[1]! : 'refs/pull/1/head';
          const listed = name === 'git-clone-run-sha' ? ref : (await gitAsync(['ls-remote', server.url(repos.names.main), ref], work, env)).split('\t')[0]!;
          assert.equal(ours.commit, listed, name);
          assert.equal(ours.commit, name === 'git-clone-run-sha' ? repos.main.commits[1] : repos.main.pullHead, name);
          continue;
        }
        const plain: CheckoutState = await plainClone(param(tr, 'url')!, join(work, `plain-${name}`), env, plainOptions(tr));
        assert.deepEqual(ours, plain, name);
      }

      // And against the fixture's own record, so both sides cannot be wrong together.
      const state = (name: string, sub = '') => checkoutState(join(runFolder(work, name), 'workspaces', 'output', sub), env);
      const head = await state('git-clone-run-noargs');
      assert.equal(head.commit, repos.main.commits.at(-1));
      assert.equal(head.count, 1);
      assert.equal((await state('git-clone-run-tag')).commit, repos.main.tagCommit);
      assert.equal((await state('git-clone-run-no-depth-2')).count, 2);
      assert.equal((await state('git-clone-run-subdirectory', 'hellomoto')).commit, repos.main.commits.at(-1));
      assert.deepEqual((await state('git-clone-sparse')).files, ['CONTRIBUTING.md', 'STYLE.md']);
      assert.equal((await state('git-clone-run-branch')).commit, repos.main.featureHead);
      assert.equal((await state('git-clone-run-sha')).count, 2); // full depth from the second commit
      const noSub = await state('git-clone-run-no-submodules');
      assert.equal(noSub.commit, repos.superHead);
      assert.deepEqual(noSub.submodules, [`-${repos.subPinned} lib/sub`]);
      if (transport !== 'file') assert.deepEqual((await state('git-clone-run-submodules')).submodules, [`${repos.subPinned} lib/sub`]);
    });
  }
});
