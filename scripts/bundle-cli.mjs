#!/usr/bin/env node
// Bundles the `tektite` command (compiled by tsc into dist/src/cli) into one CommonJS file per
// sub-command under dist/cli: `tektite validate` then loads two files instead of ~40 ES modules,
// which is most of its start-up. main.cjs still loads a sub-command only when it is asked for.
// npm dependencies (yaml, esbuild) stay external: they are loaded from node_modules when needed.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'dist', 'src', 'cli');
const out = join(root, 'dist', 'cli');
if (!existsSync(join(src, 'main.js'))) {
  console.error('bundle-cli: dist/src/cli/main.js is missing: run `tsc -p .` first');
  process.exit(1);
}

// Sub-commands are the modules main.js loads lazily: `import('./<name>.js')`.
const COMMAND = /^\.\/([a-z-]+)\.js$/;
const commands = new Set();

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
  sourcemap: 'linked',
  // The sources use import.meta.url (to find package.json, to load yaml lazily).
  define: { 'import.meta.url': '__tektiteModuleUrl' },
  banner: { js: 'var __tektiteModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
};

// main.cjs: the dispatcher. Each sub-command's `import('./<name>.js')` becomes a call to
// loadCommand (src/cli/load-command.ts), which requires dist/cli/<name>.cjs only when asked for,
// through a V8 code cache when the build made one.
await build({
  ...common,
  entryPoints: [join(src, 'main.js')],
  outfile: join(out, 'main.cjs'),
  plugins: [
    {
      name: 'lazy-commands',
      setup(b) {
        b.onResolve({ filter: COMMAND }, (args) => {
          const m = COMMAND.exec(args.path);
          if (args.kind !== 'dynamic-import' || args.importer !== join(src, 'main.js') || !m) return undefined;
          commands.add(m[1]);
          return { path: m[1], namespace: 'tektite-command' };
        });
        b.onLoad({ filter: /.*/, namespace: 'tektite-command' }, (args) => ({
          contents: `import { loadCommand } from ${JSON.stringify(join(src, 'load-command.js'))};\nexport default (argv) => loadCommand(${JSON.stringify(args.path)})(argv);\n`,
          resolveDir: src,
          loader: 'js',
        }));
      },
    },
  ],
});

// Parts of a command that only some of its runs need (`validate --fix`, `--watch`): a sub-command
// loads them with `import('./fix.js')`, which becomes a require of dist/cli/fix.cjs at that
// moment, so a plain `tektite validate` neither reads nor compiles them.
const PART = /^\.\/(fix|watch)\.js$/;
const parts = new Set();
const lazyParts = {
  name: 'lazy-parts',
  setup(b) {
    b.onResolve({ filter: PART }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const name = PART.exec(args.path)[1];
      parts.add(name);
      return { path: name, namespace: 'tektite-part' };
    });
    b.onLoad({ filter: /.*/, namespace: 'tektite-part' }, (args) => ({
      contents: `module.exports = require('node:module').createRequire(__filename)(require('node:path').join(__dirname, ${JSON.stringify(`${args.path}.cjs`)}));\n`,
      loader: 'js',
    }));
  },
};

await Promise.all(
  [...commands].map((c) =>
    build({
      ...common,
      entryPoints: [join(src, `${c}.js`)],
      outfile: join(out, `${c}.cjs`),
      plugins: [lazyParts],
      // A sub-command module's only export is its default function; main.cjs requires it as such.
      footer: { js: 'module.exports = module.exports.default;' },
    }),
  ),
);
await Promise.all([...parts].map((p) => build({ ...common, entryPoints: [join(src, `${p}.js`)], outfile: join(out, `${p}.cjs`) })));

// The code cache for `validate` (the command whose start-up matters most): the bytecode of every
// function a run over a sample of Tekton YAML compiled. Commands without one are plain requires.
const sample = join(root, 'scripts', 'code-cache-sample.yaml');
const made = spawnSync(process.execPath, [join(out, 'main.cjs'), 'validate', sample], {
  env: { ...process.env, TEKTITE_MAKE_CODE_CACHE: '1' },
  stdio: ['ignore', 'ignore', 'pipe'],
  encoding: 'utf8',
});
if (made.status !== 0 && made.status !== 1) {
  console.error(`bundle-cli: the sample run for the code cache failed (exit ${made.status}):\n${made.stderr}`);
  process.exit(1);
}
const cacheFile = join(out, 'validate.cjs.v8cache');
if (!existsSync(cacheFile)) {
  console.error('bundle-cli: the sample run did not write dist/cli/validate.cjs.v8cache');
  process.exit(1);
}

// The cache is only safe if this node's V8 rejects damaged data (the loader sets
// --verify-snapshot-checksum; a V8 that dropped the flag would run damaged bytecode, or crash on
// it). Seen in a fresh process: the cache as made is used, a copy with a flipped byte is not, and
// neither load prints anything. Otherwise the cache is dropped: validate then compiles from source.
function loadsAs(cache) {
  const dir = mkdtempSync(join(tmpdir(), 'tektite-cache-check-'));
  try {
    copyFileSync(join(out, 'validate.cjs'), join(dir, 'validate.cjs'));
    writeFileSync(join(dir, 'validate.cjs.v8cache'), cache);
    const loader = new URL('../dist/src/cli/load-command.js', import.meta.url).href;
    const script = `const m = await import(${JSON.stringify(loader)}); m.loadCommand('validate', ${JSON.stringify(dir)}); console.log(m.lastLoad);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    return r.status === 0 && r.stderr === '' ? r.stdout.trim() : `exit ${r.status}: ${r.stderr.trim()}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const good = readFileSync(cacheFile);
const damaged = Buffer.from(good);
damaged[damaged.length - 1] ^= 0xff;
const [asMade, asDamaged] = [loadsAs(good), loadsAs(damaged)];
if (asMade !== 'cache' || asDamaged !== 'cache-rejected') {
  rmSync(cacheFile, { force: true });
  console.error(`bundle-cli: the code cache is left out: this node ${asMade !== 'cache' ? `does not use it (${asMade})` : `does not reject a damaged copy (${asDamaged})`}`);
}
