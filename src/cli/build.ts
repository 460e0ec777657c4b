// Placeholder until the `build` command lands; replaced by its owner.
import { fail } from './exit.js';

export default async function build(_argv: string[]): Promise<number> {
  return fail('"build" is not available yet in this build');
}
