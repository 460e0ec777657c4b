// Task.Validate's ValidateBetaFields: with `enable-api-fields: stable`, object params, indexing
// into array params, and array/object results are rejected (they are beta features). Tekton runs
// this only for a standalone Task, not for inline or embedded specs. Findings carry no path.
import type { TaskSpec } from '../types.js';
import { stringsWithReferences as strings } from '../references.js';
import { apiFieldsGate, type FeatureFlags } from './context.js';
import { FieldErrors } from './field-error.js';

const INDEXING = /\$\(params(?:\.[_a-zA-Z0-9.-]+|\['[_a-zA-Z0-9.\-/]+'\]|\["[_a-zA-Z0-9.\-/]+"\])\[[0-9]+\]\)/g;

export function validateBetaFields(ts: TaskSpec, flags: FeatureFlags): FieldErrors {
  const errs = new FieldErrors();
  const gate = (feature: string, raw: (string | number)[]) => {
    const msg = apiFieldsGate(flags, feature, 'beta');
    if (msg) errs.addPathless(msg, raw);
  };
  (ts.params ?? []).forEach((p, i) => {
    if (p?.type === 'object') gate('object type parameter', ['params', i]);
  });
  if (flags.apiFields === 'stable') {
    const refs = new Set<string>();
    const scan = (v: unknown) => {
      for (const s of strings(v, '', [])) for (const m of s.text.matchAll(INDEXING)) refs.add(m[0]);
    };
    scan(ts.steps);
    scan(ts.stepTemplate);
    scan(ts.volumes);
    scan((ts.workspaces ?? []).map((w) => w?.mountPath));
    scan(ts.sidecars);
    if (refs.size) {
      // Go prints the sets.String (a map) as map[key:{} ...], keys sorted.
      const shown = `map[${[...refs].sort().map((r) => `${r}:{}`).join(' ')}]`;
      errs.addPathless(`cannot index into array parameters when 'enable-api-fields' is 'stable', but found indexing references: ${shown}`, ['steps']);
    }
  }
  (ts.results ?? []).forEach((r, i) => {
    if (r?.type === 'object') gate('object results', ['results', i]);
    if (r?.type === 'array') gate('array results', ['results', i]);
  });
  return errs;
}
