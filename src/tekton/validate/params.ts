// ParamSpec rules (§2): types and defaults, duplicate names, enum, name formats, and how steps
// may use array and object params (§3.5, §3.6). Mirrors Tekton's ValidateParameterTypes,
// ValidateParameterVariables and ValidateUsageOfDeclaredParameters.
import type { PathSegment } from '../load.js';
import { decodeParamValue } from '../params.js';
import type { ParamSpec, ParamType, Step } from '../types.js';
import type { FeatureFlags } from './context.js';
import { FieldErrors, MISSING, goValue, invalidValue, keyPath } from './field-error.js';
import { stepFieldChecks } from './step-fields.js';
import { entireProhibitedVariables, isolatedVariable, prohibitedVariables, unknownVariables } from './vars.js';

/** A param spec together with where it sits in the document (index into `params`). */
export interface PlacedParam {
  spec: ParamSpec;
  raw: PathSegment[];
  /**
   * Set once Tekton's combineParamSpec has copied an object default's keys into this spec's
   * default (Go then holds a map there, whatever the default's type).
   */
  defaultMap?: boolean;
}

const STRING_ARRAY_NAME = /^[_a-zA-Z][_a-zA-Z0-9.-]*$/;
const OBJECT_NAME = /^[_a-zA-Z][_a-zA-Z0-9-]*$/;
const TYPES: readonly string[] = ['string', 'array', 'object'];

export function typeOf(p: ParamSpec): ParamType {
  return (p.type ?? 'string') as ParamType;
}

function propertyKeys(p: ParamSpec): string[] {
  return p.properties ? Object.keys(p.properties).sort() : [];
}

/** ValidateParameterTypes: one finding at most per param; paths `<name>.type` etc. */
export function validateParamTypes(params: PlacedParam[]): FieldErrors {
  const errs = new FieldErrors();
  for (const { spec: p, raw } of params) {
    const name = p.name ?? '';
    const type = p.type ?? '';
    if (!TYPES.includes(type)) {
      errs.add(invalidValue(type), `${name}.type`, [...raw, 'type']);
      continue;
    }
    if (p.default !== undefined) {
      const dt = decodeParamValue(p.default).type;
      if (dt !== type) {
        errs.add(`"${type}" type does not match default value's type: "${dt}"`, [`${name}.type`, `${name}.default.type`], [[...raw, 'type'], [...raw, 'default']]);
        continue;
      }
    }
    const bad = propertyKeys(p).filter((k) => (p.properties![k]?.type ?? '') !== 'string');
    if (bad.length) errs.add(`The value type specified for these keys ${goValue(bad)} is invalid`, `${name}.properties`, [...raw, 'properties']);
  }
  return errs;
}

/**
 * ValidateParameterVariables: duplicate names, enum rules, name formats, and array params used
 * outside whole command/args elements. Paths are relative to the spec.
 */
export function validateParamVariables(steps: Step[], params: PlacedParam[], flags: FeatureFlags, paramsRaw: PathSegment[] = ['params']): FieldErrors {
  const errs = validateParamNames(params, paramsRaw, flags);
  const arrayNames = new Set(params.filter((p) => typeOf(p.spec) === 'array').map((p) => p.spec.name ?? ''));
  return errs.also(perStepWithRepeatedPrefix(steps, (s) => stepFieldChecks(s, {
    plain: (v) => prohibitedVariables(v, 'params', arrayNames),
    commandArgs: (v) => isolatedVariable(v, 'params', arrayNames),
  })));
}

/**
 * Duplicate names, name formats and (when `flags` is given: Tasks, not StepActions) enum rules.
 * Duplicates are compared exactly (case-sensitive), as Tekton's code does.
 */
export function validateParamNames(params: PlacedParam[], paramsRaw: PathSegment[], flags?: FeatureFlags): FieldErrors {
  const errs = new FieldErrors();
  const seen = new Set<string>();
  const dups = new Map<string, PathSegment[]>();
  for (const { spec, raw } of params) {
    const n = spec.name ?? '';
    if (seen.has(n) && !dups.has(n)) dups.set(n, raw);
    seen.add(n);
  }
  for (const [n, raw] of dups) errs.add('parameter appears more than once', keyPath('params', n), raw);
  if (flags) errs.also(validateEnums(params, flags));
  const stringAndArray = new Set(params.filter((p) => typeOf(p.spec) !== 'object').map((p) => p.spec.name ?? ''));
  const badNames = [...stringAndArray].filter((n) => !STRING_ARRAY_NAME.test(n)).sort();
  if (badNames.length) {
    errs.add(`The format of following array and string variable names is invalid: ${goValue(badNames)}`, 'params', paramsRaw,
      'String/Array Names: \nMust only contain alphanumeric characters, hyphens (-), underscores (_), and dots (.)\nMust begin with a letter or an underscore (_)');
  }
  const badObjects: Record<string, string[]> = {};
  for (const { spec } of params.filter((p) => typeOf(p.spec) === 'object')) {
    const n = spec.name ?? '';
    if (!OBJECT_NAME.test(n)) badObjects[n] = badObjects[n] ?? [];
    for (const k of propertyKeys(spec)) if (!OBJECT_NAME.test(k)) (badObjects[n] ??= []).push(k);
  }
  if (Object.keys(badObjects).length) {
    errs.add(`Object param name and key name format is invalid: ${goValue(badObjects)}`, 'params', paramsRaw,
      'Object Names: \nMust only contain alphanumeric characters, hyphens (-), underscores (_) \nMust begin with a letter or an underscore (_)');
  }
  return errs;
}

/** Whether a param's name (and an object's keys) pass ValidateNameFormat. */
export function hasValidNameFormat({ spec }: PlacedParam): boolean {
  const n = spec.name ?? '';
  if (typeOf(spec) !== 'object') return STRING_ARRAY_NAME.test(n);
  return OBJECT_NAME.test(n) && propertyKeys(spec).every((k) => OBJECT_NAME.test(k));
}

export function validateEnums(params: PlacedParam[], flags: FeatureFlags): FieldErrors {
  const errs = new FieldErrors();
  for (const { spec: p, raw } of params) {
    if (!Array.isArray(p.enum) || p.enum.length === 0) continue; // a wrong type is the API server's error (schema)
    const at = (message: string) => errs.add(message, keyPath('params', p.name ?? ''), raw);
    if (!flags.enableParamEnum) at('feature flag `enable-param-enum` should be set to true to use Enum');
    if (typeOf(p) !== 'string') at('enum can only be set with string type param');
    const seen = new Set<string>();
    for (const v of p.enum) {
      if (seen.has(v)) at(`parameter enum value ${v} appears more than once`);
      seen.add(v);
    }
    const d = p.default === undefined ? undefined : decodeParamValue(p.default);
    if (d && d.type === 'string' && d.value !== '' && !p.enum.includes(d.value as string)) at(`param default value ${d.value as string} not in the enum list`);
  }
  return errs;
}

/**
 * ValidateUsageOfDeclaredParameters: every `$(params.x)` names a declared param, object keys
 * exist, whole objects are not used in step fields, object params declare properties.
 */
export function validateDeclaredParamUsage(steps: Step[], params: PlacedParam[]): FieldErrors {
  const errs = new FieldErrors();
  const all = new Set(params.map((p) => p.spec.name ?? ''));
  errs.also(perStep(steps, (s) => stepFieldChecks(s, { all: (v) => unknownVariables(v, 'params', all) }, 'unknown')));
  const objects = params.filter((p) => typeOf(p.spec) === 'object');
  for (const { spec } of objects) {
    const keys = new Set(propertyKeys(spec));
    const prefix = `params\\.${spec.name ?? ''}`;
    errs.also(perStep(steps, (s) => stepFieldChecks(s, { all: (v) => unknownVariables(v, prefix, keys) }, 'unknown')));
  }
  const objectNames = new Set(objects.map((p) => p.spec.name ?? ''));
  // (without object params there is nothing this check can find)
  if (objectNames.size) errs.also(perStepWithRepeatedPrefix(steps, (s) => stepFieldChecks(s, { all: (v) => entireProhibitedVariables(v, 'params', objectNames) }, 'lower')));
  for (const { spec, raw } of objects) {
    if (spec.properties === undefined) errs.add(MISSING, `${spec.name ?? ''}.properties`, raw);
  }
  return errs;
}

/**
 * createParamSpecFromParam: the spec Tekton derives from a passed `{name, value}` param when it
 * propagates it into an inline spec: typed by its value, the value as default, an object's keys
 * as string properties.
 */
export function paramSpecFromValue(name: string, value: unknown): ParamSpec {
  const v = decodeParamValue(value);
  const spec: ParamSpec = { name, type: v.type, default: v.value };
  if (v.type === 'object') spec.properties = Object.fromEntries(Object.keys(v.value).map((k) => [k, { type: 'string' as const }]));
  return spec;
}

/**
 * combineParamSpec: a declared spec `p` (at `raw`) merged into the specs derived from passed
 * values. A name not passed is added as declared. A passed one keeps its value's type; when that
 * is object, or `p`'s default is one, `p` must declare properties (`<name>.properties` missing,
 * and `p` is dropped), which an object then takes. (Tekton also merges an object default's keys
 * into the passed default; no later check reads them.)
 */
export function combineParamSpec(combined: Map<string, PlacedParam>, p: ParamSpec, raw: PathSegment[], errs: FieldErrors, crash?: () => void): void {
  const name = p.name ?? '';
  const passed = combined.get(name);
  if (!passed) {
    combined.set(name, { spec: p, raw });
    return;
  }
  const d = p.default === undefined || p.default === null ? undefined : decodeParamValue(p.default);
  const defaultIsObject = d?.type === 'object';
  // Go copies an object default's keys into the spec already there: with no default there, a
  // nil pointer (the webhook panics)
  if (defaultIsObject && Object.keys(d.value as object).length) {
    if (passed.spec.default === undefined || passed.spec.default === null) crash?.();
    else passed.defaultMap = true;
  }
  // (a null properties is Go's nil map, as good as none)
  if ((defaultIsObject || passed.spec.type === 'object') && (p.properties === undefined || p.properties === null)) {
    errs.add(MISSING, `${name}.properties`, raw);
    return;
  }
  if (passed.spec.type === 'object') passed.spec = { ...passed.spec, properties: p.properties };
}

/** `validateVariables`: each step's findings under `steps[i]`. */
export function perStep(steps: Step[], check: (s: Step) => FieldErrors): FieldErrors {
  const errs = new FieldErrors();
  steps.forEach((s, i) => errs.also(check(s).viaFieldIndex('steps', i)));
  return errs;
}

/** Tekton's validateArrayUsage / validateObjectUsageAsWhole loop, including its path quirk. */
function perStepWithRepeatedPrefix(steps: Step[], check: (s: Step) => FieldErrors): FieldErrors {
  const errs = new FieldErrors();
  steps.forEach((s, i) => {
    errs.viaFieldIndexTextOnly('steps', i);
    errs.also(check(s).viaFieldIndex('steps', i));
  });
  return errs;
}
