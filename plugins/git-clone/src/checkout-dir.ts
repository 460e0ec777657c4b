// Where the clone goes: `<output workspace>/<subdirectory>`, which must stay inside the output
// workspace whatever `subdirectory` says, and the catalog's `deleteExisting` (empty the folder,
// keep the folder itself: it may be a mount root).
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export class PathEscapeError extends Error {
  constructor(subdirectory: string, why: string) {
    super(`subdirectory ${JSON.stringify(subdirectory)} is rejected: ${why}; it must be a relative path inside the output workspace`);
    this.name = 'PathEscapeError';
  }
}

export interface CheckoutDir {
  /** The output workspace folder. */
  root: string;
  /** The folder the repository is cloned into. */
  path: string;
  /** The first folder on the way from `root` to `path` that does not exist yet (it and below get created). */
  firstMissing: string | undefined;
}

/**
 * Resolves `subdirectory` under `root` without touching anything. Rejects absolute paths, `..`
 * segments, NUL bytes, and any existing symlink or non-folder on the way (a symlink could point
 * anywhere, and `deleteExisting` would then empty that place).
 */
export function resolveCheckoutDir(root: string, subdirectory: string): CheckoutDir {
  if (subdirectory.includes('\0')) throw new PathEscapeError(subdirectory, 'it contains a NUL byte');
  if (subdirectory.startsWith('/')) throw new PathEscapeError(subdirectory, 'it is an absolute path');
  const segments = subdirectory.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw new PathEscapeError(subdirectory, 'it contains a ".." segment');
  let path = root;
  let firstMissing = lstatOrUndefined(root) ? undefined : root;
  for (const segment of segments) {
    path = join(path, segment);
    if (firstMissing) continue;
    const stat = lstatOrUndefined(path);
    if (!stat) firstMissing = path;
    else if (stat.isSymbolicLink()) throw new PathEscapeError(subdirectory, `${path} is a symbolic link`);
    else if (!stat.isDirectory()) throw new PathEscapeError(subdirectory, `${path} exists and is not a folder`);
  }
  return { root, path, firstMissing };
}

/**
 * Removes everything inside `dir` (dotfiles included) but not `dir` itself. Symlinks are removed,
 * never followed. Like the catalog's `cleandir || true`, failures do not stop the clone: they are
 * returned for the caller to report.
 */
export function emptyDir(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? [] : [`cannot list ${dir}: ${(e as Error).message}`];
  }
  const problems: string[] = [];
  for (const name of names) {
    try {
      rmSync(join(dir, name), { recursive: true, force: true });
    } catch (e) {
      problems.push(`cannot remove ${join(dir, name)}: ${(e as Error).message}`);
    }
  }
  return problems;
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
