// Runs TaskRun YAML through the runner API for tests: a fresh run folder under the OS temp dir,
// step output captured, the final TaskRun returned.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadText } from '../../src/tekton/load.js';
import { hostExecutor, sandboxAvailable, sandboxExecutor, type Executor } from '../../src/runner/executor.js';
import { runTaskRun, type RunOutcome } from '../../src/runner/index.js';
import { kubeObjectsOf } from '../../src/runner/taskrun-from-flags.js';
import type { TaskRun } from '../../src/tekton/types.js';

export type ExecutorName = 'host' | 'sandbox';

export function executorOf(name: ExecutorName): Executor {
  if (name === 'sandbox' && !sandboxAvailable()) throw new Error('bubblewrap (bwrap) cannot create a sandbox here: install the Debian package bubblewrap');
  return name === 'host' ? hostExecutor : sandboxExecutor;
}

export interface TestRun extends RunOutcome {
  log: string;
  notes: string[];
  runDir: string;
}

/** Runs every TaskRun in `yaml` (Tasks, ConfigMaps, Secrets in `yaml` or `extra` are available). */
export async function runYaml(yaml: string, executor: ExecutorName, opts: { extra?: string; network?: boolean; overlays?: Record<string, string>; keep?: boolean; mutate?: (tr: TaskRun) => void; stepActions?: ReadonlyMap<string, unknown> } = {}): Promise<TestRun[]> {
  const docs = [...loadText(yaml, 'test.yaml').docs, ...(opts.extra ? loadText(opts.extra, 'extra.yaml').docs : [])];
  const tasks = new Map(docs.filter((d) => d.kind === 'Task').map((d) => [d.name, d.value]));
  const objects = kubeObjectsOf(docs);
  const out: TestRun[] = [];
  for (const d of docs.filter((x) => x.kind === 'TaskRun')) {
    const runDir = mkdtempSync(join(tmpdir(), 'tektite-run-'));
    const console = new PassThrough();
    const chunks: Buffer[] = [];
    console.on('data', (c: Buffer) => chunks.push(c));
    const notes: string[] = [];
    const tr = structuredClone(d.value) as TaskRun;
    opts.mutate?.(tr);
    try {
      const outcome = await runTaskRun(
        { taskRun: tr, tasks, objects, stepActions: opts.stepActions },
        { executor: executorOf(executor), network: opts.network ?? false, runDir, pvcRoot: join(runDir, 'pvc'), overlays: opts.overlays, log: { console, colour: false }, note: (t) => notes.push(t) },
      );
      out.push({ ...outcome, log: Buffer.concat(chunks).toString('utf8'), notes, runDir });
    } finally {
      if (!opts.keep) rmSync(runDir, { recursive: true, force: true });
    }
  }
  return out;
}

export const condition = (t: TaskRun) => t.status?.conditions?.[0];
