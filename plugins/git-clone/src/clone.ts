// One git-clone run. As the catalog Task's step: set up credentials, resolve and (optionally)
// empty the checkout folder inside the output workspace, run git-init's sequence, return the
// results. As the git-init binary (`-path` given): only the git sequence and the termination
// message. Whatever fails, the checkout folder is left as it was before the run.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { emptyDir, resolveCheckoutDir, type CheckoutDir } from './checkout-dir.js';
import { copyBasicAuth, copySshDirectory, sslCaEnv } from './credentials.js';
import { fetchRepo } from './git-init.js';
import type { Exec } from 'tektite/sdk';
import { makeGit } from './git.js';
import { redactCredentials } from './redact.js';
import { snapshot } from './rollback.js';
import type { Settings } from './settings.js';
import { sshCommand } from './ssh.js';
import { writeTerminationMessage } from './termination.js';

export interface WorkspaceValue {
  bound: boolean;
  path: string;
}

export interface CloneWorkspaces {
  output: WorkspaceValue;
  sshDirectory: WorkspaceValue;
  basicAuth: WorkspaceValue;
  sslCaDirectory: WorkspaceValue;
}

export interface CloneLog {
  info(line: string): void;
  warning(line: string): void;
}

export interface CloneResult {
  commit: string;
  /** The url param as given, except that credentials in it are replaced by `***`. */
  url: string;
  committerDate: string;
}

/** Tekton's credential initialisation writes ssh credentials here. */
const TEKTON_CREDS_SSH = '/tekton/creds/.ssh';
/** git-init's default -terminationMessagePath, written only when its folder exists. */
const TEKTON_TERMINATION = '/tekton/termination';

/** Thrown for input that is wrong before anything ran (a usage error, exit 2). */
export class InputError extends Error {
  override name = 'InputError';
}

/** `stepHome` is the step's $HOME, which git-init mode leaves to git as it finds it. */
export async function clone(s: Settings, ws: CloneWorkspaces, exec: Exec, log: CloneLog, stepHome = ''): Promise<CloneResult> {
  return s.gitInitPath === undefined ? cloneAsTask(s, ws, exec, log) : cloneAsGitInit(s, s.gitInitPath, stepHome, exec, log);
}

async function cloneAsTask(s: Settings, ws: CloneWorkspaces, exec: Exec, log: CloneLog): Promise<CloneResult> {
  if (!ws.output.bound || ws.output.path === '') throw new InputError('the output workspace is required (or git-init\'s -path)');
  if (s.userHome === '' || !s.userHome.startsWith('/')) throw new InputError(`userHome must be an absolute path, got ${JSON.stringify(s.userHome)}`);
  const dir = resolveCheckoutDir(ws.output.path, s.subdirectory);

  const home = s.userHome;
  try {
    mkdirSync(home, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new Error(`cannot create userHome ${home}: ${(e as Error).message} (the Task mounts its user-home emptyDir there; elsewhere, point userHome at a writable folder)`);
  }
  if (ws.basicAuth.bound) copyBasicAuth(ws.basicAuth.path, home);
  if (ws.sshDirectory.bound) copySshDirectory(ws.sshDirectory.path, home);
  const env = {
    HOME: home,
    GIT_TERMINAL_PROMPT: '0',
    ...(ws.sslCaDirectory.bound ? sslCaEnv(ws.sslCaDirectory.path, s.crtFileName) : {}),
    ...s.proxies,
  };

  if (s.deleteExisting) for (const problem of emptyDir(dir.path)) log.warning(problem);
  const git = makeGit({ exec, env, cwd: home, verbose: s.verbose, log: (l) => log.info(l) });
  await git(['config', '--global', '--add', 'safe.directory', ws.output.path]);
  const checkout = await withRestore(dir, () =>
    fetchRepo(
      {
        ...s,
        path: dir.path,
        safeDirectoryAdded: dir.path === ws.output.path,
        sshCommand: sshCommand(home),
        sshCredentialDirs: [join(home, '.ssh'), TEKTON_CREDS_SSH],
      },
      git,
      (l) => log.info(l),
    ),
  );
  return { commit: checkout.commit, url: redactCredentials(s.url), committerDate: checkout.committerDate };
}

async function cloneAsGitInit(s: Settings, path: string, home: string, exec: Exec, log: CloneLog): Promise<CloneResult> {
  const git = makeGit({ exec, env: { GIT_TERMINAL_PROMPT: '0', ...s.proxies }, cwd: process.cwd(), verbose: s.verbose, log: (l) => log.info(l) });
  const dir: CheckoutDir = { root: path, path, firstMissing: topmostMissing(path) };
  const checkout = await withRestore(dir, () =>
    fetchRepo(
      { ...s, path, safeDirectoryAdded: false, sshCommand: home ? sshCommand(home) : undefined, sshCredentialDirs: [join(home, '.ssh'), TEKTON_CREDS_SSH] },
      git,
      (l) => log.info(l),
    ),
  );
  const termination = s.terminationMessagePath || (existsSync(dirname(TEKTON_TERMINATION)) ? TEKTON_TERMINATION : '');
  if (termination) {
    writeTerminationMessage(termination, [
      { key: 'commit', value: checkout.commit },
      { key: 'url', value: redactCredentials(s.url) },
    ]);
  }
  return { commit: checkout.commit, url: redactCredentials(s.url), committerDate: checkout.committerDate };
}

async function withRestore<T>(dir: CheckoutDir, work: () => Promise<T>): Promise<T> {
  const restore = snapshot(dir);
  try {
    return await work();
  } catch (e) {
    restore();
    throw e;
  }
}

function topmostMissing(path: string): string | undefined {
  let missing: string | undefined;
  for (let p = path; !existsSync(p); p = dirname(p)) {
    missing = p;
    if (dirname(p) === p) break;
  }
  return missing;
}
