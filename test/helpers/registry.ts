// Real registries for the builder's tests: Debian's docker-registry (distribution 2.8) on
// 127.0.0.1 with its own config and storage — plain HTTP, TLS with htpasswd Basic auth, or
// Bearer tokens from a small token server that signs JWTs with a test key. Every request the
// registry served is read back from its access log, so tests can count uploads.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSign, randomUUID, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type ServedRequest = { method: string; uri: string; status: number };

export type TestRegistry = {
  /** `127.0.0.1:<port>`, the registry part of image references. */
  host: string;
  dir: string;
  /** The self-signed certificate (PEM file) when the registry speaks TLS. */
  caFile?: string;
  /** Every request served so far (waits until the access log has caught up). */
  requests(): Promise<ServedRequest[]>;
  stop(): Promise<void>;
};

export type RegistryOptions = {
  tls?: boolean;
  /** Basic auth with one user. */
  basic?: { user: string; password: string };
  /** Bearer-token auth: the token server's realm URL and its signing certificate. */
  token?: { realm: string; service: string; issuer: string; certFile: string };
};

export function requireTool(tool: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    throw new Error(`${tool} is not installed: the builder tests need it (apt-get install it, see .ci/run)`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A self-signed certificate for 127.0.0.1 (SAN IP:127.0.0.1), made with openssl. */
export function makeCertificate(dir: string, name = 'registry'): { cert: string; key: string } {
  requireTool('openssl');
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}

export async function startRegistry(opts: RegistryOptions = {}): Promise<TestRegistry> {
  requireTool('docker-registry');
  const dir = mkdtempSync(join(tmpdir(), 'tektite-registry-'));
  const port = await freePort();
  const lines = ['version: 0.1', 'log: {level: warn, formatter: text}', `storage: {filesystem: {rootdirectory: ${join(dir, 'data')}}, delete: {enabled: true}}`];
  let caFile: string | undefined;
  if (opts.tls) {
    const { cert, key } = makeCertificate(dir);
    caFile = cert;
    lines.push(`http: {addr: 127.0.0.1:${port}, tls: {certificate: ${cert}, key: ${key}}}`);
  } else {
    lines.push(`http: {addr: 127.0.0.1:${port}}`);
  }
  if (opts.basic) {
    requireTool('htpasswd');
    const file = join(dir, 'htpasswd');
    writeFileSync(file, execFileSync('htpasswd', ['-Bbn', opts.basic.user, opts.basic.password]));
    lines.push(`auth: {htpasswd: {realm: tektite-test, path: ${file}}}`);
  }
  if (opts.token) {
    const t = opts.token;
    lines.push(`auth: {token: {realm: "${t.realm}", service: "${t.service}", issuer: "${t.issuer}", rootcertbundle: ${t.certFile}}}`);
  }
  const config = join(dir, 'config.yml');
  writeFileSync(config, `${lines.join('\n')}\n`);
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  let errors = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (errors += d.toString()));
  const host = `127.0.0.1:${port}`;
  await waitReady(child, host, caFile, () => errors);
  return {
    host,
    dir,
    ...(caFile ? { caFile } : {}),
    requests: async () => {
      // The access log is written in request order: once a marker request shows up, all before it have.
      const marker = `/v2/log-marker-${randomUUID()}/tags/list`;
      await probe(host, caFile, marker);
      const deadline = Date.now() + 5000;
      while (!log.includes(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      return parseAccessLog(log).filter((q) => !q.uri.startsWith('/v2/log-marker-'));
    },
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Apache combined lines on the registry's stdout: `... "HEAD /v2/... HTTP/1.1" 200 ...`. */
function parseAccessLog(log: string): ServedRequest[] {
  const out: ServedRequest[] = [];
  for (const m of log.matchAll(/"([A-Z]+) (\S+) HTTP\/[\d.]+" (\d{3})/g)) out.push({ method: m[1]!, uri: m[2]!, status: Number(m[3]) });
  return out;
}

async function waitReady(child: ChildProcess, host: string, caFile: string | undefined, errors: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${errors()}`);
    const status = await probe(host, caFile, '/v2/');
    if (status === 200 || status === 401) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`docker-registry on ${host} did not become ready: ${errors()}`);
}

function probe(host: string, caFile: string | undefined, path: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = (caFile ? httpsRequest : httpRequest)(
      { host: '127.0.0.1', port: Number(host.split(':')[1]), path, method: 'GET', ...(caFile ? { ca: readFileSync(caFile) } : {}) },
      (res) => {
        res.resume();
        resolve(res.statusCode);
      },
    );
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}

export type TokenServer = {
  realm: string;
  service: string;
  issuer: string;
  certFile: string;
  /** Scopes asked for, and whether credentials came with them. */
  requests: { scope: string[]; user: string | undefined }[];
  stop(): Promise<void>;
};

/**
 * The token half of Docker's token auth: checks Basic credentials, grants the asked-for
 * repository actions to the one known user, and signs an RS256 JWT whose x5c header carries
 * the certificate the registry trusts (its rootcertbundle).
 */
export async function startTokenServer(user: string, password: string): Promise<TokenServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tektite-token-'));
  const { cert, key } = makeCertificate(dir, 'token');
  const keyPem = readFileSync(key, 'utf8');
  const certDer = new X509Certificate(readFileSync(cert)).raw.toString('base64');
  const service = 'tektite-test-registry';
  const issuer = 'tektite-test-issuer';
  const requests: TokenServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const scopes = url.searchParams.getAll('scope');
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [u, p] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(/:(.*)/s) : [];
    requests.push({ scope: scopes, user: u });
    if (basic && (u !== user || p !== password)) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"bad credentials"}');
      return;
    }
    const access = u === user ? scopes.flatMap(parseScope) : [];
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', x5c: [certDer] };
    const claims = { iss: issuer, sub: u ?? '', aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access };
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(keyPem).toString('base64url');
    const token = `${signingInput}.${signature}`;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certFile: cert,
    requests,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function parseScope(scope: string): { type: string; name: string; actions: string[] }[] {
  return scope.split(' ').flatMap((s) => {
    const m = /^([a-z]+):(.+):([a-z*,]+)$/.exec(s);
    return m ? [{ type: m[1]!, name: m[2]!, actions: m[3]!.split(',') }] : [];
  });
}

function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
