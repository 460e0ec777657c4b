// ssh takes its home from the passwd entry, not $HOME, so the keys the step copied to
// `$HOME/.ssh` would go unseen when the two differ (git-init symlinks the passwd home's .ssh; we
// point ssh at the files instead, leaving the machine's home alone). Without known_hosts, new
// host keys are accepted (git-init's StrictHostKeyChecking=accept-new).
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { shellWord } from './git.js';

const DEFAULT_KEYS = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_dsa'];

/** The `core.sshCommand` git should use, or undefined when plain `ssh` already does the right thing. */
export function sshCommand(home: string, passwdHome: string | undefined = safePasswdHome()): string | undefined {
  const sshDir = join(home, '.ssh');
  const redirected = existsSync(sshDir) && passwdHome !== home;
  const dir = redirected ? sshDir : join(passwdHome ?? home, '.ssh');
  const options: string[] = [];
  if (redirected) {
    if (existsSync(join(sshDir, 'config'))) options.push('-F', join(sshDir, 'config'));
    options.push('-o', `UserKnownHostsFile=${join(sshDir, 'known_hosts')}`);
    for (const key of DEFAULT_KEYS) if (existsSync(join(sshDir, key))) options.push('-o', `IdentityFile=${join(sshDir, key)}`);
  }
  if (!existsSync(join(dir, 'known_hosts'))) options.push('-o', 'StrictHostKeyChecking=accept-new');
  return options.length ? ['ssh', ...options].map(shellWord).join(' ') : undefined;
}

function safePasswdHome(): string | undefined {
  try {
    return userInfo().homedir;
  } catch {
    return undefined; // no passwd entry for this uid (common in containers)
  }
}

/** git-init's test for "this URL is reached over ssh" (scp-like `host:path` or `ssh://`). */
export function isSshUrl(url: string): boolean {
  if (/^https?:\/\//.test(url)) return false;
  return /^(ssh:\/\/[\w\d.]+|.+@?.+\..+:)(:[\d]+){0,1}\/*(.*)/.test(url);
}
