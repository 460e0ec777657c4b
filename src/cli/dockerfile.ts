// `tektite dockerfile <plugin.ts>`: writes the multi-stage Dockerfile that builds the same image
// layout as `tektite build`, for users who build with docker or buildah.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { defaultCacheDir } from '../build/blob-store.js';
import { BundleError } from '../build/bundle.js';
import { dockerfileText } from '../build/dockerfile.js';
import { gitLabels } from '../build/labels.js';
import { Builder, DEFAULT_BASE } from '../build/pipeline.js';
import { loadStepProgram } from '../build/plugin-source.js';
import { parseImageRef } from '../build/reference.js';
import { parseCommand } from './args.js';
import { EXIT, fail } from './exit.js';
import { writeOutput } from './write-output.js';

const USAGE = `Usage: tektite dockerfile <plugin.ts> [--base REF] [--context DIR] [-o FILE]

Prints a multi-stage Dockerfile for the plugin: a Node.js stage runs \`npm ci\` and bundles the
plugin with tektite (the project must depend on tektite), the final stage copies the bundle onto
the base and runs it as user 65532, with the same layout \`tektite build\` makes.

Options:
  --base REF         base image (default: the plugin's \`base\`, else ${DEFAULT_BASE});
                     tektite looks up where node is in it
  --context DIR      the build context (default: the nearest folder above the plugin with a
                     package.json)
  -o, --output FILE  write the Dockerfile to FILE instead of stdout
`;

/** Distroless Node.js keeps node at /nodejs/bin/node: no need to look it up. */
const DEFAULT_BASE_NODE = '/nodejs/bin/node';

export default async function dockerfile(argv: string[]): Promise<number> {
  const args = parseCommand(argv, { base: { type: 'string' }, context: { type: 'string' }, output: { type: 'string', short: 'o' } }, USAGE);
  if (typeof args === 'number') return args;
  const o = args.values;
  if (args.positionals.length !== 1) return fail(`expected one plugin file, got ${args.positionals.length}\n\n${USAGE}`);
  const entry = resolve(args.positionals[0]!);
  if (!existsSync(entry)) return fail(`${args.positionals[0]}: no such file`);
  const context = o.context !== undefined ? resolve(o.context) : projectRoot(dirname(entry));
  if (!context) return fail(`no package.json above ${args.positionals[0]}: give the build context with --context`);
  const plugin = relative(context, entry).split(sep).join('/');
  if (plugin.startsWith('../')) return fail(`${args.positionals[0]} is outside the build context ${context}`);
  if (!existsSync(join(context, 'package-lock.json'))) return fail(`${context} has no package-lock.json: the build stage runs \`npm ci\` (run \`npm install\` first)`);
  try {
    if (o.base !== undefined) parseImageRef(o.base);
  } catch (e) {
    return fail((e as Error).message);
  }

  try {
    const program = await loadStepProgram(entry);
    const base = o.base ?? program.base ?? DEFAULT_BASE;
    const nodePath = base === DEFAULT_BASE ? DEFAULT_BASE_NODE : await new Builder(defaultCacheDir()).baseNodePath(base, { os: 'linux', architecture: 'amd64' });
    const source = gitLabels(entry)['org.opencontainers.image.source'];
    const text = dockerfileText({ name: program.name, plugin, base, nodePath, ...(source ? { source } : {}) });
    if (o.output === undefined) {
      process.stdout.write(text);
      return EXIT.ok;
    }
    await writeOutput(resolve(o.output), text);
    return EXIT.ok;
  } catch (e) {
    return fail((e as Error).message, e instanceof BundleError ? EXIT.usage : EXIT.failed);
  }
}

function projectRoot(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) return undefined;
  }
}
