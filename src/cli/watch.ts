// Watching input files and folders for `tektite validate --watch`: a folder is watched with
// everything under it, a file through its folder (editors save by writing a new file and renaming
// it over the old one, which ends a watch on the file itself). Changes arriving together are
// reported once, after a short quiet spell.
import { existsSync, watch, statSync, type FSWatcher } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { CONFIG_FILES, EXTENSIONS, SKIP_DIRS, describeFsError, ignoredUnder } from '../tekton/files.js';

/** How often the watched folders are checked to still exist, in ms. */
const ALIVE_CHECK_MS = 250;

export interface Watch {
  /** Stops every watcher; no callback runs after. */
  close(): void;
}

export interface WatchOptions {
  /** Called with the changed paths (as the user would name them), once per burst of changes. */
  changed(paths: string[]): void;
  /** Called when a watch fails (a watched folder removed, the system's watch limit reached). */
  failed(message: string): void;
  /** Quiet time that ends a burst of changes, in ms. */
  settleMs?: number;
  /** Absolute paths under watched folders whose changes do not count (the config's `ignore`). */
  ignore?: readonly string[];
  /** Other files to watch (the config file), reported as changed like the inputs. */
  also?: readonly string[];
}

/**
 * Watches `paths` (files or folders; they must exist). Throws when one cannot be watched.
 */
export function watchInputs(paths: readonly string[], opts: WatchOptions): Watch {
  const watchers: FSWatcher[] = [];
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const settle = opts.settleMs ?? 80;
  const note = (p: string) => {
    if (closed) return;
    pending.add(p);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      const batch = [...pending].sort();
      pending = new Set();
      if (alive()) opts.changed(batch);
    }, settle);
  };
  // Node's watchers end without a word when their folder is removed (and the process would then
  // exit, its event loop empty): a ticking check notices, and keeps the process alive meanwhile.
  const roots: string[] = [];
  const alive = (): boolean => {
    const gone = roots.find((r) => !existsSync(r));
    if (gone === undefined || closed) return !closed;
    close();
    opts.failed(`${gone} was removed`);
    return false;
  };
  const ticking = setInterval(alive, ALIVE_CHECK_MS);
  const close = () => {
    closed = true;
    if (timer) clearTimeout(timer);
    clearInterval(ticking);
    for (const w of watchers) w.close();
  };
  const onError = (what: string) => (e: Error) => {
    if (closed) return;
    close();
    opts.failed(`cannot watch ${what} any more: ${describe(e)}`);
  };
  // One watcher per folder, files of one folder sharing it.
  const files = new Map<string, Map<string, string>>(); // folder -> base name -> path as given
  try {
    for (const p of [...paths, ...(opts.also ?? [])]) {
      if (statSync(p).isDirectory()) {
        const ignored = ignoredUnder(p, opts.ignore ?? []);
        const w = watch(p, { recursive: true, persistent: true }, (_event, name) => {
          if (name === null) return note(p);
          const rel = name.toString();
          if (isInput(rel) && !ignored?.(join(p, rel))) note(join(p, rel));
        });
        w.on('error', onError(p));
        watchers.push(w);
        roots.push(p);
      } else {
        const dir = resolve(dirname(p));
        let names = files.get(dir);
        if (!names) files.set(dir, (names = new Map()));
        names.set(basename(p), p);
      }
    }
    for (const [dir, names] of files) {
      const w = watch(dir, { persistent: true }, (_event, name) => {
        const given = name === null ? undefined : names.get(name.toString());
        if (given !== undefined) note(given);
      });
      w.on('error', onError(dir + sep));
      watchers.push(w);
      roots.push(dir);
    }
  } catch (e) {
    close();
    throw new Error(`cannot watch ${describe(e as Error)}`);
  }
  return { close };
}

function describe(e: Error): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EMFILE') {
    return `${e.message} (the system's limit on watched folders: raise fs.inotify.max_user_watches, or watch fewer folders)`;
  }
  return describeFsError(e);
}

/** Whether a change at a path under a watched folder may change what its walk reads (src/tekton/files.ts expandPaths). */
function isInput(rel: string): boolean {
  const parts = rel.split(/[\\/]/);
  const name = parts[parts.length - 1]!;
  if (parts.some((d, i) => SKIP_DIRS.has(d) && (i < parts.length - 1 || !name.includes('.')))) return false;
  // a name without extension may be a folder moved in or out (its files' events do not come)
  return (EXTENSIONS.test(name) && !CONFIG_FILES.includes(name)) || !name.includes('.');
}
