// The step fields Tekton runs its variable checks over, with the path each one is reported at.
// Two variants exist in Tekton: the unknown-variable check also covers `onError` and spells the
// volume mount fields `MountPath` / `SubPath`; the array/object checks spell them lower-case.
import type { Step } from '../types.js';
import { FieldErrors } from './field-error.js';

type Check = (value: string) => FieldErrors;

/** Each checker looks at `$(…)` references: a value without `$(` is never passed to it. */
export interface FieldCheckers {
  /** Applied to every field (when set). */
  all?: Check;
  /** Fields other than command/args. */
  plain?: Check;
  /** command[i] and args[i]. */
  commandArgs?: Check;
}

/** A step field holding `$(`, and how to put the path of its findings in front of them. */
interface RefField {
  value: string;
  /** command[i] or args[i]. */
  listed: boolean;
  place: (e: FieldErrors) => FieldErrors;
}

/** The fields of each step that hold `$(`, per variant: found once, though several checks look at them. */
const fieldsOf = new WeakMap<Step, Partial<Record<'unknown' | 'lower', RefField[]>>>();

function refFields(step: Step, variant: 'unknown' | 'lower'): RefField[] {
  let byVariant = fieldsOf.get(step);
  if (!byVariant) fieldsOf.set(step, (byVariant = {}));
  let out = byVariant[variant];
  if (out) return out;
  out = [];
  const add = (v: string | undefined, place: RefField['place'], listed = false) => {
    if (typeof v === 'string' && v.includes('$(')) out!.push({ value: v, listed, place });
  };
  add(step.name, (e) => e.viaField('name'));
  add(step.image, (e) => e.viaField('image'));
  add(step.workingDir, (e) => e.viaField('workingDir'));
  add(step.script, (e) => e.viaField('script'));
  (step.command ?? []).forEach((v, i) => add(v, (e) => e.viaFieldIndex('command', i), true));
  (step.args ?? []).forEach((v, i) => add(v, (e) => e.viaFieldIndex('args', i), true));
  (step.env ?? []).forEach((e, i) => add(e?.value, (x) => x.viaFieldKey('env', e?.name ?? '', ['env', i, 'value'])));
  const [mp, sp]: [string, string] = variant === 'unknown' ? ['MountPath', 'SubPath'] : ['mountPath', 'subPath'];
  (step.volumeMounts ?? []).forEach((m, i) => {
    add(m?.name, (e) => e.viaField('name').viaFieldIndex('volumeMount', i, ['volumeMounts', i]));
    add(m?.mountPath, (e) => e.viaField(mp, ['mountPath']).viaFieldIndex('volumeMount', i, ['volumeMounts', i]));
    add(m?.subPath, (e) => e.viaField(sp, ['subPath']).viaFieldIndex('volumeMount', i, ['volumeMounts', i]));
  });
  if (variant === 'unknown') add(step.onError, (e) => e.viaField('onError'));
  byVariant[variant] = out;
  return out;
}

export function stepFieldChecks(step: Step, c: FieldCheckers, variant: 'unknown' | 'lower' = 'lower'): FieldErrors {
  const plainCheck = (c.all ?? c.plain)!;
  const listedCheck = (c.all ?? c.commandArgs)!;
  const errs = new FieldErrors();
  for (const f of refFields(step, variant)) errs.also(f.place((f.listed ? listedCheck : plainCheck)(f.value)));
  return errs;
}
