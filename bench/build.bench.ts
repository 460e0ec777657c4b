// Build and push time of the git-clone image: `tektite build` (cold cache, warm cache, and an
// OCI layout with the base layers), its push to a fresh repository on another registry (every
// blob uploaded), against what a user would do otherwise: `buildah bud` of the Dockerfile that
// `tektite dockerfile` writes (cold and warm storage) and `skopeo copy` of the same layout.
// Registries and the npm registry are local (127.0.0.1). Median, spread, peak RSS, ratio.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildNodeBuildLayout, pushWithSkopeo } from '../test/build/base-image.js';
import { PLUGIN, podman, podmanCleanup, seededRegistry, tool } from '../test/build/fixture.js';
import { startNpmRegistry } from '../test/build/npm-registry.js';
import { repoRoot, tektiteBin } from '../test/helpers/paths.js';
import { requireTool, startRegistry } from '../test/helpers/registry.js';

const REPEATS = Number(process.env.BENCH_RUNS ?? 5);
const BUILDAH_REPEATS = Number(process.env.BENCH_BUILDAH_RUNS ?? 3);

type Sample = { seconds: number; rssMb: number };

/** Runs a command under /usr/bin/time; wall seconds and peak RSS of the process tree's largest member. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd = repoRoot): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'TIME %e %M', cmd, ...args], { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      const m = /TIME ([\d.]+) (\d+)\s*$/.exec(err);
      if (code !== 0 || !m) return reject(new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${err.slice(-2000)}`));
      resolve({ seconds: Number(m[1]), rssMb: Number(m[2]) / 1024 });
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

type Row = { name: string; samples: Sample[]; versus?: string };

function print(rows: Row[]): void {
  const byName = new Map(rows.map((r) => [r.name, r]));
  console.log(`\n| scenario | median s | min–max s | peak RSS MB | vs tektite |`);
  console.log(`|---|---|---|---|---|`);
  for (const r of rows) {
    const secs = r.samples.map((s) => s.seconds);
    const med = median(secs);
    const base = r.versus ? byName.get(r.versus) : undefined;
    const ratio = base ? `${(med / median(base.samples.map((s) => s.seconds))).toFixed(1)}× ${r.versus}` : '';
    console.log(`| ${r.name} (n=${secs.length}) | ${med.toFixed(2)} | ${Math.min(...secs).toFixed(2)}–${Math.max(...secs).toFixed(2)} | ${Math.max(...r.samples.map((s) => s.rssMb)).toFixed(0)} | ${ratio} |`);
  }
}

async function main(): Promise<void> {
  for (const t of ['/usr/bin/time', 'skopeo', 'buildah', 'npm']) requireTool(t);
  const work = mkdtempSync(join(tmpdir(), 'tk-bench-'));
  const seeded = await seededRegistry(work);
  const npm = await startNpmRegistry(work);
  let run: ReturnType<typeof podman> | undefined;
  try {
    const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => timed(process.execPath, [tektiteBin, ...args], { ...process.env, ...env });
    const build = ['build', PLUGIN.file, '--base', seeded.base];
    const rows: Row[] = [];

    const cold: Sample[] = [];
    const warm: Sample[] = [];
    const layoutCold: Sample[] = [];
    const pushAgain: Sample[] = [];
    const warmCache = join(work, 'warm-cache');
    // Warm: the base's manifest, config and layers are in the cache.
    await cli([...build, '--oci-layout', join(work, 'warm-layout')], { TEKTITE_CACHE: warmCache });
    for (let i = 0; i < REPEATS; i++) {
      cold.push(await cli(build, { TEKTITE_CACHE: join(work, `cold-${i}`) }));
      warm.push(await cli(build, { TEKTITE_CACHE: warmCache }));
      layoutCold.push(await cli([...build, '--oci-layout', join(work, `layout-${i}`), '--tag', 'localhost/git-clone:bench'], { TEKTITE_CACHE: join(work, `lcold-${i}`) }));
    }
    rows.push({ name: 'tektite build, warm cache', samples: warm });
    rows.push({ name: 'tektite build, cold cache (base manifest+config pulled)', samples: cold });
    rows.push({ name: 'tektite build --oci-layout, cold cache (base layers pulled)', samples: layoutCold });

    // Push of every blob (~55 MB base layer + the plugin layer) to a registry that has never seen
    // them (a fresh one per run, so neither tool can skip or mount), from a warm cache; skopeo
    // copies the layout tektite wrote. tektite's time includes its warm build (row 1).
    const push: Sample[] = [];
    const skopeo: Sample[] = [];
    const layout = join(work, 'layout-0');
    for (let i = 0; i < REPEATS; i++) {
      const forTektite = await startRegistry();
      push.push(await cli([...build, '--push', `${forTektite.host}/tektite/git-clone:v1`, '-o', join(work, `task-${i}.yaml`)], { TEKTITE_CACHE: warmCache }));
      const again = await cli([...build, '--push', `${forTektite.host}/tektite/git-clone:v1`, '-o', join(work, 'again.yaml')], { TEKTITE_CACHE: warmCache });
      pushAgain.push(again);
      await forTektite.stop();
      const forSkopeo = await startRegistry();
      skopeo.push(await timed('skopeo', ['copy', '--dest-tls-verify=false', `oci:${layout}:bench`, `docker://${forSkopeo.host}/skopeo/git-clone:v1`]));
      await forSkopeo.stop();
    }
    rows.push({ name: 'tektite build --push, all blobs uploaded', samples: push });
    rows.push({ name: 'skopeo copy of the same layout', samples: skopeo, versus: 'tektite build --push, all blobs uploaded' });
    rows.push({ name: 'tektite build --push again (nothing uploaded)', samples: pushAgain });

    // buildah bud of the generated Dockerfile in a user's project (as in the Dockerfile test).
    const nodeImage = `${seeded.registry.host}/build/node@${await pushWithSkopeo(buildNodeBuildLayout(join(work, 'node-layout')), `${seeded.registry.host}/build/node:1`)}`;
    const project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'acme-plugins', private: true, type: 'module', devDependencies: { tektite: '0.1.0' } }));
    cpSync(join(repoRoot, 'plugins', 'git-clone', 'plugin.ts'), join(project, 'plugins', 'git-clone', 'plugin.ts'));
    cpSync(join(repoRoot, 'plugins', 'git-clone', 'src'), join(project, 'plugins', 'git-clone', 'src'), { recursive: true });
    writeFileSync(join(project, '.dockerignore'), 'node_modules\n');
    await tool('npm', ['install', '--prefix', project, '--registry', npm.url, '--no-audit', '--no-fund', '--silent']);
    await tool(process.execPath, [tektiteBin, 'dockerfile', join(project, 'plugins', 'git-clone', 'plugin.ts'), '--base', seeded.base, '-o', join(project, 'Dockerfile')]);
    const bud = (storage: string) => {
      run = podman(storage, [seeded.registry.host]);
      const env = { ...process.env, CONTAINERS_CONF: join(storage, 'containers.conf'), CONTAINERS_REGISTRIES_CONF: join(storage, 'registries.conf') };
      return timed('buildah', ['--root', join(storage, 'root'), '--runroot', join(storage, 'runroot'), '--storage-driver', 'overlay', 'bud', '--isolation=chroot', '--network=host', '--build-arg', `NODE_IMAGE=${nodeImage}`, '--build-arg', `NPM_CONFIG_REGISTRY=${npm.url}`, '-t', 'localhost/acme/git-clone:bench', project], env);
    };
    const budCold: Sample[] = [];
    const budWarm: Sample[] = [];
    for (let i = 0; i < BUILDAH_REPEATS; i++) {
      const storage = join(work, `b${i}`);
      budCold.push(await bud(storage));
      budWarm.push(await bud(storage));
      podmanCleanup(run!);
      rmSync(storage, { recursive: true, force: true });
      run = undefined;
    }
    rows.push({ name: 'buildah bud of the generated Dockerfile, cold storage', samples: budCold, versus: 'tektite build --oci-layout, cold cache (base layers pulled)' });
    rows.push({ name: 'buildah bud, warm storage (layer cache)', samples: budWarm, versus: 'tektite build, warm cache' });
    console.log(`tektite build of ${PLUGIN.name} (base: host node + git, ~55 MB gzipped), ${REPEATS} runs each (buildah ${BUILDAH_REPEATS}); 2-core VM`);
    print(rows);
  } finally {
    if (run) podmanCleanup(run);
    await Promise.all([seeded.registry.stop(), npm.stop()]);
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
