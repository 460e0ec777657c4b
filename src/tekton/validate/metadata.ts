// validate.ObjectMetadata: the resource name Tekton's webhook accepts (§1.1).
import type { PathSegment } from '../load.js';
import { FieldErrors, goQuote } from './field-error.js';
import { isDNS1123Subdomain } from './names.js';
import type { Obj } from '../plain-object.js';

export function validateMetadata(meta: unknown): FieldErrors {
  const errs = new FieldErrors();
  const m = (meta !== null && typeof meta === 'object' ? meta : {}) as Obj;
  const name = typeof m.name === 'string' ? m.name : '';
  const generateName = typeof m.generateName === 'string' ? m.generateName : '';
  if (name === '' && generateName !== '') {
    // The API server appends 5 random characters (after cutting the prefix to 58) before Tekton sees it.
    if (!isDNS1123Subdomain(`${generateName.slice(0, 58)}x1234`)) {
      errs.add(`invalid resource name ${goQuote(generateName)}: must be a valid DNS label`, 'generateName', ['generateName'] as PathSegment[]);
    }
    return errs.viaField('metadata');
  }
  if (!isDNS1123Subdomain(name)) errs.add(`invalid resource name ${goQuote(name)}: must be a valid DNS label`, 'name');
  else if (name.length > 63) errs.add('Invalid resource name: length must be no more than 63 characters', 'name');
  return errs.viaField('metadata');
}
