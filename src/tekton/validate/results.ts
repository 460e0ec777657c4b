// Task result declarations (§5.1).
import type { TaskResult } from '../types.js';
import { decodeParamValue } from '../params.js';
import { FieldErrors, MISSING, goQuote, invalidKeyName, invalidValue } from './field-error.js';
import { isDNS1123Label } from './names.js';

export const RESULT_NAME_FMT = '^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$';
export const RESULT_NAME = new RegExp(RESULT_NAME_FMT);
/**
 * Tekton's ExtractStepResultName: the first `$(steps.<s>.results.<r>)` anywhere in the value,
 * both parts lazy (so `$(steps.a.b.results.c)` gives step `a.b`). `[^\n]` is RE2's `.`.
 */
const STEP_RESULT_VALUE = /\$\(steps\.([^\n]*?)\.results\.([^\n]*?)\)/;

/** TaskResult.Validate for each result; paths relative to `results`. */
export function validateTaskResults(results: TaskResult[]): FieldErrors {
  const errs = new FieldErrors();
  results.forEach((r, i) => errs.also(validateTaskResult(r ?? ({} as TaskResult)).viaIndex(i)));
  return errs;
}

function validateTaskResult(r: TaskResult): FieldErrors {
  const errs = new FieldErrors();
  const name = r.name ?? '';
  if (!RESULT_NAME.test(name)) {
    return errs.add(invalidKeyName(name), 'name', ['name'],
      `Name must consist of alphanumeric characters, '-', '_', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my-name',  or 'my_name', regex used for validation is '${RESULT_NAME_FMT}')`);
  }
  const type = r.type ?? '';
  // the type's findings and the value's are reported together (only a bad name stops here)
  if (type === 'object') {
    if (r.properties === undefined) errs.add(MISSING, `${name}.properties`, ['properties']);
    else {
      const bad = Object.keys(r.properties).sort().filter((k) => (r.properties![k]?.type ?? '') !== 'string');
      if (bad.length) errs.add(`The value type specified for these keys [${bad.join(' ')}] is invalid, the type must be string`, `${name}.properties`, ['properties']);
    }
  } else if (type !== 'array' && type !== '' && type !== 'string') {
    errs.add(invalidValue(type), 'type', ['type'], 'type must be string');
  }
  return errs.also(validateResultValue(r, name));
}

/** TaskResult.validateValue: a value fetches a StepResult, `$(steps.<step>.results.<result>)`. */
function validateResultValue(r: TaskResult, name: string): FieldErrors {
  const errs = new FieldErrors();
  if (r.value === undefined) return errs;
  const v = decodeParamValue(r.value);
  if (v.type !== 'string') return errs.add(`Invalid Type. Wanted string but got: "${v.type}"`, `${name}.type`, ['value']);
  const text = v.value as string;
  if (text === '') return errs;
  const m = STEP_RESULT_VALUE.exec(text);
  // (Go formats the value with \"%v\", not %q: quotes inside it are not escaped)
  if (!m) return errs.add(`Could not extract step name and result name. Expected value to look like $(steps.<stepName>.results.<resultName>) but got "${text}"`, `${name}.value`, ['value']);
  const [, step, result] = m as unknown as [string, string, string];
  if (!isDNS1123Label(step)) {
    errs.add(`invalid extracted step name ${goQuote(step)}`, `${name}.value`, ['value'],
      'stepName in $(steps.<stepName>.results.<resultName>) must be a valid DNS Label, For more info refer to https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names');
  }
  if (!RESULT_NAME.test(result)) {
    errs.add(`invalid extracted result name ${goQuote(result)}`, `${name}.value`, ['value'],
      `resultName in $(steps.<stepName>.results.<resultName>) must consist of alphanumeric characters, '-', '_', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my-name',  or 'my_name', regex used for validation is '${RESULT_NAME_FMT}')`);
  }
  return errs;
}
