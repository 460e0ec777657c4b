// Image references, registry credentials from podman's and docker's files, auth challenges.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findCredentials, parseChallenge } from '../../src/build/auth.js';
import { publicUrl } from '../../src/build/labels.js';
import { formatImageRef, isLoopback, parseImageRef } from '../../src/build/reference.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

test('image references parse like docker and podman read them', () => {
  assert.deepEqual(parseImageRef('node'), { registry: 'docker.io', repository: 'library/node' });
  assert.deepEqual(parseImageRef('node:22'), { registry: 'docker.io', repository: 'library/node', tag: '22' });
  assert.deepEqual(parseImageRef(`gcr.io/distroless/nodejs22-debian13@${DIGEST}`), { registry: 'gcr.io', repository: 'distroless/nodejs22-debian13', digest: DIGEST });
  assert.deepEqual(parseImageRef(`127.0.0.1:5000/a/b:v1@${DIGEST}`), { registry: '127.0.0.1:5000', repository: 'a/b', tag: 'v1', digest: DIGEST });
  assert.deepEqual(parseImageRef('localhost/x'), { registry: 'localhost', repository: 'x' });
  assert.equal(formatImageRef(parseImageRef('index.docker.io/library/node:22')), 'docker.io/library/node:22');
  assert.throws(() => parseImageRef('Upper/case'), /invalid image reference "Upper\/case"/);
  assert.throws(() => parseImageRef('a/b@sha256:short'), /sha256: and 64 hex digits/);
  assert.throws(() => parseImageRef('a/b:bad tag'), /not a valid tag/);
  assert.ok(isLoopback('127.0.0.1:5000') && isLoopback('localhost') && !isLoopback('ghcr.io'));
});

test('credentials: $REGISTRY_AUTH_FILE first, then XDG_RUNTIME_DIR, ~/.config/containers, docker config; longest prefix wins', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tektite-auth-'));
  try {
    const write = (file: string, content: unknown) => {
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, JSON.stringify(content));
      return file;
    };
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const env = { HOME: join(dir, 'home'), XDG_RUNTIME_DIR: join(dir, 'run') };
    write(join(dir, 'home', '.docker', 'config.json'), { auths: { 'https://index.docker.io/v1/': { auth: b64('hub:pw') }, 'r.io': { auth: b64('docker:pw') } } });
    assert.deepEqual(findCredentials('docker.io', 'library/node', env), { username: 'hub', password: 'pw' });
    assert.deepEqual(findCredentials('r.io', 'x', env), { username: 'docker', password: 'pw' });
    write(join(dir, 'home', '.config', 'containers', 'auth.json'), { auths: { 'r.io': { auth: b64('podman:pw') } } });
    assert.deepEqual(findCredentials('r.io', 'x', env), { username: 'podman', password: 'pw' });
    write(join(dir, 'run', 'containers', 'auth.json'), { auths: { 'r.io': { auth: b64('runtime:p:w') }, 'r.io/team/app': { auth: b64('team:pw') } } });
    assert.deepEqual(findCredentials('r.io', 'x', env), { username: 'runtime', password: 'p:w' });
    assert.deepEqual(findCredentials('r.io', 'team/app', env), { username: 'team', password: 'pw' });
    const file = write(join(dir, 'explicit.json'), { auths: { 'r.io': { identitytoken: 'refresh-me' } } });
    assert.deepEqual(findCredentials('r.io', 'x', { ...env, REGISTRY_AUTH_FILE: file }), { identityToken: 'refresh-me' });
    assert.equal(findCredentials('other.io', 'x', env), undefined);
    writeFileSync(file, '{not json');
    assert.throws(() => findCredentials('r.io', 'x', { ...env, REGISTRY_AUTH_FILE: file }), /explicit\.json: not valid JSON/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('auth challenges and credential-free source labels', () => {
  assert.deepEqual(parseChallenge('Bearer realm="https://auth.io/token",service="registry.io",scope="repository:a/b:pull,push"'), {
    scheme: 'bearer',
    params: { realm: 'https://auth.io/token', service: 'registry.io', scope: 'repository:a/b:pull,push' },
  });
  assert.deepEqual(parseChallenge('Basic realm="x"'), { scheme: 'basic', params: { realm: 'x' } });
  assert.equal(publicUrl('https://bot:s3cret@github.com/acme/x.git'), 'https://github.com/acme/x.git');
  assert.equal(publicUrl('git@github.com:acme/x.git'), 'git@github.com:acme/x.git');
});
