// Shared set-up of the builder tests: a registry seeded with the stand-in base, the tektite CLI
// run as a child process, and podman configured as the machine notes say (runc, ulimits, no
// network, per-test storage).
import { execFile, spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tektiteBin } from '../helpers/paths.js';
import { requireTool, startRegistry, type RegistryOptions, type TestRegistry } from '../helpers/registry.js';
import { buildBaseLayout, pushWithSkopeo, type BaseLayout } from './base-image.js';

/** The plugin the builder tests build: git-clone (it needs git in its base: the stand-in base has it). */
export const PLUGIN = { file: join(repoRoot, 'plugins', 'git-clone', 'plugin.ts'), name: 'git-clone' };

export type Seeded = { registry: TestRegistry; base: string; layout: BaseLayout };

/** A plain-HTTP registry holding the base (amd64 with node and git, plus an arm64 stub) at `base/node`. */
export async function seededRegistry(work: string, opts: RegistryOptions = {}): Promise<Seeded> {
  const registry = await startRegistry(opts);
  const layout = buildBaseLayout(join(work, 'base-layout'), { git: true, arm64Stub: true });
  const digest = await pushWithSkopeo(layout, `${registry.host}/base/node:1`);
  return { registry, base: `${registry.host}/base/node@${digest}`, layout };
}

export type CliResult = { status: number | null; stdout: string; stderr: string };

/** Runs the CLI without blocking the event loop (token servers in the test process must answer). */
export function tektite(args: string[], env: NodeJS.ProcessEnv = {}, cwd = repoRoot): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tektiteBin, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** A tool's stdout, run asynchronously (see tektite()). */
export function tool(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout)));
  });
}

export function expectOk(r: CliResult, what: string): string {
  if (r.status !== 0) throw new Error(`${what}: exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout.trim();
}

/** podman with its own storage under `dir` (podman wants the runroot path under 50 characters), runc, the ulimits this machine allows, no network. */
export function podman(dir: string, insecureRegistries: string[]): (args: string[]) => SpawnSyncReturns<string> {
  requireTool('podman');
  requireTool('runc');
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, 'containers.conf');
  writeFileSync(conf, '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\nnetns = "none"\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\n');
  const registries = join(dir, 'registries.conf');
  writeFileSync(registries, `unqualified-search-registries = []\n${insecureRegistries.map((r) => `[[registry]]\nlocation = "${r}"\ninsecure = true\n`).join('')}`);
  const env = { ...process.env, CONTAINERS_CONF: conf, CONTAINERS_REGISTRIES_CONF: registries };
  return (args) =>
    spawnSync('podman', ['--root', join(dir, 'root'), '--runroot', join(dir, 'runroot'), '--storage-driver', 'overlay', ...args], { env, encoding: 'utf8', timeout: 300_000 });
}

/** Unmounts and removes podman's storage before its folder is deleted. */
export function podmanCleanup(run: (args: string[]) => SpawnSyncReturns<string>): void {
  run(['system', 'reset', '--force']);
}
