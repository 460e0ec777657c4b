// A client for the OCI distribution API (registry v2) on fetch(): manifests and blobs down
// (into the blob cache), blobs and manifests up (skip when present, cross-repository mount,
// monolithic or chunked upload), with anonymous, Basic and Bearer-token auth.
import { Readable } from 'node:stream';
import { findCredentials, parseChallenge, type Challenge, type Credentials } from './auth.js';
import type { BlobStore } from './blob-store.js';
import { MANIFEST_ACCEPT, sha256 } from './oci.js';
import { apiHost, isLoopback } from './reference.js';

/**
 * Blobs larger than this go up in PATCH chunks of this size (64 MiB: under the request-size limits
 * of common proxies); smaller ones in one streamed PUT, which registries handle faster.
 * `TEKTITE_UPLOAD_CHUNK_MB` changes it.
 */
export const DEFAULT_CHUNK_SIZE = 64 * 1024 * 1024;

export type PushStats = { uploaded: number; skipped: number; mounted: number; uploadedBytes: number };

export class RegistryError extends Error {}

type RequestOpts = {
  headers?: Record<string, string>;
  body?: () => NonNullable<RequestInit['body']>;
  /** The repositories and actions this request needs (for Bearer tokens). */
  scopes: string[];
  redirect?: RequestInit['redirect'];
};

export class RegistryClient {
  private base: string | undefined;
  private challenge: Challenge | undefined;
  private readonly tokens = new Map<string, string>();
  private credentials: Credentials | undefined | null = null;
  readonly stats: PushStats = { uploaded: 0, skipped: 0, mounted: 0, uploadedBytes: 0 };
  private readonly chunkSize: number;

  constructor(
    readonly registry: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    const mb = env.TEKTITE_UPLOAD_CHUNK_MB;
    if (mb !== undefined && !/^[1-9]\d*$/.test(mb)) throw new RegistryError(`TEKTITE_UPLOAD_CHUNK_MB must be a whole number of MiB, got "${mb}"`);
    this.chunkSize = mb ? Number(mb) * 1024 * 1024 : DEFAULT_CHUNK_SIZE;
  }

  /** GET /v2/: picks https (or http for a loopback registry that does not speak TLS) and learns the auth challenge. */
  private async ping(): Promise<string> {
    if (this.base) return this.base;
    const host = apiHost(this.registry);
    const schemes = isLoopback(this.registry) ? ['https', 'http'] : ['https'];
    let lastError: unknown;
    for (const scheme of schemes) {
      const url = `${scheme}://${host}/v2/`;
      let res: Response;
      try {
        res = await fetch(url, { redirect: 'follow' });
      } catch (e) {
        lastError = e;
        if (isTlsTrustError(e)) break;
        continue;
      }
      await res.arrayBuffer();
      if (res.status === 401) this.challenge = parseChallenge(res.headers.get('www-authenticate') ?? '');
      else if (!res.ok && res.status !== 404) throw new RegistryError(`${url}: HTTP ${res.status}`);
      this.base = `${scheme}://${host}`;
      return this.base;
    }
    const cause = (lastError as { cause?: { code?: string; message?: string } })?.cause;
    const hint = isTlsTrustError(lastError) ? ' (for a private CA, point NODE_EXTRA_CA_CERTS at its certificate)' : '';
    throw new RegistryError(`cannot reach registry ${this.registry}: ${cause?.message ?? (lastError as Error)?.message}${hint}`);
  }

  private creds(repository: string): Credentials | undefined {
    if (this.credentials === null) this.credentials = findCredentials(this.registry, repository, this.env);
    return this.credentials;
  }

  private async authHeader(scopes: string[]): Promise<string | undefined> {
    const ch = this.challenge;
    if (!ch) return undefined;
    const repo = /^repository:([^:]+):/.exec(scopes[0] ?? '')?.[1] ?? '';
    const creds = this.creds(repo);
    if (ch.scheme === 'basic') {
      if (!creds || !('username' in creds)) throw new RegistryError(`${this.registry} requires a login (podman login / docker login ${this.registry})`);
      return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
    }
    if (ch.scheme !== 'bearer') throw new RegistryError(`${this.registry}: unsupported auth scheme "${ch.scheme}"`);
    const key = scopes.join(' ');
    const cached = this.tokens.get(key);
    if (cached) return `Bearer ${cached}`;
    const token = await this.fetchToken(ch, scopes, creds);
    this.tokens.set(key, token);
    return `Bearer ${token}`;
  }

  private async fetchToken(ch: Challenge, scopes: string[], creds: Credentials | undefined): Promise<string> {
    const realm = ch.params.realm;
    if (!realm) throw new RegistryError(`${this.registry}: Bearer challenge without a realm`);
    const url = new URL(realm);
    if (ch.params.service) url.searchParams.set('service', ch.params.service);
    for (const s of scopes) url.searchParams.append('scope', s);
    let res: Response;
    if (creds && 'identityToken' in creds) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identityToken, service: ch.params.service ?? '', scope: scopes.join(' '), client_id: 'tektite' });
      res = await fetch(realm, { method: 'POST', body: form });
    } else {
      const headers: Record<string, string> = {};
      if (creds) headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
      res = await fetch(url, { headers });
    }
    const text = await res.text();
    if (!res.ok) throw new RegistryError(`token server ${url.origin}${url.pathname} refused ${scopes.join(' ')}: HTTP ${res.status}${creds ? '' : ' (no credentials found; podman login / docker login)'}`);
    const body = JSON.parse(text) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError(`token server ${url.origin}: answer has no token`);
    return token;
  }

  /** One API call; on 401 it (re)authenticates once and repeats the call. */
  private async request(method: string, pathOrUrl: string, opts: RequestOpts): Promise<Response> {
    const base = await this.ping();
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${base}${pathOrUrl}`;
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { ...opts.headers };
      const auth = await this.authHeader(opts.scopes);
      if (auth) headers.authorization = auth;
      const init: RequestInit & { duplex?: string } = { method, headers, redirect: opts.redirect ?? 'follow' };
      if (opts.body) {
        init.body = opts.body();
        init.duplex = 'half';
      }
      const res = await fetch(url, init);
      if (res.status !== 401 || attempt > 0) return res;
      await res.arrayBuffer();
      const ch = parseChallenge(res.headers.get('www-authenticate') ?? '');
      if (!ch) return res;
      this.challenge = ch;
      this.tokens.delete(opts.scopes.join(' '));
    }
  }

  private async fail(res: Response, what: string): Promise<never> {
    const text = await res.text();
    let detail = text.slice(0, 300);
    try {
      const body = JSON.parse(text) as { errors?: { code: string; message: string }[] };
      if (body.errors?.length) detail = body.errors.map((e) => `${e.code}: ${e.message}`).join('; ');
    } catch {
      // not JSON: keep the text
    }
    throw new RegistryError(`${this.registry}: ${what}: HTTP ${res.status}${detail ? ` ${detail}` : ''}`);
  }

  /** GET a manifest or index by tag or digest; a digest is checked against the bytes. */
  async getManifest(repository: string, reference: string): Promise<{ mediaType: string; digest: string; bytes: Buffer }> {
    const res = await this.request('GET', `/v2/${repository}/manifests/${reference}`, { headers: { accept: MANIFEST_ACCEPT }, scopes: [pull(repository)] });
    if (!res.ok) await this.fail(res, `manifest ${repository}:${reference}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const digest = sha256(bytes);
    if (reference.startsWith('sha256:') && digest !== reference) throw new RegistryError(`${this.registry}/${repository}@${reference}: the registry sent a manifest with digest ${digest}`);
    const parsed = JSON.parse(bytes.toString('utf8')) as { mediaType?: string; manifests?: unknown };
    const mediaType = parsed.mediaType ?? res.headers.get('content-type') ?? '';
    return { mediaType, digest, bytes };
  }

  /** Downloads a blob into the store unless it is there already. */
  async fetchBlob(repository: string, digest: string, store: BlobStore): Promise<void> {
    if (store.has(digest)) return;
    const res = await this.request('GET', `/v2/${repository}/blobs/${digest}`, { scopes: [pull(repository)] });
    if (!res.ok || !res.body) await this.fail(res, `blob ${repository}@${digest}`);
    await store.putStream(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), digest);
  }

  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const res = await this.request('HEAD', `/v2/${repository}/blobs/${digest}`, { scopes: [pushPull(repository)] });
    await res.arrayBuffer();
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    return this.fail(res, `HEAD blob ${repository}@${digest}`);
  }

  /**
   * Makes `digest` present in `repository`: nothing when it is there, a cross-repository mount
   * from `mountFrom` (same registry) when that works, else an upload: `source` makes the blob
   * available locally and returns a function that opens it (once per attempt).
   */
  async pushBlob(repository: string, digest: string, size: number, source: () => Promise<() => Readable>, mountFrom?: string): Promise<void> {
    if (await this.hasBlob(repository, digest)) {
      this.stats.skipped++;
      return;
    }
    const scopes = mountFrom ? [pushPull(repository), pull(mountFrom)] : [pushPull(repository)];
    const query = mountFrom ? `?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(mountFrom)}` : '';
    const start = await this.request('POST', `/v2/${repository}/blobs/uploads/${query}`, { scopes, headers: { 'content-length': '0' } });
    await start.arrayBuffer().catch(() => undefined);
    if (start.status === 201 && mountFrom) {
      this.stats.mounted++;
      return;
    }
    if (start.status !== 202) return this.fail(start, `start upload to ${repository}`);
    let location = this.absolute(start.headers.get('location'));
    const open = await source();
    if (size > this.chunkSize) {
      location = await this.patchChunks(location, repository, open());
      const done = await this.request('PUT', withDigest(location, digest), { scopes: [pushPull(repository)], headers: { 'content-length': '0' } });
      if (done.status !== 201) return this.fail(done, `finish upload of ${digest}`);
      await done.arrayBuffer();
    } else {
      const done = await this.request('PUT', withDigest(location, digest), {
        scopes: [pushPull(repository)],
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
        body: () => Readable.toWeb(open()) as unknown as NonNullable<RequestInit['body']>,
      });
      if (done.status !== 201) return this.fail(done, `upload of ${digest}`);
      await done.arrayBuffer();
    }
    this.stats.uploaded++;
    this.stats.uploadedBytes += size;
  }

  private async patchChunks(location: string, repository: string, body: Readable): Promise<string> {
    let offset = 0;
    let pending: Buffer[] = [];
    let pendingLength = 0;
    const send = async (chunk: Buffer): Promise<void> => {
      const res = await this.request('PATCH', location, {
        scopes: [pushPull(repository)],
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(chunk.length), 'content-range': `${offset}-${offset + chunk.length - 1}` },
        body: () => chunk,
      });
      if (res.status !== 202) await this.fail(res, `upload chunk at ${offset}`);
      await res.arrayBuffer();
      location = this.absolute(res.headers.get('location'));
      offset += chunk.length;
    };
    for await (const piece of body as AsyncIterable<Buffer>) {
      pending.push(piece);
      pendingLength += piece.length;
      while (pendingLength >= this.chunkSize) {
        const all = Buffer.concat(pending);
        await send(all.subarray(0, this.chunkSize));
        pending = [all.subarray(this.chunkSize)];
        pendingLength = all.length - this.chunkSize;
      }
    }
    if (pendingLength > 0) await send(Buffer.concat(pending));
    return location;
  }

  /** PUT a manifest or index under a tag or its digest; returns the digest the registry reports. */
  async putManifest(repository: string, reference: string, mediaType: string, bytes: Buffer): Promise<string> {
    const res = await this.request('PUT', `/v2/${repository}/manifests/${reference}`, {
      scopes: [pushPull(repository)],
      headers: { 'content-type': mediaType, 'content-length': String(bytes.length) },
      body: () => bytes,
    });
    if (res.status !== 201) return this.fail(res, `manifest ${repository}:${reference}`);
    await res.arrayBuffer();
    const digest = sha256(bytes);
    const reported = res.headers.get('docker-content-digest');
    if (reported && reported !== digest) throw new RegistryError(`${this.registry}/${repository}: registry stored the manifest as ${reported}, expected ${digest}`);
    return digest;
  }

  private absolute(location: string | null): string {
    if (!location) throw new RegistryError(`${this.registry}: upload answer without a Location header`);
    return new URL(location, this.base).toString();
  }
}

function pull(repository: string): string {
  return `repository:${repository}:pull`;
}

function pushPull(repository: string): string {
  return `repository:${repository}:pull,push`;
}

function withDigest(location: string, digest: string): string {
  const url = new URL(location);
  url.searchParams.set('digest', digest);
  return url.toString();
}

function isTlsTrustError(e: unknown): boolean {
  const code = (e as { cause?: { code?: string } })?.cause?.code ?? '';
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT/.test(code);
}
