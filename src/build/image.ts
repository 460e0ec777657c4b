// The plugin image: the base's layers plus one layer holding /tektite/<name>.mjs and the
// /tektite/node symlink, a config with tektite's entrypoint, user and labels, and (for more
// than one platform) an index. A pure function of its inputs: fixed time stamps, sorted tar
// entries, a fixed gzip level and header, so the same inputs give the same digests.
import { gzipSync } from 'node:zlib';
import type { BasePlatform, ResolvedBase } from './base.js';
import type { BlobStore } from './blob-store.js';
import { canonicalJson, MEDIA, sha256, type Descriptor, type ImageConfig, type ImageIndex, type ImageManifest, type Platform } from './oci.js';
import { formatImageRef } from './reference.js';
import { packTar } from './tar.js';

export const PLUGIN_USER = '65532:65532';
export const PLUGIN_DIR = '/tektite';

export type ImageInputs = {
  name: string;
  bundle: Buffer;
  base: ResolvedBase;
  /** Where node is in each base platform (same order as base.platforms). */
  nodePaths: string[];
  labels: Record<string, string>;
  /** Seconds since 1970 for every time stamp (SOURCE_DATE_EPOCH; 0 by default). */
  epoch: number;
};

export type BuiltManifest = {
  platform: Platform;
  descriptor: Descriptor;
  bytes: Buffer;
  config: Descriptor;
  layers: Descriptor[];
  /** How many of `layers` come from the base (they may not be in the blob store). */
  baseLayers: number;
};

export type BuiltImage = {
  /** What a tag or digest reference points at: the index, or the only manifest. */
  top: { descriptor: Descriptor; bytes: Buffer };
  manifests: BuiltManifest[];
};

export function entrypoint(name: string): string[] {
  return [`${PLUGIN_DIR}/node`, `${PLUGIN_DIR}/${name}.mjs`];
}

export function buildImage(inputs: ImageInputs, store: BlobStore): BuiltImage {
  const created = new Date(inputs.epoch * 1000).toISOString().replace('.000Z', 'Z');
  // The plugin layer differs between platforms only by node's path: pack, hash and gzip it once per path.
  const pluginLayers = new Map<string, PluginLayer>();
  const pluginLayer = (nodePath: string): PluginLayer => {
    let layer = pluginLayers.get(nodePath);
    if (!layer) pluginLayers.set(nodePath, (layer = packPluginLayer(inputs, nodePath, store)));
    return layer;
  };
  const manifests = inputs.base.platforms.map((bp, i) => buildManifest(inputs, bp, pluginLayer(inputs.nodePaths[i]!), created, store));
  if (manifests.length === 1) {
    const only = manifests[0]!;
    return { top: { descriptor: withoutPlatform(only.descriptor), bytes: only.bytes }, manifests };
  }
  const baseIsDocker = inputs.base.platforms[0]!.manifestMediaType === MEDIA.dockerManifest;
  const index: ImageIndex = {
    schemaVersion: 2,
    mediaType: baseIsDocker ? MEDIA.dockerList : MEDIA.ociIndex,
    manifests: manifests.map((m) => m.descriptor),
  };
  const bytes = canonicalJson(index);
  const { digest, size } = store.put(bytes);
  return { top: { descriptor: { mediaType: index.mediaType!, digest, size }, bytes }, manifests };
}

type PluginLayer = { diffId: string; digest: string; size: number };

function packPluginLayer(inputs: ImageInputs, nodePath: string, store: BlobStore): PluginLayer {
  const tar = packTar(
    [
      { type: 'dir', path: 'tektite', mode: 0o755 },
      { type: 'file', path: `tektite/${inputs.name}.mjs`, mode: 0o644, data: inputs.bundle },
      { type: 'symlink', path: 'tektite/node', target: nodePath },
    ],
    inputs.epoch,
  );
  return { diffId: sha256(tar), ...store.put(gzipFixed(tar)) };
}

function buildManifest(inputs: ImageInputs, base: BasePlatform, layer: PluginLayer, created: string, store: BlobStore): BuiltManifest {
  const docker = base.manifestMediaType === MEDIA.dockerManifest;
  const layerDesc: Descriptor = { mediaType: docker ? MEDIA.dockerLayerGzip : MEDIA.ociLayerGzip, digest: layer.digest, size: layer.size };

  const cfg = base.config;
  const config: ImageConfig = {
    ...cfg,
    created,
    config: {
      ...cfg.config,
      Entrypoint: entrypoint(inputs.name),
      Cmd: null,
      User: PLUGIN_USER,
      WorkingDir: '/',
      Labels: { ...cfg.config?.Labels, ...inputs.labels },
    },
    rootfs: { type: 'layers', diff_ids: [...cfg.rootfs.diff_ids, layer.diffId] },
    history: [...(cfg.history ?? []), { created, created_by: `tektite build (${PLUGIN_DIR}/${inputs.name}.mjs)`, comment: 'tektite' }],
  };
  const configBytes = canonicalJson(config);
  const configStored = store.put(configBytes);
  const configDesc: Descriptor = { mediaType: docker ? MEDIA.dockerConfig : MEDIA.ociConfig, digest: configStored.digest, size: configStored.size };

  const layers = [...base.manifest.layers.map(stripLayer), layerDesc];
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: docker ? MEDIA.dockerManifest : MEDIA.ociManifest,
    config: configDesc,
    layers,
  };
  if (!docker) {
    manifest.annotations = {
      'org.opencontainers.image.base.name': baseName(inputs.base),
      'org.opencontainers.image.base.digest': inputs.base.digest,
    };
  }
  const bytes = canonicalJson(manifest);
  const stored = store.put(bytes);
  return {
    platform: base.platform,
    descriptor: { mediaType: manifest.mediaType!, digest: stored.digest, size: stored.size, platform: base.platform },
    bytes,
    config: configDesc,
    layers,
    baseLayers: base.manifest.layers.length,
  };
}

function baseName(base: ResolvedBase): string {
  const { registry, repository, tag } = base.ref;
  return formatImageRef(tag ? { registry, repository, tag } : { registry, repository });
}

function stripLayer(d: Descriptor): Descriptor {
  const out: Descriptor = { mediaType: d.mediaType, digest: d.digest, size: d.size };
  if (d.annotations) out.annotations = d.annotations;
  return out;
}

function withoutPlatform(d: Descriptor): Descriptor {
  return { mediaType: d.mediaType, digest: d.digest, size: d.size };
}

/** gzip at level 9 with the header's OS byte fixed to Unix, whatever platform built it. */
export function gzipFixed(data: Buffer): Buffer {
  const gz = gzipSync(data, { level: 9 });
  gz[9] = 3;
  return gz;
}
