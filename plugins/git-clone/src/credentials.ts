// The catalog step's credential set-up, before any git command runs: basic-auth's two files and
// the ssh-directory are copied into the user's home with the catalog's modes (files 0400, .ssh
// 0700), and a CA directory is handed to git through GIT_SSL_CAPATH / GIT_SSL_CAINFO.
import { chmodSync, copyFileSync, cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export class CredentialsError extends Error {
  override name = 'CredentialsError';
}

/** Copies `.git-credentials` and `.gitconfig` (nothing else) from the basic-auth workspace. */
export function copyBasicAuth(workspace: string, home: string): void {
  for (const name of ['.git-credentials', '.gitconfig']) {
    const from = join(workspace, name);
    if (!existsSync(from)) throw new CredentialsError(`the basic-auth workspace has no ${name} (it needs .git-credentials and .gitconfig)`);
    const to = join(home, name);
    rmSync(to, { force: true }); // a 0400 copy from an earlier run would refuse the overwrite
    copyFileSync(from, to);
    chmodSync(to, 0o400);
  }
}

/** Copies the ssh-directory workspace to `<home>/.ssh` (symlinks of a Secret mount resolved). */
export function copySshDirectory(workspace: string, home: string): string {
  const to = join(home, '.ssh');
  rmSync(to, { recursive: true, force: true });
  cpSync(workspace, to, { recursive: true, dereference: true });
  restrict(to);
  chmodSync(to, 0o700);
  return to;
}

function restrict(dir: string): void {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      restrict(p);
      chmodSync(p, 0o700); // the catalog's `chmod -R 400` would make sub-folders unreadable
    } else chmodSync(p, 0o400);
  }
}

/** The environment that points git's TLS at the CA workspace. */
export function sslCaEnv(workspace: string, crtFileName: string): Record<string, string> {
  const env: Record<string, string> = { GIT_SSL_CAPATH: workspace };
  if (crtFileName !== '') env.GIT_SSL_CAINFO = join(workspace, crtFileName);
  return env;
}
