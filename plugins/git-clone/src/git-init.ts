// The git sequence of the catalog's git-init (v1.1.0) with the later upstream improvements:
// no stale fetch refspec on shallow clones, submodule paths, --force on submodule update,
// retries with backoff. One git command per step, in git-init's order.
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { GitError, RevisionError } from './git-error.js';
import type { Git } from './git.js';
import { withRetry, type RetryPolicy } from './retry.js';
import { redactCredentials } from './redact.js';
import { isSshUrl } from './ssh.js';

export interface FetchSpec {
  url: string;
  revision: string;
  refspec: string;
  /** The folder to clone into (created when missing). */
  path: string;
  sslVerify: boolean;
  submodules: boolean;
  /** 0 = full history. */
  depth: number;
  /** Comma-separated sparse-checkout patterns (non-cone mode), appended as git-init does. */
  sparseCheckoutDirectories: string;
  submodulePaths: string[];
  retry: RetryPolicy;
  /** core.sshCommand to set, if any (only where the url may use ssh). */
  sshCommand: string | undefined;
  /** The caller already added `path` to the global safe.directory list. */
  safeDirectoryAdded: boolean;
  /** Folders where ssh credentials may be (the home's .ssh, Tekton's /tekton/creds/.ssh). */
  sshCredentialDirs: string[];
}

export interface Checkout {
  commit: string;
  /** Committer date of the checked-out commit, Unix seconds. */
  committerDate: string;
  refs: string;
}

export async function fetchRepo(spec: FetchSpec, git: Git, log: (line: string) => void): Promise<Checkout> {
  const url = spec.url.trim();
  if (isSshUrl(url) && !spec.sshCredentialDirs.some((d) => existsSync(d))) {
    log(`warning: ${url} looks like an ssh url but there are no ssh credentials (${spec.sshCredentialDirs.join(', ')})`);
  }

  // git-init's sequence, minus the git processes whose effect is already known (each one costs a
  // fork of this process): on a fresh repository there is no origin to look up, a remote without
  // a fetch refspec is just remote.origin.url, and a checkout without .gitmodules has no submodules.
  const fresh = !existsSync(join(spec.path, '.git'));
  // Quiet git's advice (default branch name, detached HEAD): the folder ends up detached anyway.
  await git(['-c', 'init.defaultBranch=main', 'init', spec.path]);
  const inRepo = { cwd: spec.path };
  if (!spec.safeDirectoryAdded) await git(['config', '--global', '--add', 'safe.directory', spec.path], inRepo);

  if (spec.sparseCheckoutDirectories !== '') {
    await git(['config', 'core.sparsecheckout', 'true'], inRepo);
    const info = join(spec.path, '.git', 'info');
    mkdirSync(info, { recursive: true });
    const patterns = spec.sparseCheckoutDirectories.split(',').map((p) => `${p}\n`).join('');
    appendFileSync(join(info, 'sparse-checkout'), patterns);
  }

  if (fresh && spec.depth > 0) {
    // What `remote add` followed by `config --unset remote.origin.fetch` leaves.
    await git(['config', 'remote.origin.url', url], inRepo);
  } else {
    const current = fresh ? undefined : await git(['remote', 'get-url', 'origin'], { ...inRepo, allowFailure: true, silent: true });
    if (!current || current.code !== 0) await git(['remote', 'add', 'origin', url], inRepo);
    else if (current.stdout.trim() !== url) await git(['remote', 'set-url', 'origin', url], inRepo);
    if (spec.depth > 0) {
      // Exit 5 = "not set" (a re-used repository where an earlier run unset it already).
      const args = ['config', '--unset', 'remote.origin.fetch'];
      const unset = await git(args, { ...inRepo, allowFailure: true });
      if (unset.code !== 0 && unset.code !== 5) throw new GitError(args, unset.code, unset.stderr);
    }
  }

  if (spec.sshCommand && mayUseSsh(url)) await git(['config', 'core.sshCommand', spec.sshCommand], inRepo);
  await git(['config', 'http.sslVerify', String(spec.sslVerify)], inRepo);

  const depthArgs = spec.depth > 0 ? [`--depth=${spec.depth}`] : [];
  const targets = spec.refspec !== '' ? spec.refspec.split(' ') : [spec.revision];
  const fetchArgs = ['fetch', ...(spec.submodules ? ['--recurse-submodules=yes'] : []), ...depthArgs, 'origin', '--update-head-ok', '--force', ...targets];
  await withRetry(spec.retry, () => git(fetchArgs, inRepo), retryLog(log, 'fetch'));

  const checkoutTarget = spec.refspec !== '' ? spec.revision : 'FETCH_HEAD';
  // `^{commit}`: an annotated tag is shown as the tag first; the commit is what gets checked out.
  const verified = await git(['show', '-q', '--pretty=format:%H%n%ct%n%D', `${checkoutTarget}^{commit}`], { ...inRepo, allowFailure: true, silent: true });
  if (verified.code !== 0) throw new RevisionError(checkoutTarget, spec.refspec, verified.stderr);
  const [commit = '', committerDate = '', refs = ''] = verified.stdout.split('\n');

  await git(['-c', 'advice.detachedHead=false', 'checkout', '-f', checkoutTarget], inRepo);
  log(`Successfully cloned ${redactCredentials(url)} @ ${commit}${refs ? ` (${refs})` : ''} in path ${spec.path}`);

  // A sparse checkout may leave .gitmodules out of the folder while git still reads it from HEAD.
  const hasSubmodules = spec.sparseCheckoutDirectories !== '' || existsSync(join(spec.path, '.gitmodules'));
  if (spec.submodules && hasSubmodules) {
    const args = ['submodule', 'update', '--recursive', '--init', '--force', ...depthArgs, ...(spec.submodulePaths.length ? ['--', ...spec.submodulePaths] : [])];
    await withRetry(spec.retry, () => git(args, inRepo), retryLog(log, 'submodule update'));
    log('Successfully initialized and updated submodules');
  }
  return { commit, committerDate, refs };
}

/** Everything but the transports that never run ssh (http, https, git, file, local paths). */
function mayUseSsh(url: string): boolean {
  return !/^(https?|git|file):\/\//i.test(url) && !url.startsWith('/') && !url.startsWith('.');
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)!.trim();
}

function retryLog(log: (line: string) => void, what: string) {
  return (error: unknown, waitMs: number, attemptNo: number) =>
    log(`${what} failed (${redactCredentials(lastLine((error as Error).message))}); attempt ${attemptNo} in ${Math.round(waitMs)} ms`);
}
