// Placeholder until the `generate` command lands; replaced by its owner.
import { fail } from './exit.js';

export default async function generate(_argv: string[]): Promise<number> {
  return fail('"generate" is not available yet in this build');
}
