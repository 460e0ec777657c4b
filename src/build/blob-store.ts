// A content-addressed blob cache on disk (`<root>/blobs/sha256/<hex>`): pulled base layers,
// configs and manifests, and the layers tektite builds. Writes are atomic (temp file + rename)
// and every blob is checked against its digest before it is kept.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertDigest, sha256 } from './oci.js';

/** `$TEKTITE_CACHE`, else `$XDG_CACHE_HOME/tektite`, else `~/.cache/tektite`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TEKTITE_CACHE) return env.TEKTITE_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tektite');
}

export class BlobStore {
  private readonly dir: string;

  constructor(root: string) {
    this.dir = join(root, 'blobs', 'sha256');
    mkdirSync(this.dir, { recursive: true });
  }

  path(digest: string): string {
    assertDigest(digest, 'blob');
    return join(this.dir, digest.slice('sha256:'.length));
  }

  has(digest: string): boolean {
    return existsSync(this.path(digest));
  }

  size(digest: string): number {
    return statSync(this.path(digest)).size;
  }

  read(digest: string): Buffer {
    return readFileSync(this.path(digest));
  }

  stream(digest: string): Readable {
    return createReadStream(this.path(digest));
  }

  /** Stores bytes and returns their digest and size. */
  put(data: Buffer): { digest: string; size: number } {
    const digest = sha256(data);
    const target = this.path(digest);
    if (!existsSync(target)) {
      const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      writeFileSync(tmp, data);
      renameSync(tmp, target);
    }
    return { digest, size: data.length };
  }

  /** Stores a stream that must hash to `digest`; nothing is kept when it does not. */
  async putStream(body: Readable, digest: string): Promise<void> {
    const target = this.path(digest);
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const hash = createHash('sha256');
    const hasher = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, hasher, createWriteStream(tmp));
      const got = `sha256:${hash.digest('hex')}`;
      if (got !== digest) throw new Error(`blob ${digest}: downloaded content has digest ${got}`);
      renameSync(tmp, target);
    } finally {
      rmSync(tmp, { force: true });
    }
  }
}
