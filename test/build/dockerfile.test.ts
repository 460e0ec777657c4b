// tektite dockerfile: the generated multi-stage Dockerfile builds with `buildah bud` into an image
// that runs like the one `tektite build` makes. The build context is a user's project that
// depends on tektite (packed from this repository); its build stage pulls a stand-in for the
// node image from the test registry and runs `npm ci` against a local npm registry.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/paths.js';
import { requireTool } from '../helpers/registry.js';
import { buildNodeBuildLayout, pushWithSkopeo } from './base-image.js';
import { expectOk, PLUGIN, podman, podmanCleanup, seededRegistry, tektite, tool, type Seeded } from './fixture.js';
import { startNpmRegistry, type NpmRegistry } from './npm-registry.js';

function buildah(storage: string, env: NodeJS.ProcessEnv, args: string[]): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('buildah', ['--root', join(storage, 'root'), '--runroot', join(storage, 'runroot'), '--storage-driver', 'overlay', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (status) => resolve({ status, out }));
  });
}

describe('tektite dockerfile', () => {
  let work: string;
  let seeded: Seeded;
  let npm: NpmRegistry;
  let project: string;
  let nodeImage: string;
  let run: ReturnType<typeof podman> | undefined;

  before(async () => {
    for (const t of ['buildah', 'podman', 'skopeo', 'npm']) requireTool(t);
    work = mkdtempSync(join(tmpdir(), 'tektite-df-'));
    seeded = await seededRegistry(work);
    const nodeLayout = buildNodeBuildLayout(join(work, 'node-layout'));
    nodeImage = `${seeded.registry.host}/build/node@${await pushWithSkopeo(nodeLayout, `${seeded.registry.host}/build/node:1`)}`;

    // A user's project: depends on tektite (from the local npm registry), holds the git-clone
    // plugin, and keeps its node_modules out of the build context.
    npm = await startNpmRegistry(work);
    project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'acme-plugins', private: true, type: 'module', devDependencies: { tektite: '0.1.0' } }, null, 2));
    cpSync(join(repoRoot, 'plugins', 'git-clone', 'plugin.ts'), join(project, 'plugins', 'git-clone', 'plugin.ts'));
    cpSync(join(repoRoot, 'plugins', 'git-clone', 'src'), join(project, 'plugins', 'git-clone', 'src'), { recursive: true });
    writeFileSync(join(project, '.dockerignore'), 'node_modules\n');
    await tool('npm', ['install', '--prefix', project, '--registry', npm.url, '--no-audit', '--no-fund', '--silent']);
  });

  after(async () => {
    if (run) podmanCleanup(run);
    await npm?.stop();
    await seeded?.registry.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('prints a two-stage Dockerfile with the tektite layout, run as 65532', async () => {
    const r = await tektite(['dockerfile', join(project, 'plugins', 'git-clone', 'plugin.ts'), '--base', seeded.base], {}, project);
    const text = expectOk(r, 'dockerfile');
    assert.match(text, new RegExp(`^ARG BASE_IMAGE=${seeded.base.replace(/[.]/g, '\\.')}$`, 'm'));
    assert.match(text, /^FROM \$\{NODE_IMAGE\} AS build$/m);
    assert.match(text, /^RUN npm ci --no-audit --no-fund$/m);
    assert.match(text, /tektite\.js build plugins\/git-clone\/plugin\.ts --bundle \/out\/tektite\/git-clone\.mjs/);
    assert.match(text, /ln -s \/nodejs\/bin\/node \/out\/tektite\/node/, 'node path looked up in the base');
    assert.match(text, /^USER 65532:65532$/m);
    assert.match(text, /^ENTRYPOINT \["\/tektite\/node","\/tektite\/git-clone\.mjs"\]$/m);
  });

  test('buildah bud builds it into an image that runs like the tektite-built one', async () => {
    const dockerfile = join(project, 'Dockerfile');
    expectOk(await tektite(['dockerfile', join(project, 'plugins', 'git-clone', 'plugin.ts'), '--base', seeded.base, '-o', dockerfile], {}, project), 'dockerfile -o');
    run = podman(join(work, 'containers'), [seeded.registry.host]);
    const storage = join(work, 'containers');
    const env = { ...process.env, CONTAINERS_CONF: join(storage, 'containers.conf'), CONTAINERS_REGISTRIES_CONF: join(storage, 'registries.conf') };
    const built = await buildah(storage, env, [
      'bud', '--isolation=chroot', '--network=host',
      '--build-arg', `NODE_IMAGE=${nodeImage}`, '--build-arg', `NPM_CONFIG_REGISTRY=${npm.url}`, '--build-arg', 'REVISION=abc123',
      '-f', dockerfile, '-t', 'localhost/acme/git-clone:dockerfile', project,
    ]);
    assert.equal(built.status, 0, built.out);

    const fromDockerfile = run(['run', '--rm', 'localhost/acme/git-clone:dockerfile', '--help']);
    assert.equal(fromDockerfile.status, 0, fromDockerfile.stderr);
    assert.match(fromDockerfile.stdout, /Params:/);
    const inspect = JSON.parse(run(['image', 'inspect', 'localhost/acme/git-clone:dockerfile']).stdout) as { Config: { User: string; Entrypoint: string[]; Labels: Record<string, string> } }[];
    assert.equal(inspect[0]!.Config.User, '65532:65532');
    assert.deepEqual(inspect[0]!.Config.Entrypoint, ['/tektite/node', '/tektite/git-clone.mjs']);
    assert.equal(inspect[0]!.Config.Labels['org.opencontainers.image.revision'], 'abc123');

    // The same plugin built by tektite from the same project prints the same help.
    const task = parse(expectOk(await tektite(['build', join(project, 'plugins', 'git-clone', 'plugin.ts'), '--base', seeded.base, '--push', `${seeded.registry.host}/acme/git-clone:tektite`], { TEKTITE_CACHE: join(work, 'cache') }, project), 'build')) as { spec: { steps: { image: string }[] } };
    const fromTektite = run(['run', '--rm', task.spec.steps[0]!.image, '--help']);
    assert.equal(fromTektite.status, 0, fromTektite.stderr);
    assert.equal(fromDockerfile.stdout, fromTektite.stdout);
    const id = run(['run', '--rm', '--entrypoint', '/tektite/node', 'localhost/acme/git-clone:dockerfile', '-e', 'console.log(process.getuid())']);
    assert.equal(id.stdout.trim(), '65532');
  });

  test('bad input: a plugin outside the context, or a project without a lockfile, exit 2', async () => {
    const outside = await tektite(['dockerfile', PLUGIN.file, '--context', project]);
    assert.equal(outside.status, 2);
    assert.match(outside.stderr, /is outside the build context/);
    const bare = join(work, 'bare');
    mkdirSync(bare);
    writeFileSync(join(bare, 'package.json'), '{}');
    writeFileSync(join(bare, 'p.ts'), readFileSync(PLUGIN.file));
    const noLock = await tektite(['dockerfile', join(bare, 'p.ts')]);
    assert.equal(noLock.status, 2);
    assert.match(noLock.stderr, /has no package-lock\.json/);
  });
});
