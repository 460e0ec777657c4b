// stepTemplate + step -> the step Tekton runs (§4.8): a Kubernetes strategic merge of the step
// onto the template. Plain data in, a new object out.

import { cloneData, setOwn } from './clone.js';
import { isObj, type Obj } from './plain-object.js';

/** Container fields a v1 stepTemplate can carry; anything else in a template is ignored. */
const TEMPLATE_FIELDS = [
  'image', 'command', 'args', 'workingDir', 'envFrom', 'env', 'computeResources',
  'volumeMounts', 'volumeDevices', 'imagePullPolicy', 'securityContext',
] as const;

/** Lists Kubernetes merges element-wise by a key; every other list is replaced whole. */
const MERGE_KEYS: Record<string, string> = { env: 'name', volumeMounts: 'mountPath', volumeDevices: 'devicePath' };

/**
 * Merges `step` onto `template` as Tekton does before running (and validating) steps: fields the
 * step sets win, maps (computeResources, securityContext) merge key by key, `env` merges by name,
 * `volumeMounts` by mountPath, `volumeDevices` by devicePath (entries only in the step first, then
 * the template's in template order with the step's overrides applied); `command`, `args`,
 * `envFrom` are atomic. A step field set to `null` removes the template's value. Steps with a
 * `ref` (StepAction) are returned unmerged, as Tekton does. Never throws.
 */
export function mergeStepTemplate<T>(template: unknown, step: T): T {
  const out = cloneData(step);
  if (!isObj(template) || !isObj(out) || out.ref !== undefined && out.ref !== null) return out;
  const merged = out as Obj;
  for (const field of TEMPLATE_FIELDS) {
    const t = template[field];
    if (t === undefined || t === null) continue;
    if (!(field in merged)) {
      merged[field] = cloneData(t);
      continue;
    }
    const s = merged[field];
    if (s === null) {
      delete merged[field];
      continue;
    }
    const key = MERGE_KEYS[field];
    if (key && Array.isArray(s) && Array.isArray(t)) merged[field] = mergeList(t, s, key, field === 'env');
    else if (isObj(s) && isObj(t)) merged[field] = mergeMaps(t, s);
  }
  return out;
}

function mergeMaps(base: Obj, patch: Obj): Obj {
  const out: Obj = cloneData(base);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (isObj(v) && Object.hasOwn(out, k) && isObj(out[k])) setOwn(out, k, mergeMaps(out[k] as Obj, v));
    else setOwn(out, k, cloneData(v));
  }
  return out;
}

function mergeList(template: unknown[], step: unknown[], key: string, isEnv: boolean): unknown[] {
  const keyOf = (e: unknown) => (isObj(e) ? e[key] : undefined);
  const stepByKey = new Map<unknown, Obj>();
  for (const e of step) if (isObj(e) && keyOf(e) !== undefined) stepByKey.set(keyOf(e), e);
  const templateKeys = new Set<unknown>(template.map(keyOf).filter((k) => k !== undefined));
  const stepOnly = step.filter((e) => keyOf(e) === undefined || !templateKeys.has(keyOf(e)));
  const fromTemplate = template.map((t) => {
    const s = stepByKey.get(keyOf(t));
    if (!s || !isObj(t)) return cloneData(t);
    // An env var set by value in the step replaces a template var set from a source, and back.
    if (isEnv && ('value' in s || 'valueFrom' in s)) return cloneData(s);
    return mergeMaps(t, s);
  });
  return [...cloneData(stepOnly), ...fromTemplate];
}
