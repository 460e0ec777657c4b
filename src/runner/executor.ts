// Where a step's process runs. Both executors see the same launch description in *image* paths
// (/tekton/..., /workspace, workspace mount paths, overlays) and turn it into a host command.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync } from 'node:fs';
import { PathMap } from './pathmap.js';

export interface Mount {
  imagePath: string;
  hostPath: string;
  readOnly: boolean;
}

export interface Launch {
  argv: string[];
  env: Record<string, string>;
  /** Absolute image path, or undefined for the image's WORKDIR (`/`). */
  workingDir: string | undefined;
  mounts: Mount[];
  network: boolean;
  hostname: string;
  /** Host folder standing in for `/` on the host executor (the image's empty root). */
  hostRoot: string;
}

export interface HostCommand {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
}

export interface Executor {
  readonly name: 'host' | 'sandbox';
  /** Rewrites text the step will read as a file (its script) into what this executor needs. */
  scriptText(text: string, mounts: readonly Mount[]): string;
  /** Creates the working directory and returns the command to spawn. */
  prepare(launch: Launch): HostCommand;
}

/** Child processes on the host; image paths are rewritten to run-folder paths. */
export const hostExecutor: Executor = {
  name: 'host',
  scriptText: (text, mounts) => pathMapOf(mounts).rewrite(text),
  prepare(l) {
    const map = pathMapOf(l.mounts);
    const cwd = l.workingDir ? map.resolve(l.workingDir) : l.hostRoot;
    mkdirSync(cwd, { recursive: true });
    return {
      argv: l.argv.map((a) => map.rewrite(a)),
      env: Object.fromEntries(Object.entries(l.env).map(([k, v]) => [k, map.rewrite(v)])),
      cwd,
    };
  },
};

function pathMapOf(mounts: readonly Mount[]): PathMap {
  return new PathMap(new Map(mounts.map((m) => [m.imagePath, m.hostPath])));
}

/** Top-level host entries never shown inside the sandbox (replaced by fresh ones or by Tekton's). */
const NOT_FROM_HOST = new Set(['proc', 'dev', 'sys', 'tmp', 'run', 'tekton', 'workspace', 'lost+found']);

/**
 * bubblewrap over the host's root file system, read-only, with Tekton's paths bound where Tekton
 * mounts them. The sandbox's `/` is bwrap's own tmpfs, so directories the host lacks
 * (a workingDir like /a/b, /tekton, /workspace) can be created there.
 */
export const sandboxExecutor: Executor = {
  name: 'sandbox',
  scriptText: (text, mounts) => pathMapOf(mounts.filter((m) => !bindable(m))).rewrite(text),
  prepare(l) {
    const args = ['--unshare-all', '--die-with-parent', '--new-session', '--clearenv', '--hostname', l.hostname];
    if (l.network) args.push('--share-net');
    for (const name of readdirSync('/').sort()) {
      if (NOT_FROM_HOST.has(name)) continue;
      const p = `/${name}`;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) args.push('--symlink', readlinkSync(p), p);
      else args.push('--ro-bind', p, p);
    }
    args.push('--proc', '/proc', '--dev', '/dev', '--ro-bind', '/sys', '/sys', '--tmpfs', '/tmp', '--tmpfs', '/run');
    const sorted = [...l.mounts].sort((a, b) => a.imagePath.split('/').length - b.imagePath.split('/').length);
    const unbound: Mount[] = [];
    for (const m of sorted) {
      if (!bindable(m)) {
        unbound.push(m);
        // Reached through its rewritten (host) path, which is read-only under the host's root unless bound.
        if (!m.readOnly) args.push('--bind', m.hostPath, m.hostPath);
        continue;
      }
      args.push(m.readOnly ? '--ro-bind' : '--bind', m.hostPath, m.imagePath);
    }
    const map = pathMapOf(unbound);
    if (l.workingDir) {
      const wd = l.workingDir;
      const underMount = sorted.find((m) => wd === m.imagePath || wd.startsWith(`${m.imagePath}/`));
      if (underMount) mkdirSync(underMount.hostPath + wd.slice(underMount.imagePath.length), { recursive: true });
      else if (!existsSync(wd)) args.push('--dir', wd);
      args.push('--chdir', wd);
    } else {
      args.push('--chdir', '/');
    }
    for (const [k, v] of Object.entries(l.env)) args.push('--setenv', k, map.rewrite(v));
    args.push('--', ...l.argv.map((a) => map.rewrite(a)));
    return { argv: ['bwrap', ...args], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, cwd: '/' };
  },
};

/**
 * A mount can be bound when its target exists on the host or can be made on the sandbox's own
 * root: its first path component is not a host directory. Others (a file under a host folder
 * that is read-only in the sandbox) fall back to path rewriting, as on the host.
 */
function bindable(m: Mount): boolean {
  if (existsSync(m.imagePath)) return true;
  const top = m.imagePath.split('/')[1] ?? '';
  return NOT_FROM_HOST.has(top) || !existsSync(`/${top}`);
}

let sandboxWorks: boolean | undefined;

/** Whether bubblewrap can create a sandbox here (probed once per process). */
export function sandboxAvailable(): boolean {
  if (sandboxWorks === undefined) {
    const r = spawnSync('bwrap', ['--unshare-all', '--die-with-parent', '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', 'true'], { stdio: 'ignore', timeout: 10_000 });
    sandboxWorks = r.status === 0;
  }
  return sandboxWorks;
}
