// Task result declarations (§5.1).
import type { TaskResult } from '../types.js';
import { decodeParamValue } from '../params.js';
import { FieldErrors, MISSING, goQuote, invalidKeyName, invalidValue } from './field-error.js';
import { isDNS1123Label } from './names.js';

export const RESULT_NAME_FMT = '^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$';
export const RESULT_NAME = new RegExp(RESULT_NAME_FMT);
const STEP_RESULT_VALUE = /^\$\(steps\.([^.]+)\.results\.(.+)\)$/;

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
  if (type === 'object') {
    if (r.properties === undefined) return errs.add(MISSING, `${name}.properties`, ['properties']);
    const bad = Object.keys(r.properties).sort().filter((k) => (r.properties![k]?.type ?? '') !== 'string');
    if (bad.length) return errs.add(`The value type specified for these keys [${bad.join(' ')}] is invalid, the type must be string`, `${name}.properties`, ['properties']);
  } else if (type !== 'array' && type !== '' && type !== 'string') {
    return errs.add(invalidValue(type), 'type', ['type'], 'type must be string');
  }
  if (r.value !== undefined) {
    const v = decodeParamValue(r.value);
    if (v.type !== 'string') return errs.add(`Invalid Type. Wanted string but got: "${v.type}"`, `${name}.type`, ['value']);
    const m = STEP_RESULT_VALUE.exec(v.value as string);
    if (!m) {
      return errs.add(`Could not extract step name and result name. Expected value to look like $(steps.<stepName>.results.<resultName>) but got ${goQuote(v.value as string)}`, `${name}.value`, ['value']);
    }
    const [, step, result] = m as unknown as [string, string, string];
    if (!isDNS1123Label(step)) errs.add(`invalid extracted step name ${goQuote(step)}`, `${name}.value`, ['value']);
    if (!RESULT_NAME.test(result)) errs.add(`invalid extracted result name ${goQuote(result)}`, `${name}.value`, ['value']);
  }
  return errs;
}
