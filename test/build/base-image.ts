// A stand-in for the distroless Node.js base, built from this machine (the real one cannot be
// pulled here): the host's node at /nodejs/bin/node, the libraries `ldd` lists, /etc/passwd and
// /etc/group with the nonroot user 65532, /tmp — and, for git-clone, git with its helpers.
// Written as an OCI layout, then pushed with skopeo (an independent tool) to a test registry.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { canonicalJson, MEDIA, sha256, type ImageConfig, type ImageIndex, type ImageManifest } from '../../src/build/oci.js';
import { packTar, type TarEntry } from '../../src/build/tar.js';
import { requireTool } from '../helpers/registry.js';

const PASSWD = 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n';
const GROUP = 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n';

/** Host files for a node (+ git) root filesystem, with every library they load. */
function rootfsEntries(withGit: boolean): TarEntry[] {
  const files = new Map<string, { source: string; mode: number }>();
  const links = new Map<string, string>();
  const add = (target: string, source: string) => {
    const real = realpathSync(source);
    files.set(target.replace(/^\//, ''), { source: real, mode: statSync(real).mode & 0o777 });
  };
  const binaries: [string, string][] = [['/nodejs/bin/node', process.execPath]];
  if (withGit) {
    const git = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const execPath = execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim();
    binaries.push([git, git], [`${execPath}/git-remote-http`, `${execPath}/git-remote-http`]);
    links.set(`${execPath}/git-remote-https`.replace(/^\//, ''), 'git-remote-http');
  }
  for (const [target, source] of binaries) {
    add(target, source);
    for (const lib of lddLibraries(source)) add(lib, lib);
  }
  const entries: TarEntry[] = [...files].map(([path, f]) => ({ type: 'file', path, mode: f.mode, data: readFileSync(f.source) }));
  for (const [path, target] of links) entries.push({ type: 'symlink', path, target });
  entries.push({ type: 'file', path: 'etc/passwd', mode: 0o644, data: Buffer.from(PASSWD) });
  entries.push({ type: 'file', path: 'etc/group', mode: 0o644, data: Buffer.from(GROUP) });
  entries.push({ type: 'dir', path: 'tmp', mode: 0o1777 });
  entries.push({ type: 'dir', path: 'home/nonroot', mode: 0o755 });
  return withParents(entries);
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

function writeImage(dir: string, layer: Buffer, tarDigest: string, architecture: string): { digest: string; size: number } {
  const layerDesc = { mediaType: MEDIA.ociLayerGzip, ...putBlob(dir, layer) };
  const config: ImageConfig = {
    created: '2026-01-01T00:00:00Z',
    architecture,
    os: 'linux',
    config: { Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt'], Entrypoint: ['/nodejs/bin/node'], WorkingDir: '/' },
    rootfs: { type: 'layers', diff_ids: [tarDigest] },
    history: [{ created: '2026-01-01T00:00:00Z', created_by: 'tektite test base (host node)' }],
  };
  const configDesc = { mediaType: MEDIA.ociConfig, ...putBlob(dir, canonicalJson(config)) };
  const manifest: ImageManifest = { schemaVersion: 2, mediaType: MEDIA.ociManifest, config: configDesc, layers: [layerDesc] };
  return putBlob(dir, canonicalJson(manifest));
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
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ ...top, annotations: { 'org.opencontainers.image.ref.name': 'base' } }] }));
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
