// What a lint rule reports, and where Task specs sit in the documents it looks at.
import type { PathSegment } from '../load.js';
export { stringsWithReferences as strings } from '../references.js';
import type { Sidecar, Step, TaskSpec } from '../types.js';

export interface Finding {
  /** Rule id (stable; shown as `[rule]` and usable by users to look the rule up). */
  rule: string;
  message: string;
  /** Field path in Tekton's notation (`spec.steps[0].script`). */
  path: string;
  /** Keys/indexes of the node in the (v1) document, for the source position. */
  raw: PathSegment[];
  /** Character index inside the string at `raw` the finding is about (for an exact line:col). */
  index?: number;
  details?: string;
}

/** A TaskSpec found in a document, with what surrounds it. */
export interface SpecSite {
  spec: TaskSpec;
  path: string;
  raw: PathSegment[];
  /**
   * Params the spec may use: its own plus those a TaskRun propagates. `undefined` when params
   * come from a Pipeline the linter does not model (embedded specs), so unknown-param checks skip.
   */
  params: ReadonlySet<string> | undefined;
  /** Workspaces the spec may use: declared plus propagated bindings. */
  workspaces: ReadonlySet<string>;
  /**
   * Volumes the run's own podTemplate adds to the pod (a TaskRun's; a PipelineRun's
   * taskRunTemplate and its taskRunSpecs entry for the task). `undefined` for a Task or a
   * Pipeline: each run may add any.
   */
  podVolumes?: ReadonlySet<string>;
}

/** A container-like thing with a script/image: steps, sidecars, a StepAction's spec. */
export interface ContainerSite {
  container: Step | Sidecar;
  path: string;
  raw: PathSegment[];
  /** `steps`, `sidecars` or `stepaction` (what the env snippet and messages talk about). */
  kind: 'step' | 'sidecar' | 'stepaction';
}

export function containersOf(site: SpecSite): ContainerSite[] {
  const out: ContainerSite[] = [];
  (site.spec.steps ?? []).forEach((s, i) => {
    if (s) out.push({ container: s, path: `${site.path}.steps[${i}]`, raw: [...site.raw, 'steps', i], kind: 'step' });
  });
  (site.spec.sidecars ?? []).forEach((s, i) => {
    if (s) out.push({ container: s, path: `${site.path}.sidecars[${i}]`, raw: [...site.raw, 'sidecars', i], kind: 'sidecar' });
  });
  return out;
}
