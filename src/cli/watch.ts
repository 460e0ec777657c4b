// Watching input files and folders for `tektite validate --watch`: a folder is watched with
// every folder under it that a walk enters, a file through its folder (editors save by writing a new file and renaming
// it over the old one, which ends a watch on the file itself). Changes arriving together are
// reported once, after a short quiet spell.
import { existsSync, lstatSync, readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
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
 * A folder gets one watcher per folder under it (node 20's `recursive` watch on Linux follows
 * files, and loses one that a save replaces): a folder's watcher sees its entries created,
 * written, renamed and removed, whichever way an editor saves.
 */
export function watchInputs(paths: readonly string[], opts: WatchOptions): Watch {
  const watchers: FSWatcher[] = [];
  const folders = new Map<string, FSWatcher>(); // folders under watched folders (as the user would name them) -> watcher
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
    for (const w of folders.values()) w.close();
  };
  const onError = (what: string) => (e: Error) => {
    if (closed) return;
    close();
    opts.failed(`cannot watch ${what} any more: ${describe(e)}`);
  };

  /** Watches folder `dir` and the folders under it that the walk enters. */
  const watchTree = (dir: string, ignored: ((p: string) => boolean) | undefined, top: boolean) => {
    const w = watch(dir, { persistent: true }, (_event, name) => {
      if (name === null) return note(dir);
      const entry = join(dir, name.toString());
      if (folders.has(entry)) {
        // a folder under watch: removed or moved away?
        if (!existsSync(entry)) {
          forget(entry);
          note(entry);
        }
        return;
      }
      let st;
      try {
        st = lstatSync(entry);
      } catch {
        st = undefined; // gone: a removed file is a change only if it was input
      }
      if (st?.isDirectory()) {
        if (SKIP_DIRS.has(name.toString()) || ignored?.(entry)) return;
        watchTree(entry, ignored, false); // a folder made or moved in
        note(entry);
      } else if (EXTENSIONS.test(entry) && !CONFIG_FILES.includes(basename(entry)) && !ignored?.(entry)) {
        note(entry);
      }
    });
    if (top) {
      w.on('error', onError(dir));
      watchers.push(w);
      roots.push(dir);
    } else {
      w.on('error', () => forget(dir)); // a folder under a watched one removed: its parent says so
      folders.set(dir, w);
    }
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const sub = join(dir, e.name);
      if (e.isDirectory() && !SKIP_DIRS.has(e.name) && !ignored?.(sub) && !folders.has(sub)) watchTree(sub, ignored, false);
    }
  };
  /** Stops watching folder `dir` and those under it. */
  const forget = (dir: string) => {
    for (const [f, w] of folders) {
      if (f === dir || f.startsWith(dir + sep)) {
        w.close();
        folders.delete(f);
      }
    }
  };

  // One watcher per folder, files of one folder sharing it.
  const files = new Map<string, Map<string, string>>(); // folder -> base name -> path as given
  try {
    for (const p of [...paths, ...(opts.also ?? [])]) {
      if (statSync(p).isDirectory()) {
        watchTree(p, ignoredUnder(p, opts.ignore ?? []), true);
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
