// Rule `duplicate-env`: the same variable twice in one container's `env`. Neither Tekton nor the
// API server rejects it; Kubernetes uses the last definition, so the earlier one is dead code
// (often a copy-paste slip where another variable was meant).
import type { ContainerSite, Finding } from './finding.js';

export function duplicateEnv(site: ContainerSite): Finding[] {
  const seen = new Map<string, number>();
  const out: Finding[] = [];
  (site.container.env ?? []).forEach((e, j) => {
    const name = e?.name;
    if (typeof name !== 'string') return;
    const first = seen.get(name);
    if (first !== undefined) {
      out.push({
        rule: 'duplicate-env',
        message: `env var "${name}" is set again (first at env[${first}]): Kubernetes keeps only the last value`,
        path: `${site.path}.env[${j}].name`,
        raw: [...site.raw, 'env', j, 'name'],
      });
    } else seen.set(name, j);
  });
  return out;
}
