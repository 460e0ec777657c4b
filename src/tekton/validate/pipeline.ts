// Pipelines and PipelineRuns are checked only as far as their embedded task specs go: each
// `tasks[i].taskSpec` / `finally[i].taskSpec` gets the TaskSpec rules. Params and workspaces
// reach embedded specs from the Pipeline, so the declared-param check does not apply.
import type { TaskSpec } from '../types.js';
import type { FeatureFlags } from './context.js';
import { FieldErrors } from './field-error.js';
import { validateTaskSpec } from './task.js';
import { isObj, type Obj } from '../plain-object.js';

/** Each embedded Tekton task spec of a PipelineSpec, with the field path to it. */
export function embeddedTaskSpecs(pipelineSpec: unknown): { spec: TaskSpec; field: 'tasks' | 'finally'; index: number }[] {
  const out: { spec: TaskSpec; field: 'tasks' | 'finally'; index: number }[] = [];
  if (!isObj(pipelineSpec)) return out;
  for (const field of ['tasks', 'finally'] as const) {
    const list = pipelineSpec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((pt, index) => {
      if (!isObj(pt) || !isObj(pt.taskSpec)) return;
      const ts = pt.taskSpec;
      if (ts.apiVersion !== undefined || ts.kind !== undefined) return; // a custom task's spec
      out.push({ spec: ts as unknown as TaskSpec, field, index });
    });
  }
  return out;
}

/** Paths relative to the PipelineSpec. */
export function validatePipelineSpec(pipelineSpec: unknown, flags: FeatureFlags): FieldErrors {
  const errs = new FieldErrors();
  for (const { spec, field, index } of embeddedTaskSpecs(pipelineSpec)) {
    errs.also(validateTaskSpec(spec, flags).viaField('taskSpec').viaFieldIndex(field, index));
  }
  return errs;
}
