// Placeholder until the `dockerfile` command lands; replaced by its owner.
import { fail } from './exit.js';

export default async function dockerfile(_argv: string[]): Promise<number> {
  return fail('"dockerfile" is not available yet in this build');
}
