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

export function stepFieldChecks(step: Step, c: FieldCheckers, variant: 'unknown' | 'lower' = 'lower'): FieldErrors {
  const plainCheck = (c.all ?? c.plain)!;
  const listedCheck = (c.all ?? c.commandArgs)!;
  const plain = (v: string | undefined) => (v?.includes('$(') ? plainCheck(v) : undefined);
  const listed = (v: string) => (v.includes('$(') ? listedCheck(v) : undefined);
  const errs = new FieldErrors();
  errs.also(plain(step.name)?.viaField('name'));
  errs.also(plain(step.image)?.viaField('image'));
  errs.also(plain(step.workingDir)?.viaField('workingDir'));
  errs.also(plain(step.script)?.viaField('script'));
  (step.command ?? []).forEach((v, i) => errs.also(listed(v)?.viaFieldIndex('command', i)));
  (step.args ?? []).forEach((v, i) => errs.also(listed(v)?.viaFieldIndex('args', i)));
  (step.env ?? []).forEach((e, i) => errs.also(plain(e?.value)?.viaFieldKey('env', e?.name ?? '', ['env', i, 'value'])));
  const [mp, sp] = variant === 'unknown' ? ['MountPath', 'SubPath'] : ['mountPath', 'subPath'];
  (step.volumeMounts ?? []).forEach((m, i) => {
    errs.also(plain(m?.name)?.viaField('name').viaFieldIndex('volumeMount', i, ['volumeMounts', i]));
    errs.also(plain(m?.mountPath)?.viaField(mp, ['mountPath']).viaFieldIndex('volumeMount', i, ['volumeMounts', i]));
    errs.also(plain(m?.subPath)?.viaField(sp, ['subPath']).viaFieldIndex('volumeMount', i, ['volumeMounts', i]));
  });
  if (variant === 'unknown') errs.also(plain(step.onError)?.viaField('onError'));
  return errs;
}
