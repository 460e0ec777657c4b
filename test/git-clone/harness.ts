// Shared by the git-clone tests: run the `tektite` CLI, clone with plain git for comparison, and
// read back the state of a checkout (commit, committer date, depth, files, submodules).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { gitAsync } from '../helpers/git-servers.js';
import { repoRoot, tektiteBin } from '../helpers/paths.js';

export const taskYaml = join(repoRoot, 'plugins', 'git-clone', 'task.yaml');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `tektite <args>` (asynchronously, so servers in this process keep answering). */
export function tektite(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tektiteBin, ...args], { cwd, env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** The run folder `tektite run` made for a TaskRun (under `cwd/.tektite/runs`). */
export function runFolder(cwd: string, taskRunName: string): string {
  const runs = join(cwd, '.tektite', 'runs');
  const found = readdirSync(runs).filter((d) => d.startsWith(`${taskRunName}-`) && /^[0-9a-f]{6}$/.test(d.slice(taskRunName.length + 1)));
  if (found.length !== 1) throw new Error(`expected one run folder for ${taskRunName} in ${runs}, found ${found.length}`);
  return join(runs, found[0]!);
}

export interface RunStatus {
  succeeded: boolean;
  results: Record<string, string>;
  exitCode: number | undefined;
}

export function readStatus(folder: string): RunStatus {
  const tr = parse(readFileSync(join(folder, 'status.yaml'), 'utf8')) as {
    status?: {
      conditions?: { status: string }[];
      results?: { name: string; value: string }[];
      steps?: { terminated?: { exitCode: number } }[];
    };
  };
  return {
    succeeded: tr.status?.conditions?.[0]?.status === 'True',
    results: Object.fromEntries((tr.status?.results ?? []).map((r) => [r.name, r.value])),
    exitCode: tr.status?.steps?.[0]?.terminated?.exitCode,
  };
}

export interface CheckoutState {
  commit: string;
  committerDate: string;
  /** `git rev-list --count HEAD`: the depth of a shallow clone. */
  count: number;
  /** Files in the working tree (not under .git), sorted. */
  files: string[];
  /** `git submodule status --recursive`, state flag, sha and path per line. */
  submodules: string[];
}

export async function checkoutState(dir: string, env: NodeJS.ProcessEnv): Promise<CheckoutState> {
  const [commit, committerDate] = (await gitAsync(['log', '-1', '--pretty=%H %ct'], dir, env)).split(' ');
  const count = Number(await gitAsync(['rev-list', '--count', 'HEAD'], dir, env));
  const status = await gitAsync(['submodule', 'status', '--recursive'], dir, env);
  const submodules = status === '' ? [] : status.split('\n').map((l) => l.replace(/ \(.*\)$/, '').trim());
  return { commit: commit!, committerDate: committerDate!, count, files: listFiles(dir), submodules };
}

export function listFiles(root: string, dir = root, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === '.git') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) listFiles(root, p, out);
    else out.push(relative(root, p));
  }
  return out.sort();
}

export interface PlainOptions {
  revision?: string;
  depth?: number;
  submodules?: boolean;
  /** Non-cone sparse patterns. */
  sparse?: string[];
}

/** What plain git gives for the same request: clone, optional sparse patterns, checkout, submodules. */
export async function plainClone(url: string, dest: string, env: NodeJS.ProcessEnv, o: PlainOptions = {}): Promise<CheckoutState> {
  const depth = o.depth ?? 1;
  await gitAsync(['clone', '-q', '--no-checkout', ...(depth > 0 ? [`--depth=${depth}`] : []), ...(o.revision ? ['--branch', o.revision] : []), url, dest], dest.replace(/\/[^/]+$/, ''), env);
  if (o.sparse) await gitAsync(['sparse-checkout', 'set', '--no-cone', ...o.sparse], dest, env);
  await gitAsync(['checkout', '-q'], dest, env);
  if (o.submodules) await gitAsync(['submodule', 'update', '-q', '--init', '--recursive'], dest, env);
  return checkoutState(dest, env);
}
