#!/usr/bin/env node
// Bundles the `tektite` command (compiled by tsc into dist/src/cli) into one CommonJS file per
// sub-command under dist/cli: `tektite validate` then loads two files instead of ~40 ES modules,
// which is most of its start-up. main.cjs still loads a sub-command only when it is asked for.
// npm dependencies (yaml, esbuild) stay external: they are loaded from node_modules when needed.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
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

// main.cjs: the dispatcher, with each sub-command's import left as a require of its own bundle.
await build({
  ...common,
  entryPoints: [join(src, 'main.js')],
  outfile: join(out, 'main.cjs'),
  // `import('./validate.cjs')` becomes a plain require: no ES module loader for a CommonJS file.
  supported: { 'dynamic-import': false },
  plugins: [
    {
      name: 'lazy-commands',
      setup(b) {
        b.onResolve({ filter: COMMAND }, (args) => {
          const m = COMMAND.exec(args.path);
          if (args.kind !== 'dynamic-import' || args.importer !== join(src, 'main.js') || !m) return undefined;
          commands.add(m[1]);
          return { path: `./${m[1]}.cjs`, external: true };
        });
      },
    },
  ],
});

await Promise.all(
  [...commands].map((c) =>
    build({
      ...common,
      entryPoints: [join(src, `${c}.js`)],
      outfile: join(out, `${c}.cjs`),
      // A sub-command module's only export is its default function; main.cjs requires it as such.
      footer: { js: 'module.exports = module.exports.default;' },
    }),
  ),
);
