// Bundles a step plugin into one executable ESM file with esbuild: the plugin, its dependencies and
// the SDK, plus an entry shim that runs the default export through the SDK's main.
import { chmod, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export interface BundleOptions {
  /** Minify identifiers and whitespace (smaller image; stack traces need the source map). */
  minify?: boolean;
  /** Write `<outFile>.map` next to the bundle (`true`) or inline it. */
  sourcemap?: boolean | 'inline';
  /** Node version the output must run on; default node20. */
  target?: string;
}

export interface BundleResult {
  outFile: string;
  /** Size of the bundle in bytes. */
  bytes: number;
  /** esbuild warnings, formatted. */
  warnings: string[];
}

export class BundleError extends Error {
  override name = 'BundleError';
}

// ESM output cannot `require()`; CommonJS dependencies that require Node built-ins need a real one
// (evanw/esbuild#1921).
const BANNER = [
  '#!/usr/bin/env node',
  "import { createRequire as __tektiteCreateRequire } from 'node:module';",
  'const require = __tektiteCreateRequire(import.meta.url);',
].join('\n');

/** The shim resolves `tektite/sdk` from the plugin's folder, so it shares the plugin's SDK copy. */
function entryShim(entry: string): string {
  return `import program from ${JSON.stringify(entry)};\nimport { runMain } from 'tektite/sdk';\nrunMain(program);\n`;
}

async function loadEsbuild(): Promise<typeof import('esbuild')> {
  try {
    return await import('esbuild');
  } catch (e) {
    throw new BundleError(`esbuild is not installed (${(e as Error).message}); install it with \`npm install esbuild\``);
  }
}

function formatMessages(messages: { text: string; location?: { file: string; line: number; column: number } | null }[]): string[] {
  return messages.map((m) => (m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ${m.text}` : m.text));
}

async function build(entryTs: string, outFile: string, opts: BundleOptions, withShim: boolean): Promise<BundleResult> {
  const esbuild = await loadEsbuild();
  const entry = resolve(entryTs);
  const out = resolve(outFile);
  await mkdir(dirname(out), { recursive: true });
  const common = {
    bundle: true,
    platform: 'node' as const,
    format: 'esm' as const,
    target: opts.target ?? 'node20',
    outfile: out,
    minify: opts.minify ?? false,
    sourcemap: opts.sourcemap === 'inline' ? ('inline' as const) : opts.sourcemap ? ('external' as const) : false,
    legalComments: 'eof' as const,
    banner: { js: BANNER },
    // Paths in comments and the source map are relative to the plugin folder: the same sources
    // give the same bytes wherever the repository is checked out.
    absWorkingDir: dirname(entry),
    logLevel: 'silent' as const,
    write: true,
    metafile: true,
  };
  let result: import('esbuild').BuildResult;
  try {
    result = withShim
      ? await esbuild.build({ ...common, stdin: { contents: entryShim(entry), resolveDir: dirname(entry), sourcefile: 'tektite-entry.js', loader: 'js' } })
      : await esbuild.build({ ...common, entryPoints: [entry] });
  } catch (e) {
    const errors = (e as { errors?: Parameters<typeof formatMessages>[0] }).errors;
    throw new BundleError(errors ? `cannot bundle ${entryTs}:\n${formatMessages(errors).join('\n')}` : (e as Error).message);
  }
  await chmod(out, 0o755);
  const bytes = Object.entries(result.metafile?.outputs ?? {}).find(([p]) => resolve(dirname(entry), p) === out)?.[1].bytes ?? 0;
  return { outFile: out, bytes, warnings: formatMessages(result.warnings) };
}

/** One executable ESM file that runs the plugin: `node <outFile> -param=value ...`. */
export function bundlePlugin(entryTs: string, outFile: string, opts: BundleOptions = {}): Promise<BundleResult> {
  return build(entryTs, outFile, opts, true);
}

/** The plugin module alone (its default export is the declaration), for loading it into tektite. */
export function bundleModule(entryTs: string, outFile: string): Promise<BundleResult> {
  return build(entryTs, outFile, {}, false);
}
