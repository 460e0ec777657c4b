// One step of a TaskSpec (after the stepTemplate merge), a sidecar, and a StepAction/Task ref:
// Tekton's Step.Validate, Sidecar.Validate and validateRef (§4, §9.2).
import type { Param, Sidecar, Step, StepResult, WhenExpression } from '../types.js';
import { apiFieldsGate, type FeatureFlags } from './context.js';
import { formatGoDuration, parseGoDuration } from './duration.js';
import { FieldErrors, MISSING, ONE_OF_BOTH, goQuote, invalidKeyName, invalidValue } from './field-error.js';
import { cleanPath, isDNS1123Label, qualifiedNameErrors } from './names.js';
import { RESULT_NAME, RESULT_NAME_FMT } from './results.js';
import { unknownVariables } from './vars.js';

const STEP_RESULT_REF = /\$\(steps\.[^.)]+\.results\.[^)]+\)/;
const STEP_ARTIFACT_REF = /\$\(steps\.[^.)]+\.(?:inputs|outputs)(?:\.[^)]*)?\)/;
const TASK_ARTIFACT_REF = /\$\(tasks\.[^.)]+\.(?:inputs|outputs)(?:\.[^)]*)?\)/;

const stepArtifactRef = (s: string) => s.includes('$(') && (STEP_ARTIFACT_REF.test(s) || s.includes('$(step.artifacts.path)'));
const taskArtifactRef = (s: string) => s.includes('$(') && (TASK_ARTIFACT_REF.test(s) || s.includes('$(artifacts.path)'));

export function validateStep(s: Step, flags: FeatureFlags): FieldErrors {
  const errs = new FieldErrors();
  if (!flags.enableArtifacts) {
    const texts = [s.script ?? '', ...(s.command ?? []), ...(s.args ?? []), ...(s.env ?? []).map((e) => e?.value ?? '')];
    if (texts.some(stepArtifactRef) || texts.some(taskArtifactRef)) {
      return errs.add('feature flag enable-artifacts should be set to true to use artifacts feature.', '');
    }
  }
  if (s.ref !== undefined) {
    errs.also(validateRef(s.ref.name ?? '', s.ref.resolver ?? '', s.ref.params, flags, ['ref']));
    if (s.image) errs.add('image cannot be used with Ref', 'image');
    if (s.command?.length) errs.add('command cannot be used with Ref', 'command');
    if (s.args?.length) errs.add('args cannot be used with Ref', 'args');
    if (s.script) errs.add('script cannot be used with Ref', 'script');
    if (s.workingDir) errs.add('working dir cannot be used with Ref', 'workingDir');
    if (s.env !== undefined) errs.add('env cannot be used with Ref', 'env');
    if (s.volumeMounts?.length) errs.add('volumeMounts cannot be used with Ref', 'volumeMounts');
    if (s.results?.length) errs.add('results cannot be used with Ref', 'results');
  } else {
    if (s.params?.length) errs.add('params cannot be used without Ref', 'params');
    if (!s.image) errs.add(MISSING, 'Image', ['image']);
    if (s.script && s.command?.length) errs.add('script cannot be used with command', 'script');
  }
  if (s.name && !isDNS1123Label(s.name)) {
    errs.add(`invalid value ${goQuote(s.name)}`, 'name', ['name'],
      'Task step name must be a valid DNS Label, For more info refer to https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names');
  }
  if (s.timeout !== undefined) {
    const d = parseGoDuration(s.timeout);
    if (d === undefined) return new FieldErrors().add(`time: invalid duration ${goQuote(s.timeout)}`, 'timeout');
    if (d < 0n) return new FieldErrors().add(invalidValue(formatGoDuration(d)), 'negative timeout', ['timeout']);
  }
  (s.volumeMounts ?? []).forEach((vm, j) => {
    const mp = vm?.mountPath ?? '';
    const name = vm?.name ?? '';
    // (the path cleaned first, §4.1: `/x/../tekton/y` and `/tekton/home/../results` are under /tekton/, `/tekton/./home` is not)
    if (underTekton(cleanPath(mp))) {
      errs.also(new FieldErrors().add(`volumeMount cannot be mounted under /tekton/ (volumeMount ${goQuote(name)} mounted at ${goQuote(mp)})`, 'mountPath').viaFieldIndex('volumeMounts', j));
    }
    if (name.startsWith('tekton-internal-')) {
      errs.also(new FieldErrors().add(`volumeMount name ${goQuote(name)} cannot start with "tekton-internal-"`, 'name').viaFieldIndex('volumeMounts', j));
    }
  });
  if (s.onError && !s.onError.startsWith('$(params') && s.onError !== 'continue' && s.onError !== 'stopAndFail') {
    errs.add(`invalid value: "${s.onError}"`, 'onError', ['onError'], 'Task step onError must be either "continue" or "stopAndFail"');
  }
  if (s.script && s.script.trim().startsWith('#!win')) gate(errs, flags, 'windows script support', 'alpha', ['script']);
  if (s.stdoutConfig !== undefined) gate(errs, flags, 'step stdout stream support', 'alpha', ['stdoutConfig']);
  if (s.stderrConfig !== undefined) gate(errs, flags, 'step stderr stream support', 'alpha', ['stderrConfig']);
  errs.also(misplacedReferences(s, (v) => STEP_RESULT_REF.test(v), 'stepResult substitutions are only allowed in env, command and args. Found usage in', true));
  errs.also(misplacedReferences(s, stepArtifactRef, 'stepArtifact substitutions are only allowed in env, command, args and script. Found usage in', false));
  return errs;
}

/** Feature-gate errors are knative ErrGeneric without a field: printed with no path. */
export function gate(errs: FieldErrors, flags: FeatureFlags, feature: string, want: 'alpha' | 'beta', raw: (string | number)[]): void {
  const msg = apiFieldsGate(flags, feature, want);
  if (msg) errs.addPathless(msg, raw);
}

function misplacedReferences(s: Step, found: (v: string) => boolean, message: string, includeScript: boolean): FieldErrors {
  const errs = new FieldErrors();
  const at = (v: string | undefined, path: string, raw: (string | number)[]) => {
    if (v && found(v)) errs.add(message, path, raw);
  };
  at(s.name, 'name', ['name']);
  at(s.image, 'image', ['image']);
  if (includeScript) at(s.script, 'script', ['script']);
  at(s.imagePullPolicy, 'imagePullPolicy', ['imagePullPolicy']);
  at(s.workingDir, 'workingDir', ['workingDir']);
  (s.envFrom ?? []).forEach((e, i) => {
    const ef = (e ?? {}) as { prefix?: unknown; configMapRef?: { name?: unknown }; secretRef?: { name?: unknown } };
    at(typeof ef.prefix === 'string' ? ef.prefix : undefined, 'envFrom.prefix', ['envFrom', i, 'prefix']);
    at(typeof ef.configMapRef?.name === 'string' ? ef.configMapRef.name : undefined, 'envFrom.configMapRef', ['envFrom', i, 'configMapRef']);
    at(typeof ef.secretRef?.name === 'string' ? ef.secretRef.name : undefined, 'envFrom.secretRef', ['envFrom', i, 'secretRef']);
  });
  (s.volumeMounts ?? []).forEach((v, i) => {
    at(v?.name, 'volumeMounts.name', ['volumeMounts', i, 'name']);
    at(v?.mountPath, 'volumeMounts.mountPath', ['volumeMounts', i, 'mountPath']);
    at(v?.subPath, 'volumeMounts.subPath', ['volumeMounts', i, 'subPath']);
  });
  (s.volumeDevices ?? []).forEach((v, i) => {
    const d = (v ?? {}) as { name?: unknown; devicePath?: unknown };
    at(typeof d.name === 'string' ? d.name : undefined, 'volumeDevices.name', ['volumeDevices', i, 'name']);
    at(typeof d.devicePath === 'string' ? d.devicePath : undefined, 'volumeDevices.devicePath', ['volumeDevices', i, 'devicePath']);
  });
  return errs;
}

/** validateRef: a StepAction ref or a taskRef (paths relative to the ref's owner, see callers). */
export function validateRef(name: string, resolver: string, params: Param[] | undefined, flags: FeatureFlags, raw: (string | number)[]): FieldErrors {
  const errs = new FieldErrors();
  const urlLike = /[\w-]+:\/\/*/.test(name);
  const concise = 'feature flag enable-concise-resolver-syntax should be set to true to use concise resolver syntax';
  if (resolver !== '' || params !== undefined) {
    // remote resolution is beta: both gates fire only with enable-api-fields: stable
    if (params !== undefined) gate(errs, flags, 'resolver params', 'beta', [...raw, 'params']);
    if (resolver !== '') gate(errs, flags, 'resolver', 'beta', [...raw, 'resolver']);
    if (params !== undefined) {
      if (name !== '') errs.add(ONE_OF_BOTH, ['name', 'params'], [[...raw, 'name'], [...raw, 'params']]);
      if (resolver === '') errs.add(MISSING, 'resolver', [...raw]);
      errs.also(duplicateParamNames(params, [...raw, 'params']));
    }
    if (resolver !== '' && name !== '') {
      if (urlLike && !flags.enableConciseResolverSyntax) errs.add(concise, '', raw);
      if (!urlLike) errs.add(invalidValue('invalid URI for request'), 'name', [...raw, 'name']);
    }
  } else if (name !== '') {
    if (urlLike) {
      if (!flags.enableConciseResolverSyntax) errs.add(concise, '', raw);
      errs.add(MISSING, 'resolver', raw);
    } else {
      const problems = qualifiedNameErrors(name);
      if (problems.length) errs.add(invalidValue(problems.join(',')), 'name', [...raw, 'name']);
    }
  } else {
    errs.add(MISSING, 'name', raw);
  }
  return errs;
}

/** ValidateParameters' duplicate check on `[{name, value}]` lists: case-insensitive, keyed by name. */
export function duplicateParamNames(params: Param[], raw: (string | number)[]): FieldErrors {
  const errs = new FieldErrors();
  const seen = new Set<string>();
  params.forEach((p, i) => {
    const n = typeof p?.name === 'string' ? p.name : '';
    if (seen.has(n.toLowerCase())) errs.also(new FieldErrors().add(ONE_OF_BOTH, 'name', [...raw, i, 'name']).viaKey(n, []));
    seen.add(n.toLowerCase());
  });
  return errs;
}

/** Step-level `when` expressions (§4.9). */
export function validateWhen(when: WhenExpression[], flags: FeatureFlags): FieldErrors {
  const errs = new FieldErrors();
  when.forEach((w, i) => {
    const e = new FieldErrors();
    const we = w ?? {};
    if (we.cel) {
      if (!flags.enableCelInWhenExpression) e.add(`feature flag enable-cel-in-whenexpression should be set to true to use CEL: ${we.cel} in WhenExpression`, '');
      else if (we.input || we.operator || we.values?.length) {
        // Go prints the *WhenExpression the method has: &{Input Operator Values CEL}
        e.addPathless(`cel and input+operator+values cannot be set in one WhenExpression: &{${we.input ?? ''} ${we.operator ?? ''} ${goListValue(we.values)} ${we.cel}}`);
      }
    } else if (!we.input && !we.operator && !we.values?.length) {
      e.add(MISSING, '');
    } else if (we.operator !== 'in' && we.operator !== 'notin') {
      e.add(invalidValue(`operator ${goQuote(we.operator ?? '')} is not recognized. valid operators: in,notin`), '', ['operator']);
    } else if (!we.values?.length) {
      e.add(invalidValue('expecting non-empty values field'), '', ['values']);
    }
    errs.also(e.viaIndex(i));
  });
  return errs.viaField('when');
}

function goListValue(v: string[] | undefined): string {
  return `[${(v ?? []).join(' ')}]`;
}

/** StepResult declarations of one step (or StepAction). Paths relative to the result list. */
export function validateStepResults(results: StepResult[]): FieldErrors {
  const errs = new FieldErrors();
  results.forEach((r, i) => {
    const e = new FieldErrors();
    const name = r?.name ?? '';
    if (!RESULT_NAME.test(name)) {
      e.add(invalidKeyName(name), 'name', ['name'], `Name must consist of alphanumeric characters, '-', '_', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my-name',  or 'my_name', regex used for validation is '${RESULT_NAME_FMT}')`);
    } else {
      const type = r.type ?? 'string';
      if (type !== 'string' && type !== 'array' && type !== 'object') e.add(invalidValue(type), 'type', ['type'], `invalid type ${type}`);
      else if (type === 'object') {
        if (r.properties === undefined) e.add(MISSING, `${name}.properties`, []);
        else {
          const bad = Object.keys(r.properties).sort().filter((k) => (r.properties![k]?.type ?? '') !== 'string');
          if (bad.length) e.add(`the value type specified for these keys [${bad.join(' ')}] is invalid, the type must be string`, `${name}.properties`, ['properties']);
        }
      }
    }
    errs.also(e.viaIndex(i));
  });
  return errs;
}

/** `$(step.results.x.path)` in a script must name one of the step's own results. */
export function validateStepResultVariables(results: StepResult[], script: string): FieldErrors {
  const names = new Set(results.map((r) => r?.name ?? ''));
  return unknownVariables(script, 'step\\.results', names).viaField('script');
}

/**
 * A StepAction's script may write only its own results, in either spelling: `$(step.results.x.path)`
 * and `$(results.x.path)` are both checked against them (a StepAction has no task results).
 */
export function validateStepActionResultVariables(results: StepResult[], script: string): FieldErrors {
  const names = new Set(results.map((r) => r?.name ?? ''));
  return validateStepResultVariables(results, script).also(unknownVariables(script, 'results', names).viaField('script'));
}

/** A sidecar: Tekton reports these without an index (`spec.sidecars.image`). */
export function validateSidecar(sc: Sidecar, index: number): FieldErrors {
  const errs = new FieldErrors();
  if (sc.name === 'tekton-log-results') errs.add('Invalid: cannot use reserved sidecar name tekton-log-results ', 'name', [index, 'name']);
  if (!sc.image) errs.add(MISSING, 'image', [index, 'image']);
  if (sc.script && sc.command?.length) errs.add('script cannot be used with command', 'script', [index, 'script']);
  return errs;
}

/** A mount path Tekton reserves: under /tekton/, but for /tekton/home. */
function underTekton(path: string): boolean {
  return path.startsWith('/tekton/') && !path.startsWith('/tekton/home');
}
