// Where a step's process runs. Both executors see the same launch description in *image* paths
// (/tekton/..., /workspace, workspace mount paths, overlays) and turn it into a host command.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync } from 'node:fs';
import { PathMap } from './pathmap.js';

export interface Mount {
  imagePath: string;
  hostPath: string;
  readOnly: boolean;
  /** For a volumeMount subPath: the volume's folder and the subPath, checked again when the step starts. */
  subPath?: { root: string; path: string };
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
    if (l.workingDir) mkdirSync(cwd, { recursive: true });
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

/**
 * The host's system folders a step sees (read-only), standing in for an image's. Nothing else of
 * the host is visible: not /root, /home, /tmp or the project, so a step cannot read the user's keys.
 */
const FROM_HOST = ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32', 'usr', 'etc', 'opt', 'var', 'srv', 'nix'];

/**
 * Host secrets inside those folders, covered by /dev/null (which the sandbox's nodev mounts make
 * unreadable): a step runs as the user who runs tektite (often root), so read-only is not enough
 * to keep password hashes and host keys private.
 */
const HOST_SECRETS = /^(shadow|gshadow)-?$|^ssh_host_.*_key$/;
const HOST_SECRET_DIRS = ['/etc', '/etc/ssh'];

/** A PATH like images have: the host's own PATH may point into folders the sandbox hides. */
export const SANDBOX_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

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
    args.push(...hostSystem());
    args.push('--proc', '/proc', '--dev', '/dev', '--ro-bind', '/sys', '/sys', '--tmpfs', '/tmp', '--tmpfs', '/run');
    const sorted = [...l.mounts].sort((a, b) => a.imagePath.split('/').length - b.imagePath.split('/').length);
    const unbound: Mount[] = [];
    for (const m of sorted) {
      if (!bindable(m)) {
        unbound.push(m);
        // Reached through its rewritten (host) path: make that path visible in the sandbox.
        args.push(m.readOnly ? '--ro-bind' : '--bind', m.hostPath, m.hostPath);
        continue;
      }
      args.push(m.readOnly ? '--ro-bind' : '--bind', m.hostPath, m.imagePath);
    }
    const map = pathMapOf(unbound);
    if (l.workingDir) {
      const wd = l.workingDir;
      const underMount = [...sorted].reverse().find((m) => wd === m.imagePath || wd.startsWith(`${m.imagePath}/`));
      if (underMount) mkdirSync(underMount.hostPath + wd.slice(underMount.imagePath.length), { recursive: true });
      else if (!FROM_HOST.includes(wd.split('/')[1] ?? '') || !existsSync(wd)) args.push('--dir', wd);
      args.push('--chdir', wd);
    } else {
      args.push('--chdir', '/');
    }
    for (const [k, v] of Object.entries(l.env)) args.push('--setenv', k, map.rewrite(v));
    args.push('--', ...l.argv.map((a) => map.rewrite(a)));
    return { argv: ['bwrap', ...args], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, cwd: '/' };
  },
};

let hostSystemArgs: string[] | undefined;

/** bwrap arguments showing the host's system folders (symlinks such as /bin -> usr/bin kept as links). */
function hostSystem(): string[] {
  if (!hostSystemArgs) {
    hostSystemArgs = [];
    for (const name of FROM_HOST) {
      const p = `/${name}`;
      let st;
      try {
        st = lstatSync(p);
      } catch {
        continue;
      }
      if (st.isSymbolicLink()) hostSystemArgs.push('--symlink', readlinkSync(p), p);
      else if (st.isDirectory()) hostSystemArgs.push('--ro-bind', p, p);
    }
    for (const dir of HOST_SECRET_DIRS) {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names) if (HOST_SECRETS.test(name)) hostSystemArgs.push('--ro-bind', '/dev/null', `${dir}/${name}`);
    }
  }
  return hostSystemArgs;
}

/**
 * A mount can be bound when its target exists on the host or can be made on the sandbox's own
 * root: its first path component is not a host directory. Others (a file under a host folder
 * that is read-only in the sandbox) fall back to path rewriting, as on the host.
 */
function bindable(m: Mount): boolean {
  const top = m.imagePath.split('/')[1] ?? '';
  return !FROM_HOST.includes(top) || existsSync(m.imagePath);
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
