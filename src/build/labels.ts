// The OCI labels tektite puts on a plugin image: where its source lives and at which commit,
// read from the git checkout holding the plugin (nothing when it is not in one).
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';

function git(dir: string, args: string[]): string | undefined {
  const r = spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() || undefined : undefined;
}

/** Drops credentials a remote URL may carry (https://user:token@host/...). */
export function publicUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}

export function gitLabels(pluginFile: string): Record<string, string> {
  const dir = dirname(pluginFile);
  const labels: Record<string, string> = {};
  const remote = git(dir, ['config', '--get', 'remote.origin.url']);
  if (remote) labels['org.opencontainers.image.source'] = publicUrl(remote);
  const revision = git(dir, ['rev-parse', 'HEAD']);
  if (revision) labels['org.opencontainers.image.revision'] = revision;
  return labels;
}
