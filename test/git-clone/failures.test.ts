// Failing clones through `tektite run`: a clear message and exit code, no credentials anywhere in
// the output or the run's logs, and the output workspace exactly as it was (deleteExisting=false);
// subdirectory escapes rejected before anything is touched; credentials that work.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { buildRepos, isolatedGitEnv, requireGit, startGitDaemon, startHttpGitServer, type GitServer, type Repos } from '../helpers/git-servers.js';
import { checkoutState, readStatus, runFolder, taskYaml, tektite, type CliRun } from './harness.js';

const PASSWORD = 'n0t-in-any-log';

/** Every file under `dir` with its content (symlinks as their target): a workspace fingerprint. */
function snapshotTree(dir: string, root = dir, out: Record<string, string> = {}): Record<string, string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    const key = relative(root, p);
    if (e.isSymbolicLink()) out[key] = `-> ${readlinkSync(p)}`;
    else if (e.isDirectory()) {
      out[`${key}/`] = (statSync(p).mode & 0o777).toString(8);
      snapshotTree(p, root, out);
    } else out[key] = readFileSync(p, 'utf8');
  }
  return out;
}

/** The step logs tektite kept (status.yaml is the TaskRun itself, whose spec holds the params as given). */
function logsOf(folder: string): string {
  const logs = join(folder, 'logs');
  assert.ok(existsSync(logs), `no logs folder in ${folder}`);
  return readdirSync(logs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

describe('git-clone: failures and credentials', () => {
  let dir: string;
  let repos: Repos;
  let daemon: GitServer;
  let locked: GitServer;
  let n = 0;

  before(async () => {
    requireGit();
    dir = mkdtempSync(join(tmpdir(), 'git-clone-failures-'));
    mkdirSync(join(dir, 'srv'));
    repos = buildRepos(join(dir, 'srv'));
    daemon = await startGitDaemon(repos.root);
    locked = await startHttpGitServer(repos.root, { auth: { user: 'robot', password: PASSWORD } });
  });
  after(async () => {
    await daemon.close();
    await locked.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A workspace with user files in it, and a `tektite run` of our Task into it. */
  async function run(params: Record<string, string>, extraArgs: string[] = [], prepare?: (ws: string) => void) {
    const work = join(dir, `run-${++n}`);
    const ws = join(work, 'ws');
    mkdirSync(join(ws, 'notes'), { recursive: true });
    writeFileSync(join(ws, 'keep.txt'), 'user data\n');
    writeFileSync(join(ws, 'notes', '.hidden'), 'more\n');
    prepare?.(ws);
    const before = snapshotTree(ws);
    const args = ['run', taskYaml, '--executor', 'host', '-w', `output=${ws}`, ...extraArgs];
    for (const [k, v] of Object.entries(params)) args.push('-p', `${k}=${v}`);
    const cli: CliRun = await tektite(args, work);
    const folder = join(work, '.tektite', 'runs', readdirSync(join(work, '.tektite', 'runs'))[0]!);
    return { cli, ws, before, after: snapshotTree(ws), status: readStatus(folder), logs: logsOf(folder), folder, work };
  }

  test('bad url: exit 1, the hint, and the workspace untouched', async () => {
    const r = await run({ url: `file://${repos.root}/missing.git`, deleteExisting: 'false' });
    assert.equal(r.cli.code, 1);
    assert.equal(r.status.exitCode, 1);
    assert.equal(r.status.succeeded, false);
    assert.match(r.cli.stdout + r.cli.stderr, /does not appear to be a git repository/);
    assert.match(r.cli.stdout + r.cli.stderr, /Hint: Nothing that looks like a git repository is at this url/);
    assert.deepEqual(r.after, r.before);
    assert.deepEqual(r.status.results, {});
  });

  test('unknown revision: exit 1, names the ref, workspace untouched', async () => {
    const r = await run({ url: daemon.url(repos.names.main), revision: 'no-such-branch', deleteExisting: 'false' });
    assert.equal(r.status.exitCode, 1);
    assert.match(r.cli.stdout, /couldn't find remote ref no-such-branch/);
    assert.match(r.cli.stdout, /Hint: The revision or refspec does not exist on the remote/);
    assert.deepEqual(r.after, r.before);
  });

  test('a revision outside the fetched refspec: "error parsing", workspace untouched', async () => {
    const r = await run({ url: daemon.url(repos.names.main), refspec: 'refs/heads/feature', revision: repos.main.pullHead, deleteExisting: 'false' });
    assert.equal(r.status.exitCode, 1);
    assert.match(r.cli.stdout, new RegExp(`error parsing ${repos.main.pullHead} after fetching refspec refs/heads/feature`));
    assert.deepEqual(r.after, r.before);
  });

  test('auth required, wrong password in the url: exit 1, no password in output, logs or results', async () => {
    const url = locked.url(repos.names.main).replace('http://', `http://robot:${PASSWORD}x@`);
    const r = await run({ url, deleteExisting: 'false' });
    assert.equal(r.status.exitCode, 1);
    const all = r.cli.stdout + r.cli.stderr + r.logs;
    assert.match(all, /Authentication failed/);
    assert.match(all, /Hint: The remote rejected the credentials/);
    assert.doesNotMatch(all, new RegExp(PASSWORD));
    assert.doesNotMatch(JSON.stringify(r.status.results), new RegExp(PASSWORD));
    assert.deepEqual(r.after, r.before);
  });

  test('auth required, no credentials: exit 1 at once (no prompt), with the hint', async () => {
    const r = await run({ url: locked.url(repos.names.main), deleteExisting: 'false' });
    assert.equal(r.status.exitCode, 1);
    assert.match(r.cli.stdout, /terminal prompts disabled/);
    assert.match(r.cli.stdout, /Hint: The remote asks for a user name and password/);
    assert.deepEqual(r.after, r.before);
  });

  test('credentials in the url that work: cloned, and the password is nowhere (masked, result redacted)', async () => {
    const url = locked.url(repos.names.main).replace('http://', `http://robot:${PASSWORD}@`);
    const r = await run({ url });
    assert.equal(r.cli.code, 0, r.cli.stdout);
    assert.doesNotMatch(r.cli.stdout + r.cli.stderr + r.logs, new RegExp(PASSWORD));
    assert.equal(r.status.results.url, locked.url(repos.names.main).replace('http://', 'http://***@'));
    assert.equal(r.status.results.commit, repos.main.commits.at(-1));
    assert.equal(existsSync(join(r.ws, 'keep.txt')), false, 'deleteExisting=true emptied the folder first');
  });

  test('basic-auth workspace: .git-credentials and .gitconfig copied into the home (owner-only), clone succeeds', async () => {
    const auth = join(dir, 'basic-auth');
    mkdirSync(auth);
    const origin = new URL(locked.url(''));
    writeFileSync(join(auth, '.git-credentials'), `http://robot:${PASSWORD}@${origin.host}\n`);
    writeFileSync(join(auth, '.gitconfig'), '[credential]\n\thelper = store\n');
    const r = await run({ url: locked.url(repos.names.main) }, ['-w', `basic-auth=${auth}`]);
    assert.equal(r.cli.code, 0, r.cli.stdout);
    assert.equal(r.status.results.commit, repos.main.commits.at(-1));
    assert.doesNotMatch(r.cli.stdout + r.cli.stderr + r.logs, new RegExp(PASSWORD));
    // Copied as 0400; git rewrites both afterwards (credential-store after a successful fetch, and
    // `git config --global --add safe.directory`) as 0600, as in the catalog. Never group/other readable.
    const home = join(r.folder, 'volumes', 'user-home');
    for (const f of ['.git-credentials', '.gitconfig']) assert.equal(statSync(join(home, f)).mode & 0o077, 0, f);
    assert.match(readFileSync(join(home, '.gitconfig'), 'utf8'), /helper = store[\s\S]*safe/);
  });

  test('file:// submodules: git refuses them; the hint says why, the checkout is removed again', async () => {
    const r = await run({ url: `file://${join(repos.root, repos.names.super)}` });
    assert.equal(r.status.exitCode, 1);
    assert.match(r.cli.stdout + r.cli.stderr, /transport 'file' not allowed/);
    assert.match(r.cli.stdout, /Hint: A submodule uses a file:\/\/ URL/);
    assert.deepEqual(readdirSync(r.ws), []);
  });

  const outside = () => join(dir, 'outside');
  for (const [label, subdirectory, prepare] of [
    ['../..', '../..', undefined],
    ['an absolute path', '/etc', undefined],
    ['a symlink out of the workspace', 'link', (ws: string) => symlinkSync(outside(), join(ws, 'link'))],
    ['a path through a symlink', 'link/deeper', (ws: string) => symlinkSync(outside(), join(ws, 'link'))],
  ] as const) {
    test(`subdirectory ${label}: exit 2 before anything is touched, even with deleteExisting=true`, async () => {
      mkdirSync(outside(), { recursive: true });
      writeFileSync(join(outside(), 'precious.txt'), 'do not delete\n');
      const r = await run({ url: daemon.url(repos.names.main), subdirectory, deleteExisting: 'true' }, [], prepare);
      assert.equal(r.cli.code, 1);
      assert.equal(r.status.exitCode, 2);
      assert.match(r.cli.stdout + r.cli.stderr, /subdirectory .* is rejected/);
      assert.deepEqual(r.after, r.before);
      assert.deepEqual(readdirSync(outside()), ['precious.txt']);
    });
  }

  test('values git-init rejects (Go bool/uint) are usage errors, exit 2', async () => {
    for (const [k, v] of [['depth', '-1'], ['submodules', 'yes'], ['sslVerify', '']]) {
      const r = await run({ url: daemon.url(repos.names.main), [k]: v, deleteExisting: 'false' });
      assert.equal(r.status.exitCode, 2, `${k}=${v}`);
      assert.match(r.cli.stdout + r.cli.stderr, new RegExp(`invalid value "${v}" for flag -${k}`));
      assert.deepEqual(r.after, r.before);
    }
  });

  test('a revision, refspec or url that git would read as an option is rejected (no --upload-pack command runs)', async () => {
    const marker = join(dir, 'pwned');
    const cases: Array<[string, string]> = [
      ['revision', `--upload-pack=touch ${marker};git-upload-pack`],
      ['refspec', `refs/heads/main --upload-pack=touch ${marker};git-upload-pack`],
    ];
    for (const [k, v] of cases) {
      const r = await run({ url: `file://${join(repos.root, repos.names.main)}`, [k]: v, deleteExisting: 'false' });
      assert.equal(r.status.exitCode, 2, `${k}: ${r.cli.stdout}`);
      assert.match(r.cli.stdout + r.cli.stderr, new RegExp(`for flag -${k}: must not start with "-"`));
      assert.deepEqual(r.after, r.before);
    }
    const r = await run({ url: '--upload-pack=true', deleteExisting: 'false' });
    assert.equal(r.status.exitCode, 2);
    assert.equal(existsSync(marker), false);
  });

  test('deleteExisting=false over an earlier clone of another revision: fetch and check out in place', async () => {
    const first = await run({ url: daemon.url(repos.names.main), revision: '1.0.0' });
    assert.equal(first.cli.code, 0, first.cli.stdout);
    const env = isolatedGitEnv(dir);
    assert.equal((await checkoutState(first.ws, env)).commit, repos.main.tagCommit);
    const args = ['run', taskYaml, '--executor', 'host', '-w', `output=${first.ws}`, '-p', `url=${daemon.url(repos.names.main)}`, '-p', 'revision=feature', '-p', 'deleteExisting=false'];
    const second = await tektite(args, first.work);
    assert.equal(second.code, 0, second.stdout);
    assert.equal((await checkoutState(first.ws, env)).commit, repos.main.featureHead);
    assert.equal(readStatus(runFolder(first.work, second.stdout.match(/TaskRun (\S+) /)![1]!)).results.commit, repos.main.featureHead);
  });
});
