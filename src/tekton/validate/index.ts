// Entry points of the validator: Tekton's webhook rules (after the API server's schema checks,
// v1beta1 -> v1 conversion and defaulting, as a cluster would apply them) plus tektite's lint
// rules, for loaded documents (with source positions) or for in-memory values.
import { cloneData } from '../clone.js';
import { sourcePath, toV1 } from '../convert.js';
import { defaultParamSpec, defaultTaskRun, defaultTaskSpec } from '../defaults.js';
import type { Diagnostic, Position } from '../diagnostics.js';
import type { LoadedDoc, PathSegment } from '../load.js';
import { lintDocument } from '../lint/index.js';
import { yaml11Message } from '../lint/yaml11.js';
import type { PipelineTask, StepActionSpec, TaskRunSpec, TaskSpec } from '../types.js';
import { validateBetaFields } from './beta-fields.js';
import { DEFAULT_FLAGS, type FeatureFlags } from './context.js';
import { DISALLOWED, FieldErrors } from './field-error.js';
import { validateMetadata } from './metadata.js';
import { embeddedTaskSpecs, pipelineTasks, validatePipelineSpec } from './pipeline.js';
import { checkSchema, schemaFor } from './schema.js';
import { validateStepActionSpec } from './stepaction.js';
import { validateTaskParamUsage, validateTaskSpec } from './task.js';
import { validateTaskRunSpec } from './taskrun.js';
import { validatePipelineRunSpec } from './pipelinerun.js';
import { resolvedPipelineTaskChecks, resolvedTaskRunChecks } from './resolved.js';
import { isObj, valueAt, type Obj } from '../plain-object.js';

export type { FeatureFlags } from './context.js';

export interface ValidateOptions {
  /** Report lint findings as errors instead of warnings. */
  strict?: boolean;
  /** Tekton feature flags (default: Tekton v1.15's defaults, e.g. enable-api-fields=beta). */
  flags?: Partial<FeatureFlags>;
  /**
   * Also report what the TaskRun controller rejects when the run starts (missing params, unbound
   * workspaces…) where the Task is known. Off by default: Tekton admits such a TaskRun, and a
   * runner reports these failures in the TaskRun's status instead.
   */
  runTimeChecks?: boolean;
}

/** A finding before it is placed in a file: raw keys/indexes into the original document. */
interface Located {
  d: Diagnostic;
  raw: PathSegment[];
  /** A character inside the string at `raw`. */
  index?: number;
  /** Point at the key rather than the value (unknown fields). */
  atKey?: boolean;
}

const SERVED: Record<string, string[]> = {
  Task: ['v1', 'v1beta1'],
  TaskRun: ['v1', 'v1beta1'],
  Pipeline: ['v1', 'v1beta1'],
  PipelineRun: ['v1', 'v1beta1'],
  StepAction: ['v1beta1', 'v1alpha1'],
};

/**
 * Validates loaded Tekton documents (Task, TaskRun, StepAction, Pipeline, PipelineRun): every
 * finding gets the document's file and the line:col of the node it is about. Never throws.
 */
export function validateDocs(docs: readonly LoadedDoc[], opts: ValidateOptions = {}): Diagnostic[] {
  const tasks = taskLookup(docs);
  return docs.flatMap((doc) => validateDoc(doc, opts, tasks));
}

/**
 * Validates one loaded document, its findings placed in its file and sorted by position. `tasks`
 * finds the Tasks a TaskRun's taskRef names, for the run-time checks.
 */
export function validateDoc(doc: LoadedDoc, opts: ValidateOptions, tasks: TaskLookup = () => undefined): Diagnostic[] {
  let found = check(doc.value, doc.kind, doc.apiVersion, opts, tasks, doc.source);
  // A TriggerTemplate's resource is checked as Tekton will see it, but for the values Triggers
  // fills in (`$(tt.params.x)`, replaced as text: a string stays a string, so the API server's
  // type errors stand): what Tekton's rules say of such a value depends on the event, so those
  // findings are dropped, unless they name another reference (`$(params.nope)` in the same script).
  if (doc.template) {
    found = found.filter(({ d, raw }) => d.rule === 'script-reference' || d.pathFirst === true || /\$\((?!tt\.)/.test(d.message) || !mentionsTriggerParams(valueAt(doc.value, sourcePath(doc.value, raw))));
  }
  const placed = found.map(({ d, raw, atKey, index }) => {
    const src = sourcePath(doc.value, raw);
    const at = () => (atKey ? doc.keyPos(src) : index !== undefined ? doc.textPos(src, index) : doc.pos(src));
    return { ...d, file: doc.file, pos: safePos(at), ...(d.rule === 'script-reference' ? { at: { path: src, ...(index !== undefined ? { index } : {}) } } : {}) };
  });
  for (const n of doc.yaml11 ?? []) {
    placed.push({ severity: opts.strict ? 'error' : 'warning', message: yaml11Message(n), paths: [], rule: n.rule ?? 'yaml11-scalar', file: doc.file, pos: n.pos });
  }
  return placed.sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col);
}

/** Whether a string (or a list of strings) holds `$(tt.…)`, which Tekton Triggers replaces. */
function mentionsTriggerParams(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('$(tt.');
  return Array.isArray(v) && v.some((x) => typeof x === 'string' && x.includes('$(tt.'));
}

/** Whether validating `doc` may look up a Task by name (a TaskRun with a taskRef, any Pipeline or PipelineRun). */
export function refersToTask(doc: LoadedDoc): boolean {
  const v = doc.value;
  if (doc.kind === 'Pipeline' || doc.kind === 'PipelineRun') return true;
  return doc.kind === 'TaskRun' && isObj(v) && isObj(v.spec) && isObj(v.spec.taskRef);
}

/**
 * Validates one in-memory Tekton resource (e.g. a Task the generator just built) with the same
 * rules as `validateDocs`; findings carry Tekton's field paths but no file or position.
 */
export function validateResource(value: unknown, opts: ValidateOptions = {}): Diagnostic[] {
  const v = isObj(value) ? value : {};
  return check(value, typeof v.kind === 'string' ? v.kind : '', typeof v.apiVersion === 'string' ? v.apiVersion : '', opts).map((l) => l.d);
}

/** Finds the (v1, defaulted) spec of the Task with this name, or undefined. */
export type TaskLookup = (name: string) => TaskSpec | undefined;

/** Tasks among the documents by name (names defined more than once are left out); each converted on first use. */
export function taskLookup(docs: readonly LoadedDoc[]): TaskLookup {
  let byName: Map<string, LoadedDoc | null> | undefined;
  const specs = new Map<string, TaskSpec | undefined>();
  return (name) => {
    if (!byName) {
      byName = new Map();
      for (const d of docs) if (d.kind === 'Task' && d.name) byName.set(d.name, byName.has(d.name) ? null : d);
    }
    if (!specs.has(name)) {
      const d = byName.get(name);
      const v1 = d ? toV1(d.value) : undefined;
      specs.set(name, isObj(v1) && isObj(v1.spec) ? (defaultTaskSpec(v1.spec) as unknown as TaskSpec) : undefined);
    }
    return specs.get(name);
  };
}

function safePos(f: () => Position): Position {
  try {
    return f();
  } catch {
    return { line: 1, col: 1 };
  }
}

function check(value: unknown, kind: string, apiVersion: string, opts: ValidateOptions, tasks: TaskLookup = () => undefined, source?: string): Located[] {
  try {
    return checkUnsafe(value, kind, apiVersion, opts, tasks, source);
  } catch (e) {
    // A bug in a rule must not hide the others' findings nor crash the command.
    return [{ d: { severity: 'error', message: `internal error while validating: ${(e as Error).message}`, paths: [], rule: 'internal' }, raw: [] }];
  }
}

function checkUnsafe(value: unknown, kind: string, apiVersion: string, opts: ValidateOptions, tasks: TaskLookup, source?: string): Located[] {
  const flags: FeatureFlags = { ...DEFAULT_FLAGS, ...opts.flags };
  const out: Located[] = [];
  const [group, version = ''] = apiVersion.split('/');
  const versions = Object.hasOwn(SERVED, kind) ? SERVED[kind]! : [];
  if (group !== 'tekton.dev' || !versions.includes(version)) {
    const served = versions.map((v) => `tekton.dev/${v}`).join(', ');
    out.push({ d: { severity: 'error', message: `no matches for kind "${kind}" in version "${apiVersion}"${served ? ` (served: ${served})` : ''}`, paths: ['apiVersion'] }, raw: ['apiVersion'] });
    return out;
  }
  const schema = schemaFor(kind, version === 'v1' ? 'v1' : 'v1beta1')!;
  const shaped = checkSchema(value, schema);
  const lintSeverity = opts.strict ? 'error' : 'warning';
  for (const e of shaped.unknown.merged()) {
    out.push({ d: { severity: lintSeverity, message: e.message, paths: e.paths, rule: 'unknown-field', details: 'The Tekton CRD does not declare this field: the API server drops it (or rejects the document with strict field validation).' }, raw: e.anchor, atKey: true });
  }
  if (!shaped.errors.empty) {
    out.push(...fromFieldErrors(shaped.errors, true));
    return out; // the API server rejects the document before Tekton's webhook sees it
  }
  const pruned = isObj(shaped.value) ? shaped.value : {};
  const errs = new FieldErrors();
  if (version === 'v1beta1' && (kind === 'Task' || kind === 'TaskRun') && isObj(pruned.spec) && pruned.spec.resources !== undefined) {
    errs.add(DISALLOWED, 'spec.resources');
  }
  if (version === 'v1beta1' && kind === 'PipelineRun' && isObj(pruned.spec) && pruned.spec.timeout !== undefined && pruned.spec.timeouts !== undefined) {
    errs.add(DISALLOWED, ['spec.timeout', 'spec.timeouts']);
  }
  // toV1 of a v1 document is only a deep copy; nothing below changes `doc` (defaulting copies).
  const doc = (version === 'v1' ? pruned : toV1(pruned)) as Obj;
  const spec = isObj(doc.spec) ? doc.spec : {};
  errs.also(validateMetadata(doc.metadata));
  let defaulted: Obj = doc;
  switch (kind) {
    case 'Task': {
      const ts = defaultTaskSpec(spec) as unknown as TaskSpec;
      defaulted = { ...doc, spec: ts };
      errs.also(validateTaskSpec(ts, flags).viaField('spec'), validateTaskParamUsage(ts).viaField('spec'), validateBetaFields(ts, flags).viaField('spec'));
      break;
    }
    case 'TaskRun': {
      defaulted = defaultTaskRun({ ...doc, spec }) as Obj;
      const trs = defaulted.spec as TaskRunSpec;
      errs.also(validateTaskRunSpec(trs, flags).viaField('spec'));
      if (opts.runTimeChecks && errs.empty) out.push(...runTimeChecks(defaulted, trs, tasks, flags));
      break;
    }
    case 'StepAction': {
      const sa = defaultTaskSpec(spec) as unknown as StepActionSpec;
      defaulted = { ...doc, spec: sa };
      errs.also(validateStepActionSpec(sa, flags).viaField('spec'));
      break;
    }
    case 'Pipeline': {
      const ps = defaultEmbedded(spec);
      defaulted = { ...doc, spec: ps };
      errs.also(validatePipelineSpec(ps, flags, true).viaField('spec'));
      if (opts.runTimeChecks && errs.empty) out.push(...pipelineRunChecks(ps, ['spec'], tasks));
      break;
    }
    case 'PipelineRun': {
      const ps = isObj(spec.pipelineSpec) ? defaultEmbedded(spec.pipelineSpec) : undefined;
      const runSpec = ps ? { ...spec, pipelineSpec: ps } : spec;
      defaulted = { ...doc, spec: runSpec };
      errs.also(validatePipelineRunSpec(runSpec, flags).viaField('spec'));
      if (ps) errs.also(validatePipelineSpec(ps, flags).viaField('pipelineSpec').viaField('spec'));
      if (ps && opts.runTimeChecks && errs.empty) out.push(...pipelineRunChecks(ps, ['spec', 'pipelineSpec'], tasks));
      break;
    }
  }
  out.push(...fromFieldErrors(errs));
  for (const f of lintDocument(kind, defaulted, source)) {
    out.push({ d: { severity: lintSeverity, message: f.message, paths: [f.path], rule: f.rule, ...(f.details ? { details: f.details } : {}) }, raw: f.raw, ...(f.index === undefined ? {} : { index: f.index }) });
  }
  return out;
}

/** The reconciler's checks once the Task is known (inline, or a taskRef among the documents). */
function runTimeChecks(tr: Obj, spec: TaskRunSpec, tasks: TaskLookup, flags: FeatureFlags): Located[] {
  const meta = isObj(tr.metadata) ? tr.metadata : {};
  let task: TaskSpec | undefined;
  let taskName: string;
  if (spec.taskSpec) {
    task = spec.taskSpec;
    // For an inline spec Tekton names the task after the TaskRun.
    taskName = typeof meta.name === 'string' && meta.name ? meta.name : `${typeof meta.generateName === 'string' ? meta.generateName : ''}<generated>`;
  } else {
    const ref = spec.taskRef;
    if (!ref?.name || ref.resolver || (ref.kind && ref.kind !== 'Task')) return [];
    task = tasks(ref.name);
    taskName = ref.name;
  }
  if (!task) return [];
  return resolvedTaskRunChecks(spec, task, taskName, !!spec.taskSpec, flags.enableParamEnum).map((f) => ({
    d: { severity: 'error', message: f.message, paths: [f.path], details: `Tekton admits this TaskRun, then fails it when it starts (reason ${f.reason ?? 'TaskRunValidationFailed'})${f.where ? `: ${f.where}` : ''}.` },
    raw: f.raw,
  }));
}

/** What a PipelineRun rejects once it has the Tasks its pipeline tasks name (among the documents). */
function pipelineRunChecks(ps: Obj, at: PathSegment[], tasks: TaskLookup): Located[] {
  const out: Located[] = [];
  for (const { pt, field, index } of pipelineTasks(ps)) {
    if (pt.taskSpec !== undefined || !isObj(pt.taskRef)) continue;
    const ref = pt.taskRef;
    if (typeof ref.name !== 'string' || !ref.name || ref.resolver || (ref.kind !== undefined && ref.kind !== 'Task')) continue;
    const task = tasks(ref.name);
    if (!task) continue;
    const where = `${at.join('.')}.${field}[${index}]`;
    for (const f of resolvedPipelineTaskChecks(pt as PipelineTask, task, ref.name)) {
      out.push({
        d: { severity: 'error', message: f.message, paths: [`${where}.${f.path}`], details: `Tekton admits this ${at.length > 1 ? 'PipelineRun' : 'Pipeline'}; a run of it fails when it gets to this task (the PipelineRun fails with PipelineValidationFailed, or with the TaskRun that cannot start).` },
        raw: [...at, field, index, ...f.raw],
      });
    }
  }
  return out;
}

/** PipelineSpec.SetDefaults: param types, and TaskSpec defaults for each embedded task spec. */
function defaultEmbedded(pipelineSpec: Obj): Obj {
  const out = cloneData(pipelineSpec);
  if (Array.isArray(out.params)) out.params = out.params.map(defaultParamSpec);
  for (const { field, index } of embeddedTaskSpecs(out)) {
    const pt = (out[field] as Obj[])[index]!;
    pt.taskSpec = defaultTaskSpec(pt.taskSpec);
  }
  return out;
}

/** `pathFirst`: the API server's errors (the CRD schema's), printed path first. */
function fromFieldErrors(errs: FieldErrors, pathFirst = false): Located[] {
  return errs.merged().map((e) => ({
    d: { severity: 'error', message: e.message, paths: e.paths, ...(e.details ? { details: e.details } : {}), ...(pathFirst ? { pathFirst } : {}) },
    raw: e.anchor,
  }));
}
