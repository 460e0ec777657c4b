// Writes a built image as an OCI image layout directory (`oci-layout`, `index.json`,
// `blobs/sha256/...`) that skopeo, umoci, podman (`oci:DIR:TAG`) and crane read. An existing
// layout keeps its other images; an image with the same ref name is replaced.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BlobStore } from './blob-store.js';
import type { BuiltImage } from './image.js';
import { MEDIA, type Descriptor, type ImageIndex } from './oci.js';

const REF_NAME = 'org.opencontainers.image.ref.name';

/** Every blob a built image references (index, manifests, configs, layers), each once. */
export function imageBlobs(image: BuiltImage): Descriptor[] {
  const all: Descriptor[] = [];
  if (image.manifests.length > 1) all.push(image.top.descriptor);
  for (const m of image.manifests) all.push(m.descriptor, m.config, ...m.layers);
  const seen = new Set<string>();
  return all.filter((d) => !seen.has(d.digest) && seen.add(d.digest));
}

export function writeOciLayout(dir: string, image: BuiltImage, store: BlobStore, refName: string): void {
  const indexPath = join(dir, 'index.json');
  let index: ImageIndex = { schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: [] };
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!existsSync(join(dir, 'oci-layout')) || !existsSync(indexPath)) throw new Error(`${dir} exists and is not an OCI image layout; choose an empty or new directory`);
    index = JSON.parse(readFileSync(indexPath, 'utf8')) as ImageIndex;
  }
  const blobDir = join(dir, 'blobs', 'sha256');
  mkdirSync(blobDir, { recursive: true });
  for (const d of imageBlobs(image)) {
    const target = join(blobDir, d.digest.slice('sha256:'.length));
    if (!existsSync(target)) copyFileSync(store.path(d.digest), target);
  }
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const top: Descriptor = { ...image.top.descriptor, annotations: { [REF_NAME]: refName } };
  index.manifests = [...index.manifests.filter((m) => m.annotations?.[REF_NAME] !== refName), top];
  const tmp = `${indexPath}.tmp`;
  writeFileSync(tmp, JSON.stringify(index));
  renameSync(tmp, indexPath);
}
