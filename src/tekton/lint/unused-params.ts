// `unused-param`: a param a spec declares that none of its fields refers to. Tekton accepts it;
// a caller then sets a value that changes nothing (often a param renamed in the script but not
// in the declaration, or left over from an earlier version).
import type { PathSegment } from '../load.js';
import { isObj, type Obj, list, str } from '../plain-object.js';
import { strings, type Finding } from './finding.js';

/** `$(params.x…)`, `$(inputs.params.x…)`, `$(params["x.y"]…)`: the dotted run or the quoted name. */
const REFERENCE = /\$\((?:inputs\.)?params(?:\.([A-Za-z0-9_.-]+)|\[(["'])([^"'\]]*)\2\])/g;

/** The param names the strings in `value` refer to (for a dotted run every prefix: `a.b` may be object `a`'s key). */
export function referencedParams(value: unknown): Set<string> {
  const used = new Set<string>();
  for (const { text } of strings(value, '', [], 'params')) {
    for (const m of text.matchAll(REFERENCE)) {
      if (m[3] !== undefined) {
        used.add(m[3]);
        continue;
      }
      const parts = m[1]!.split('.');
      for (let i = 1; i <= parts.length; i++) used.add(parts.slice(0, i).join('.'));
    }
  }
  return used;
}

/** The params of `spec` (a Task, StepAction or Pipeline spec at `path`/`raw`) that nothing in it uses. */
export function unusedParams(spec: Obj, path: string, raw: PathSegment[]): Finding[] {
  const params = list(spec.params);
  if (params.length === 0) return [];
  const used = referencedParams({ ...spec, params: undefined });
  const out: Finding[] = [];
  const seen = new Set<string>();
  params.forEach((p, i) => {
    const name = str(p.name);
    if (name === '' || used.has(name) || seen.has(name)) return; // (a name twice is Tekton's error already)
    seen.add(name);
    out.push({
      rule: 'unused-param',
      message: `param "${name}" is declared but nothing refers to it: the value a run passes changes nothing`,
      path: `${path}.params[${i}]`,
      raw: isObj(p) ? [...raw, 'params', i, 'name'] : [...raw, 'params', i],
      details: `Remove it, or use it as $(params.${name.includes('.') ? `["${name}"]` : name}) (in env, args or the fields Tekton substitutes).`,
    });
  });
  return out;
}
