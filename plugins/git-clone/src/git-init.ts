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
  /** core.sshCommand to set, if any. */
  sshCommand: string | undefined;
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

  // Quiet git's advice (default branch name, detached HEAD): the folder ends up detached anyway.
  await git(['-c', 'init.defaultBranch=main', 'init', spec.path]);
  const inRepo = { cwd: spec.path };
  await git(['config', '--global', '--add', 'safe.directory', spec.path], inRepo);

  if (spec.sparseCheckoutDirectories !== '') {
    await git(['config', 'core.sparsecheckout', 'true'], inRepo);
    const info = join(spec.path, '.git', 'info');
    mkdirSync(info, { recursive: true });
    const patterns = spec.sparseCheckoutDirectories.split(',').map((p) => `${p}\n`).join('');
    appendFileSync(join(info, 'sparse-checkout'), patterns);
  }

  const current = await git(['remote', 'get-url', 'origin'], { ...inRepo, allowFailure: true, silent: true });
  if (current.code !== 0) await git(['remote', 'add', 'origin', url], inRepo);
  else if (current.stdout.trim() !== url) await git(['remote', 'set-url', 'origin', url], inRepo);

  if (spec.sshCommand) await git(['config', 'core.sshCommand', spec.sshCommand], inRepo);
  await git(['config', 'http.sslVerify', String(spec.sslVerify)], inRepo);

  if (spec.depth > 0) {
    // Exit 5 = "not set" (a re-used repository where an earlier run unset it already).
    const args = ['config', '--unset', 'remote.origin.fetch'];
    const unset = await git(args, { ...inRepo, allowFailure: true });
    if (unset.code !== 0 && unset.code !== 5) throw new GitError(args, unset.code, unset.stderr);
  }

  const depthArgs = spec.depth > 0 ? [`--depth=${spec.depth}`] : [];
  const targets = spec.refspec !== '' ? spec.refspec.split(' ') : [spec.revision];
  const fetchArgs = ['fetch', ...(spec.submodules ? ['--recurse-submodules=yes'] : []), ...depthArgs, 'origin', '--update-head-ok', '--force', ...targets];
  await withRetry(spec.retry, () => git(fetchArgs, inRepo), retryLog(log, 'fetch'));

  const checkoutTarget = spec.refspec !== '' ? spec.revision : 'FETCH_HEAD';
  const verified = await git(['show', '-q', '--pretty=format:%H', checkoutTarget], { ...inRepo, allowFailure: true, silent: true });
  if (verified.code !== 0) throw new RevisionError(checkoutTarget, spec.refspec, verified.stderr);

  await git(['-c', 'advice.detachedHead=false', 'checkout', '-f', checkoutTarget], inRepo);
  const head = await git(['show', '-q', '--pretty=format:%H%n%ct%n%D', 'HEAD'], { ...inRepo, silent: true });
  const [commit = '', committerDate = '', refs = ''] = head.stdout.split('\n');
  log(`Successfully cloned ${redactCredentials(url)} @ ${commit} (${refs}) in path ${spec.path}`);

  if (spec.submodules) {
    const args = ['submodule', 'update', '--recursive', '--init', '--force', ...depthArgs, ...spec.submodulePaths];
    await withRetry(spec.retry, () => git(args, inRepo), retryLog(log, 'submodule update'));
    log('Successfully initialized and updated submodules');
  }
  return { commit, committerDate, refs };
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)!.trim();
}

function retryLog(log: (line: string) => void, what: string) {
  return (error: unknown, waitMs: number, attemptNo: number) =>
    log(`${what} failed (${redactCredentials(lastLine((error as Error).message))}); attempt ${attemptNo} in ${Math.round(waitMs)} ms`);
}
