// Finding `$(...)` variable references the way Tekton's webhook does (pkg/substitution):
// a prefix such as `params` followed by `.name`, `["name"]` or `['name']`, matched lazily, with
// an optional `[*]`. Pure string functions, shared by validation and lint rules.
import type { PathSegment } from './load.js';

// Go's RE2 `.` does not match a newline; neither does `[^\n]` here (JS `.` also skips \r, \u2028).
const ANY = '[^\\n]*?(\\[\\*\\])?';

interface Pattern {
  re: RegExp;
  /** Text every match starts with: strings without it are skipped without running the regex. */
  needle: string;
  /**
   * The group holding the name in dot form; `["…"]` and `['…']` follow two and four groups later.
   * Numbered, not named (no groups object per match), so they come after any group of the prefix
   * itself (a param named `a(b)`).
   */
  dot: number;
}

const cache = new Map<string, Pattern>();

/** The reference pattern for a prefix given as a regex fragment (`params`, `context\\.taskRun`). */
function pattern(prefix: string): Pattern {
  let p = cache.get(prefix);
  if (!p) {
    let re: RegExp;
    let dot = 1;
    try {
      re = new RegExp(`\\$\\(${prefix}(?:\\.(${ANY})|\\["(${ANY})"\\]|\\['(${ANY})'\\])\\)`, 'g');
      // after the prefix's own groups: with an empty alternative added the pattern matches '' and
      // reports every group (its own six, and the prefix's before them)
      dot = new RegExp(`${re.source}|`).exec('')!.length - 6;
    } catch {
      re = /(?!)/g; // Tekton's regexp.Compile fails too (a param name with regex syntax) and finds nothing
    }
    // A prefix of plain characters and escaped dots is literal text; anything else may match variably.
    const literal = /^[\w-]*$/.test(prefix.replace(/\\\./g, ''));
    p = { re, needle: literal ? `$(${prefix.replace(/\\\./g, '.')}` : '$(', dot };
    if (cache.size > 500) cache.clear(); // object-param prefixes are per name; keep the cache bounded
    cache.set(prefix, p);
  }
  p.re.lastIndex = 0;
  return p;
}

export interface Extracted {
  /** Variable names (dot form: the part before an object key; bracket forms: as written). */
  vars: string[];
  present: boolean;
  /** Set when a dot-form reference has more than two dot-separated parts. */
  error: string;
}

/** Tekton's ExtractVariablesFromString. */
const NONE: Extracted = Object.freeze({ vars: [], present: false, error: '' }) as Extracted;

export function extractVariables(s: string, prefix: string): Extracted {
  if (!s.includes('$(')) return NONE;
  const { re, needle, dot } = pattern(prefix);
  if (!s.includes(needle)) return NONE;
  const vars: string[] = [];
  let any = false;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    any = true;
    const v1 = m[dot];
    if (v1 !== undefined && v1.includes('.')) {
      if (v1.split('.').length > 2) {
        return {
          vars,
          present: true,
          error: `Invalid referencing of parameters in "${s}"! Only two dot-separated components after the prefix "${prefix}" are allowed.`,
        };
      }
      vars.push(v1.split('.')[0]!);
      continue;
    }
    vars.push(v1 || m[dot + 2] || m[dot + 4] || '');
  }
  return { vars, present: any, error: '' };
}

/** Tekton's extractEntireVariablesFromString: whole expressions after the prefix (`obj.key`, `a[*]`). */
export function extractEntireVariables(s: string, prefix: string): string[] {
  const out: string[] = [];
  if (!s.includes('$(')) return out;
  const { re, needle, dot } = pattern(prefix);
  if (!s.includes(needle)) return out;
  for (let m = re.exec(s); m; m = re.exec(s)) out.push(m[dot] || m[dot + 2] || m[dot + 4] || '');
  return out;
}

/** The text of the first reference with this prefix, or ''. */
export function firstExpression(s: string, prefix: string): string {
  if (!s.includes('$(')) return '';
  const m = pattern(prefix).re.exec(s);
  return m ? m[0] : '';
}

/** Every full reference text with this prefix (Tekton's ExtractVariableExpressions). */
export function expressions(s: string, prefix: string): string[] {
  if (!s.includes('$(')) return [];
  return [...s.matchAll(pattern(prefix).re)].map((m) => m[0]);
}

/** Tekton's TrimArrayIndex: drops every `[digits]` and `[*]`. */
export function trimArrayIndex(s: string): string {
  return s.replace(/\[([0-9])*\*?\]/g, '');
}

/**
 * Every string inside a value that contains `needle` (by default `$(`, any reference), with its
 * path and keys (for scans over subtrees).
 */
export function stringsWithReferences(value: unknown, path: string, raw: PathSegment[], needle = '$('): { text: string; path: string; raw: PathSegment[] }[] {
  const out: { text: string; path: string; raw: PathSegment[] }[] = [];
  const keys: PathSegment[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.includes(needle)) out.push({ text: v, path: pathText(path, keys), raw: [...raw, ...keys] });
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        keys.push(i);
        walk(v[i]);
        keys.pop();
      }
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        keys.push(k);
        walk((v as Record<string, unknown>)[k]);
        keys.pop();
      }
    }
  };
  walk(value);
  return out;
}

function pathText(base: string, keys: PathSegment[]): string {
  let s = base;
  for (const k of keys) s += typeof k === 'number' ? `[${k}]` : `.${k}`;
  return s;
}
