// HTTPS with a self-signed certificate: the ssl-ca-directory workspace (and crtFileName), sslVerify,
// and the proxy params reach git, through `tektite run` of our Task.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRepos, gitAsync, isolatedGitEnv, requireGit, selfSignedCertificate, startHttpGitServer, type GitServer, type Repos } from '../helpers/git-servers.js';
import { readStatus, taskYaml, tektite } from './harness.js';

describe('git-clone over HTTPS', () => {
  let dir: string;
  let repos: Repos;
  let https: GitServer;
  let certFile: string;
  let n = 0;

  before(async () => {
    requireGit();
    dir = mkdtempSync(join(tmpdir(), 'git-clone-tls-'));
    mkdirSync(join(dir, 'srv'));
    repos = buildRepos(join(dir, 'srv'));
    const cert = selfSignedCertificate(dir);
    certFile = cert.certFile;
    https = await startHttpGitServer(repos.root, { tls: cert });
  });
  after(async () => {
    await https.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(params: Record<string, string>, caFile?: string) {
    const work = join(dir, `run-${++n}`);
    const ws = join(work, 'output');
    mkdirSync(ws, { recursive: true });
    const args = ['run', taskYaml, '--executor', 'host', '-w', `output=${ws}`, '-p', `url=${https.url(repos.names.main)}`];
    if (caFile) {
      const ca = join(work, 'ca');
      mkdirSync(ca);
      copyFileSync(certFile, join(ca, caFile));
      args.push('-w', `ssl-ca-directory=${ca}`);
    }
    for (const [k, v] of Object.entries(params)) args.push('-p', `${k}=${v}`);
    const cli = await tektite(args, work);
    const status = readStatus(join(work, '.tektite', 'runs', readdirSync(join(work, '.tektite', 'runs'))[0]!));
    return { cli, status, ws };
  }

  test('the CA from ssl-ca-directory (ca-bundle.crt) verifies the server', async () => {
    const r = await run({}, 'ca-bundle.crt');
    assert.equal(r.cli.code, 0, r.cli.stdout);
    assert.equal(r.status.results.commit, repos.main.commits.at(-1));
  });

  test('crtFileName names another file in ssl-ca-directory', async () => {
    const r = await run({ crtFileName: 'server.crt' }, 'server.crt');
    assert.equal(r.cli.code, 0, r.cli.stdout);
  });

  test('without the CA the clone fails with the TLS hint; sslVerify=false clones and is recorded', async () => {
    const refused = await run({ deleteExisting: 'false' });
    assert.equal(refused.status.exitCode, 1);
    assert.match(refused.cli.stdout, /SSL certificate problem|server certificate verification failed/i);
    assert.match(refused.cli.stdout, /Hint: The server's TLS certificate is not trusted/);
    assert.deepEqual(readdirSync(refused.ws), []);

    const unverified = await run({ sslVerify: 'false' });
    assert.equal(unverified.cli.code, 0, unverified.cli.stdout);
    assert.equal(await gitAsync(['config', 'http.sslVerify'], unverified.ws, isolatedGitEnv(dir)), 'false');
  });

  test('httpsProxy reaches git (an unreachable proxy fails), and noProxy exempts the host', async () => {
    const proxied = await run({ httpsProxy: 'http://127.0.0.1:9', deleteExisting: 'false' }, 'ca-bundle.crt');
    assert.equal(proxied.status.exitCode, 1);
    assert.match(proxied.cli.stdout, /Failed to connect to 127\.0\.0\.1 port 9/);
    assert.match(proxied.cli.stdout, /Hint: Nothing accepted the connection/);
    const exempt = await run({ httpsProxy: 'http://127.0.0.1:9', noProxy: '127.0.0.1' }, 'ca-bundle.crt');
    assert.equal(exempt.cli.code, 0, exempt.cli.stdout);
  });
});
