// The short report after a run: one line per step (outcome, exit code, duration), the results,
// and the final condition — what a user reads instead of the whole TaskRun.
import type { Writable } from 'node:stream';
import type { TaskRun } from '../tekton/types.js';

export function printSummary(out: Writable, tr: TaskRun, startedMs: number[], totalMs: number, colour: boolean, runDir: string): void {
  const s = tr.status ?? {};
  const steps = s.steps ?? [];
  const rows = steps.map((st, i) => {
    const t = st.terminated;
    const next = startedMs.slice(i + 1).find((x) => x !== undefined);
    const dur = startedMs[i] === undefined ? '-' : `${(((next ?? startedMs[0]! + totalMs) - startedMs[i]!) / 1000).toFixed(2)}s`;
    return [st.name, st.terminationReason ?? '', String(t?.exitCode ?? ''), dur];
  });
  if (rows.length) {
    const head = ['STEP', 'OUTCOME', 'EXIT', 'DURATION'];
    const w = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
    const line = (r: string[]) => r.map((x, c) => x.padEnd(w[c]!)).join('  ').trimEnd();
    out.write(`\n${line(head)}\n${rows.map(line).join('\n')}\n`);
  }
  if (s.results?.length) {
    out.write('\nRESULTS\n');
    for (const r of s.results) out.write(`${r.name} = ${typeof r.value === 'string' && !/[\x00-\x1f]/.test(r.value) ? r.value : JSON.stringify(r.value)}\n`);
  }
  const c = s.conditions?.[0];
  const ok = c?.status === 'True';
  const paint = (text: string) => (colour ? `\x1b[${ok ? 32 : 31}m${text}\x1b[0m` : text);
  const word = ok ? 'Succeeded' : c?.status === 'False' ? 'Failed' : 'did not run';
  out.write(`\n${paint(`TaskRun ${tr.metadata.name} ${word}`)} (${c?.reason}: ${c?.message}) in ${(totalMs / 1000).toFixed(2)}s\n`);
  out.write(`run folder: ${runDir} (workspaces, logs/, status.yaml)\n`);
}
