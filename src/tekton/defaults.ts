// What Tekton's mutating webhook fills in before validation and storage (§1.5). Plain data in,
// new objects out; inputs are never modified.
import { cloneData } from './clone.js';
import { decodeParamValue } from './params.js';
import { isObj, type Obj } from './plain-object.js';

export const DEFAULT_TIMEOUT = '1h0m0s';
export const DEFAULT_SERVICE_ACCOUNT = 'default';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'tekton-pipelines';

/**
 * Defaults of a TaskSpec (or StepAction spec): param types inferred from `properties` / the
 * default's decoded type, result and step-result types (`object` with properties, else
 * `string`), empty property types -> `string`.
 */
export function defaultTaskSpec<T>(spec: T): T {
  const copy = cloneData(spec);
  if (!isObj(copy)) return copy;
  const out: Obj = copy;
  if (Array.isArray(out.params)) out.params = out.params.map(defaultParamSpec);
  if (Array.isArray(out.results)) out.results = out.results.map(defaultResult);
  if (Array.isArray(out.steps)) {
    for (const step of out.steps) {
      if (isObj(step) && Array.isArray(step.results)) step.results = step.results.map(defaultResult);
    }
  }
  return copy;
}

/**
 * Defaults of a TaskRun: `spec.timeout` (60 minutes, `1h0m0s`), `spec.serviceAccountName`
 * (`default`), `spec.taskRef.kind` (`Task`, when no resolver is used), the managed-by label,
 * and the TaskSpec defaults of an inline `spec.taskSpec`.
 */
export function defaultTaskRun<T>(taskRun: T): T {
  const copy = cloneData(taskRun);
  if (!isObj(copy)) return copy;
  const out: Obj = copy;
  if (!isObj(out.metadata)) out.metadata = {};
  const meta = out.metadata as Obj;
  if (!isObj(meta.labels)) meta.labels = {};
  const labels = meta.labels as Obj;
  if (!(MANAGED_BY_LABEL in labels)) labels[MANAGED_BY_LABEL] = MANAGED_BY_VALUE;
  if (!isObj(out.spec)) return copy;
  const spec = out.spec;
  if (spec.timeout === undefined || spec.timeout === null) spec.timeout = DEFAULT_TIMEOUT;
  if (spec.serviceAccountName === undefined || spec.serviceAccountName === null || spec.serviceAccountName === '') {
    spec.serviceAccountName = DEFAULT_SERVICE_ACCOUNT;
  }
  if (isObj(spec.taskRef) && !spec.taskRef.kind && !spec.taskRef.resolver) spec.taskRef.kind = 'Task';
  if (isObj(spec.taskSpec)) spec.taskSpec = defaultTaskSpec(spec.taskSpec);
  return copy;
}

function defaultProperties(props: unknown): unknown {
  if (!isObj(props)) return props;
  const out: Obj = {};
  for (const [k, v] of Object.entries(props)) {
    if (v === null || v === undefined) out[k] = { type: 'string' };
    else if (isObj(v) && (v.type === undefined || v.type === null || v.type === '')) out[k] = { ...v, type: 'string' };
    else out[k] = v;
  }
  return out;
}

function hasValue(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** ParamSpec.SetDefaults: the type from `properties` or the default's decoded type (else string). */
export function defaultParamSpec(p: unknown): unknown {
  if (!isObj(p)) return p;
  const out: Obj = { ...p };
  if (!out.type) {
    if (hasValue(out.properties)) out.type = 'object';
    else if (!hasValue(out.default)) out.type = 'string';
    else out.type = decodeParamValue(out.default).type;
  }
  setProperties(out);
  return out;
}

/**
 * `properties` defaulted; an empty map is then dropped, as the defaulting webhook's re-encode
 * drops it (`map[string]PropertySpec` with omitempty): after the type was set from it, so
 * `properties: {}` makes an object param that has no properties.
 */
function setProperties(out: Obj): void {
  if (!hasValue(out.properties)) return;
  const props = defaultProperties(out.properties);
  if (isObj(props) && Object.keys(props).length === 0) delete out.properties;
  else out.properties = props;
}

function defaultResult(r: unknown): unknown {
  if (!isObj(r)) return r;
  const out: Obj = { ...r };
  if (!out.type) out.type = hasValue(out.properties) ? 'object' : 'string';
  setProperties(out);
  return out;
}
