// Host folders behind workspaces and volumes (§6.4): emptyDir and volumeClaimTemplate get a fresh
// folder in the run folder, a PVC a named folder shared by runs, configMap/secret their keys as
// files (read-only), and `-w name=./dir` the user's own folder.
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { WorkspaceBinding } from '../tekton/types.js';

/** ConfigMaps and Secrets by name: key -> file content. */
export interface KubeObjects {
  configMaps: ReadonlyMap<string, Record<string, Buffer>>;
  secrets: ReadonlyMap<string, Record<string, Buffer>>;
}

export interface VolumeSource {
  hostPath: string;
  readOnly: boolean;
}

export class VolumeError extends Error {}

/** Annotation tektite puts on a TaskRun for `-w name=./dir` (the binding itself is an emptyDir). */
export const LOCAL_DIR_ANNOTATION = 'tektite.dev/workspace-dir.';

/**
 * `secretDir`: where Secret keys become files. Like the kubelet's tmpfs, it is scratch space removed
 * after the run, so no copy of a Secret stays in the run folder.
 */
export function allocateBinding(b: WorkspaceBinding, localDir: string | undefined, runDir: string, pvcRoot: string, objects: KubeObjects, secretDir: string): VolumeSource {
  let src: VolumeSource;
  if (localDir !== undefined) src = { hostPath: localDir, readOnly: false };
  else if (b.persistentVolumeClaim) {
    src = { hostPath: join(pvcRoot, safeName(b.persistentVolumeClaim.claimName ?? b.name)), readOnly: b.persistentVolumeClaim.readOnly === true };
  } else if (b.emptyDir || b.volumeClaimTemplate) src = { hostPath: join(runDir, 'workspaces', safeName(b.name)), readOnly: false };
  else if (b.configMap) src = keyFiles('configmap', b.configMap.name ?? '', b.configMap.items, objects.configMaps, join(runDir, 'workspaces', safeName(b.name)));
  else if (b.secret) src = keyFiles('secret', b.secret.secretName ?? '', b.secret.items, objects.secrets, join(secretDir, 'workspaces', safeName(b.name)));
  else throw new VolumeError(`workspace binding "${b.name}": only emptyDir, persistentVolumeClaim, volumeClaimTemplate, configMap and secret bindings can run locally`);
  mkdirSync(src.hostPath, { recursive: true });
  if (b.subPath) {
    const sub = subPathIn(src.hostPath, b.subPath, `workspace binding "${b.name}"`);
    mkdirSync(sub, { recursive: true });
    src = { ...src, hostPath: sub };
  }
  return src;
}

/**
 * The host folder of `subPath` inside `root`. A subPath leaving the volume is refused, by its text
 * (`..`) or, when it exists, through a symbolic link a step left in the volume (the kubelet
 * resolves subPaths the same way); the resolved folder is returned, so nothing is followed later.
 */
export function subPathIn(root: string, subPath: string, what: string): string {
  const sub = resolve(root, subPath);
  if (!sub.startsWith(root + sep)) throw new VolumeError(`${what}: subPath "${subPath}" leaves the volume`);
  // The deepest part that exists decides where the rest (made by mkdir or the step) ends up.
  let have = sub;
  while (!existsSync(have)) have = dirname(have);
  const real = join(realpathSync(have), relative(have, sub));
  const realRoot = realpathSync(root);
  if (real !== realRoot && !real.startsWith(realRoot + sep)) throw new VolumeError(`${what}: subPath "${subPath}" leaves the volume through a symbolic link`);
  return real;
}

/** A Task `spec.volumes[]` entry, when it is a kind that can run locally. */
export function allocateVolume(v: Record<string, unknown>, runDir: string, objects: KubeObjects, secretDir: string): VolumeSource | undefined {
  const name = String(v.name);
  const dir = join(runDir, 'volumes', safeName(name));
  const cm = v.configMap as { name?: string; items?: { key: string; path: string }[] } | undefined;
  const secret = v.secret as { secretName?: string; items?: { key: string; path: string }[] } | undefined;
  let src: VolumeSource | undefined;
  if (v.emptyDir !== undefined) src = { hostPath: dir, readOnly: false };
  else if (cm) src = keyFiles('configmap', cm.name ?? '', cm.items, objects.configMaps, dir);
  else if (secret) src = keyFiles('secret', secret.secretName ?? '', secret.items, objects.secrets, join(secretDir, 'volumes', safeName(name)));
  if (src) mkdirSync(src.hostPath, { recursive: true });
  return src;
}

function keyFiles(kind: string, name: string, items: { key: string; path: string }[] | undefined, store: ReadonlyMap<string, Record<string, Buffer>>, dir: string): VolumeSource {
  const data = store.get(name);
  if (!data) throw new VolumeError(`${kind} "${name}" not found: give its YAML with -f (or -w name=${kind === 'configmap' ? 'configMap' : 'secret'}:file.yaml)`);
  mkdirSync(dir, { recursive: true });
  const entries = items?.length ? items.map((i) => [i.path, data[i.key]] as const) : Object.entries(data);
  for (const [path, content] of entries) {
    if (content === undefined) throw new VolumeError(`${kind} "${name}" has no key for item "${path}"`);
    const file = resolve(dir, path);
    if (!file.startsWith(dir + sep)) throw new VolumeError(`${kind} "${name}": item path "${path}" leaves the volume`);
    mkdirSync(resolve(file, '..'), { recursive: true });
    writeFileSync(file, content);
  }
  return { hostPath: dir, readOnly: true };
}

function safeName(n: string): string {
  return n.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_') || '_';
}
