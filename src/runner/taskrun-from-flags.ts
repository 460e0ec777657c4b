// tkn's flag forms turned into a TaskRun: `-p name=value` (arrays `a,b`, objects `k1:v1, k2:v2`,
// by the Task's declared type), `-w name=./dir|emptyDir|configMap:file|secret:file`, plus the
// ConfigMaps and Secrets found in the loaded files.
import { realpathSync, statSync } from 'node:fs';
import { loadPaths } from '../tekton/files.js';
import type { LoadedDoc } from '../tekton/load.js';
import { declaredType } from '../tekton/substitute.js';
import type { Param, ParamSpec, ParamValue, TaskRun, WorkspaceBinding } from '../tekton/types.js';
import { LOCAL_DIR_ANNOTATION, type KubeObjects } from './volumes.js';

export class FlagError extends Error {}

export function parseParamFlag(flag: string, specs: readonly ParamSpec[]): Param {
  const eq = flag.indexOf('=');
  if (eq <= 0) throw new FlagError(`-p "${flag}": expected name=value`);
  const name = flag.slice(0, eq);
  const text = flag.slice(eq + 1);
  const spec = specs.find((s) => s.name === name);
  const type = spec ? declaredType(spec) : 'string';
  let value: ParamValue = text;
  if (type === 'array') value = text === '' ? [] : text.split(',');
  if (type === 'object') {
    const obj: Record<string, string> = {};
    for (const part of text.split(',')) {
      const colon = part.indexOf(':');
      if (colon <= 0) throw new FlagError(`-p "${flag}": object values are written "key1:value1, key2:value2"`);
      obj[part.slice(0, colon).trim()] = part.slice(colon + 1).trim();
    }
    value = obj;
  }
  return { name, value };
}

export interface WorkspaceFlag {
  binding: WorkspaceBinding;
  /** Host folder for `-w name=./dir`. */
  dir?: string;
  /** ConfigMap / Secret documents read from `configMap:file` / `secret:file`. */
  docs?: LoadedDoc[];
}

export function parseWorkspaceFlag(flag: string): WorkspaceFlag {
  const eq = flag.indexOf('=');
  if (eq <= 0) throw new FlagError(`-w "${flag}": expected name=./dir, name=emptyDir, name=configMap:file.yaml or name=secret:file.yaml`);
  const name = flag.slice(0, eq);
  const src = flag.slice(eq + 1);
  if (src === 'emptyDir') return { binding: { name, emptyDir: {} } };
  const kind = /^(configMap|secret):(.+)$/.exec(src);
  if (kind) {
    let loaded;
    try {
      loaded = loadPaths([kind[2]!]);
    } catch (e) {
      throw new FlagError(`-w ${name}: ${(e as Error).message}`);
    }
    const want = kind[1] === 'configMap' ? 'ConfigMap' : 'Secret';
    const doc = loaded.docs.find((d) => d.kind === want);
    if (!doc) throw new FlagError(`-w ${name}: no ${want} in ${kind[2]}`);
    return {
      binding: kind[1] === 'configMap' ? { name, configMap: { name: doc.name } } : { name, secret: { secretName: doc.name } },
      docs: loaded.docs,
    };
  }
  let dir: string;
  try {
    if (!statSync(src).isDirectory()) throw new Error('not a directory');
    dir = realpathSync(src);
  } catch {
    throw new FlagError(`-w ${name}=${src}: no such directory (use emptyDir for a fresh one)`);
  }
  return { binding: { name, emptyDir: {} }, dir };
}

export function buildTaskRun(taskName: string, params: Param[], ws: WorkspaceFlag[], objects: KubeObjects, timeout: string | undefined): TaskRun {
  for (const w of ws) if (w.docs) addKubeObjects(objects, w.docs);
  const annotations = Object.fromEntries(ws.filter((w) => w.dir).map((w) => [LOCAL_DIR_ANNOTATION + w.binding.name, w.dir!]));
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'TaskRun',
    metadata: { generateName: `${taskName}-run-`, ...(Object.keys(annotations).length ? { annotations } : {}) },
    spec: {
      taskRef: { name: taskName },
      ...(params.length ? { params } : {}),
      ...(ws.length ? { workspaces: ws.map((w) => w.binding) } : {}),
      ...(timeout ? { timeout } : {}),
    },
  };
}

/** ConfigMaps (data, binaryData) and Secrets (data base64, stringData) among the loaded documents. */
export function kubeObjectsOf(docs: readonly LoadedDoc[]): KubeObjects {
  const objects: KubeObjects = { configMaps: new Map(), secrets: new Map() };
  addKubeObjects(objects, docs);
  return objects;
}

function addKubeObjects(objects: KubeObjects, docs: readonly LoadedDoc[]): void {
  const cms = objects.configMaps as Map<string, Record<string, Buffer>>;
  const secrets = objects.secrets as Map<string, Record<string, Buffer>>;
  for (const d of docs) {
    const v = d.value as { data?: Record<string, unknown>; binaryData?: Record<string, unknown>; stringData?: Record<string, unknown> };
    if (d.kind === 'ConfigMap') {
      const data: Record<string, Buffer> = {};
      for (const [k, x] of Object.entries(v.data ?? {})) data[k] = Buffer.from(String(x ?? ''), 'utf8');
      for (const [k, x] of Object.entries(v.binaryData ?? {})) data[k] = Buffer.from(String(x ?? ''), 'base64');
      cms.set(d.name, data);
    } else if (d.kind === 'Secret') {
      const data: Record<string, Buffer> = {};
      for (const [k, x] of Object.entries(v.data ?? {})) data[k] = Buffer.from(String(x ?? ''), 'base64');
      for (const [k, x] of Object.entries(v.stringData ?? {})) data[k] = Buffer.from(String(x ?? ''), 'utf8');
      secrets.set(d.name, data);
    }
  }
}
