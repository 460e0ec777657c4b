// StepActionSpec.Validate (tekton.dev/v1beta1 StepAction). Paths relative to `spec`.
import type { ParamSpec, StepActionSpec } from '../types.js';
import { extractVariables, expressions } from '../references.js';
import type { FeatureFlags } from './context.js';
import { FieldErrors, MISSING, invalidValue } from './field-error.js';
import { typeOf, validateParamNames, validateParamTypes, type PlacedParam } from './params.js';
import { gate, validateStepActionResultVariables, validateStepResults } from './step.js';
import { entireProhibitedVariables, isolatedVariable, prohibitedVariables, unknownVariables } from './vars.js';

type Check = (value: string) => FieldErrors;

/** The fields Tekton checks in a StepAction, each with its path. */
function fields(sa: StepActionSpec, plain: Check, listed: Check = plain): FieldErrors {
  const errs = plain(sa.image ?? '').viaField('image');
  errs.also(plain(sa.script ?? '').viaField('script'));
  (sa.command ?? []).forEach((v, i) => errs.also(listed(v).viaFieldIndex('command', i)));
  (sa.args ?? []).forEach((v, i) => errs.also(listed(v).viaFieldIndex('args', i)));
  (sa.env ?? []).forEach((e, i) => errs.also(plain(e?.value ?? '').viaFieldKey('env', e?.name ?? '', ['env', i, 'value'])));
  ((sa as { volumeMounts?: { name?: string }[] }).volumeMounts ?? []).forEach((vm, i) => errs.also(plain(vm?.name ?? '').viaFieldIndex('volumeMounts', i, ['volumeMounts', i, 'name'])));
  return errs;
}

export function validateStepActionSpec(sa: StepActionSpec, flags: FeatureFlags): FieldErrors {
  const errs = new FieldErrors();
  if (!sa.image) errs.add(MISSING, 'Image', ['image']);
  if (sa.script) {
    if (sa.command?.length) errs.add('script cannot be used with command', 'script');
    if (sa.script.trim().startsWith('#!win')) gate(errs, flags, 'windows script support', 'alpha', ['script']);
    const x = extractVariables(sa.script, 'params');
    if (x.present || x.error) errs.add('param substitution in scripts is not allowed.', 'script');
  }
  const params: PlacedParam[] = (sa.params ?? []).map((p, i) => ({ spec: p ?? ({ name: '' } as ParamSpec), raw: ['params', i] }));
  const all = new Set(params.map((p) => p.spec.name ?? ''));
  errs.also(fields(sa, (v) => unknownVariables(v, 'params', all)));
  const objects = params.filter((p) => typeOf(p.spec) === 'object');
  for (const { spec } of objects) {
    const keys = new Set(Object.keys(spec.properties ?? {}));
    errs.also(fields(sa, (v) => unknownVariables(v, `params\\.${spec.name ?? ''}`, keys)));
  }
  const objectNames = new Set(objects.map((p) => p.spec.name ?? ''));
  errs.also(fields(sa, (v) => entireProhibitedVariables(v, 'params', objectNames)));
  for (const { spec, raw } of objects) if (spec.properties === undefined) errs.add(MISSING, `${spec.name ?? ''}.properties`, raw);
  errs.also(validateParamTypes(params).viaField('params', []));
  errs.also(validateParamNames(params, ['params']));
  const arrays = new Set(params.filter((p) => typeOf(p.spec) === 'array').map((p) => p.spec.name ?? ''));
  errs.also(fields(sa, (v) => prohibitedVariables(v, 'params', arrays), (v) => isolatedVariable(v, 'params', arrays)));
  errs.also(validateStepActionResultVariables(sa.results ?? [], sa.script ?? ''));
  errs.also(validateStepResults(sa.results ?? []).viaField('results'));
  errs.also(validateVolumeMountNames(sa, all).viaField('volumeMounts'));
  return errs;
}

function validateVolumeMountNames(sa: StepActionSpec, params: ReadonlySet<string>): FieldErrors {
  const errs = new FieldErrors();
  const mounts = (sa as { volumeMounts?: { name?: string }[] }).volumeMounts ?? [];
  for (let i = 0; i < mounts.length; i++) {
    const name = mounts[i]?.name ?? '';
    const found = expressions(name, 'params');
    if (found.length !== 1 || found[0] !== name) {
      return errs.also(new FieldErrors().add(invalidValue(name), 'name', ['name'], 'expect the Name to be a single param reference').viaIndex(i));
    }
    errs.also(unknownVariables(name, 'params', params).viaIndex(i, [i, 'name']));
  }
  return errs;
}
