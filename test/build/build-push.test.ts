// tektite build end to end against Debian's docker-registry: push, inspect with skopeo and
// umoci, reproducible digests, a second push that uploads nothing, multi-platform index,
// OCI layout and docker-archive outputs, and the pushed image running under podman.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import { after, before, describe, test } from 'node:test';
import { repoRoot } from '../helpers/paths.js';
import { requireTool } from '../helpers/registry.js';
import { expectOk, PLUGIN, podman, podmanCleanup, seededRegistry, tektite, type Seeded } from './fixture.js';

const REMOTE_ENV = { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'remote.origin.url', GIT_CONFIG_VALUE_0: 'https://bot:s3cret@example.com/acme/plugins.git' };

function skopeoInspect(ref: string, raw = false): Record<string, unknown> {
  const args = ['inspect', '--tls-verify=false', ...(raw ? ['--raw'] : []), ref];
  return JSON.parse(execFileSync('skopeo', args, { encoding: 'utf8' })) as Record<string, unknown>;
}

describe('tektite build with a real registry', () => {
  let work: string;
  let seeded: Seeded;
  let cache: string;
  let pushedRef: string;
  let run: ReturnType<typeof podman> | undefined;

  before(async () => {
    for (const t of ['skopeo', 'umoci', 'git']) requireTool(t);
    work = mkdtempSync(join(tmpdir(), 'tektite-build-test-'));
    cache = join(work, 'cache');
    seeded = await seededRegistry(work);
  });

  after(async () => {
    if (run) podmanCleanup(run);
    await seeded?.registry.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('pushes an image whose manifest and config skopeo and umoci read back', async () => {
    const target = `${seeded.registry.host}/plugins/${PLUGIN.name}:v1`;
    const r = await tektite(['build', PLUGIN.file, '--base', seeded.base, '--push', target], { TEKTITE_CACHE: cache, ...REMOTE_ENV });
    const task = parse(expectOk(r, 'build --push')) as { kind: string; spec: { steps: { image: string; command: string[] }[] } };
    assert.equal(task.kind, 'Task');
    pushedRef = task.spec.steps[0]!.image;
    assert.deepEqual(task.spec.steps[0]!.command, ['/tektite/node', `/tektite/${PLUGIN.name}.mjs`]);
    assert.match(pushedRef, new RegExp(`^${seeded.registry.host}/plugins/${PLUGIN.name}@sha256:[a-f0-9]{64}$`));
    assert.match(r.stderr, /pushed .* \(2 blobs uploaded, 1 mounted, 0 already there\)/);

    const inspect = skopeoInspect(`docker://${target}`);
    assert.equal(inspect.Digest, pushedRef.split('@')[1]);
    assert.equal(inspect.Architecture, 'amd64');
    const revision = execFileSync('git', ['-C', repoRoot, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    assert.deepEqual(inspect.Labels, { 'org.opencontainers.image.source': 'https://example.com/acme/plugins.git', 'org.opencontainers.image.revision': revision });
    assert.equal((inspect.Layers as string[]).length, 2, 'base layer + plugin layer');

    const config = JSON.parse(execFileSync('skopeo', ['inspect', '--config', '--tls-verify=false', `docker://${target}`], { encoding: 'utf8' }));
    assert.deepEqual(config.config.Entrypoint, ['/tektite/node', `/tektite/${PLUGIN.name}.mjs`]);
    assert.equal(config.config.User, '65532:65532');
    assert.equal(config.config.WorkingDir, '/');
    assert.equal(config.created, '1970-01-01T00:00:00Z');

    const manifest = skopeoInspect(`docker://${pushedRef}`, true) as { mediaType: string; annotations: Record<string, string> };
    assert.equal(manifest.mediaType, 'application/vnd.oci.image.manifest.v1+json');
    assert.equal(manifest.annotations['org.opencontainers.image.base.digest'], seeded.base.split('@')[1]);

    // Pulled back by an independent client, then unpacked by umoci: the bundle and the node link are there.
    const pulled = join(work, 'pulled');
    execFileSync('skopeo', ['copy', '--src-tls-verify=false', `docker://${pushedRef}`, `oci:${pulled}:v1`], { stdio: 'ignore' });
    const stat = JSON.parse(execFileSync('umoci', ['stat', '--json', '--image', `${pulled}:v1`], { encoding: 'utf8' })) as { history: { created_by: string }[] };
    assert.equal(stat.history.at(-1)!.created_by, `tektite build (/tektite/${PLUGIN.name}.mjs)`);
    const bundleDir = join(work, 'unpacked');
    execFileSync('umoci', ['unpack', '--image', `${pulled}:v1`, bundleDir], { stdio: 'ignore' });
    const rootfs = join(bundleDir, 'rootfs');
    assert.equal(readlinkSync(join(rootfs, 'tektite', 'node')), '/nodejs/bin/node');
    assert.ok(lstatSync(join(rootfs, 'nodejs', 'bin', 'node')).isFile());
    assert.match(readFileSync(join(rootfs, 'tektite', `${PLUGIN.name}.mjs`), 'utf8'), /^#!\/usr\/bin\/env node/);
    const runtime = JSON.parse(readFileSync(join(bundleDir, 'config.json'), 'utf8')) as { process: { user: { uid: number; gid: number }; args: string[] } };
    assert.deepEqual(runtime.process.user, { uid: 65532, gid: 65532 });
    assert.deepEqual(runtime.process.args, ['/tektite/node', `/tektite/${PLUGIN.name}.mjs`]);
  });

  test('rebuilding gives the identical digest, with a warm cache and with a cold one', async () => {
    assert.ok(pushedRef, 'needs the push test');
    const digest = pushedRef.split('@')[1];
    const warm = expectOk(await tektite(['build', PLUGIN.file, '--base', seeded.base], { TEKTITE_CACHE: cache, ...REMOTE_ENV }), 'warm rebuild');
    assert.equal(warm, digest);
    const cold = expectOk(await tektite(['build', PLUGIN.file, '--base', seeded.base], { TEKTITE_CACHE: join(work, 'cold-cache'), ...REMOTE_ENV }), 'cold rebuild');
    assert.equal(cold, digest);
    const otherEpoch = expectOk(await tektite(['build', PLUGIN.file, '--base', seeded.base], { TEKTITE_CACHE: cache, SOURCE_DATE_EPOCH: '1700000000', ...REMOTE_ENV }), 'epoch');
    assert.notEqual(otherEpoch, digest, 'SOURCE_DATE_EPOCH is part of the inputs');
  });

  test('a second push uploads no blob again', async () => {
    const target = `${seeded.registry.host}/plugins/${PLUGIN.name}:v1`;
    const before = (await seeded.registry.requests()).length;
    const yamlFile = join(work, 'yaml', 'stepaction.yaml');
    const r = await tektite(['build', PLUGIN.file, '--base', seeded.base, '--push', target, '--stepaction', '-o', yamlFile], { TEKTITE_CACHE: cache, ...REMOTE_ENV });
    assert.equal(expectOk(r, 'second push'), pushedRef, 'with -o the image reference goes to stdout');
    const stepAction = parse(readFileSync(yamlFile, 'utf8')) as { kind: string; metadata: { annotations: Record<string, string> }; spec: { image: string } };
    assert.equal(stepAction.kind, 'StepAction');
    assert.equal(stepAction.spec.image, pushedRef);
    assert.equal(stepAction.metadata.annotations['tektite.dev/source'], relative(dirname(yamlFile), PLUGIN.file));
    const validate = await tektite(['validate', '--strict', yamlFile]);
    assert.equal(validate.status, 0, `the pinned StepAction passes tektite validate: ${validate.stdout}${validate.stderr}`);
    assert.match(r.stderr, /\(0 blobs uploaded, 0 mounted, 3 already there\)/);
    const served = (await seeded.registry.requests()).slice(before);
    const uploads = served.filter((q) => q.method === 'POST' || q.method === 'PATCH' || (q.method === 'PUT' && q.uri.includes('/blobs/')));
    assert.deepEqual(uploads, []);
    assert.equal(served.filter((q) => q.method === 'HEAD' && q.uri.includes('/blobs/sha256:')).length, 3);
  });

  test('--platform linux/amd64,linux/arm64 pushes an index of two images', async () => {
    const target = `${seeded.registry.host}/plugins/${PLUGIN.name}:multi`;
    const pushed = parse(expectOk(await tektite(['build', PLUGIN.file, '--base', seeded.base, '--platform', 'linux/amd64,linux/arm64', '--push', target], { TEKTITE_CACHE: cache }), 'multi push')) as { spec: { steps: { image: string }[] } };
    const ref = pushed.spec.steps[0]!.image;
    const index = skopeoInspect(`docker://${ref}`, true) as { mediaType: string; manifests: { platform: { architecture: string } }[] };
    assert.equal(index.mediaType, 'application/vnd.oci.image.index.v1+json');
    assert.deepEqual(index.manifests.map((m) => m.platform.architecture), ['amd64', 'arm64']);
    assert.equal(skopeoInspect(`docker://${target}`).Architecture, 'amd64', "skopeo picks this machine's platform from the index");
    const all = expectOk(await tektite(['build', PLUGIN.file, '--base', seeded.base, '--platform', 'all'], { TEKTITE_CACHE: cache }), 'all');
    assert.equal(all, ref.split('@')[1], '"all" is every platform of the base index');
  });

  test('--oci-layout and --tarball write outputs skopeo and podman read', async () => {
    const layout = join(work, 'layout');
    const tarball = join(work, 'image.tar');
    const r = await tektite(['build', PLUGIN.file, '--base', seeded.base, '--oci-layout', layout, '--tarball', tarball, '--tag', `localhost/${PLUGIN.name}:dev`], { TEKTITE_CACHE: cache, ...REMOTE_ENV });
    const digest = expectOk(r, 'layout + tarball');
    assert.equal(digest, pushedRef.split('@')[1]);
    const fromLayout = skopeoInspect(`oci:${layout}:dev`);
    assert.equal(fromLayout.Digest, digest);
    execFileSync('umoci', ['stat', '--image', `${layout}:dev`], { stdio: 'ignore' });
    const fromTar = skopeoInspect(`docker-archive:${tarball}`);
    const config = JSON.parse(execFileSync('skopeo', ['inspect', '--config', `oci:${layout}:dev`], { encoding: 'utf8' })) as { rootfs: { diff_ids: string[] } };
    assert.deepEqual(fromTar.Layers, config.rootfs.diff_ids, 'docker-archive layers are named by their diff IDs');
  });

  test('bad input gets a clear message and exit code', async () => {
    const noFile = await tektite(['build', join(work, 'missing.ts'), '--base', seeded.base], { TEKTITE_CACHE: cache });
    assert.equal(noFile.status, 2, noFile.stderr);
    const badRef = await tektite(['build', PLUGIN.file, '--push', 'Upper/Case'], { TEKTITE_CACHE: cache });
    assert.equal(badRef.status, 2);
    assert.match(badRef.stderr, /invalid image reference "Upper\/Case"/);
    const badPlatform = await tektite(['build', PLUGIN.file, '--base', seeded.base, '--platform', 'linux/s390x'], { TEKTITE_CACHE: cache });
    assert.equal(badPlatform.status, 1);
    assert.match(badPlatform.stderr, /has no linux\/s390x image \(it has linux\/amd64, linux\/arm64\/v8\)/);
    const twoPlatformTarball = await tektite(['build', PLUGIN.file, '--base', seeded.base, '--platform', 'linux/amd64,linux/arm64', '--tarball', join(work, 'x.tar')], { TEKTITE_CACHE: cache });
    assert.equal(twoPlatformTarball.status, 2);
    assert.match(twoPlatformTarball.stderr, /--tarball holds one platform/);
    const notLayout = await tektite(['build', PLUGIN.file, '--base', seeded.base, '--oci-layout', join(work, 'cache')], { TEKTITE_CACHE: cache });
    assert.equal(notLayout.status, 2);
    assert.match(notLayout.stderr, /not empty and not an OCI image layout/);
    const unreachable = await tektite(['build', PLUGIN.file, '--base', '127.0.0.1:1/base/node:1'], { TEKTITE_CACHE: cache });
    assert.equal(unreachable.status, 1);
    assert.match(unreachable.stderr, /cannot reach registry 127\.0\.0\.1:1/);
  });

  test('the pushed image runs under podman: the plugin prints its --help', async () => {
    assert.ok(pushedRef, 'needs the push test');
    run = podman(join(work, 'podman'), [seeded.registry.host]);
    const r = run(['run', '--rm', '--pull=always', pushedRef, '--help']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Params:/);
    const id = run(['run', '--rm', '--entrypoint', '/tektite/node', pushedRef, '-e', 'console.log(process.getuid(), process.cwd())']);
    assert.equal(id.stdout.trim(), '65532 /');
    if (PLUGIN.name === 'git-clone') {
      const git = run(['run', '--rm', '--entrypoint', '/usr/bin/git', pushedRef, '--version']);
      assert.match(git.stdout, /^git version/);
    }
    const loaded = run(['load', '-i', join(work, 'image.tar')]);
    assert.equal(loaded.status, 0, loaded.stderr);
    const fromTar = run(['run', '--rm', `localhost/${PLUGIN.name}:dev`, '--help']);
    assert.equal(fromTar.status, 0, fromTar.stderr);
    assert.equal(fromTar.stdout, r.stdout);
  });
});
