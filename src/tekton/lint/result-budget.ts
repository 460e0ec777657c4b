// Rule `result-budget`: results that cannot fit the termination message (§5.3). After every
// step, the entrypoint writes all task results found in /tekton/results (plus the step's own
// StepResults and a StartedAt entry) as one JSON array, which must stay within 4096 bytes; and
// Kubernetes caps the sum over all the pod's containers at 12 KiB. What is known statically is a
// lower bound: each declared result written with the smallest value its type allows ("" for a
// string, [] for an array, every declared key with "" for an object). If that bound already
// exceeds the budget, the last step fails as soon as all results are written.
import type { Step, TaskResult } from '../types.js';
import type { Finding, SpecSite } from './finding.js';

export const TERMINATION_MESSAGE_LIMIT = 4096;
const POD_TERMINATION_TOTAL = 12 * 1024;
const STARTED_AT_SAMPLE = '2006-01-02T15:04:05.000Z';

/** Bytes of one `{"key":…,"value":…,"type":N}` entry as Go's json.Marshal writes it. */
function entryBytes(key: string, value: string): number {
  return Buffer.byteLength(JSON.stringify({ key, value, type: 1 }));
}

function minimalValue(r: { type?: string; properties?: Record<string, unknown> }): string {
  if (r.type === 'array') return '[]';
  if (r.type === 'object') return JSON.stringify(Object.fromEntries(Object.keys(r.properties ?? {}).map((k) => [k, ''])));
  return '';
}

/** Containers of the pod Tekton builds that are certain to exist (a lower bound). */
function minimalContainerCount(steps: Step[], sidecars: number): number {
  const scripts = steps.some((s) => s?.script);
  return steps.length + sidecars + 1 /* prepare */ + (scripts ? 1 /* place-scripts */ : 0);
}

export function resultBudget(site: SpecSite): Finding[] {
  const steps = (site.spec.steps ?? []).filter(Boolean);
  if (steps.length === 0) return [];
  const results = (site.spec.results ?? []).filter((r): r is TaskResult => !!r && r.value === undefined);
  const containers = minimalContainerCount(steps, (site.spec.sidecars ?? []).length);
  const budget = Math.min(TERMINATION_MESSAGE_LIMIT, Math.floor(POD_TERMINATION_TOTAL / containers));
  const out: Finding[] = [];
  steps.forEach((step, i) => {
    const own = (step.results ?? []).filter(Boolean);
    if (results.length === 0 && own.length === 0) return;
    // The last step carries every task result; any step carries its own StepResults.
    const entries = [
      ...(i === steps.length - 1 ? results.map((r) => entryBytes(r.name ?? '', minimalValue(r))) : []),
      ...own.map((r) => entryBytes(r.name ?? '', minimalValue(r))),
      entryBytes('StartedAt', STARTED_AT_SAMPLE),
    ];
    const bytes = 2 + entries.reduce((a, b) => a + b, 0) + (entries.length - 1);
    if (bytes <= budget) return;
    const why = budget < TERMINATION_MESSAGE_LIMIT
      ? `the pod has at least ${containers} containers, so Kubernetes keeps at most ${budget} bytes of each termination message`
      : `the limit is ${TERMINATION_MESSAGE_LIMIT} bytes`;
    const taskResults = i === steps.length - 1 ? results.length : 0;
    const onTask = taskResults > 0;
    out.push({
      rule: 'result-budget',
      message: `results cannot fit the termination message: with all ${taskResults + own.length} results written, even with empty values, step ${i} reports ${bytes} bytes and ${why}`,
      path: onTask ? `${site.path}.results` : `${site.path}.steps[${i}].results`,
      raw: onTask ? [...site.raw, 'results'] : [...site.raw, 'steps', i, 'results'],
      details: 'Fewer or smaller results, or results-from: sidecar-logs (per-result limit max-result-size), avoid the failure.',
    });
  });
  return out;
}
