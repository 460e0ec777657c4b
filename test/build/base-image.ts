// A stand-in for the distroless Node.js base, built from this machine (the real one cannot be
// pulled here): the host's node at /nodejs/bin/node, the libraries `ldd` lists, /etc/passwd and
// /etc/group with the nonroot user 65532, /tmp — and, for git-clone, git with its helpers.
// Written as an OCI layout, then pushed with skopeo (an independent tool) to a test registry.
import { execFile, execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { canonicalJson, MEDIA, sha256, type ImageConfig, type ImageIndex, type ImageManifest } from '../../src/build/oci.js';
import { packTar, type TarEntry } from '../../src/build/tar.js';
import { requireTool } from '../helpers/registry.js';

const PASSWD = 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n';
const GROUP = 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n';

/** Host binaries at the given image paths, with every library they load. */
function binariesWithLibraries(binaries: [target: string, source: string][]): TarEntry[] {
  const files = new Map<string, string>();
  for (const [target, source] of binaries) {
    files.set(target.replace(/^\//, ''), realpathSync(source));
    for (const lib of lddLibraries(source)) files.set(lib.replace(/^\//, ''), realpathSync(lib));
  }
  return [...files].map(([path, source]) => ({ type: 'file', path, mode: statSync(source).mode & 0o777, data: readFileSync(source) }));
}

const ETC: TarEntry[] = [
  { type: 'file', path: 'etc/passwd', mode: 0o644, data: Buffer.from(PASSWD) },
  { type: 'file', path: 'etc/group', mode: 0o644, data: Buffer.from(GROUP) },
  { type: 'dir', path: 'tmp', mode: 0o1777 },
  { type: 'dir', path: 'home/nonroot', mode: 0o755 },
];

/** The distroless-like runtime: node at /nodejs/bin/node (and, for git-clone, git with its http helper). */
function rootfsEntries(withGit: boolean): TarEntry[] {
  const binaries: [string, string][] = [['/nodejs/bin/node', process.execPath]];
  const entries: TarEntry[] = [];
  if (withGit) {
    const git = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const execPath = execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim();
    binaries.push([git, git], [`${execPath}/git-remote-http`, `${execPath}/git-remote-http`]);
    entries.push({ type: 'symlink', path: `${execPath}/git-remote-https`.replace(/^\//, ''), target: 'git-remote-http' });
  }
  return withParents([...binariesWithLibraries(binaries), ...entries, ...ETC]);
}

/** Every file and link under a host folder, placed under `target` in the image. */
function hostTree(source: string, target: string): TarEntry[] {
  const out: TarEntry[] = [];
  for (const name of readdirSync(source)) {
    const from = join(source, name);
    const to = `${target}/${name}`;
    const st = lstatSync(from);
    if (st.isSymbolicLink()) out.push({ type: 'symlink', path: to, target: readlinkSync(from) });
    else if (st.isDirectory()) out.push({ type: 'dir', path: to, mode: st.mode & 0o777 }, ...hostTree(from, to));
    else out.push({ type: 'file', path: to, mode: st.mode & 0o777, data: readFileSync(from) });
  }
  return out;
}

/**
 * The stand-in for node:22-bookworm-slim (the Dockerfile's build stage): node and npm under
 * /usr/local like the official image, and busybox for /bin/sh, ln and friends.
 */
export function buildNodeBuildLayout(dir: string): BaseLayout {
  requireTool('busybox');
  const npmDir = realpathSync(join(dirname(realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim())), '..'));
  const busybox = execFileSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).trim();
  const entries: TarEntry[] = [
    ...binariesWithLibraries([['/usr/local/bin/node', process.execPath], ['/bin/busybox', busybox]]),
    ...hostTree(npmDir, 'usr/local/lib/node_modules/npm'),
    { type: 'symlink', path: 'usr/local/bin/npm', target: '../lib/node_modules/npm/bin/npm-cli.js' },
    { type: 'symlink', path: 'usr/local/bin/npx', target: '../lib/node_modules/npm/bin/npx-cli.js' },
    ...['sh', 'ln', 'mkdir', 'cp', 'rm', 'ls', 'cat', 'env'].map((t): TarEntry => ({ type: 'symlink', path: `bin/${t}`, target: 'busybox' })),
    { type: 'symlink', path: 'usr/bin/env', target: '/bin/busybox' }, // npm's #!/usr/bin/env node
    { type: 'dir', path: 'root', mode: 0o700 },
    ...ETC,
  ];
  const tar = packTar(withParents(entries), 0);
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const image = writeImage(dir, gzipSync(tar, { level: 1 }), sha256(tar), 'amd64', {
    Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'HOME=/root'],
    Cmd: ['node'],
    WorkingDir: '/',
  });
  writeIndex(dir, { mediaType: MEDIA.ociManifest, ...image });
  return { dir, tag: 'base' };
}

function lddLibraries(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  return [...out.matchAll(/(\/\S+) \(0x/g)].map((m) => m[1]!);
}

function withParents(entries: TarEntry[]): TarEntry[] {
  const have = new Set(entries.map((e) => e.path));
  const dirs: TarEntry[] = [];
  for (const e of entries) {
    const parts = e.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!have.has(dir)) {
        have.add(dir);
        dirs.push({ type: 'dir', path: dir, mode: 0o755 });
      }
    }
  }
  return [...dirs, ...entries];
}

export type BaseLayout = { dir: string; tag: string };

function putBlob(dir: string, data: Buffer): { digest: string; size: number } {
  const digest = sha256(data);
  writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), data);
  return { digest, size: data.length };
}

const DISTROLESS_LIKE: NonNullable<ImageConfig['config']> = {
  Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt'],
  Entrypoint: ['/nodejs/bin/node'],
  WorkingDir: '/',
};

function writeImage(dir: string, layer: Buffer, tarDigest: string, architecture: string, runtime = DISTROLESS_LIKE): { digest: string; size: number } {
  const layerDesc = { mediaType: MEDIA.ociLayerGzip, ...putBlob(dir, layer) };
  const config: ImageConfig = {
    created: '2026-01-01T00:00:00Z',
    architecture,
    os: 'linux',
    config: runtime,
    rootfs: { type: 'layers', diff_ids: [tarDigest] },
    history: [{ created: '2026-01-01T00:00:00Z', created_by: 'tektite test base (host binaries)' }],
  };
  const configDesc = { mediaType: MEDIA.ociConfig, ...putBlob(dir, canonicalJson(config)) };
  const manifest: ImageManifest = { schemaVersion: 2, mediaType: MEDIA.ociManifest, config: configDesc, layers: [layerDesc] };
  return putBlob(dir, canonicalJson(manifest));
}

function writeIndex(dir: string, top: { mediaType: string; digest: string; size: number }): void {
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ ...top, annotations: { 'org.opencontainers.image.ref.name': 'base' } }] }));
}

/**
 * Writes the base into `dir` (an OCI layout, ref `base`). With `arm64Stub` the layout holds an
 * index whose linux/arm64 image is a stub (this machine has no arm64 node): enough to check the
 * multi-platform structure of what tektite builds, not to run it.
 */
export function buildBaseLayout(dir: string, opts: { git: boolean; arm64Stub?: boolean }): BaseLayout {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const tar = packTar(rootfsEntries(opts.git), 0);
  const amd64 = writeImage(dir, gzipSync(tar, { level: 1 }), sha256(tar), 'amd64');
  let top = { mediaType: MEDIA.ociManifest as string, ...amd64 };
  if (opts.arm64Stub) {
    const stubTar = packTar(withParents([{ type: 'file', path: 'nodejs/bin/node', mode: 0o755, data: Buffer.from('arm64 stub\n') }]), 0);
    const arm64 = writeImage(dir, gzipSync(stubTar), sha256(stubTar), 'arm64');
    const index: ImageIndex = {
      schemaVersion: 2,
      mediaType: MEDIA.ociIndex,
      manifests: [
        { mediaType: MEDIA.ociManifest, ...amd64, platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: MEDIA.ociManifest, ...arm64, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      ],
    };
    top = { mediaType: MEDIA.ociIndex, ...putBlob(dir, canonicalJson(index)) };
  }
  writeIndex(dir, top);
  return { dir, tag: 'base' };
}

/**
 * Pushes the layout to `target` (`host/repo:tag`) with skopeo; returns the pushed digest.
 * Asynchronous, so a token server living in the test process can answer skopeo meanwhile.
 */
export async function pushWithSkopeo(layout: BaseLayout, target: string, extra: string[] = []): Promise<string> {
  requireTool('skopeo');
  const index = JSON.parse(readFileSync(join(layout.dir, 'index.json'), 'utf8')) as ImageIndex;
  const args = ['copy', '--all', '--dest-tls-verify=false', ...extra, `oci:${layout.dir}:${layout.tag}`, `docker://${target}`];
  await new Promise<void>((resolve, reject) => {
    execFile('skopeo', args, { timeout: 120_000 }, (err, _stdout, stderr) => (err ? reject(new Error(`skopeo copy to ${target}: ${stderr || err.message}`)) : resolve()));
  });
  return index.manifests[0]!.digest;
}
