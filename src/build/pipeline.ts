// From a bundle to outputs: resolve the base, build the image, then write an OCI layout, a
// docker-archive tarball and/or push. The CLI adds the plugin loading, bundling and YAML.
import { gunzipSync } from 'node:zlib';
import { findNodePath, resolveBase, type BasePlatform, type ResolvedBase } from './base.js';
import { BlobStore } from './blob-store.js';
import { writeDockerArchive } from './docker-archive.js';
import { buildImage, type BuiltImage } from './image.js';
import { writeOciLayout } from './layout.js';
import type { Platform } from './oci.js';
import { pushImage } from './push.js';
import { formatImageRef, parseImageRef, type ImageRef } from './reference.js';
import { RegistryClient, type PushStats } from './registry.js';

/** The default base: distroless Node.js 22 on Debian 13, pinned by digest. */
export const DEFAULT_BASE = 'gcr.io/distroless/nodejs22-debian13@sha256:773a62fbe24a3f8c8b24b16fd59154627f8b406737bc906f83bf1732bc8907dd';

export type BuildRequest = {
  name: string;
  bundle: Buffer;
  base: string;
  platforms: Platform[] | 'all';
  labels: Record<string, string>;
  epoch: number;
};

export class Builder {
  readonly store: BlobStore;
  private readonly clients = new Map<string, RegistryClient>();

  constructor(
    cacheDir: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.store = new BlobStore(cacheDir);
  }

  client(registry: string): RegistryClient {
    let c = this.clients.get(registry);
    if (!c) this.clients.set(registry, (c = new RegistryClient(registry, this.env)));
    return c;
  }

  async build(req: BuildRequest): Promise<{ image: BuiltImage; base: ResolvedBase }> {
    const base = await resolveBase(this.client(parseImageRef(req.base).registry), parseImageRef(req.base), req.platforms, this.store);
    const nodePaths: string[] = [];
    for (const bp of base.platforms) nodePaths.push(await this.nodePath(base, bp));
    const image = buildImage({ name: req.name, bundle: req.bundle, base, nodePaths, labels: req.labels, epoch: req.epoch }, this.store);
    return { image, base };
  }

  /** Where node is in one platform of the base (downloading its layers only when the entrypoint does not say). */
  async nodePath(base: ResolvedBase, platform: BasePlatform): Promise<string> {
    const client = this.client(base.ref.registry);
    return findNodePath(platform, async (layer) => {
      await client.fetchBlob(base.ref.repository, layer.digest, this.store);
      const bytes = this.store.read(layer.digest);
      return layer.mediaType.endsWith('gzip') ? gunzipSync(bytes) : bytes;
    });
  }

  /** The base for one platform, and where node is in it. */
  async baseNodePath(baseText: string, platform: Platform): Promise<string> {
    const ref = parseImageRef(baseText);
    const base = await resolveBase(this.client(ref.registry), ref, [platform], this.store);
    return this.nodePath(base, base.platforms[0]!);
  }

  /** Downloads every base layer into the cache (layouts and tarballs hold all blobs). */
  async fetchBaseLayers(image: BuiltImage, base: ResolvedBase): Promise<void> {
    const client = this.client(base.ref.registry);
    for (const m of image.manifests) {
      for (const layer of m.layers.slice(0, m.baseLayers)) await client.fetchBlob(base.ref.repository, layer.digest, this.store);
    }
  }

  async writeLayout(dir: string, image: BuiltImage, base: ResolvedBase, refName: string): Promise<void> {
    await this.fetchBaseLayers(image, base);
    writeOciLayout(dir, image, this.store, refName);
  }

  async writeTarball(file: string, image: BuiltImage, base: ResolvedBase, repoTag: string, epoch: number): Promise<void> {
    if (image.manifests.length !== 1) throw new Error('--tarball holds one platform; build it with a single --platform');
    await this.fetchBaseLayers(image, base);
    await writeDockerArchive(file, image.manifests[0]!, repoTag, this.store, epoch);
  }

  async push(target: ImageRef, image: BuiltImage, base: ResolvedBase): Promise<{ digest: string; ref: string; stats: PushStats }> {
    const client = this.client(target.registry);
    const before = { ...client.stats };
    const digest = await pushImage(client, target, image, this.store, { client: this.client(base.ref.registry), repository: base.ref.repository });
    return { digest, ref: formatImageRef({ registry: target.registry, repository: target.repository, digest }), stats: {
        uploaded: client.stats.uploaded - before.uploaded,
        skipped: client.stats.skipped - before.skipped,
        mounted: client.stats.mounted - before.mounted,
        uploadedBytes: client.stats.uploadedBytes - before.uploadedBytes,
      },
    };
  }
}
