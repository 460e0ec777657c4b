// Rule `script-reference`: values pasted into a `script` by substitution. Tekton inserts them
// verbatim before the shell runs (§3.7), so a param value is shell code: `$(params.x)` in a
// script is a code-injection path. The fix is to pass the value through `env` and use "$VAR".
// Flagged: params (any spelling, incl. `inputs.params`), other tasks' results (Pipelines),
// workspace paths (a mountPath can come from a param), and a TriggerTemplate's `$(tt.params.x)`
// (the event payload's values). Not flagged: `$(results.x.path)` and
// `$(step.results.x.path)`, which Tekton fixes to /tekton/... paths with validated names.
import type { EnvVar } from '../types.js';
import type { ContainerSite, Finding } from './finding.js';

/** The references this rule flags. */
export const REFERENCE = /\$\((?:inputs\.|tt\.)?params(?:\.[^)\s]+|\[(?:"[^"]*"|'[^']*')\][^)\s]*)\)|\$\(tasks\.[^.)\s]+\.results\.[^)\s]+\)|\$\(workspaces\.[^.)\s]+\.path\)/g;

export function scriptReferences(site: ContainerSite): Finding[] {
  const script = (site.container as { script?: string }).script;
  if (!script) return [];
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const m of script.matchAll(REFERENCE)) {
    const ref = m[0];
    if (seen.has(ref)) continue;
    seen.add(ref);
    const what = ref.startsWith('$(workspaces.') ? 'workspace path' : ref.startsWith('$(tt.') ? 'trigger param' : ref.includes('.results.') ? 'task result' : 'param';
    const existing = (site.container.env ?? []).find((e: EnvVar | null) => e?.value === ref);
    // a name the step's env does not use yet (as `validate --fix` picks it)
    const used = new Set((site.container.env ?? []).map((e: EnvVar | null) => e?.name));
    const name = existing?.name ?? freeName(envName(ref), (n) => used.has(n));
    const risk = what === 'workspace path'
      ? 'the path is pasted into the shell code, so spaces or shell characters in it break the script'
      : what === 'trigger param'
        ? "Triggers pastes the event's value into the shell code before it runs (code injection by whoever can send the event, e.g. a pull request title)"
        : 'the value is pasted into the shell code before it runs (code injection)';
    const details = existing
      ? `This ${site.kind} already has env ${name} with that value; write "\${${name}}" in the script instead.`
      : `Pass it through the environment and write "\${${name}}" in the script:\n  env:\n    - name: ${name}\n      value: ${yamlScalar(ref)}`;
    out.push({
      rule: 'script-reference',
      message: `${what} reference ${ref} in a script: ${risk}`,
      path: `${site.path}.script`,
      raw: [...site.raw, 'script'],
      index: m.index,
      details,
    });
  }
  return out;
}

/** `base`, or `base_2`, `base_3`… : the first that `taken` does not claim. */
export function freeName(base: string, taken: (name: string) => boolean): string {
  let name = base;
  for (let n = 2; taken(name); n++) name = `${base}_${n}`;
  return name;
}

/** PARAM_FOO for $(params.foo), WORKSPACE_SRC_PATH for $(workspaces.src.path), ... */
export function envName(ref: string): string {
  if (ref.startsWith('$(tt.')) return `TT_${ref.slice('$(tt.'.length, -1).replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase()}`;
  const inner = ref.slice(2, -1).replace(/^inputs\./, '');
  const upper = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase();
  if (inner.startsWith('params')) return `PARAM_${upper(inner.slice('params'.length))}`;
  if (inner.startsWith('workspaces.')) return `WORKSPACE_${upper(inner.slice('workspaces.'.length))}`;
  return `RESULT_${upper(inner.replace(/^tasks\./, '').replace('.results.', '_'))}`;
}

/** `s` as a YAML scalar: plain when that reads back as the same text, else single-quoted. */
export function yamlScalar(s: string): string {
  return /^[$A-Za-z0-9_.()[\]-]+$/.test(s) ? s : `'${s.replace(/'/g, "''")}'`;
}
