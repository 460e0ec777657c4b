// tekton.dev/v1beta1 -> v1 conversion of Task, TaskRun and StepAction (§1.7), and of the task
// specs embedded in Pipelines and PipelineRuns. Works on plain data; returns new objects.
import { cloneData } from './clone.js';
import type { PathSegment } from './load.js';
import { isObj, type Obj } from './plain-object.js';

/** v1beta1 Step fields that v1 dropped; Tekton keeps them only in an annotation. */
const DEPRECATED_STEP_FIELDS = [
  'ports', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle',
  'terminationMessagePath', 'terminationMessagePolicy', 'stdin', 'stdinOnce', 'tty',
] as const;
const DEPRECATED_TEMPLATE_FIELDS = ['name', ...DEPRECATED_STEP_FIELDS] as const;

export const TASK_DEPRECATIONS_ANNOTATION = 'tekton.dev/v1beta1.task-deprecations';
export const RESOURCES_ANNOTATION = 'tekton.dev/v1beta1Resources';

/**
 * Converts a Task, TaskRun, StepAction, Pipeline or PipelineRun document to the shape Tekton
 * stores in v1: `resources` -> `computeResources` in steps/stepTemplate/sidecars,
 * `stepOverrides`/`sidecarOverrides` -> `stepSpecs`/`sidecarSpecs`, `taskRef.bundle` -> the
 * bundles resolver, v1beta1-only container fields and PipelineResources moved into annotations,
 * `status.taskResults` -> `status.results`. Documents already in v1 (and anything that is not a
 * map) come back as deep copies. Never throws.
 */
export function toV1(value: unknown): unknown {
  const doc = cloneData(value);
  if (!isObj(doc) || doc.apiVersion !== 'tekton.dev/v1beta1') return doc;
  const meta = isObj(doc.metadata) ? doc.metadata : undefined;
  const spec = isObj(doc.spec) ? doc.spec : undefined;
  const name = typeof meta?.name === 'string' ? meta.name : '';
  switch (doc.kind) {
    case 'Task':
      doc.apiVersion = 'tekton.dev/v1';
      if (spec) {
        movePipelineResources(spec, doc);
        convertTaskSpec(spec, doc, name);
      }
      break;
    case 'TaskRun':
      doc.apiVersion = 'tekton.dev/v1';
      if (spec) {
        movePipelineResources(spec, doc);
        convertTaskRunSpec(spec, doc, name);
      }
      if (isObj(doc.status)) convertTaskRunStatus(doc.status, doc, name);
      break;
    case 'Pipeline':
      doc.apiVersion = 'tekton.dev/v1';
      if (spec) convertPipelineSpec(spec, doc);
      break;
    case 'PipelineRun':
      doc.apiVersion = 'tekton.dev/v1';
      if (spec) convertPipelineRunSpec(spec, doc);
      break;
    case 'StepAction':
      // v1beta1 is StepAction's newest version; nothing to rename.
      break;
  }
  return doc;
}

/** v1beta1 `spec.resources` (PipelineResources) of a Task or TaskRun: kept only in an annotation in v1. */
function movePipelineResources(spec: Obj, doc: Obj): void {
  if (spec.resources === undefined) return;
  annotate(doc, RESOURCES_ANNOTATION, JSON.stringify(spec.resources));
  delete spec.resources;
}

/**
 * Maps a path into the converted document back to the path of the same node in the original
 * (renamed keys only: `computeResources`, `stepSpecs`, ...), so findings point at the source.
 */
export function sourcePath(original: unknown, path: readonly PathSegment[]): PathSegment[] {
  const out: PathSegment[] = [];
  let node: unknown = original;
  for (const seg of path) {
    let key: PathSegment = seg;
    if (typeof seg === 'string' && isObj(node) && !Object.hasOwn(node, seg) && Object.hasOwn(RENAMED_FROM, seg)) {
      const old = RENAMED_FROM[seg]!;
      if (Object.hasOwn(node, old)) key = old;
    }
    out.push(key);
    node = isObj(node) || Array.isArray(node) ? (node as Record<PathSegment, unknown>)[key] : undefined;
  }
  return out;
}

const RENAMED_FROM: Record<string, string> = {
  computeResources: 'resources',
  stepSpecs: 'stepOverrides',
  sidecarSpecs: 'sidecarOverrides',
  results: 'taskResults',
  serviceAccountName: 'taskServiceAccountName',
  podTemplate: 'taskPodTemplate',
  timeouts: 'timeout', // a v1beta1 PipelineRun's: `timeouts.pipeline` points at `timeout`
};

function annotate(doc: Obj, key: string, value: string): void {
  if (!isObj(doc.metadata)) doc.metadata = {};
  const meta = doc.metadata as Obj;
  if (!isObj(meta.annotations)) meta.annotations = {};
  (meta.annotations as Obj)[key] = value;
}

function renameResources(c: Obj): void {
  if (c.resources !== undefined) {
    if (c.computeResources === undefined) c.computeResources = c.resources;
    delete c.resources;
  }
}

function pick(c: Obj, fields: readonly string[]): Obj | undefined {
  let out: Obj | undefined;
  for (const f of fields) {
    if (c[f] !== undefined) {
      out ??= {};
      out[f] = c[f];
      delete c[f];
    }
  }
  return out;
}

/** Converts a TaskSpec in place; `owner` receives the deprecation annotation keyed by `taskName`. */
function convertTaskSpec(spec: Obj, owner: Obj, taskName: string): void {
  const deprecatedSteps: Obj[] = [];
  let anyDeprecated = false;
  if (Array.isArray(spec.steps)) {
    for (const s of spec.steps) {
      if (!isObj(s)) {
        deprecatedSteps.push({});
        continue;
      }
      renameResources(s);
      const d = pick(s, DEPRECATED_STEP_FIELDS);
      if (d) anyDeprecated = true;
      deprecatedSteps.push(d ?? {});
    }
  }
  let deprecatedTemplate: Obj | undefined;
  if (isObj(spec.stepTemplate)) {
    renameResources(spec.stepTemplate);
    deprecatedTemplate = pick(spec.stepTemplate, DEPRECATED_TEMPLATE_FIELDS);
    if (deprecatedTemplate) anyDeprecated = true;
  }
  if (Array.isArray(spec.sidecars)) for (const s of spec.sidecars) if (isObj(s)) renameResources(s);
  if (anyDeprecated) {
    const meta = isObj(owner.metadata) ? owner.metadata : {};
    const ann = isObj(meta.annotations) ? meta.annotations : {};
    let all: Obj = {};
    try {
      const prev: unknown = typeof ann[TASK_DEPRECATIONS_ANNOTATION] === 'string' ? JSON.parse(ann[TASK_DEPRECATIONS_ANNOTATION] as string) : {};
      if (isObj(prev)) all = prev;
    } catch {
      // an unreadable annotation is replaced
    }
    all[taskName] = { deprecatedSteps, ...(deprecatedTemplate ? { deprecatedStepTemplate: deprecatedTemplate } : {}) };
    annotate(owner, TASK_DEPRECATIONS_ANNOTATION, JSON.stringify(all));
  }
}

function convertTaskRef(ref: Obj): void {
  if (typeof ref.bundle === 'string' && ref.bundle !== '') {
    const name = typeof ref.name === 'string' ? ref.name : '';
    ref.resolver = 'bundles';
    ref.params = [
      { name: 'bundle', value: ref.bundle },
      { name: 'name', value: name },
      { name: 'kind', value: 'Task' },
    ];
    delete ref.name;
  }
  delete ref.bundle;
}

function convertOverrides(list: unknown): unknown {
  if (!Array.isArray(list)) return list;
  for (const o of list) if (isObj(o)) renameResources(o);
  return list;
}

function convertTaskRunSpec(spec: Obj, owner: Obj, runName: string): void {
  if (isObj(spec.taskRef)) convertTaskRef(spec.taskRef);
  if (isObj(spec.taskSpec)) convertTaskSpec(spec.taskSpec, owner, runName);
  for (const [from, to] of [['stepOverrides', 'stepSpecs'], ['sidecarOverrides', 'sidecarSpecs']] as const) {
    if (spec[from] !== undefined) {
      if (spec[to] === undefined) spec[to] = convertOverrides(spec[from]);
      delete spec[from];
    }
  }
}

function convertTaskRunStatus(status: Obj, owner: Obj, runName: string): void {
  if (status.taskResults !== undefined) {
    if (status.results === undefined) status.results = status.taskResults;
    delete status.taskResults;
  }
  delete status.cloudEvents;
  delete status.resourcesResult;
  if (isObj(status.taskSpec)) convertTaskSpec(status.taskSpec, owner, runName);
}

function convertPipelineTasks(spec: Obj, owner: Obj): void {
  for (const field of ['tasks', 'finally']) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    for (const pt of list) {
      if (!isObj(pt)) continue;
      if (isObj(pt.taskRef)) convertTaskRef(pt.taskRef);
      if (isObj(pt.taskSpec)) convertTaskSpec(pt.taskSpec, owner, typeof pt.name === 'string' ? pt.name : '');
    }
  }
}

function convertPipelineSpec(spec: Obj, owner: Obj): void {
  convertPipelineTasks(spec, owner);
}

function convertPipelineRunSpec(spec: Obj, owner: Obj): void {
  if (isObj(spec.pipelineSpec)) convertPipelineTasks(spec.pipelineSpec, owner);
  // v1beta1 `timeout` is v1's `timeouts.pipeline` (with both given, v1beta1's webhook rejects the run)
  if (spec.timeout !== undefined && spec.timeouts === undefined) {
    spec.timeouts = { pipeline: spec.timeout };
    delete spec.timeout;
  }
  // v1beta1's serviceAccountName and podTemplate are v1's taskRunTemplate (which v1beta1 does
  // not have: the API server drops one written there)
  delete spec.taskRunTemplate;
  for (const key of ['serviceAccountName', 'podTemplate'] as const) {
    if (spec[key] === undefined) continue;
    if (!isObj(spec.taskRunTemplate)) spec.taskRunTemplate = {};
    (spec.taskRunTemplate as Obj)[key] = spec[key];
    delete spec[key];
  }
  if (Array.isArray(spec.taskRunSpecs)) {
    for (const t of spec.taskRunSpecs) {
      if (!isObj(t)) continue;
      for (const [from, to] of [
        ['taskServiceAccountName', 'serviceAccountName'],
        ['taskPodTemplate', 'podTemplate'],
        ['stepOverrides', 'stepSpecs'],
        ['sidecarOverrides', 'sidecarSpecs'],
      ] as const) {
        if (t[from] !== undefined) {
          if (t[to] === undefined) t[to] = from.endsWith('Overrides') ? convertOverrides(t[from]) : t[from];
          delete t[from];
        }
      }
    }
  }
}
