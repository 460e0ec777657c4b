// The shape the Tekton CRDs declare (structural OpenAPI schemas, §1.2). The API server prunes
// fields a CRD does not declare and rejects values of the wrong type before Tekton's webhook
// sees a document; `checkSchema` does both and returns what the webhook would receive.
// Kubernetes-owned structures (volumes, securityContext, resources, podTemplate...) are opaque.
import type { PathSegment } from '../load.js';
import { setOwn } from '../clone.js';
import { FieldErrors } from './field-error.js';

type Scalar = 'string' | 'boolean' | 'integer';
export type Schema =
  | Scalar
  | 'any'
  | { readonly fields: Readonly<Record<string, Schema>>; readonly open?: boolean }
  | { readonly items: Schema }
  | { readonly values: Schema };

export type ApiVersion = 'v1' | 'v1beta1';

const str = 'string' as const;
const bool = 'boolean' as const;
const any = 'any' as const;
const obj = (fields: Record<string, Schema>, open = false): Schema => ({ fields, open });
const list = (items: Schema): Schema => ({ items });
const strings = list(str);

const param = obj({ name: str, value: any });
const paramSpec = obj({ name: str, type: str, description: str, properties: { values: obj({ type: str }) }, default: any, enum: strings });
const resultSpec = (withValue: boolean) =>
  obj({ name: str, type: str, description: str, properties: { values: obj({ type: str }) }, ...(withValue ? { value: any } : {}) });
const envVar = obj({ name: str, value: str, valueFrom: any });
const volumeMount = obj({ name: str, mountPath: str, subPath: str, readOnly: bool, mountPropagation: str, subPathExpr: str, recursiveReadOnly: str });
const workspaceUsage = obj({ name: str, mountPath: str });
const ref = obj({ name: str, resolver: str, params: list(param) });
const when = obj({ input: str, operator: str, values: strings, cel: str });

const deprecatedContainerFields: Record<string, Schema> = {
  ports: any, livenessProbe: any, readinessProbe: any, startupProbe: any, lifecycle: any,
  terminationMessagePath: str, terminationMessagePolicy: str, stdin: bool, stdinOnce: bool, tty: bool,
};

const containerFields = (v: ApiVersion): Record<string, Schema> => ({
  image: str, command: strings, args: strings, workingDir: str, envFrom: list(any), env: list(envVar),
  volumeMounts: list(volumeMount), volumeDevices: list(any), imagePullPolicy: str, securityContext: any,
  ...(v === 'v1' ? { computeResources: any } : { resources: any }),
});

const step = (v: ApiVersion) => obj({
  ...containerFields(v),
  ...(v === 'v1beta1' ? deprecatedContainerFields : {}),
  name: str, displayName: str, script: str, timeout: str, workspaces: list(workspaceUsage), onError: str,
  stdoutConfig: obj({ path: str }), stderrConfig: obj({ path: str }), ref, params: list(param),
  results: list(resultSpec(false)), when: list(when),
});

const stepTemplate = (v: ApiVersion) =>
  obj({ ...containerFields(v), ...(v === 'v1beta1' ? { ...deprecatedContainerFields, name: str } : {}) });

const sidecar = (v: ApiVersion) => obj({
  ...containerFields(v), ...deprecatedContainerFields,
  name: str, script: str, workspaces: list(workspaceUsage), restartPolicy: str,
});

const taskSpecFields = (v: ApiVersion): Record<string, Schema> => ({
  params: list(paramSpec), displayName: str, description: str, steps: list(step(v)), volumes: list(any),
  stepTemplate: stepTemplate(v), sidecars: list(sidecar(v)),
  workspaces: list(obj({ name: str, description: str, mountPath: str, readOnly: bool, optional: bool })),
  results: list(resultSpec(true)),
  ...(v === 'v1beta1' ? { resources: any } : {}),
});

const taskRef = (v: ApiVersion) => obj({ name: str, kind: str, apiVersion: str, resolver: str, params: list(param), ...(v === 'v1beta1' ? { bundle: str } : {}) });

const workspaceBinding = obj({
  name: str, subPath: str, volumeClaimTemplate: any, persistentVolumeClaim: any, emptyDir: any,
  configMap: any, secret: any, projected: any, csi: any,
});

const stepSpecs = (v: ApiVersion) => list(obj({ name: str, ...(v === 'v1' ? { computeResources: any } : { resources: any }) }));

const taskRunSpec = (v: ApiVersion) => obj({
  debug: obj({ breakpoints: obj({ onFailure: str, beforeSteps: strings }) }),
  params: list(param), serviceAccountName: str, taskRef: taskRef(v), taskSpec: obj(taskSpecFields(v)),
  status: str, statusMessage: str, retries: 'integer', timeout: str, podTemplate: any,
  workspaces: list(workspaceBinding), computeResources: any, managedBy: str,
  ...(v === 'v1'
    ? { stepSpecs: stepSpecs(v), sidecarSpecs: stepSpecs(v) }
    : { stepOverrides: stepSpecs(v), sidecarOverrides: stepSpecs(v), resources: any }),
});

/** A PipelineTask: only its embedded taskSpec is checked field by field. */
const pipelineTask = (v: ApiVersion) => obj({
  taskSpec: obj({ ...taskSpecFields(v), apiVersion: str, kind: str, spec: any, metadata: any }),
  taskRef: taskRef(v),
}, true);

const pipelineSpec = (v: ApiVersion) => obj({ tasks: list(pipelineTask(v)), finally: list(pipelineTask(v)), params: list(paramSpec) }, true);

/** A PipelineRun's spec: the fields its rules read are typed; the rest stays open. */
const pipelineRunSpec = (v: ApiVersion) => obj({
  // (typed so that empty lists there are dropped as elsewhere; the rest of each entry stays open)
  taskRunSpecs: list(obj(v === 'v1'
    ? { pipelineTaskName: str, stepSpecs: stepSpecs(v), sidecarSpecs: stepSpecs(v) }
    : { pipelineTaskName: str, stepOverrides: stepSpecs(v), sidecarOverrides: stepSpecs(v) }, true)),
  pipelineSpec: pipelineSpec(v),
  pipelineRef: obj({ name: str, apiVersion: str, resolver: str, params: list(param), ...(v === 'v1beta1' ? { bundle: str } : {}) }),
  params: list(param), status: str, workspaces: list(workspaceBinding),
  timeouts: obj({ pipeline: str, tasks: str, finally: str }),
  ...(v === 'v1' ? { taskRunTemplate: obj({ podTemplate: any, serviceAccountName: str }) } : { timeout: str, serviceAccountName: str, podTemplate: any }),
}, true);

const top = (spec: Schema) => obj({ apiVersion: str, kind: str, metadata: any, spec, status: any });

const stepActionSpec = () => top(obj({ description: str, image: str, command: strings, args: strings, env: list(envVar), script: str, workingDir: str, params: list(paramSpec), results: list(resultSpec(false)), securityContext: any, volumeMounts: list(volumeMount) }));

/** Each kind's schema per served version (StepAction's v1alpha1 and v1beta1 read as one), built when first asked for. */
const BUILD: Record<string, (v: ApiVersion) => Schema> = {
  Task: (v) => top(obj(taskSpecFields(v))),
  TaskRun: (v) => top(taskRunSpec(v)),
  StepAction: stepActionSpec,
  Pipeline: (v) => top(pipelineSpec(v)),
  PipelineRun: (v) => top(pipelineRunSpec(v)),
};
const built = new Map<string, Schema>();

export function schemaFor(kind: string, version: ApiVersion): Schema | undefined {
  if (!Object.hasOwn(BUILD, kind)) return undefined;
  const key = `${kind} ${kind === 'StepAction' ? '' : version}`;
  let schema = built.get(key);
  if (!schema) built.set(key, (schema = BUILD[kind]!(version)));
  return schema;
}

export interface SchemaResult {
  /**
   * The document as the API server stores it: unknown fields pruned, wrongly typed ones dropped.
   * Parts with nothing pruned are the input's own objects (not copies): treat it as read-only.
   */
  value: unknown;
  /** Values of the wrong type (the API server rejects the document). */
  errors: FieldErrors;
  /** Fields the CRD does not declare (the API server drops them). */
  unknown: FieldErrors;
}

/** Where the walk is: built as a chain so paths are only spelled out for the few fields reported. */
interface At {
  readonly up: At | undefined;
  readonly key: string | number;
}

const rawOf = (at: At | undefined): PathSegment[] => {
  const raw: PathSegment[] = [];
  for (let a = at; a; a = a.up) raw.push(a.key);
  return raw.reverse();
};

const pathOf = (at: At | undefined): string =>
  rawOf(at).reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : p ? `${p}.${k}` : k), '');

export function checkSchema(value: unknown, schema: Schema): SchemaResult {
  const errors = new FieldErrors();
  const unknown = new FieldErrors();
  // One error per field, each at its own place, in the API server's words (field.TypeInvalid
  // around kube-openapi's InvalidType): `Invalid value: "integer": spec.x in body must be of type
  // string: "integer"`, printed after the path (Diagnostic.pathFirst).
  const typeError = (at: At | undefined, want: string, got: string): void => {
    const path = pathOf(at);
    errors.add(`Invalid value: "${got}": ${path} in body must be of type ${want}: "${got}"`, path, rawOf(at));
  };
  const walk = (v: unknown, s: Schema, at: At | undefined): unknown => {
    if (s === 'any') return v;
    const t = jsonType(v);
    if (typeof s === 'string') {
      if (t === s || (s === 'integer' && t === 'integer')) return v;
      typeError(at, s, t);
      return undefined;
    }
    if ('items' in s) {
      if (t !== 'array') {
        typeError(at, 'array', t);
        return undefined;
      }
      const items = v as unknown[];
      let out: unknown[] | undefined; // a copy, made only once an item changes
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        // Go decodes a null list item as the zero value: "" for a string, {} for a struct.
        const w = item === null ? zeroValue(s.items) : walk(item, s.items, { up: at, key: i });
        if (w !== item) out ??= items.slice(0, i);
        out?.push(w);
      }
      return out ?? items;
    }
    if (t !== 'object') {
      typeError(at, 'object', t);
      return undefined;
    }
    const fields = v as Record<string, unknown>;
    const keys = Object.keys(fields);
    let out: Record<string, unknown> | undefined; // a copy, made only once a field is dropped or changes
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j]!;
      const x = fields[k];
      let w: unknown; // undefined: dropped
      if (x !== null) { // the API server drops nulls of non-nullable fields
        const sub = 'values' in s ? s.values : Object.hasOwn(s.fields, k) ? s.fields[k] : undefined;
        // Most fields are strings or opaque: settle those without a call.
        if (sub === 'any' || (sub === 'string' && typeof x === 'string')) w = x;
        else if (sub !== undefined) {
          w = walk(x, sub, { up: at, key: k });
          // Tekton's defaulting webhook re-encodes the document through Go types whose lists are
          // all `omitempty`: an empty list is gone by the time its validation runs
          if (Array.isArray(w) && w.length === 0 && typeof sub === 'object' && 'items' in sub) w = undefined;
        }
        else if ('fields' in s && s.open) w = x;
        else {
          const here = { up: at, key: k };
          unknown.add(`unknown field "${k}"`, pathOf(here), rawOf(here));
        }
      }
      if (w !== x && !out) {
        out = {};
        for (let q = 0; q < j; q++) setOwn(out, keys[q]!, fields[keys[q]!]);
      }
      if (out && w !== undefined) setOwn(out, k, w);
    }
    return out ?? fields;
  };
  return { value: walk(value, schema, undefined), errors, unknown };
}

function zeroValue(s: Schema): unknown {
  if (s === 'string') return '';
  if (s === 'boolean') return false;
  if (s === 'integer') return 0;
  if (s === 'any') return null;
  return 'items' in s ? [] : {};
}

function jsonType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}
