// Resolves the base image: its manifest (or index, narrowed to the wanted platforms), each
// platform's config, and where node lives in it. Manifests and configs come from the blob
// cache when the reference is a digest already seen, so a warm build needs no network.
import type { BlobStore } from './blob-store.js';
import { isIndex, isManifest, platformMatches, platformString, type Descriptor, type ImageConfig, type ImageIndex, type ImageManifest, type Platform } from './oci.js';
import type { ImageRef } from './reference.js';
import { formatImageRef } from './reference.js';
import type { RegistryClient } from './registry.js';
import { listTar } from './tar.js';

export type BasePlatform = {
  platform: Platform;
  manifestMediaType: string;
  manifest: ImageManifest;
  config: ImageConfig;
};

export type ResolvedBase = {
  ref: ImageRef;
  /** Digest of what the reference points at (an index or a manifest). */
  digest: string;
  platforms: BasePlatform[];
};

/** Paths where images usually keep node, tried in order when the entrypoint does not say. */
const NODE_PATHS = ['nodejs/bin/node', 'usr/local/bin/node', 'usr/bin/node'];

/** `want` lists platforms, or is `'all'`: every platform of the base's index. */
export async function resolveBase(client: RegistryClient, ref: ImageRef, want: Platform[] | 'all', store: BlobStore): Promise<ResolvedBase> {
  const top = await manifestBytes(client, ref.repository, ref.digest ?? ref.tag ?? 'latest', store);
  const name = formatImageRef(ref);
  if (isIndex(top.mediaType)) {
    const index = JSON.parse(top.bytes.toString('utf8')) as ImageIndex;
    const platforms: BasePlatform[] = [];
    // Attestation manifests (buildkit's provenance) are listed as unknown/unknown.
    const listed = index.manifests.filter((d) => d.platform && d.platform.os !== 'unknown').map((d) => d.platform!);
    for (const p of want === 'all' ? listed : want) {
      const desc = index.manifests.find((d) => d.platform && isManifest(d.mediaType) && platformMatches(d.platform, p));
      if (!desc) {
        const have = index.manifests.filter((d) => d.platform).map((d) => platformString(d.platform!));
        throw new Error(`base image ${name} has no ${platformString(p)} image (it has ${have.join(', ') || 'none'})`);
      }
      const child = await manifestBytes(client, ref.repository, desc.digest, store);
      platforms.push(await withConfig(client, ref.repository, child.mediaType, child.bytes, store, desc.platform!));
    }
    return { ref, digest: top.digest, platforms };
  }
  if (!isManifest(top.mediaType)) throw new Error(`base image ${name}: unsupported manifest type "${top.mediaType}"`);
  const single = await withConfig(client, ref.repository, top.mediaType, top.bytes, store);
  for (const p of want === 'all' ? [] : want) {
    if (!platformMatches(single.platform, p)) throw new Error(`base image ${name} is ${platformString(single.platform)} only; ${platformString(p)} was asked for`);
  }
  return { ref, digest: top.digest, platforms: [single] };
}

async function manifestBytes(client: RegistryClient, repository: string, reference: string, store: BlobStore): Promise<{ mediaType: string; digest: string; bytes: Buffer }> {
  if (reference.startsWith('sha256:') && store.has(reference)) {
    const bytes = store.read(reference);
    return { mediaType: mediaTypeOf(bytes), digest: reference, bytes };
  }
  const got = await client.getManifest(repository, reference);
  store.put(got.bytes);
  return { ...got, mediaType: got.mediaType || mediaTypeOf(got.bytes) };
}

function mediaTypeOf(bytes: Buffer): string {
  const parsed = JSON.parse(bytes.toString('utf8')) as { mediaType?: string; manifests?: unknown };
  if (parsed.mediaType) return parsed.mediaType;
  return parsed.manifests ? 'application/vnd.oci.image.index.v1+json' : 'application/vnd.oci.image.manifest.v1+json';
}

async function withConfig(client: RegistryClient, repository: string, mediaType: string, bytes: Buffer, store: BlobStore, platform?: Platform): Promise<BasePlatform> {
  const manifest = JSON.parse(bytes.toString('utf8')) as ImageManifest;
  await client.fetchBlob(repository, manifest.config.digest, store);
  const config = JSON.parse(store.read(manifest.config.digest).toString('utf8')) as ImageConfig;
  const fromConfig: Platform = config.variant ? { os: config.os, architecture: config.architecture, variant: config.variant } : { os: config.os, architecture: config.architecture };
  return { platform: platform ?? fromConfig, manifestMediaType: mediaType, manifest, config };
}

/**
 * Where node is in the base: the entrypoint when it is a node binary (distroless: /nodejs/bin/node),
 * else the first of the usual paths found in the layers (downloading them; `layerTar` gives one
 * layer as an uncompressed tar).
 */
export async function findNodePath(base: BasePlatform, layerTar: (layer: Descriptor) => Promise<Buffer>): Promise<string> {
  const entry = base.config.config?.Entrypoint?.[0];
  if (entry && entry.startsWith('/') && /(^|\/)node$/.test(entry)) return entry;
  const found = new Map<string, string>();
  for (const layer of base.manifest.layers) {
    for (const e of listTar(await layerTar(layer))) {
      if (NODE_PATHS.includes(e.path)) found.set(e.path, e.type);
    }
  }
  const hit = NODE_PATHS.find((p) => found.has(p));
  if (!hit) throw new Error(`base image for ${platformString(base.platform)} has no node at /${NODE_PATHS.join(', /')} and its entrypoint is not node; choose a Node.js base (--base)`);
  return `/${hit}`;
}
