// Registry auth as users meet it: Basic over TLS (self-signed CA via NODE_EXTRA_CA_CERTS),
// Docker's Bearer-token flow against a token server, credentials read from podman's and
// docker's files and from a docker credential helper. The base lives on another registry, so
// its big layer goes up in chunks.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startRegistry, startTokenServer, type TestRegistry, type TokenServer } from '../helpers/registry.js';
import { pushWithSkopeo } from './base-image.js';
import { expectOk, PLUGIN, seededRegistry, tektite, tool, type Seeded } from './fixture.js';

const USER = 'tester';
const PASSWORD = 'pa55:word'; // a colon inside the password must survive the auth encoding

describe('registry auth', () => {
  let work: string;
  let plain: Seeded;
  let basic: TestRegistry;
  let tokens: TokenServer;
  let bearer: TestRegistry;
  /** Env with no credentials anywhere but where a test puts them. */
  let cleanEnv: NodeJS.ProcessEnv;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'tektite-auth-test-'));
    plain = await seededRegistry(work);
    basic = await startRegistry({ tls: true, basic: { user: USER, password: PASSWORD } });
    tokens = await startTokenServer(USER, PASSWORD);
    bearer = await startRegistry({ token: { realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, certFile: tokens.certFile } });
    const home = join(work, 'home');
    mkdirSync(home);
    cleanEnv = { HOME: home, TEKTITE_CACHE: join(work, 'cache'), REGISTRY_AUTH_FILE: '', XDG_RUNTIME_DIR: '', XDG_CONFIG_HOME: '', DOCKER_CONFIG: '' };
  });

  after(async () => {
    await Promise.all([plain?.registry.stop(), basic?.stop(), bearer?.stop(), tokens?.stop()]);
    rmSync(work, { recursive: true, force: true });
  });

  function authFile(name: string, content: unknown): string {
    const file = join(work, name);
    writeFileSync(file, JSON.stringify(content));
    return file;
  }

  test('Basic auth over TLS: credentials from $REGISTRY_AUTH_FILE, a big layer uploaded in chunks', async () => {
    const file = authFile('auth.json', { auths: { [basic.host]: { auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64') } } });
    const target = `${basic.host}/plugins/${PLUGIN.name}:v1`;
    const env = { ...cleanEnv, REGISTRY_AUTH_FILE: file, NODE_EXTRA_CA_CERTS: basic.caFile!, TEKTITE_UPLOAD_CHUNK_MB: '16' };
    const ref = expectOk(await tektite(['build', PLUGIN.file, '--base', plain.base, '--push', target, '-o', join(work, 'basic.yaml')], env), 'push with basic auth');
    const served = await basic.requests();
    assert.ok(served.filter((q) => q.method === 'PATCH' && q.status === 202).length >= 3, 'the ~55 MB base layer goes up in 16 MiB chunks');
    const inspect = JSON.parse(await tool('skopeo', ['inspect', '--tls-verify=false', '--creds', `${USER}:${PASSWORD}`, `docker://${target}`])) as { Digest: string };
    assert.equal(inspect.Digest, ref.split('@')[1]);
  });

  test('Basic auth: no credentials, or wrong ones, fail with exit 1 and say why', async () => {
    const target = `${basic.host}/plugins/${PLUGIN.name}:v2`;
    const none = await tektite(['build', PLUGIN.file, '--base', plain.base, '--push', target], { ...cleanEnv, NODE_EXTRA_CA_CERTS: basic.caFile! });
    assert.equal(none.status, 1);
    assert.match(none.stderr, new RegExp(`${basic.host.replace(/\./g, '\\.')} requires a login`));
    const file = authFile('wrong.json', { auths: { [`https://${basic.host}`]: { username: USER, password: 'nope' } } });
    const wrong = await tektite(['build', PLUGIN.file, '--base', plain.base, '--push', target], { ...cleanEnv, REGISTRY_AUTH_FILE: file, NODE_EXTRA_CA_CERTS: basic.caFile! });
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /HTTP 401/);
    assert.doesNotMatch(wrong.stderr, /nope/, 'the password is never printed');
  });

  test('TLS without the CA: the error names NODE_EXTRA_CA_CERTS', async () => {
    const r = await tektite(['build', PLUGIN.file, '--base', plain.base, '--push', `${basic.host}/plugins/x:v1`], { ...cleanEnv, NODE_EXTRA_CA_CERTS: '' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /NODE_EXTRA_CA_CERTS/);
  });

  test('Bearer tokens: credentials from ~/.docker/config.json, base pulled and mounted with scoped tokens', async () => {
    const docker = join(cleanEnv.HOME!, '.docker');
    mkdirSync(docker);
    writeFileSync(join(docker, 'config.json'), JSON.stringify({ auths: { [bearer.host]: { username: USER, password: PASSWORD } } }));
    await pushWithSkopeo(plain.layout, `${bearer.host}/base/node:1`, ['--dest-creds', `${USER}:${PASSWORD}`]);
    const base = plain.base.replace(plain.registry.host, bearer.host);
    const target = `${bearer.host}/plugins/${PLUGIN.name}:v1`;
    const r = await tektite(['build', PLUGIN.file, '--base', base, '--push', target, '-o', join(work, 'bearer.yaml')], cleanEnv);
    const ref = expectOk(r, 'push with bearer auth');
    assert.match(r.stderr, /2 blobs uploaded, 1 mounted/);
    const mine = tokens.requests.filter((q) => q.scope.some((s) => s.startsWith('repository:plugins/')));
    assert.ok(mine.length > 0 && mine.every((q) => q.user === USER));
    assert.ok(
      mine.some((q) => q.scope.includes(`repository:plugins/${PLUGIN.name}:pull,push`) && q.scope.includes('repository:base/node:pull')),
      `a mount asks for both repositories: ${JSON.stringify(mine.map((q) => q.scope))}`,
    );
    const inspect = JSON.parse(await tool('skopeo', ['inspect', '--tls-verify=false', '--creds', `${USER}:${PASSWORD}`, `docker://${target}`])) as { Digest: string };
    assert.equal(inspect.Digest, ref.split('@')[1]);
    rmSync(docker, { recursive: true });
  });

  test('Bearer tokens: anonymous access is refused with exit 1', async () => {
    const r = await tektite(['build', PLUGIN.file, '--base', plain.base, '--push', `${bearer.host}/plugins/anon:v1`], cleanEnv);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /HTTP 401/);
  });

  test('a docker credential helper named in credHelpers supplies the login', async () => {
    const bin = join(work, 'bin');
    mkdirSync(bin, { recursive: true });
    const helper = join(bin, 'docker-credential-tektitetest');
    writeFileSync(helper, `#!/bin/sh\nread host\n[ "$host" = "${bearer.host}" ] || exit 1\nprintf '{"ServerURL":"%s","Username":"${USER}","Secret":"${PASSWORD}"}' "$host"\n`);
    chmodSync(helper, 0o755);
    const dockerConfig = join(work, 'docker-config');
    mkdirSync(dockerConfig);
    writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ credHelpers: { [bearer.host]: 'tektitetest' } }));
    const env = { ...cleanEnv, DOCKER_CONFIG: dockerConfig, PATH: `${bin}:${process.env.PATH}` };
    expectOk(await tektite(['build', PLUGIN.file, '--base', plain.base, '--push', `${bearer.host}/plugins/helper:v1`], env), 'push with a credential helper');
  });
});
