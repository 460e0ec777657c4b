// Starting a step's process in its own process group and making sure nothing of it survives:
// the whole group (and whatever left it for a session of its own, see reap.ts) is killed on
// timeout, on TaskRun timeout, and after the main process exits.
import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { pumpStream, type LogTarget } from './logs.js';
import { killMarked, newStepMarker, STEP_MARKER } from './reap.js';

export interface ProcessSpec {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  stepName: string;
  stepIndex: number;
  logFile: Writable;
  log: LogTarget;
  /** Step timeout in ms (0 = none). */
  timeoutMs: number;
  /** Aborts the process (TaskRun timeout). */
  signal: AbortSignal;
}

export type ProcessOutcome =
  | { kind: 'exited'; code: number }
  | { kind: 'timeout' }
  | { kind: 'aborted' }
  | { kind: 'startFailed'; error: string };

export function runProcess(spec: ProcessSpec): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    let child;
    const marker = newStepMarker();
    try {
      child = spawn(spec.argv[0]!, spec.argv.slice(1), {
        cwd: spec.cwd,
        env: { ...spec.env, [STEP_MARKER]: marker },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      resolve({ kind: 'startFailed', error: (e as Error).message });
      return;
    }
    let outcome: ProcessOutcome | undefined;
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
      killMarked(marker, child.pid);
    };
    const timer = spec.timeoutMs > 0 ? setTimeout(() => {
      outcome ??= { kind: 'timeout' };
      killGroup();
    }, spec.timeoutMs) : undefined;
    const onAbort = () => {
      outcome ??= { kind: 'aborted' };
      killGroup();
    };
    if (spec.signal.aborted) onAbort();
    else spec.signal.addEventListener('abort', onAbort, { once: true });
    const pumps = [
      pumpStream(child.stdout!, spec.logFile, spec.log, spec.stepName, spec.stepIndex),
      pumpStream(child.stderr!, spec.logFile, spec.log, spec.stepName, spec.stepIndex),
    ];
    child.on('error', (e: NodeJS.ErrnoException) => {
      outcome ??= { kind: 'startFailed', error: `fork/exec ${spec.argv[0]}: ${e.code === 'ENOENT' ? 'no such file or directory' : e.message}` };
    });
    child.on('exit', (code, sig) => {
      // Like a container ending: whatever the step left in the background dies with it.
      killGroup();
      outcome ??= { kind: 'exited', code: code ?? 128 + signalNumber(sig) };
    });
    child.on('close', () => {
      if (timer) clearTimeout(timer);
      spec.signal.removeEventListener('abort', onAbort);
      void Promise.all(pumps).then(() => resolve(outcome ?? { kind: 'exited', code: 1 }));
    });
  });
}

function signalNumber(sig: NodeJS.Signals | null): number {
  const n: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };
  return (sig && n[sig]) ?? 0;
}
