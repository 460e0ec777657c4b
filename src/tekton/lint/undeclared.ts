// Rules `undeclared-workspace` and `undeclared-param`: references Tekton neither resolves nor
// rejects. An unknown `$(workspaces.w.…)` is left as literal text anywhere
// (tektoncd/pipeline#6699); `$(params.x)` is only checked in some step fields (§3.8), so one in
// stepTemplate, sidecars, volumes, env.valueFrom, envFrom, a workspace mountPath, a param
// default, or spelled `$(inputs.params.x)` also stays literal. In a script the shell then runs
// `workspaces.w.path` as a command.
import type { Finding, SpecSite } from './finding.js';
import { strings } from './finding.js';

type Field = 'steps' | 'stepTemplate' | 'sidecars' | 'volumes';
type Located = ReturnType<typeof strings>;

/** The strings of one field of a site that hold `needle`, with their paths. */
const stringsIn = (site: SpecSite, field: Field, needle: string): Located => strings(site.spec[field], `${site.path}.${field}`, [...site.raw, field], needle);

const WORKSPACE_REF = /\$\(workspaces\.([^.)\s]+)\.[^)\s]*\)/g;
const PARAM_REF = /\$\((inputs\.)?params(?:\.([^.)[\s]+)|\["([^"]*)"\]|\['([^']*)'\])[^)\s]*\)/g;

export function undeclaredWorkspaces(site: SpecSite): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const field of ['steps', 'stepTemplate', 'sidecars', 'volumes'] as const) {
    for (const s of stringsIn(site, field, '$(workspaces.')) {
      for (const m of s.text.matchAll(WORKSPACE_REF)) {
        const name = m[1]!;
        if (site.workspaces.has(name) || seen.has(`${s.path}\u0000${m[0]}`)) continue;
        seen.add(`${s.path}\u0000${m[0]}`);
        out.push({
          rule: 'undeclared-workspace',
          message: `workspace "${name}" is not declared: ${m[0]} stays literal text`,
          path: s.path,
          raw: s.raw,
          index: m.index,
          details: `Tekton does not reject references to undeclared workspaces; it leaves them unreplaced. Declare it under ${site.path}.workspaces.`,
        });
      }
    }
  }
  return out;
}

/** Fields where Tekton's webhook does not check `$(params.x)` (§3.8). */
function uncheckedParamFields(site: SpecSite): { text: string; path: string; raw: (string | number)[] }[] {
  const out: { text: string; path: string; raw: (string | number)[] }[] = [];
  const { spec, path, raw } = site;
  out.push(...stringsIn(site, 'stepTemplate', '$('), ...stringsIn(site, 'sidecars', '$('), ...stringsIn(site, 'volumes', '$('));
  for (const [i, w] of (spec.workspaces ?? []).entries()) {
    if (typeof w?.mountPath === 'string') out.push({ text: w.mountPath, path: `${path}.workspaces[${i}].mountPath`, raw: [...raw, 'workspaces', i, 'mountPath'] });
  }
  (spec.params ?? []).forEach((p, i) => {
    if (p?.default !== undefined) out.push(...strings(p.default, `${path}.params[${i}].default`, [...raw, 'params', i, 'default']));
  });
  (spec.steps ?? []).forEach((s, i) => {
    (s?.env ?? []).forEach((e, j) => {
      if (e?.valueFrom !== undefined) out.push(...strings(e.valueFrom, `${path}.steps[${i}].env[${j}].valueFrom`, [...raw, 'steps', i, 'env', j, 'valueFrom']));
    });
    if (s?.envFrom !== undefined) out.push(...strings(s.envFrom, `${path}.steps[${i}].envFrom`, [...raw, 'steps', i, 'envFrom']));
  });
  return out;
}

export function undeclaredParams(site: SpecSite): Finding[] {
  const declared = site.params;
  if (!declared) return [];
  const out: Finding[] = [];
  const report = (name: string, ref: string, path: string, raw: (string | number)[], why: string, index?: number) =>
    out.push({ rule: 'undeclared-param', message: `param "${name}" is not declared: ${ref} stays literal text`, path, raw, details: why, ...(index === undefined ? {} : { index }) });
  for (const s of uncheckedParamFields(site)) {
    for (const m of s.text.matchAll(PARAM_REF)) {
      const name = m[2] ?? m[3] ?? m[4] ?? '';
      if (!declared.has(name)) report(name, m[0], s.path, s.raw, 'Tekton does not check param references in this field and leaves unknown ones unreplaced.', m.index);
    }
  }
  // `$(inputs.params.x)` is substituted like `$(params.x)` but never validated, wherever it is.
  for (const field of ['steps'] as const) {
    for (const s of stringsIn(site, field, '$(inputs.params')) {
      for (const m of s.text.matchAll(PARAM_REF)) {
        const name = m[2] ?? m[3] ?? m[4] ?? '';
        if (m[1] && !declared.has(name)) report(name, m[0], s.path, s.raw, 'Tekton never validates the legacy $(inputs.params.x) form.', m.index);
      }
    }
  }
  return out;
}
