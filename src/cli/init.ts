// Placeholder until the `init` command lands; replaced by its owner.
import { fail } from './exit.js';

export default async function initCommand(_argv: string[]): Promise<number> {
  return fail('"init" is not available yet in this build');
}
