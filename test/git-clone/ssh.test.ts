// ssh urls and the ssh-directory workspace. No sshd runs here, so `ssh` on the step's PATH is a
// stand-in that records its arguments and runs the remote command (git-upload-pack) locally:
// what is tested is what git-clone hands to ssh (keys, known_hosts, host key policy), for real git.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRepos, requireGit, type Repos } from '../helpers/git-servers.js';
import { readStatus, taskYaml, tektite } from './harness.js';

describe('git-clone over ssh', () => {
  let dir: string;
  let repos: Repos;
  let bin: string;
  let n = 0;

  before(() => {
    requireGit();
    dir = mkdtempSync(join(tmpdir(), 'git-clone-ssh-'));
    mkdirSync(join(dir, 'srv'));
    repos = buildRepos(join(dir, 'srv'));
    bin = join(dir, 'bin');
    mkdirSync(bin);
    // ssh [options] host command: log the options, run the command here.
    writeFileSync(
      join(bin, 'ssh'),
      `#!/bin/sh\nprintf '%s\\n' "$@" > "${join(dir, 'ssh-args')}"\nfor last; do :; done\nexec sh -c "$last"\n`,
    );
    chmodSync(join(bin, 'ssh'), 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function run(extra: string[]) {
    const work = join(dir, `run-${++n}`);
    mkdirSync(work);
    const url = `git@127.0.0.1:${join(repos.root, repos.names.main)}`;
    const cli = await tektite(['run', taskYaml, '--executor', 'host', '-w', 'output=emptyDir', '-p', `url=${url}`, ...extra], work, {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
    });
    const folder = join(work, '.tektite', 'runs', readdirSync(join(work, '.tektite', 'runs'))[0]!);
    return { cli, folder, status: readStatus(folder), sshArgs: readFileSync(join(dir, 'ssh-args'), 'utf8').trim().split('\n') };
  }

  test('without ssh-directory: new host keys accepted (accept-new), as git-init does', async () => {
    const r = await run([]);
    assert.equal(r.cli.code, 0, r.cli.stdout);
    assert.equal(r.status.results.commit, repos.main.commits.at(-1));
    assert.ok(r.sshArgs.includes('StrictHostKeyChecking=accept-new'), r.sshArgs.join(' '));
    assert.match(r.sshArgs.at(-1)!, /git-upload-pack/);
  });

  test("ssh-directory: copied to the home's .ssh (0700, files 0400) and handed to ssh", async () => {
    const sshDir = join(dir, 'ssh-directory');
    mkdirSync(sshDir);
    writeFileSync(join(sshDir, 'id_ed25519'), 'not a real key\n');
    writeFileSync(join(sshDir, 'known_hosts'), '127.0.0.1 ssh-ed25519 AAAA\n');
    writeFileSync(join(sshDir, 'config'), 'Host *\n  User git\n');
    const r = await run(['-w', `ssh-directory=${sshDir}`]);
    assert.equal(r.cli.code, 0, r.cli.stdout);
    assert.equal(r.status.results.commit, repos.main.commits.at(-1));
    const home = join(r.folder, 'volumes', 'user-home', '.ssh');
    assert.equal(statSync(home).mode & 0o777, 0o700);
    for (const f of ['id_ed25519', 'known_hosts', 'config']) assert.equal(statSync(join(home, f)).mode & 0o777, 0o400, f);
    // The step's HOME is the user-home volume, not this user's passwd home, so ssh is pointed at it.
    const args = r.sshArgs.join(' ');
    assert.match(args, /-F \S+\/\.ssh\/config/);
    assert.match(args, /UserKnownHostsFile=\S+\/\.ssh\/known_hosts/);
    assert.match(args, /IdentityFile=\S+\/\.ssh\/id_ed25519/);
    assert.doesNotMatch(args, /accept-new/);
  });
});
