// Loads a bundled sub-command (dist/cli/<name>.cjs, see scripts/bundle-cli.mjs). For `validate`,
// the build leaves a V8 code cache beside the bundle (<name>.cjs.v8cache: the bytecode of every
// function a sample run used); the bundle is then compiled from that cache instead of from
// source, which saves the parse and the first compile of each function: most of what `tektite
// validate` spends before its first document. Without a usable cache it is a plain require.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants as vmConstants, Script } from 'node:vm';

type Command = (argv: string[]) => Promise<number>;

/** The commands the build records a cache for. */
const CACHED: ReadonlySet<string> = new Set(['validate']);

/** Set by the build (scripts/bundle-cli.mjs) while it runs a sample to record the cache. */
const MAKE_CACHE_ENV = 'TEKTITE_MAKE_CODE_CACHE';

type LoadKind = 'require' | 'cache' | 'cache-rejected' | 'making-cache';

/** How the last loadCommand compiled its bundle; TEKTITE_DEBUG_LOAD=1 prints it. */
export let lastLoad: LoadKind = 'require';

const WHAT: Record<LoadKind, string> = {
  require: 'loaded from source',
  cache: 'loaded from code cache',
  'cache-rejected': 'loaded from source (V8 rejected the code cache: another node version, or a damaged cache)',
  'making-cache': 'loaded from source, recording the code cache',
};

function debug(name: string): void {
  if (process.env.TEKTITE_DEBUG_LOAD === '1') process.stderr.write(`tektite: ${name} ${WHAT[lastLoad]}\n`);
}

const HEADER_BYTES = 128;

/**
 * The cache file: this header, a copy of the bundle it was made from (padded to 8 bytes, so the
 * payload that follows stays aligned and V8 uses it in place), then V8's payload. V8 itself
 * accepts a cache for any source of the same length, so the copy pins the bundle byte for byte
 * (one memcmp). V8 checksums its payload (`--verify-snapshot-checksum`, set with the other flags
 * below) and rejects damaged data; scripts/bundle-cli.mjs checks that it does before it keeps a
 * cache. (This replaces CRC-32s from node:zlib, which loads node's stream modules.)
 */
function header(bundleBytes: number, payloadBytes: number): Buffer {
  return Buffer.from(`tektite-code-cache 2 ${bundleBytes} ${payloadBytes}\n`.padEnd(HEADER_BYTES, ' '));
}

/** Where the payload starts after a bundle copy of `bundleBytes`. */
const payloadStart = (bundleBytes: number): number => HEADER_BYTES + Math.ceil(bundleBytes / 8) * 8;

/**
 * The V8 flags `validate` runs under. V8 optimises a function with TurboFan once it has run
 * ~66 KB of its bytecode. A validate run over a few hundred files lasts ~100 ms: much of that
 * optimising (on the second core, which the collector also uses) is never paid back, and the
 * functions then run on in Sparkplug code anyway. A budget 4.5x larger cuts the shared corpus's
 * run by ~10-18% of wall and ~30% of CPU time, and the run over eight copies of it by ~20%
 * (docs/validate.md, Speed). `--verify-snapshot-checksum` makes V8 checksum the code cache it
 * writes and check it on reading. Set before the bundle is compiled, the same way when the cache
 * is made as when it is used: V8 checks the flags' hash.
 */
const V8_FLAGS: readonly string[] = ['--interrupt-budget=300000', '--verify-snapshot-checksum'];

function setFlags(): void {
  const { setFlagsFromString } = createRequire(import.meta.url)('node:v8') as typeof import('node:v8');
  for (const f of V8_FLAGS) setFlagsFromString(f);
}

/** The sub-command `name` from `dir` (default: this bundle's folder, dist/cli). */
export function loadCommand(name: string, dir = dirname(fileURLToPath(import.meta.url))): Command {
  const file = join(dir, `${name}.cjs`);
  const cacheFile = `${file}.v8cache`;
  const plain = (): Command => {
    lastLoad = 'require';
    debug(name);
    return createRequire(file)(file) as Command;
  };
  if (!CACHED.has(name)) return plain();
  setFlags();
  const making = process.env[MAKE_CACHE_ENV] === '1';
  let cache: Buffer | undefined;
  if (!making) {
    try {
      cache = readFileSync(cacheFile);
    } catch {
      return plain();
    }
  }
  const bundle = readFileSync(file);
  let cachedData: Buffer | undefined;
  if (cache) {
    const payload = cache.subarray(payloadStart(bundle.length));
    const pinned = cache.subarray(HEADER_BYTES, HEADER_BYTES + bundle.length);
    if (!cache.subarray(0, HEADER_BYTES).equals(header(bundle.length, payload.length)) || !pinned.equals(bundle)) return plain();
    cachedData = payload;
  }
  // CommonJS's own wrapper, so the bundle sees exports, require, module, __filename, __dirname.
  const source = `(function (exports, require, module, __filename, __dirname) { ${bundle.toString('utf8')}\n})`;
  const script = new Script(source, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
    // (node >= 20.?: lets import() inside the bundle load modules as it would under require)
    ...(vmConstants?.USE_MAIN_CONTEXT_DEFAULT_LOADER ? { importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER } : {}),
  });
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...a: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  const command = module.exports as Command;
  lastLoad = making ? 'making-cache' : script.cachedDataRejected ? 'cache-rejected' : 'cache';
  debug(name);
  if (!making) return command;
  return async (argv) => {
    const code = await command(argv);
    // After the run the cache holds the bytecode of every function it compiled. Written whole
    // or not at all (a torn cache must never be read).
    const payload = script.createCachedData();
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    try {
      const padding = Buffer.alloc(payloadStart(bundle.length) - HEADER_BYTES - bundle.length);
      writeFileSync(tmp, Buffer.concat([header(bundle.length, payload.length), bundle, padding, payload]));
      renameSync(tmp, cacheFile);
    } catch (e) {
      process.stderr.write(`tektite: could not write the code cache ${cacheFile}: ${(e as Error).message}\n`);
    }
    return code;
  };
}
