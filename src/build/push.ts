// Pushes a built image: every blob (skipped when the registry has it, mounted from the base's
// repository when both live on the same registry, else uploaded), then the manifests, then the
// index or manifest under the tag. Returns the digest the image is now addressable by.
import type { BlobStore } from './blob-store.js';
import type { BuiltImage } from './image.js';
import { imageBlobs } from './layout.js';
import type { ImageRef } from './reference.js';
import type { RegistryClient } from './registry.js';

export type BaseSource = { client: RegistryClient; repository: string };

export async function pushImage(client: RegistryClient, target: ImageRef, image: BuiltImage, store: BlobStore, base: BaseSource): Promise<string> {
  const manifestDigests = new Set([image.top.descriptor.digest, ...image.manifests.map((m) => m.descriptor.digest)]);
  const blobs = imageBlobs(image).filter((d) => !manifestDigests.has(d.digest));
  const sameRegistry = base.client.registry === client.registry && base.repository !== target.repository;
  for (const d of blobs) {
    await client.pushBlob(
      target.repository,
      d.digest,
      d.size,
      async () => {
        await base.client.fetchBlob(base.repository, d.digest, store);
        return () => store.stream(d.digest);
      },
      sameRegistry ? base.repository : undefined,
    );
  }
  if (image.manifests.length > 1) {
    for (const m of image.manifests) await client.putManifest(target.repository, m.descriptor.digest, m.descriptor.mediaType, m.bytes);
  }
  const reference = target.tag ?? image.top.descriptor.digest;
  return client.putManifest(target.repository, reference, image.top.descriptor.mediaType, image.top.bytes);
}
