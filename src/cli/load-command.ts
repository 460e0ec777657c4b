// Loads a bundled sub-command (dist/cli/<name>.cjs, see scripts/bundle-cli.mjs). When the build
// left a V8 code cache beside it (<name>.cjs.v8cache: the bytecode of every function a sample run
// used), the bundle is compiled from that cache instead of from source, which saves the parse
// and the first compile of each function: most of what `tektite validate` spends before its
// first document. Without a usable cache it is a plain require.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

type Command = (argv: string[]) => Promise<number>;

/** Set by the build (scripts/bundle-cli.mjs) while it runs a sample to record the cache. */
const MAKE_CACHE_ENV = 'TEKTITE_MAKE_CODE_CACHE';

/**
 * V8 accepts a cache made for any source of the same length, so the cache starts with the
 * bundle's size and mtime at the time it was made; a bundle changed since is compiled from source.
 */
function fingerprint(file: string): Buffer {
  const st = statSync(file);
  return Buffer.from(`${st.size}:${st.mtimeMs}\n`.padEnd(64, ' '));
}

type LoadKind = 'require' | 'cache' | 'cache-rejected' | 'making-cache';

/** How the last loadCommand compiled its bundle; TEKTITE_DEBUG_LOAD=1 prints it. */
export let lastLoad: LoadKind = 'require';

const WHAT: Record<LoadKind, string> = {
  require: 'loaded from source',
  cache: 'loaded from code cache',
  'cache-rejected': 'loaded from source (V8 rejected the code cache: another node version?)',
  'making-cache': 'loaded from source, recording the code cache',
};

function debug(name: string): void {
  if (process.env.TEKTITE_DEBUG_LOAD === '1') process.stderr.write(`tektite: ${name} ${WHAT[lastLoad]}\n`);
}

/** The sub-command `name` from `dir` (default: this bundle's folder, dist/cli). */
export function loadCommand(name: string, dir = dirname(fileURLToPath(import.meta.url))): Command {
  const file = join(dir, `${name}.cjs`);
  const cacheFile = `${file}.v8cache`;
  const making = process.env[MAKE_CACHE_ENV] === '1';
  let cachedData: Buffer | undefined;
  if (!making) {
    try {
      const cache = readFileSync(cacheFile);
      if (cache.subarray(0, 64).equals(fingerprint(file))) cachedData = cache.subarray(64);
    } catch {
      // no cache (the usual case for every command but validate)
    }
    if (!cachedData) {
      lastLoad = 'require';
      debug(name);
      return createRequire(file)(file) as Command;
    }
  }
  // CommonJS's own wrapper, so the bundle sees exports, require, module, __filename, __dirname.
  const source = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(file, 'utf8')}\n})`;
  const script = new Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...a: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  const command = module.exports as Command;
  lastLoad = making ? 'making-cache' : script.cachedDataRejected ? 'cache-rejected' : 'cache';
  debug(name);
  if (!making) return command;
  return async (argv) => {
    const code = await command(argv);
    // After the run the cache holds the bytecode of every function it compiled.
    writeFileSync(cacheFile, Buffer.concat([fingerprint(file), script.createCachedData()]));
    return code;
  };
}
