// The bundled program standing in for the git-init binary: git-init's flags on the command line,
// and the catalog 0.10 step script itself, run by sh with our bundle where /ko-app/git-init was.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildRepos, isolatedGitEnv, requireGit, startGitDaemon, startHttpGitServer, type GitServer, type Repos } from '../helpers/git-servers.js';
import { repoRoot, requireCorpus } from '../helpers/paths.js';
import { checkoutState, tektite } from './harness.js';

function exec(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

describe('git-clone as the git-init binary', () => {
  let dir: string;
  let repos: Repos;
  let daemon: GitServer;
  let bundle: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    requireGit();
    dir = mkdtempSync(join(tmpdir(), 'git-clone-git-init-'));
    mkdirSync(join(dir, 'srv'));
    repos = buildRepos(join(dir, 'srv'));
    daemon = await startGitDaemon(repos.root);
    bundle = join(dir, 'git-clone.mjs');
    const built = await tektite(['build', join(repoRoot, 'plugins', 'git-clone', 'plugin.ts'), '--bundle', bundle], dir);
    assert.equal(built.code, 0, built.stderr);
    const home = join(dir, 'home');
    mkdirSync(home);
    env = isolatedGitEnv(home);
  });
  after(async () => {
    await daemon.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('-url -revision -path -terminationMessagePath: clones, writes the termination message', async () => {
    const path = join(dir, 'flags', 'checkout');
    const termination = join(dir, 'termination');
    const url = daemon.url(repos.names.main);
    const r = await exec(process.execPath, [bundle, `-url=${url}`, '-revision', 'feature', `-path=${path}`, `-terminationMessagePath=${termination}`, '-depth=2'], env, dir);
    assert.equal(r.code, 0, r.out);
    const state = await checkoutState(path, env);
    assert.equal(state.commit, repos.main.featureHead);
    assert.equal(state.count, 2);
    assert.deepEqual(JSON.parse(readFileSync(termination, 'utf8')), [
      { key: 'commit', value: repos.main.featureHead },
      { key: 'url', value: url },
    ]);
  });

  test('bad flag values exit 2 like Go flag parsing; a failed clone exits 1 and leaves no folder behind', async () => {
    const path = join(dir, 'bad', 'checkout');
    for (const flag of ['-depth=abc', '-submodules=yes', '-sslVerify=']) {
      const r = await exec(process.execPath, [bundle, `-url=${daemon.url(repos.names.main)}`, `-path=${path}`, flag], env, dir);
      assert.equal(r.code, 2, `${flag}: ${r.out}`);
      assert.match(r.out, /invalid value .* for flag -/);
    }
    const r = await exec(process.execPath, [bundle, `-url=${daemon.url('missing.git')}`, `-path=${path}`], env, dir);
    assert.equal(r.code, 1, r.out);
    assert.equal(existsSync(join(dir, 'bad')), false);
  });

  test('-retryMaxAttempts: a fetch that fails at first is retried with backoff', async () => {
    const flaky = await startHttpGitServer(repos.root, { failFirst: 2 });
    try {
      const path = join(dir, 'retry', 'checkout');
      const args = [bundle, `-url=${flaky.url(repos.names.main)}`, `-path=${path}`, '-retryMaxAttempts=3', '-retryInitial=10ms', '-retryMax=50ms'];
      const r = await exec(process.execPath, args, env, dir);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /fetch failed \(.*503.*\); attempt 2 in/);
      assert.match(r.out, /attempt 3 in/);
      assert.equal((await checkoutState(path, env)).commit, repos.main.commits.at(-1));
    } finally {
      await flaky.close();
    }
    const once = await startHttpGitServer(repos.root, { failFirst: 1 });
    try {
      const r = await exec(process.execPath, [bundle, `-url=${once.url(repos.names.main)}`, `-path=${join(dir, 'no-retry')}`], env, dir);
      assert.equal(r.code, 1, 'no retry by default (git-init: -retryMaxAttempts=1)');
    } finally {
      await once.close();
    }
  });

  test("the catalog 0.10 step script runs unchanged with our bundle as /ko-app/git-init", async () => {
    const catalog = parse(readFileSync(join(requireCorpus(), 'catalog-tests', 'git-clone', '0.10', 'git-clone.yaml'), 'utf8')) as {
      spec: { steps: { script: string }[] };
    };
    const gitInit = join(dir, 'git-init');
    writeFileSync(gitInit, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(bundle)} "$@"\n`);
    chmodSync(gitInit, 0o755);
    const results = join(dir, 'results');
    mkdirSync(results);
    const script = catalog.spec.steps[0]!.script
      .replace('/ko-app/git-init', gitInit)
      .replace(/\$\(results\.([a-z-]+)\.path\)/g, (_m, name: string) => join(results, name));
    writeFileSync(join(dir, 'step.sh'), script);
    const output = join(dir, 'catalog-output');
    const userHome = join(dir, 'user-home');
    mkdirSync(join(output, 'src'), { recursive: true });
    mkdirSync(userHome);
    writeFileSync(join(output, 'src', 'stale.txt'), 'removed by deleteExisting');
    writeFileSync(join(output, 'beside.txt'), 'outside the checkout folder: kept');
    const url = daemon.url(repos.names.main);
    const stepEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: userHome,
      PARAM_URL: url,
      PARAM_REVISION: '1.0.0',
      PARAM_REFSPEC: '',
      PARAM_SUBMODULES: 'true',
      PARAM_DEPTH: '1',
      PARAM_SSL_VERIFY: 'true',
      PARAM_CRT_FILENAME: 'ca-bundle.crt',
      PARAM_SUBDIRECTORY: 'src',
      PARAM_DELETE_EXISTING: 'true',
      PARAM_HTTP_PROXY: '',
      PARAM_HTTPS_PROXY: '',
      PARAM_NO_PROXY: '',
      PARAM_VERBOSE: 'true',
      PARAM_SPARSE_CHECKOUT_DIRECTORIES: '',
      PARAM_USER_HOME: userHome,
      WORKSPACE_OUTPUT_PATH: output,
      WORKSPACE_SSH_DIRECTORY_BOUND: 'false',
      WORKSPACE_SSH_DIRECTORY_PATH: '',
      WORKSPACE_BASIC_AUTH_DIRECTORY_BOUND: 'false',
      WORKSPACE_BASIC_AUTH_DIRECTORY_PATH: '',
      WORKSPACE_SSL_CA_DIRECTORY_BOUND: 'false',
      WORKSPACE_SSL_CA_DIRECTORY_PATH: '',
    };
    const r = await exec('sh', [join(dir, 'step.sh')], stepEnv, dir);
    assert.equal(r.code, 0, r.out);
    assert.equal(existsSync(join(output, 'src', 'stale.txt')), false);
    assert.equal(existsSync(join(output, 'beside.txt')), true);
    const state = await checkoutState(join(output, 'src'), env);
    assert.equal(state.commit, repos.main.tagCommit);
    assert.equal(readFileSync(join(results, 'commit'), 'utf8'), repos.main.tagCommit);
    assert.equal(readFileSync(join(results, 'url'), 'utf8'), url);
    assert.equal(readFileSync(join(results, 'committer-date'), 'utf8'), state.committerDate);
  });
});
