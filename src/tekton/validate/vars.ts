// Tekton's variable checks on one field's text (pkg/substitution validators). Each returns at
// most one issue at the current field (path ''), as Tekton does.
import { extractEntireVariables, extractVariables, firstExpression, trimArrayIndex } from '../references.js';
import { FieldErrors, goQuote } from './field-error.js';

/** The variables `value` references with `prefix`, or the findings to return as they are (none, or Tekton's error for too many dots). */
function referenced(value: string, prefix: string): string[] | FieldErrors {
  const x = extractVariables(value, prefix);
  if (!x.present) return new FieldErrors();
  if (x.error) return new FieldErrors().add(x.error, '');
  return x.vars;
}

export function unknownVariables(value: string, prefix: string, vars: ReadonlySet<string>): FieldErrors {
  const refs = referenced(value, prefix);
  if (refs instanceof FieldErrors) return refs;
  const unknown = refs.some((v) => !vars.has(trimArrayIndex(v)));
  return unknown ? new FieldErrors().add(`non-existent variable in ${goQuote(value)}`, '') : new FieldErrors();
}

/** Array (or object) references outside command/args: `variable type invalid`. Indexing is fine. */
export function prohibitedVariables(value: string, prefix: string, vars: ReadonlySet<string>): FieldErrors {
  const refs = referenced(value, prefix);
  if (refs instanceof FieldErrors) return refs;
  const bad = refs.some((v) => vars.has(v.endsWith('[*]') ? v.slice(0, -3) : v));
  return bad ? new FieldErrors().add(`variable type invalid in ${goQuote(value)}`, '') : new FieldErrors();
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
  const refs = referenced(value, prefix);
  if (refs instanceof FieldErrors) return refs;
  const whole = value.length === firstExpression(value, prefix).length;
  const bad = !whole && refs.some((v) => vars.has(v.endsWith('[*]') ? v.slice(0, -3) : v));
  return bad ? new FieldErrors().add(`variable is not properly isolated in ${goQuote(value)}`, '') : new FieldErrors();
}
