// Reading files, folders and stdin into loaded documents. The only file I/O under src/tekton.
import { readFileSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { loadText, type LoadResult } from './load.js';

/** The files a folder's walk takes. */
export const EXTENSIONS = /\.(ya?ml|json)$/i;
/** The folders a folder's walk does not enter. */
export const SKIP_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', '.tektite', 'dist']);
/** tektite's own settings (src/cli/config.ts): never input, so folder walks pass them over. */
export const CONFIG_FILES: readonly string[] = ['.tektiterc.yaml', '.tektiterc.yml', '.tektiterc.json'];

/**
 * Expands folders (recursively) into their .yaml/.yml/.json files, sorted; files stay as given.
 * In folders only regular files are taken (a named pipe would block the read), links to nothing
 * or to themselves are passed over, and a folder reached again through a symbolic link is walked
 * once (a link to a parent is not a loop). Paths known to be regular files (found in folders, or
 * given and found so) are added to `regular`: they can be read again (see readableAgain).
 * Folder walks pass over tektite's config files and the absolute paths in `ignore` (and what is
 * under them), but for an ignored path that holds a folder named in `paths`.
 */
export function expandPaths(paths: readonly string[], regular?: Set<string>, ignore: readonly string[] = []): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  let skip: ((p: string) => boolean) | undefined; // the ignored paths that apply in this walk
  const walk = (dir: string) => {
    const real = realpathSync.native(dir);
    if (seen.has(real)) return;
    seen.add(real);
    // the entries' types come with the listing: only symbolic links need a stat of their own
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (skip?.(p)) continue;
      const st = e.isSymbolicLink() ? linkTarget(p) : e;
      if (st?.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(p);
      } else if (st?.isFile() && EXTENSIONS.test(e.name) && !CONFIG_FILES.includes(e.name)) {
        out.push(p);
        regular?.add(p);
      }
    }
  };
  let files = 0; // files named on their own
  for (const p of paths) {
    const st = p === '-' ? undefined : statSync(p);
    if (st?.isDirectory()) {
      skip = ignoredUnder(p, ignore);
      walk(p);
    } else {
      out.push(p);
      files++;
      if (st?.isFile()) regular?.add(p);
    }
  }
  // a file named twice (`a.yaml ./a.yaml`, or named and in a folder given too) is read once;
  // folders alone cannot give one twice (each is walked once)
  if (files === 0 || paths.length === 1) return out;
  const once = new Set<string>();
  return out.filter((p) => {
    if (p === '-') return true;
    const r = resolve(p);
    return once.has(r) ? false : (once.add(r), true);
  });
}

/**
 * Which paths a walk of folder `top` passes over: those in `ignore` (absolute) or under one,
 * but for an ignored path holding `top` itself (a folder named on the command line is walked
 * even if ignored). Undefined when none apply.
 */
export function ignoredUnder(top: string, ignore: readonly string[]): ((p: string) => boolean) | undefined {
  if (ignore.length === 0) return undefined;
  const abs = resolve(top);
  const apply = ignore.filter((i) => !within(abs, i));
  return apply.length ? (q) => apply.some((i) => within(resolve(q), i)) : undefined;
}

/** Whether absolute path `p` is `root` or under it. */
function within(p: string, root: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** What `p` is (links followed), or undefined for a link to nothing or to itself. */
function linkTarget(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP') return undefined;
    throw e;
  }
}

export class InputError extends Error {
  override name = 'InputError';
}

/** Whether `e` is an InputError, also one thrown by another bundle's copy of this module (dist/cli/fix.cjs). */
export function isInputError(e: unknown): e is InputError {
  return e instanceof Error && e.name === 'InputError';
}

/**
 * Loads every document of the given files/folders (`-` = stdin), with how many files were read.
 * Unreadable paths throw InputError (callers exit 2); YAML syntax errors come back as diagnostics.
 */
export function loadPaths(paths: readonly string[]): LoadResult & { files: number } {
  const all: LoadResult = { docs: [], tekton: [], diagnostics: [] };
  const files = expandInput(paths);
  for (const f of files) {
    const r = loadText(readInput(f), f === '-' ? '<stdin>' : f);
    all.docs.push(...r.docs);
    all.tekton.push(...r.tekton);
    all.diagnostics.push(...r.diagnostics);
  }
  return { ...all, files: files.length };
}

/** expandPaths, with an unreadable path as InputError. */
export function expandInput(paths: readonly string[], regular?: Set<string>, ignore?: readonly string[]): string[] {
  try {
    return expandPaths(paths, regular, ignore);
  } catch (e) {
    throw new InputError(`cannot read ${describeFsError(e)}`);
  }
}

/** Whether input `f` gives the same text when read again: a regular file, not stdin, a pipe or `<(cmd)`. */
export function readableAgain(f: string): boolean {
  if (f === '-') return false;
  try {
    return statSync(f).isFile();
  } catch {
    return false;
  }
}

/** The text of one input file (`-` = stdin); an unreadable file is an InputError. */
export function readInput(f: string): string {
  try {
    return f === '-' ? readFileSync(0, 'utf8') : readFileSync(f, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${describeFsError(e, f === '-' ? '<stdin>' : f)}`);
  }
}

/** A file system error as `path: reason` where the reason is a common one (`path`: when the error names none, as reading a folder's does). */
export function describeFsError(e: unknown, path?: string): string {
  const err = e as NodeJS.ErrnoException;
  const where = err.path ?? path;
  if (where === undefined) return err.message;
  if (err.code === 'ENOENT') return `${where}: no such file or directory`;
  if (err.code === 'EACCES') return `${where}: permission denied`;
  if (err.code === 'EISDIR') return `${where}: is a directory`;
  return err.message;
}
