// `unused-param`: a param a spec declares that none of its fields refers to. Tekton accepts it;
// a caller then sets a value that changes nothing (often a param renamed in the script but not
// in the declaration, or left over from an earlier version).
import type { PathSegment } from '../load.js';
import { isObj, type Obj, list, str } from '../plain-object.js';
import { strings, type Finding } from './finding.js';

/** A param reference in a string: `params.x…` (the dotted run) or `params["x.y"]`, `params['x.y']`. */
const REFERENCE = /params(?:\.([A-Za-z0-9_.-]+)|\[(["'])([^"'\]]*)\2\])/g;

/** Takes out of `unused` each param `text` refers to (for a dotted run every prefix: `a.b` may be object `a`'s key). */
function dropReferencedIn(text: string, unused: Set<string>): void {
  for (const m of text.matchAll(REFERENCE)) {
    if (m[3] !== undefined) {
      unused.delete(m[3]);
      continue;
    }
    const run = m[1]!;
    for (let i = run.indexOf('.'); i !== -1; i = run.indexOf('.', i + 1)) unused.delete(run.slice(0, i));
    unused.delete(run);
    if (!unused.size) return;
  }
}

/**
 * The params of `spec` (a Task, StepAction or Pipeline spec at `path`/`raw`) that nothing in it
 * uses. With the document's text, a param is used when the text mentions it;
 * without (a value built in memory), when a string of the spec refers to it.
 */
export function unusedParams(spec: Obj, path: string, raw: PathSegment[], source?: string): Finding[] {
  const params = spec.params;
  if (!Array.isArray(params) || params.length === 0) return [];
  const unused = new Set<string>();
  for (let i = 0; i < params.length; i++) {
    const p = params[i] as unknown;
    const name = isObj(p) ? p.name : undefined;
    if (typeof name === 'string' && name !== '') unused.add(name);
  }
  if (source !== undefined) {
    // A search of the document's text for each name (native; a walk over every value of a
    // spec, in code V8 has not optimised yet, costs far more). A mention in a comment or a
    // description counts as a use, so findings can only be fewer.
    for (const name of unused) if (mentioned(source, name)) unused.delete(name);
  } else {
    for (const { text } of strings({ ...spec, params: undefined }, '', [], 'params')) dropReferencedIn(text, unused);
  }
  if (!unused.size) return [];
  const out: Finding[] = [];
  list(params).forEach((p, i) => {
    const name = str(p.name);
    if (!unused.has(name)) return;
    unused.delete(name); // (a name twice is Tekton's error already)
    out.push({
      rule: 'unused-param',
      message: `param "${name}" is declared but nothing refers to it: the value a run passes changes nothing`,
      path: `${path}.params[${i}]`,
      raw: [...raw, 'params', i, 'name'],
      details: `Remove it, or use it as $(params${name.includes('.') ? `["${name}"]` : `.${name}`}) (in env, args or the fields Tekton substitutes).`,
    });
  });
  return out;
}

/**
 * Whether `source` mentions param `name`: `params.name` not followed by another name character
 * (a `.` may follow: an object's key), or `params["name"]`, `params['name']`, `params[\"name\"]`
 * (inside a double-quoted YAML string), `params[''name'']` (inside a single-quoted one).
 */
function mentioned(source: string, name: string): boolean {
  const dotted = `params.${name}`;
  for (let i = source.indexOf(dotted); i !== -1; i = source.indexOf(dotted, i + dotted.length)) {
    const c = source.charCodeAt(i + dotted.length);
    // [A-Za-z0-9_-] would continue the name
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45)) return true;
  }
  return source.includes(`params["${name}"]`) || source.includes(`params['${name}']`) || source.includes(`params[\\"${name}\\"]`) ||
    source.includes(`params[''${name}'']`);
}
