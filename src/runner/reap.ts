// A process a step starts in a new session (setsid, a daemon) leaves the step's process group, so
// killing the group misses it. It still carries the step's marker variable in its environment:
// after the step, every process with that marker is found in /proc and killed, as a container's
// end would take it along. (The sandbox also has its PID namespace; this covers the host executor.)
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

export const STEP_MARKER = 'TEKTITE_STEP_ID';

export function newStepMarker(): string {
  return randomBytes(8).toString('hex');
}

/**
 * Kills every process whose environment holds `TEKTITE_STEP_ID=<id>`. Processes the step made
 * have PIDs from `firstPid` on, unless PIDs wrapped around meanwhile: only then are older PIDs read
 * too (reading every process's environment would cost milliseconds per step).
 */
export function killMarked(id: string, firstPid: number): void {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return; // no /proc: nothing to find
  }
  const needle = `${STEP_MARKER}=${id}\0`;
  const oldPidsToo = !(lastPid() >= firstPid);
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid || (pid < firstPid && !oldPidsToo)) continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${pid}/environ`);
    } catch {
      continue; // gone, or not ours to read
    }
    if (!environ.includes(needle)) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
}

/** The PID the kernel handed out last (NaN when unknown, which makes every PID count). */
function lastPid(): number {
  try {
    return Number(readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8'));
  } catch {
    return NaN;
  }
}
