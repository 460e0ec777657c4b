// A failed clone leaves the checkout folder as it was before the run (when deleteExisting is
// false there may be user files in it): what the clone created is removed, and the files of an
// existing repository that the git sequence rewrites are put back.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckoutDir } from './checkout-dir.js';

/** Files of an existing `.git` that init/config/remote/fetch rewrite. New objects are harmless. */
const REWRITTEN = ['config', 'HEAD', 'FETCH_HEAD', 'shallow', 'info/sparse-checkout'];

export type Restore = () => void;

/** Records the state of the checkout folder; the returned function brings it back. */
export function snapshot(dir: CheckoutDir): Restore {
  if (dir.firstMissing) {
    const created = dir.firstMissing;
    return () => rmSync(created, { recursive: true, force: true });
  }
  const before = new Set(readdirSync(dir.path));
  const gitDir = join(dir.path, '.git');
  const saved = before.has('.git')
    ? REWRITTEN.map((name) => {
        const file = join(gitDir, name);
        return { file, content: existsSync(file) ? readFileSync(file) : undefined };
      })
    : [];
  return () => {
    for (const name of readdirSync(dir.path)) {
      if (!before.has(name)) rmSync(join(dir.path, name), { recursive: true, force: true });
    }
    for (const { file, content } of saved) {
      if (content === undefined) rmSync(file, { force: true });
      else writeFileSync(file, content);
    }
  };
}
