// Watching input files and folders for `tektite validate --watch`: a folder is watched with
// every folder under it that a walk enters, a file through its folder (editors save by writing
// a new file and renaming it over the old one, which ends a watch on the file itself). Changes
// arriving together are reported once, after a short quiet spell.
import { lstatSync, readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { CONFIG_FILES, EXTENSIONS, SKIP_DIRS, describeFsError, ignoredUnder } from '../tekton/files.js';

/** How often the watched folders are checked to still be the ones watched, in ms. */
const ALIVE_CHECK_MS = 250;

export interface Watch {
  /** Watches these other files instead of the ones given before (`also`). */
  setAlso(files: readonly string[]): void;
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
 * A folder's identity: the same path may later hold another folder (removed and made again).
 * The inode number alone is often reused at once; its birth time (where the file system keeps
 * one) is not.
 */
const identity = (p: string): string | undefined => {
  try {
    const st = statSync(p);
    return st.isDirectory() ? `${st.dev}:${st.ino}:${st.birthtimeMs}` : undefined;
  } catch {
    return undefined;
  }
};

/** Whether a path is one a folder's walk reads: a regular file (links followed) named .yaml, .yml, .json. */
const inputFile = (p: string): boolean => {
  if (!EXTENSIONS.test(p) || CONFIG_FILES.includes(basename(p))) return false;
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/**
 * Watches `paths` (files or folders; they must exist). Throws when one cannot be watched.
 * A folder gets one watcher per folder under it (node 20's `recursive` watch on Linux follows
 * files, and loses one that a save replaces): a folder's watcher sees its entries created,
 * written, renamed and removed, whichever way an editor saves.
 */
export function watchInputs(paths: readonly string[], opts: WatchOptions): Watch {
  /** Watched folders (as the user would name them): the watcher, and whether it was given. */
  const folders = new Map<string, { w: FSWatcher; top: boolean }>();
  /** Files of watched folders that were input when last seen: their removal is a change. */
  const known = new Set<string>();
  /** Folders of files given on their own (and of `also` files), each watched once. */
  const fileWatchers: FSWatcher[] = [];
  let alsoWatchers: FSWatcher[] = [];
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
      // one name per file (`t ./t/a.yaml` names it twice)
      const seen = new Set<string>();
      const batch = [...pending].sort().filter((q) => (seen.has(resolve(q)) ? false : (seen.add(resolve(q)), true)));
      pending = new Set();
      if (alive()) opts.changed(batch);
    }, settle);
  };
  const fail = (message: string) => {
    if (closed) return;
    close();
    opts.failed(message);
  };
  // Node's watchers end without a word when their folder is removed (and the process would then
  // exit, its event loop empty): a ticking check notices (also a folder removed and made again,
  // which no watcher reports), and keeps the process alive meanwhile.
  const roots: { path: string; id: string | undefined }[] = [];
  const alive = (): boolean => {
    if (closed) return false;
    const gone = roots.find((r) => identity(r.path) !== r.id);
    if (gone === undefined) return true;
    fail(`${gone.path} was removed${identity(gone.path) !== undefined ? ' (and made again: start again to watch the new one)' : ''}`);
    return false;
  };
  const ticking = setInterval(alive, ALIVE_CHECK_MS);
  const close = () => {
    closed = true;
    if (timer) clearTimeout(timer);
    clearInterval(ticking);
    for (const w of [...fileWatchers, ...alsoWatchers]) w.close();
    for (const f of folders.values()) f.w.close();
  };

  /** Watches folder `dir` and the folders under it that the walk enters; false if it is gone already. */
  const watchTree = (dir: string, ignored: ((p: string) => boolean) | undefined, top: boolean): boolean => {
    let w: FSWatcher;
    let entries;
    try {
      w = watch(dir, { persistent: true }, (event, name) => changedIn(dir, event, name === null ? undefined : name.toString(), ignored));
    } catch (e) {
      return gone(e as NodeJS.ErrnoException, dir, top);
    }
    w.on('error', (e) => (top ? fail(`cannot watch ${dir} any more: ${describe(e)}`) : forget(dir)));
    folders.set(dir, { w, top });
    if (top) roots.push({ path: dir, id: identity(dir) });
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      return gone(e as NodeJS.ErrnoException, dir, top);
    }
    for (const e of entries) {
      const sub = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !ignored?.(sub) && !folders.has(sub)) watchTree(sub, ignored, false);
      } else if (!ignored?.(sub) && inputFile(sub)) known.add(sub);
    }
    return true;
  };
  /** A folder gone before it could be watched is forgotten; any other failure ends the watch. */
  const gone = (e: NodeJS.ErrnoException, dir: string, top: boolean): boolean => {
    if ((e.code === 'ENOENT' || e.code === 'ENOTDIR') && !top) {
      forget(dir);
      return false;
    }
    if (top) throw e;
    fail(`cannot watch ${describe(e)}`);
    return false;
  };
  /** Something named `name` changed in watched folder `dir`. */
  const changedIn = (dir: string, event: string, name: string | undefined, ignored: ((p: string) => boolean) | undefined) => {
    if (closed) return;
    if (name === undefined) return note(dir);
    const entry = join(dir, name);
    if (folders.has(entry)) {
      // a folder under watch made, removed or moved ('rename'; 'change' is its attributes): what
      // is there now is watched afresh (another folder of the same name may have taken its place)
      if (event !== 'rename') return;
      forget(entry);
      if (identity(entry) !== undefined) watchTree(entry, ignored, false);
      return note(entry);
    }
    let st;
    try {
      st = lstatSync(entry);
    } catch {
      st = undefined;
    }
    if (st?.isDirectory()) {
      if (SKIP_DIRS.has(name) || ignored?.(entry)) return;
      if (watchTree(entry, ignored, false)) note(entry); // a folder made or moved in
      return;
    }
    if (ignored?.(entry)) return;
    if (inputFile(entry)) {
      known.add(entry);
      note(entry);
    } else if (known.delete(entry)) {
      note(entry); // an input file removed (or no longer a file)
    }
  };
  /** Stops watching folder `dir` and those under it. */
  const forget = (dir: string) => {
    for (const [f, { w, top }] of folders) {
      if (!top && (f === dir || f.startsWith(dir + sep))) {
        w.close();
        folders.delete(f);
      }
    }
    for (const k of known) if (k.startsWith(dir + sep)) known.delete(k);
  };
  /** Watches single files through their folders (each folder once); the watchers made. */
  const watchFiles = (list: readonly string[], into: FSWatcher[]) => {
    const byFolder = new Map<string, Map<string, string>>(); // folder -> base name -> path as given
    for (const p of list) {
      const dir = resolve(dirname(p));
      let names = byFolder.get(dir);
      if (!names) byFolder.set(dir, (names = new Map()));
      names.set(basename(p), p);
    }
    for (const [dir, names] of byFolder) {
      const w = watch(dir, { persistent: true }, (_event, name) => {
        const given = name === null ? undefined : names.get(name.toString());
        if (given !== undefined) note(given);
      });
      w.on('error', (e) => fail(`cannot watch ${dir}${sep} any more: ${describe(e)}`));
      into.push(w);
      if (!roots.some((r) => r.path === dir)) roots.push({ path: dir, id: identity(dir) });
    }
  };

  try {
    const single: string[] = [];
    for (const p of paths) {
      if (statSync(p).isDirectory()) watchTree(p, ignoredUnder(p, opts.ignore ?? []), true);
      else single.push(p);
    }
    watchFiles(single, fileWatchers);
    watchFiles(opts.also ?? [], alsoWatchers);
  } catch (e) {
    close();
    throw new Error(`cannot watch ${describe(e as Error)}`);
  }
  return {
    close,
    setAlso(list) {
      if (closed) return;
      for (const w of alsoWatchers) w.close();
      alsoWatchers = [];
      try {
        watchFiles(list, alsoWatchers);
      } catch (e) {
        fail(`cannot watch ${describe(e as Error)}`);
      }
    },
  };
}

function describe(e: Error): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EMFILE') {
    return `${e.message} (the system's limit on watched folders: raise fs.inotify.max_user_watches, or watch fewer folders)`;
  }
  return describeFsError(e);
}
