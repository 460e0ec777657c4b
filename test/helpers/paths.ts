// Where tests find the repository and the shared corpus (../shared from the project root).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from dist/test/..., so walk up to package.json). */
export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
export const sharedDir = resolve(repoRoot, '../shared');
export const corpusDir = join(sharedDir, 'corpus');
export const tektiteBin = join(repoRoot, 'bin', 'tektite.js');

/** Fails loudly (instead of skipping) when the shared corpus is not beside the repository. */
export function requireCorpus(): string {
  if (!existsSync(corpusDir)) throw new Error(`shared corpus not found at ${corpusDir}: clone the project beside ../shared`);
  return corpusDir;
}
