// `undeclared-volume`: a volumeMount naming no volume of its Task (nor of the run's own pod
// template, for a TaskRun or PipelineRun). Tekton accepts the Task; the pod for it cannot be
// created (Kubernetes: `volumeMounts[0].name: Not found`) unless a pod template adds that volume
// (Tekton appends podTemplate.volumes to the Task's). Names made of a reference
// (`$(workspaces.w.volume)`, `$(params.v)`) are left alone.
import { list, str } from '../plain-object.js';
import type { ContainerSite, Finding, SpecSite } from './finding.js';

export function undeclaredVolumes(site: SpecSite, containers: readonly ContainerSite[]): Finding[] {
  // most Tasks mount nothing: look no further then
  let mounts = false;
  for (let i = 0; i < containers.length && !mounts; i++) mounts = Array.isArray(containers[i]!.container.volumeMounts);
  if (!mounts) return [];
  const volumes = new Set(list(site.spec.volumes).map((v) => str(v.name)));
  const run = site.podVolumes;
  const out: Finding[] = [];
  for (const c of containers) {
    list(c.container.volumeMounts).forEach((m, j) => {
      const name = str(m.name);
      if (name === '' || name.includes('$(') || volumes.has(name) || run?.has(name)) return;
      out.push({
        rule: 'undeclared-volume',
        message: run
          ? `volumeMount "${name}" names no volume of the Task or of the run's podTemplate: Kubernetes refuses the pod (volumeMounts[${j}].name: Not found), so the run fails`
          : `volumeMount "${name}" names no volume of the Task: Kubernetes refuses the pod (volumeMounts[${j}].name: Not found) unless each run's podTemplate adds a volume "${name}"`,
        path: `${c.path}.volumeMounts[${j}].name`,
        raw: [...c.raw, 'volumeMounts', j, 'name'],
        details: volumes.size ? `The Task's volumes: ${[...volumes].join(', ')}.` : 'The Task declares no volumes: add one under spec.volumes (a workspace is mounted with spec.workspaces, not volumeMounts).',
      });
    });
  }
  return out;
}
