// Writes one platform of a built image as a docker-archive tarball (`manifest.json`, the
// config and the gzipped layers), the format `docker load` and `podman load` read.
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from './blob-store.js';
import type { BuiltManifest } from './image.js';
import { canonicalJson } from './oci.js';
import { tarEnd, tarHeader, tarPadding } from './tar.js';

export async function writeDockerArchive(file: string, image: BuiltManifest, repoTag: string, store: BlobStore, epoch: number): Promise<void> {
  const hex = (digest: string) => digest.slice('sha256:'.length);
  const configName = `${hex(image.config.digest)}.json`;
  const layerNames = image.layers.map((l) => `${hex(l.digest)}.tar.gz`);
  const manifest = canonicalJson([{ Config: configName, RepoTags: [repoTag], Layers: layerNames }]);
  const seen = new Set<string>();
  const blobs = [image.config, ...image.layers].filter((d) => !seen.has(d.digest) && seen.add(d.digest));

  async function* parts(): AsyncGenerator<Buffer> {
    yield tarHeader({ type: 'file', path: 'manifest.json', mode: 0o644, data: manifest }, manifest.length, epoch);
    yield manifest;
    yield tarPadding(manifest.length);
    for (const d of blobs) {
      const name = d.digest === image.config.digest ? configName : `${hex(d.digest)}.tar.gz`;
      yield tarHeader({ type: 'file', path: name, mode: 0o644, data: Buffer.alloc(0) }, d.size, epoch);
      for await (const chunk of store.stream(d.digest)) yield chunk as Buffer;
      yield tarPadding(d.size);
    }
    yield tarEnd();
  }

  const tmp = `${file}.tmp-${process.pid}`;
  try {
    await pipeline(Readable.from(parts()), createWriteStream(tmp));
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}
