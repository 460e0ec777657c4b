// Registry credentials from the files `podman login` and `docker login` write, in podman's
// order: $REGISTRY_AUTH_FILE, ${XDG_RUNTIME_DIR}/containers/auth.json,
// ~/.config/containers/auth.json, then $DOCKER_CONFIG/config.json (or ~/.docker/config.json).
// Entries may name a host or a host/repository prefix; the longest match wins. Credential
// helpers (`credHelpers`, `credsStore`) are run the way docker runs them.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type Credentials = { username: string; password: string } | { identityToken: string };

type AuthEntry = { auth?: string; username?: string; password?: string; identitytoken?: string };
type AuthFile = { auths?: Record<string, AuthEntry>; credHelpers?: Record<string, string>; credsStore?: string };

export function authFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME || homedir();
  const files: string[] = [];
  if (env.REGISTRY_AUTH_FILE) files.push(env.REGISTRY_AUTH_FILE);
  if (env.XDG_RUNTIME_DIR) files.push(join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'));
  files.push(join(env.XDG_CONFIG_HOME || join(home, '.config'), 'containers', 'auth.json'));
  files.push(join(env.DOCKER_CONFIG || join(home, '.docker'), 'config.json'));
  return files;
}

/** Credentials for `registry` (host[:port]) and `repository`, or undefined for anonymous access. */
export function findCredentials(registry: string, repository: string, env: NodeJS.ProcessEnv = process.env): Credentials | undefined {
  for (const file of authFiles(env)) {
    if (!existsSync(file)) continue;
    let parsed: AuthFile;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as AuthFile;
    } catch (e) {
      throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
    }
    const entry = bestEntry(parsed.auths ?? {}, registry, repository);
    if (entry) return decodeEntry(entry, file, registry);
    const helper = parsed.credHelpers?.[registry] ?? parsed.credsStore;
    if (helper) {
      const fromHelper = runHelper(helper, registry, env);
      if (fromHelper) return fromHelper;
    }
  }
  return undefined;
}

function normalizeKey(key: string): string {
  let k = key.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  if (k.endsWith('/v1') || k.endsWith('/v2')) k = k.slice(0, -3);
  if (k === 'index.docker.io' || k === 'registry-1.docker.io') k = 'docker.io';
  return k;
}

function bestEntry(auths: Record<string, AuthEntry>, registry: string, repository: string): AuthEntry | undefined {
  const full = `${registry}/${repository}`;
  let best: { len: number; entry: AuthEntry } | undefined;
  for (const [key, entry] of Object.entries(auths)) {
    const k = normalizeKey(key);
    const matches = k === registry || full === k || full.startsWith(`${k}/`);
    if (matches && (!best || k.length > best.len)) best = { len: k.length, entry };
  }
  return best?.entry;
}

function decodeEntry(entry: AuthEntry, file: string, registry: string): Credentials | undefined {
  if (entry.identitytoken) return { identityToken: entry.identitytoken };
  if (entry.username !== undefined && entry.password !== undefined) return { username: entry.username, password: entry.password };
  if (entry.auth) {
    const text = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    if (colon === -1) throw new Error(`${file}: the "auth" of ${registry} is not base64 of user:password`);
    return { username: text.slice(0, colon), password: text.slice(colon + 1) };
  }
  return undefined;
}

function runHelper(helper: string, registry: string, env: NodeJS.ProcessEnv): Credentials | undefined {
  const r = spawnSync(`docker-credential-${helper}`, ['get'], { input: registry, encoding: 'utf8', env, timeout: 30_000 });
  if (r.error || r.status !== 0) return undefined; // helpers exit non-zero for "no credentials for this host"
  const out = JSON.parse(r.stdout) as { Username?: string; Secret?: string };
  if (!out.Secret) return undefined;
  return out.Username === '<token>' ? { identityToken: out.Secret } : { username: out.Username ?? '', password: out.Secret };
}

export type Challenge = { scheme: string; params: Record<string, string> };

/** Parses `WWW-Authenticate: Bearer realm="...",service="...",scope="..."`. */
export function parseChallenge(header: string): Challenge | undefined {
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (let p = re.exec(m[2]!); p; p = re.exec(m[2]!)) params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3]!;
  return { scheme: m[1]!.toLowerCase(), params };
}
