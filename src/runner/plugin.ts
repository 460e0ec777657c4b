// Tasks generated from a tektite plugin carry `tektite.dev/source`; such a step runs straight from
// its TypeScript source: the bundle and the host's node are overlaid at /tektite/<name>.mjs and
// /tektite/node (see team-contracts: how a plugin's generated step runs).
import { dirname, resolve } from 'node:path';
import type { LoadedDoc } from '../tekton/load.js';
import type { TaskRun } from '../tekton/types.js';

export const SOURCE_ANNOTATION = 'tektite.dev/source';

export async function pluginOverlays(tr: TaskRun, tasks: ReadonlyMap<string, LoadedDoc>, runDir: string): Promise<Record<string, string>> {
  const doc = tr.spec.taskRef?.name ? tasks.get(tr.spec.taskRef.name) : undefined;
  const meta = (doc?.value as { metadata?: { name?: string; annotations?: Record<string, string> } } | undefined)?.metadata;
  const source = meta?.annotations?.[SOURCE_ANNOTATION];
  if (!doc || !source || !meta?.name) return {};
  const entry = resolve(dirname(doc.file), source);
  void runDir;
  throw new Error(`${doc.file}: ${SOURCE_ANNOTATION} ${entry}: bundling plugins is not available in this build yet`);
}
