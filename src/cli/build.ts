// `tektite build <plugin.ts>`: bundle the plugin, put it on a Node.js base image without a
// daemon, and write it out: --push (prints the Task/StepAction YAML pinned to the digest),
// --oci-layout, --tarball, or only --bundle.
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { defaultCacheDir } from '../build/blob-store.js';
import { BundleError, bundlePlugin } from '../build/bundle.js';
import { generateStepAction, generateTask, toYaml } from '../build/generate.js';
import { gitLabels } from '../build/labels.js';
import { parsePlatform, type Platform } from '../build/oci.js';
import { Builder, DEFAULT_BASE } from '../build/pipeline.js';
import { loadStepProgram } from '../build/plugin-source.js';
import { formatImageRef, parseImageRef } from '../build/reference.js';
import type { StepProgram } from '../sdk/declare.js';
import { parseCommand } from './args.js';
import { EXIT, fail } from './exit.js';
import { writeOutput } from './write-output.js';

const USAGE = `Usage: tektite build <plugin.ts> [options]

Bundles the plugin and builds its image (the base's layers plus /tektite/<name>.mjs and
/tektite/node), reproducibly and without a container daemon. With no output option it prints
the image digest.

Options:
  --push REPO[:TAG]   push to the registry (tag default "latest") and print the plugin's
                      Task YAML with image: REPO@sha256:... (see -o, --stepaction)
  --stepaction        with --push: the StepAction YAML instead of the Task
  -o, --output FILE   write that YAML to FILE instead of stdout (stdout gets the image ref)
  --oci-layout DIR    write an OCI image layout (skopeo, umoci, podman oci:DIR:TAG)
  --tarball FILE      write a docker-archive for \`docker load\` / \`podman load\` (one platform)
  --bundle FILE       only write the bundled program (no image)
  --base REF          base image (default: the plugin's \`base\`, else ${DEFAULT_BASE})
  --platform LIST     comma-separated os/arch[/variant], or "all" (default linux/amd64)
  --tag NAME          image name for --oci-layout / --tarball (default: --push, else the plugin's image)

Registry credentials come from $REGISTRY_AUTH_FILE, \${XDG_RUNTIME_DIR}/containers/auth.json,
~/.config/containers/auth.json and ~/.docker/config.json. The cache is $TEKTITE_CACHE or
~/.cache/tektite. Time stamps are SOURCE_DATE_EPOCH (default 0).
`;

export default async function build(argv: string[]): Promise<number> {
  const args = parseCommand(
    argv,
    {
      push: { type: 'string' },
      stepaction: { type: 'boolean' },
      output: { type: 'string', short: 'o' },
      'oci-layout': { type: 'string' },
      tarball: { type: 'string' },
      bundle: { type: 'string' },
      base: { type: 'string' },
      platform: { type: 'string' },
      tag: { type: 'string' },
    },
    USAGE,
  );
  if (typeof args === 'number') return args;
  const o = args.values;
  if (args.positionals.length !== 1) return fail(`expected one plugin file, got ${args.positionals.length}\n\n${USAGE}`);
  const entry = resolve(args.positionals[0]!);

  let platforms: Platform[] | 'all' = [{ os: 'linux', architecture: 'amd64' }];
  if (o.platform !== undefined) {
    if (o.platform === 'all') platforms = 'all';
    else {
      platforms = [];
      for (const text of o.platform.split(',')) {
        const p = parsePlatform(text.trim());
        if (!p) return fail(`--platform: "${text}" is not os/arch[/variant] (e.g. linux/arm64)`);
        platforms.push(p);
      }
    }
  }
  if (o.tarball !== undefined && (platforms === 'all' || platforms.length !== 1)) return fail('--tarball holds one platform: give a single --platform');
  if (o['oci-layout'] !== undefined) {
    const dir = resolve(o['oci-layout']);
    if (existsSync(dir) && readdirSync(dir).length > 0 && !existsSync(join(dir, 'oci-layout'))) return fail(`--oci-layout ${o['oci-layout']}: the folder is not empty and not an OCI image layout`);
  }
  const epochText = process.env.SOURCE_DATE_EPOCH ?? '0';
  if (!/^\d+$/.test(epochText)) return fail(`SOURCE_DATE_EPOCH must be whole seconds, got "${epochText}"`);
  const epoch = Number(epochText);

  let pushRef;
  let base;
  try {
    pushRef = o.push !== undefined ? parseImageRef(o.push) : undefined;
    if (pushRef?.digest) return fail(`--push ${o.push}: give a repository (and tag), not a digest`);
    if (o.base !== undefined) parseImageRef(o.base);
  } catch (e) {
    return fail((e as Error).message);
  }

  const work = await mkdtemp(join(tmpdir(), 'tektite-build-'));
  try {
    const program = await loadStepProgram(entry);
    const bundleFile = o.bundle !== undefined ? resolve(o.bundle) : join(work, `${program.name}.mjs`);
    await bundlePlugin(entry, bundleFile);
    if (o.bundle !== undefined && !o.push && !o['oci-layout'] && !o.tarball) {
      process.stderr.write(`tektite: bundled ${program.name} into ${o.bundle}\n`);
      return EXIT.ok;
    }
    base = o.base ?? program.base ?? DEFAULT_BASE;
    const builder = new Builder(defaultCacheDir());
    const { image, base: resolved } = await builder.build({
      name: program.name,
      bundle: await readFile(bundleFile),
      base,
      platforms,
      labels: gitLabels(entry),
      epoch,
    });
    const digest = image.top.descriptor.digest;
    const imageName = o.tag ?? (pushRef ? formatImageRef({ ...pushRef, tag: pushRef.tag ?? 'latest' }) : program.image);
    if (o['oci-layout'] !== undefined) {
      const refName = imageName ? (parseImageRef(imageName).tag ?? 'latest') : 'latest';
      await builder.writeLayout(resolve(o['oci-layout']), image, resolved, refName);
      process.stderr.write(`tektite: wrote ${o['oci-layout']} (ref ${refName}, ${digest})\n`);
    }
    if (o.tarball !== undefined) {
      const repoTag = imageName ? withTag(imageName) : `localhost/${program.name}:latest`;
      await builder.writeTarball(resolve(o.tarball), image, resolved, repoTag, epoch);
      process.stderr.write(`tektite: wrote ${o.tarball} (${repoTag}, ${digest})\n`);
    }
    if (!pushRef) {
      process.stdout.write(`${digest}\n`);
      return EXIT.ok;
    }
    const target = { ...pushRef, tag: pushRef.tag ?? 'latest' };
    const pushed = await builder.push(target, image, resolved);
    const s = pushed.stats;
    process.stderr.write(`tektite: pushed ${formatImageRef(target)} (${s.uploaded} blobs uploaded, ${s.mounted} mounted, ${s.skipped} already there)\n`);
    const out = o.output !== undefined ? resolve(o.output) : undefined;
    const yaml = pinnedYaml({ ...program, image: pushed.ref }, entry, out, o.stepaction === true);
    if (!out) {
      process.stdout.write(yaml);
      return EXIT.ok;
    }
    await writeOutput(out, yaml);
    process.stderr.write(`tektite: wrote ${o.output}\n`);
    process.stdout.write(`${pushed.ref}\n`);
    return EXIT.ok;
  } catch (e) {
    return fail((e as Error).message, e instanceof BundleError ? EXIT.usage : EXIT.failed);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The generated Task (or StepAction) with the pushed digest as its image, like `ko resolve`. */
function pinnedYaml(program: StepProgram, entry: string, out: string | undefined, stepAction: boolean): string {
  const source = relative(out ? dirname(out) : process.cwd(), entry).split(sep).join('/');
  const doc = stepAction ? generateStepAction(program, { source }) : generateTask(program, { source });
  return toYaml([doc], source);
}

function withTag(name: string): string {
  const ref = parseImageRef(name);
  return formatImageRef({ registry: ref.registry, repository: ref.repository, tag: ref.tag ?? 'latest' });
}
