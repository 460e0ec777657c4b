// Tekton's variable checks on one field's text (pkg/substitution validators). Each returns at
// most one issue at the current field (path ''), as Tekton does.
import { extractEntireVariables, extractVariables, firstExpression, trimArrayIndex } from '../references.js';
import { FieldErrors, goQuote } from './field-error.js';

export function unknownVariables(value: string, prefix: string, vars: ReadonlySet<string>): FieldErrors {
  const errs = new FieldErrors();
  const x = extractVariables(value, prefix);
  if (!x.present) return errs;
  if (x.error) return errs.add(x.error, '');
  for (const v of x.vars) {
    if (!vars.has(trimArrayIndex(v))) return errs.add(`non-existent variable in ${goQuote(value)}`, '');
  }
  return errs;
}

/** Array (or object) references outside command/args: `variable type invalid`. Indexing is fine. */
export function prohibitedVariables(value: string, prefix: string, vars: ReadonlySet<string>): FieldErrors {
  const errs = new FieldErrors();
  const x = extractVariables(value, prefix);
  if (!x.present) return errs;
  if (x.error) return errs.add(x.error, '');
  for (const v of x.vars) {
    if (vars.has(v.endsWith('[*]') ? v.slice(0, -3) : v)) return errs.add(`variable type invalid in ${goQuote(value)}`, '');
  }
  return errs;
}

/** Whole-object references (`$(params.obj)`, `$(params.obj[*])`); keys are fine. */
export function entireProhibitedVariables(value: string, prefix: string, vars: ReadonlySet<string>): FieldErrors {
  const errs = new FieldErrors();
  for (const v of extractEntireVariables(value, prefix)) {
    if (vars.has(v.endsWith('[*]') ? v.slice(0, -3) : v)) return errs.add(`variable type invalid in ${goQuote(value)}`, '');
  }
  return errs;
}

/** An array reference in command/args must be the whole element. */
export function isolatedVariable(value: string, prefix: string, vars: ReadonlySet<string>): FieldErrors {
  const errs = new FieldErrors();
  const x = extractVariables(value, prefix);
  if (!x.present) return errs;
  if (x.error) return errs.add(x.error, '');
  const first = firstExpression(value, prefix);
  for (const v of x.vars) {
    if (vars.has(v.endsWith('[*]') ? v.slice(0, -3) : v) && value.length !== first.length) {
      return errs.add(`variable is not properly isolated in ${goQuote(value)}`, '');
    }
  }
  return errs;
}
