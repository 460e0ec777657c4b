// Placeholder until the `validate` command lands; replaced by its owner.
import { fail } from './exit.js';

export default async function validate(_argv: string[]): Promise<number> {
  return fail('"validate" is not available yet in this build');
}
