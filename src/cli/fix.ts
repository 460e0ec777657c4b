// `tektite validate --fix`: the file side of fixing script references (the rewriting itself is
// src/tekton/lint/fix-script-references.ts): which files, how they are written, what is said.
import { chownSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { InputError, expandInput, isInputError, readInput } from '../tekton/files.js';
import { fixScriptReferences } from '../tekton/lint/fix-script-references.js';
import type { ValidateOptions } from '../tekton/validate/index.js';
import { fewOf, print } from './print.js';

/**
 * Rewrites each input file's script-reference findings (src/tekton/lint/fix-script-references.ts)
 * in place (see writeAtomically). Says what it did on stderr; returns how many references it
 * replaced, and in which files. A file it cannot write is said and passed over.
 */
export function fixFiles(paths: readonly string[], opts: ValidateOptions, ignore: readonly string[] | undefined): { fixed: number; files: string[] } {
  let fixed = 0;
  let left = 0;
  let unwritten = 0;
  const changed: string[] = [];
  for (const f of expandInput(paths, undefined, ignore)) {
    const text = readInput(f);
    if (!text.includes('$(')) continue;
    const r = fixScriptReferences(text, f, opts);
    left += r.left;
    if (!r.fixed) continue;
    try {
      writeAtomically(f, r.text);
    } catch (e) {
      if (!isInputError(e)) throw e;
      print(2, `tektite: validate: --fix: ${e.message}: its findings are left\n`);
      unwritten += r.done;
      continue;
    }
    fixed += r.fixed;
    changed.push(f);
  }
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (fixed || left || unwritten) {
    const done = fixed ? `fixed ${plural(fixed, 'script reference')} in ${fewOf(changed)} (env entries added; the scripts read "\${NAME}")` : 'fixed no script reference';
    const rest = [
      ...(left ? [`${left} left as they were (not a shell script, a value the shell would read differently through env, or a place the fix does not follow)`] : []),
      ...(unwritten ? [`${unwritten} in files it could not write`] : []),
    ];
    print(2, `${done}${rest.length ? `; ${rest.join('; ')}: see below` : ''}\n`);
  }
  return { fixed, files: changed };
}

/**
 * Replaces a file's text: through a new file renamed over it (with the old one's mode and, when
 * root, owner), so a reader never sees half a file and an interrupted fix leaves the old one; or
 * in place for a file with other hard links (a rename would split them). A file without write
 * permission for its owner is not changed.
 */
function writeAtomically(file: string, text: string): void {
  let written: string | undefined; // a new file of ours not yet renamed into place
  try {
    const real = realpathSync(file); // through a symbolic link: the file it names
    const st = statSync(real);
    if ((st.mode & 0o200) === 0) throw new Error('it is read-only');
    if (st.nlink > 1) {
      writeFileSync(real, text);
      return;
    }
    const tmp = `${real}.tektite-fix-${process.pid}`;
    writeFileSync(tmp, text, { mode: st.mode & 0o7777, flag: 'wx' });
    written = tmp;
    if (process.getuid?.() === 0) chownSync(tmp, st.uid, st.gid);
    renameSync(tmp, real);
    written = undefined;
  } catch (e) {
    throw new InputError(`cannot write ${file}: ${(e as Error).message}`);
  } finally {
    if (written !== undefined) rmSync(written, { force: true });
  }
}
