// Placeholder until the `run` command lands; replaced by its owner.
import { fail } from './exit.js';

export default async function run(_argv: string[]): Promise<number> {
  return fail('"run" is not available yet in this build');
}
