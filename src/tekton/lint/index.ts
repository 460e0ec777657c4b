// tektite's own checks, beyond Tekton's webhook: each rule has an id and reports warnings
// (errors with --strict). Input is the v1, defaulted document; findings carry raw paths into it.
import type { Sidecar, StepActionSpec, TaskRunSpec, TaskSpec } from '../types.js';
import { embeddedTaskSpecs } from '../validate/pipeline.js';
import { containersOf, type ContainerSite, type Finding, type SpecSite } from './finding.js';
import { duplicateEnv } from './env.js';
import { imageRules, workingDirRules } from './images.js';
import { resultBudget } from './result-budget.js';
import { scriptReferences } from './script-references.js';
import { shellRules } from './shell.js';
import { undeclaredParams, undeclaredWorkspaces } from './undeclared.js';
import { unusedParams } from './unused-params.js';
import { undeclaredVolumes } from './volume-mounts.js';
import { isObj, type Obj } from '../plain-object.js';

export type { Finding } from './finding.js';

/** Rule ids with a one-line summary (for `--help` and the docs). */
export const LINT_RULES: Record<string, string> = {
  'script-reference': 'a param, task result, workspace path or trigger param pasted into a script (use env)',
  'undeclared-workspace': '$(workspaces.x...) naming a workspace the Task does not declare',
  'undeclared-param': '$(params.x) Tekton does not check (stepTemplate, sidecars, volumes, valueFrom, defaults, inputs.params)',
  'result-budget': 'declared results that cannot fit the 4096-byte termination message',
  'sh-bashism': 'bash-only syntax in a script run by /bin/sh',
  'script-shebang': 'an interpreter line without #!, or text before #!',
  'image-unpinned': 'an image without tag or digest, or tagged latest',
  'relative-working-dir': 'a relative workingDir',
  'duplicate-env': 'the same env var twice in one step (Kubernetes keeps the last)',
  'unknown-field': 'a field the Tekton CRD does not declare (the API server drops it)',
  'unused-param': 'a declared param nothing in its Task, StepAction or Pipeline refers to',
  'undeclared-volume': 'a volumeMount naming no volume of the Task (Kubernetes refuses the pod)',
  'yaml11-scalar': 'an unquoted yes/no/on/off/y/n, 0755, 1_000... that kubectl (YAML 1.1) reads as a boolean or number',
  'duplicate-key': 'a map key written twice (kubectl keeps one value and silently drops the other)',
};

const names = (list: unknown): string[] => (Array.isArray(list) ? list.map((x) => (isObj(x) && typeof x.name === 'string' ? x.name : '')) : []);

/** The Task specs in a v1 document, with what they may reference. */
export function specSites(kind: string, doc: Obj): SpecSite[] {
  const spec = isObj(doc.spec) ? doc.spec : undefined;
  if (!spec) return [];
  const site = (ts: TaskSpec, path: string, raw: (string | number)[], params: Set<string> | undefined, workspaces: string[], podVolumes?: string[]): SpecSite => ({
    spec: ts, path, raw, params, workspaces: new Set([...names(ts.workspaces), ...workspaces]), ...(podVolumes ? { podVolumes: new Set(podVolumes) } : {}),
  });
  const templateVolumes = (holder: unknown): string[] => (isObj(holder) && isObj(holder.podTemplate) ? names(holder.podTemplate.volumes) : []);
  if (kind === 'Task') {
    const ts = spec as unknown as TaskSpec;
    return [site(ts, 'spec', ['spec'], new Set(names(ts.params)), [])];
  }
  if (kind === 'TaskRun') {
    const tr = spec as unknown as TaskRunSpec;
    if (!isObj(tr.taskSpec)) return [];
    const ts = tr.taskSpec;
    return [site(ts, 'spec.taskSpec', ['spec', 'taskSpec'], new Set([...names(ts.params), ...names(tr.params)]), names(tr.workspaces), templateVolumes(tr))];
  }
  // `fromRun`: a PipelineRun's workspaces, which Tekton propagates into its inline specs;
  // `runVolumes`: what a PipelineRun's pod templates add to the pod of the named task.
  const pipelineSite = (ps: unknown, path: string, raw: (string | number)[], fromRun: string[], runVolumes?: (task: unknown) => string[]): SpecSite[] =>
    embeddedTaskSpecs(ps).map(({ spec: ts, field, index }) => {
      const pt = (ps as Obj)[field] as Obj[];
      const bound = [...names(pt[index]?.workspaces), ...names((ps as Obj).workspaces), ...fromRun];
      return site(ts, `${path}.${field}[${index}].taskSpec`, [...raw, field, index, 'taskSpec'], undefined, bound, runVolumes?.(pt[index]?.name));
    });
  if (kind === 'Pipeline') return pipelineSite(spec, 'spec', ['spec'], []);
  if (kind === 'PipelineRun' && isObj(spec.pipelineSpec)) {
    const runVolumes = (task: unknown): string[] => [
      ...templateVolumes(spec.taskRunTemplate),
      ...(Array.isArray(spec.taskRunSpecs) ? spec.taskRunSpecs : []).flatMap((s) => (isObj(s) && s.pipelineTaskName === task ? templateVolumes(s) : [])),
    ];
    return pipelineSite(spec.pipelineSpec, 'spec.pipelineSpec', ['spec', 'pipelineSpec'], names(spec.workspaces), runVolumes);
  }
  return [];
}

/** `source`: the document's text, when it came from a file (some rules search it instead of walking the value). */
export function lintDocument(kind: string, doc: unknown, source?: string): Finding[] {
  if (!isObj(doc)) return [];
  const out: Finding[] = [];
  const containers: ContainerSite[] = [];
  for (const site of specSites(kind, doc)) {
    const own = containersOf(site);
    if (isObj(site.spec.stepTemplate)) {
      own.push({ container: site.spec.stepTemplate as Sidecar, path: `${site.path}.stepTemplate`, raw: [...site.raw, 'stepTemplate'], kind: 'step' });
    }
    containers.push(...own);
    out.push(...undeclaredWorkspaces(site), ...undeclaredParams(site), ...resultBudget(site));
    out.push(...unusedParams(site.spec as unknown as Obj, site.path, site.raw, source), ...undeclaredVolumes(site, own));
  }
  if (kind === 'StepAction' && isObj(doc.spec)) {
    containers.push({ container: doc.spec as StepActionSpec as Sidecar, path: 'spec', raw: ['spec'], kind: 'stepaction' });
    out.push(...unusedParams(doc.spec, 'spec', ['spec'], source));
  }
  // a Pipeline's own params (its tasks, finally and embedded specs may use them)
  const ps = kind === 'Pipeline' ? doc.spec : kind === 'PipelineRun' && isObj(doc.spec) ? doc.spec.pipelineSpec : undefined;
  if (isObj(ps)) out.push(...unusedParams(ps, kind === 'Pipeline' ? 'spec' : 'spec.pipelineSpec', kind === 'Pipeline' ? ['spec'] : ['spec', 'pipelineSpec'], source));
  for (const c of containers) {
    // A StepAction script with $(params…) is already a Tekton error; do not repeat it.
    if (c.kind !== 'stepaction') out.push(...scriptReferences(c));
    out.push(...shellRules(c), ...imageRules(c), ...workingDirRules(c), ...duplicateEnv(c));
  }
  return out;
}
