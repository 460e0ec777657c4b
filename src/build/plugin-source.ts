// A plugin's TypeScript source seen from tektite: load its declaration, and turn the
// `tektite.dev/source` annotation of a generated Task/StepAction into the overlays the runner needs
// to run the step straight from source (the bundle and node at the paths the image would have).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isStepProgram, type StepProgram } from '../sdk/declare.js';
import { bundleModule, bundlePlugin, BundleError } from './bundle.js';

/** Annotation on generated Tasks/StepActions: the plugin source, relative to the YAML's folder. */
export const SOURCE_ANNOTATION = 'tektite.dev/source';
/** Inside a tektite-built image. */
export const IMAGE_NODE = '/tektite/node';
export const imageBundlePath = (name: string): string => `/tektite/${name}.mjs`;

/** Bundles the plugin to a temporary module, imports it and returns its checked declaration. */
export async function loadStepProgram(entryTs: string): Promise<StepProgram> {
  const dir = await mkdtemp(join(tmpdir(), 'tektite-load-'));
  try {
    const out = join(dir, `${basename(entryTs, extname(entryTs))}.mjs`);
    await bundleModule(entryTs, out);
    const mod = (await import(pathToFileURL(out).href)) as { default?: unknown };
    if (!isStepProgram(mod.default)) throw new BundleError(`${entryTs}: the default export must be defineStep({...}) from tektite/sdk`);
    return mod.default;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const PROGRAM_FILE = /\.(ts|mts|js|mjs)$/;

interface AnnotatedDoc {
  metadata?: { annotations?: Record<string, string> };
  spec?: { steps?: { command?: string[] }[]; command?: string[] };
}

/**
 * For a Task or StepAction document loaded from `yamlFile` that carries the source annotation:
 * bundles the source into `outDir` and returns `{ "/tektite/<name>.mjs": bundle, "/tektite/node":
 * this node }` for every bundle path its steps' commands name. `undefined` when not annotated.
 */
export async function sourceOverlays(yamlFile: string, doc: unknown, outDir: string): Promise<Record<string, string> | undefined> {
  const d = doc as AnnotatedDoc;
  const source = d?.metadata?.annotations?.[SOURCE_ANNOTATION];
  if (typeof source !== 'string' || source === '') return undefined;
  // Only a program is bundled: a YAML file from elsewhere must not pull other host files
  // (a credentials .json, say) into the run through this annotation.
  if (!PROGRAM_FILE.test(source)) throw new Error(`${yamlFile}: annotation ${SOURCE_ANNOTATION} must name a .ts/.mts/.js/.mjs plugin source, not "${source}"`);
  const entry = resolve(dirname(yamlFile), source);
  const commands = [d.spec?.command, ...(d.spec?.steps ?? []).map((s) => s.command)];
  const paths = new Set(commands.flatMap((c) => (Array.isArray(c) ? c : [])).filter((a) => /^\/tektite\/[^/]+\.mjs$/.test(a)));
  if (paths.size === 0) paths.add(imageBundlePath(basename(entry, extname(entry))));
  // Named after the image path (the program's name), so two plugins both in `plugin.ts` files
  // bundled into one run folder do not overwrite each other.
  const bundle = join(resolve(outDir), basename([...paths][0]!));
  await bundlePlugin(entry, bundle);
  const overlays: Record<string, string> = { [IMAGE_NODE]: process.execPath };
  for (const p of paths) overlays[p] = bundle;
  return overlays;
}
