// A tiny npm registry on 127.0.0.1 for the Dockerfile test, so `npm install` on the host and
// `npm ci` inside the build stage need nothing beyond this machine. It serves tektite (packed
// from this repository) and its runtime dependencies, packed from the host's npm cache
// (`npm pack --offline`, byte-identical to the public registry's tarballs).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';

type LockEntry = { version?: string; integrity?: string; optional?: boolean; dev?: boolean; os?: string[]; cpu?: string[] };
type Package = { name: string; version: string; integrity?: string; os?: string[]; cpu?: string[]; file?: string };

export type NpmRegistry = { url: string; stop(): Promise<void> };

/**
 * tektite's runtime dependencies from its lockfile. Other platforms' optional packages (esbuild's
 * binaries) get a packument only: npm records them in the lockfile but never downloads them here.
 */
function runtimePackages(): Package[] {
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const out: Package[] = [];
  for (const [path, e] of Object.entries(lock.packages)) {
    if (!path || e.dev || !e.version) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    out.push({ name, version: e.version, ...(e.integrity ? { integrity: e.integrity } : {}), ...(e.os ? { os: e.os } : {}), ...(e.cpu ? { cpu: e.cpu } : {}) });
  }
  return out;
}

const installsHere = (p: Package): boolean => (!p.os || p.os.includes('linux')) && (!p.cpu || p.cpu.includes('x64'));

function pack(args: string[], cwd: string, dest: string): string {
  const file = execFileSync('npm', ['pack', '--silent', '--pack-destination', dest, ...args], { cwd, encoding: 'utf8' }).trim().split('\n').at(-1)!;
  return join(dest, file);
}

export async function startNpmRegistry(workDir: string): Promise<NpmRegistry> {
  const packs = join(workDir, 'npm-packs');
  mkdirSync(packs, { recursive: true });
  const packages: Package[] = [{ name: 'tektite', version: (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version, file: pack([], repoRoot, packs) }];
  for (const p of runtimePackages()) packages.push(installsHere(p) ? { ...p, file: pack(['--offline', `${p.name}@${p.version}`], workDir, packs) } : p);

  const tarballs = new Map<string, Buffer>();
  const packuments = new Map<string, { name: string; versions: Record<string, { dist: { tarball: string; integrity: string } }>; 'dist-tags': Record<string, string> }>();
  for (const p of packages) {
    const tarball = `/${p.name}/-/${p.name.split('/').at(-1)}-${p.version}.tgz`;
    let integrity = p.integrity ?? '';
    let manifest: Record<string, unknown> = {};
    if (p.file) {
      const data = readFileSync(p.file);
      tarballs.set(tarball, data);
      integrity = `sha512-${createHash('sha512').update(data).digest('base64')}`;
      manifest = JSON.parse(execFileSync('tar', ['-xzOf', p.file, 'package/package.json'], { encoding: 'utf8' })) as Record<string, unknown>;
    }
    const doc = packuments.get(p.name) ?? { name: p.name, versions: {}, 'dist-tags': {} };
    doc.versions[p.version] = {
      name: p.name,
      version: p.version,
      dependencies: manifest.dependencies ?? {},
      optionalDependencies: manifest.optionalDependencies ?? {},
      ...(manifest.bin ? { bin: manifest.bin } : {}),
      ...(p.os ? { os: p.os } : {}),
      ...(p.cpu ? { cpu: p.cpu } : {}),
      dist: { tarball, integrity },
    } as { dist: { tarball: string; integrity: string } };
    doc['dist-tags'].latest = p.version;
    packuments.set(p.name, doc);
  }
  let base = '';
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const tgz = tarballs.get(path);
    if (tgz) return void res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': tgz.length }).end(tgz);
    const doc = packuments.get(path.slice(1));
    if (!doc) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    const versions = Object.fromEntries(Object.entries(doc.versions).map(([v, m]) => [v, { ...m, dist: { ...m.dist, tarball: `${base}${m.dist.tarball}` } }]));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...doc, versions }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url: `${base}/`, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
