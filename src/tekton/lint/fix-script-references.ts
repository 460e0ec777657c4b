// `tektite validate --fix`: rewrites the `script-reference` findings of a file the way the
// finding suggests: each flagged reference in a `|` script becomes "${NAME}" and the step gets
// the env entry `NAME: $(params.x)` (Tekton substitutes env values; the shell then reads the
// value as data, never as code). Only the text that changes is touched: comments, quoting and
// layout stay. A reference is left alone where the shell could read the replacement differently
// (a quoted here-document, backticks, a command substitution inside double quotes), and a step
// is left alone when its YAML is not in the plain block form. The edited text is loaded again
// and must hold exactly the intended values, or the file is not changed.
import { isDeepStrictEqual } from 'node:util'; // map key order aside
import { loadText, type LoadedDoc, type PathSegment } from '../load.js';
import { isObj, valueAt, type Obj } from '../plain-object.js';
import { lineStarts } from '../yaml-subset.js';
import { validateDoc, type ValidateOptions } from '../validate/index.js';
import { dropIgnored } from './ignore.js';
import { REFERENCE, envName, freeName, yamlScalar } from './script-references.js';

export interface FixResult {
  /** The new text (the input when nothing was fixed). */
  text: string;
  /** Occurrences of references replaced. */
  fixed: number;
  /** script-reference findings fixed, and left as they are. */
  done: number;
  left: number;
}

/** How the shell reads the place a reference sits in. */
type Context = 'code' | 'double' | 'single' | 'unsafe';

interface Edit {
  offset: number;
  remove: number;
  insert: string;
}

/**
 * Fixes the `script-reference` findings of one file's text (those not turned off by
 * `# tektite-ignore` comments). `opts` are the validation options the findings came from.
 */
export function fixScriptReferences(text: string, file: string, opts: ValidateOptions): FixResult {
  const loaded = loadText(text, file);
  const unchanged = (left: number): FixResult => ({ text, fixed: 0, done: 0, left });
  if (loaded.diagnostics.some((d) => d.severity === 'error')) return unchanged(0);
  const starts = lineStarts(text);
  const offsetOf = (p: { line: number; col: number }) => starts[p.line - 1]! + p.col - 1;
  const edits: Edit[] = [];
  const expected = new Map<LoadedDoc, Obj>(); // tekton docs whose value changes, as it must become
  let fixed = 0;
  let total = 0;
  for (const doc of loaded.tekton) {
    const found = findings([doc], text, opts);
    total += found.length;
    if (!found.length) continue;
    // findings by container (the path without its final `script`)
    const byContainer = new Map<string, { path: PathSegment[]; indexes: number[] }>();
    for (const d of found) {
      const at = d.at ? { path: d.at.path, indexes: [d.at.index ?? -1] } : stepActionScript(doc);
      for (const index of at.indexes) {
        const path = at.path.slice(0, -1);
        const key = JSON.stringify(path);
        const entry = byContainer.get(key) ?? { path, indexes: [] };
        entry.indexes.push(index);
        byContainer.set(key, entry);
      }
    }
    for (const { path, indexes } of byContainer.values()) {
      const plan = planContainer(doc, path, indexes, text, offsetOf);
      if (!plan.edits.length) continue;
      edits.push(...plan.edits);
      fixed += plan.occurrences;
      const value = expected.get(doc) ?? (structuredClone(doc.value) as Obj);
      expected.set(doc, value);
      const c = valueAt(value, path) as Obj;
      c.script = plan.script;
      if (plan.env.length) c.env = [...plan.env, ...(Array.isArray(c.env) ? c.env : [])];
    }
  }
  if (!edits.length) return unchanged(total);
  edits.sort((a, b) => b.offset - a.offset);
  for (let i = 1; i < edits.length; i++) {
    if (edits[i]!.offset + edits[i]!.remove > edits[i - 1]!.offset) return unchanged(total); // overlapping: give up
  }
  let out = text;
  for (const e of edits) out = out.slice(0, e.offset) + e.insert + out.slice(e.offset + e.remove);
  // the edited text must load to exactly the intended values, every other document unchanged
  const again = loadText(out, file);
  const same =
    !again.diagnostics.some((d) => d.severity === 'error') &&
    again.docs.length === loaded.docs.length &&
    again.tekton.length === loaded.tekton.length &&
    loaded.tekton.every((d, i) => isDeepStrictEqual(again.tekton[i]!.value, expected.get(d) ?? d.value)) &&
    loaded.docs.every((d, i) => d.kind === 'TriggerTemplate' || isDeepStrictEqual(again.docs[i]!.value, expected.get(d) ?? d.value));
  if (!same) return unchanged(total);
  // what is left, counted on the new text (a script reached twice through a YAML alias is fixed once)
  const remaining = findings(again.tekton, out, opts).length;
  return { text: out, fixed, done: total - remaining, left: remaining };
}

interface Plan {
  edits: Edit[];
  /** Occurrences of references replaced. */
  occurrences: number;
  script: string;
  env: { name: string; value: string }[];
}

/** The script-reference findings of documents loaded from `text` that no tektite-ignore comment covers. */
function findings(docs: readonly LoadedDoc[], text: string, opts: ValidateOptions) {
  return dropIgnored(docs.flatMap((d) => validateDoc(d, opts).filter((x) => (x.rule === 'script-reference' && x.at) || (d.kind === 'StepAction' && x.message === STEPACTION_SCRIPT))), text).kept;
}

/** Tekton's error for a param reference in a StepAction's script, which the same fix answers (env is where a StepAction takes params). */
const STEPACTION_SCRIPT = 'param substitution in scripts is not allowed.';

/** For that error (which names no reference): the first place of each param reference in the StepAction's script. */
function stepActionScript(doc: LoadedDoc): { path: PathSegment[]; indexes: number[] } {
  const spec = isObj(doc.value) && isObj(doc.value.spec) ? doc.value.spec : {};
  const script = typeof spec.script === 'string' ? spec.script : '';
  const firsts = new Map<string, number>();
  for (const m of script.matchAll(new RegExp(REFERENCE.source, 'g'))) if (/^\$\((?:inputs\.)?params/.test(m[0]) && !firsts.has(m[0])) firsts.set(m[0], m.index);
  return { path: ['spec', 'script'], indexes: [...firsts.values()] };
}

function planContainer(doc: LoadedDoc, path: PathSegment[], indexes: number[], text: string, offsetOf: (p: { line: number; col: number }) => number): Plan {
  const none: Plan = { edits: [], occurrences: 0, script: '', env: [] };
  const c = valueAt(doc.value, path);
  if (!isObj(c) || typeof c.script !== 'string') return none;
  const script = c.script;
  if (!shellScript(script)) return none; // `${NAME}` means something else to python, pwsh, node…
  const scriptAt = offsetOf(doc.pos([...path, 'script']));
  if (text[scriptAt] !== '|') return none; // only `|` block scalars map script indexes to the file exactly
  const env = c.env === undefined ? [] : c.env;
  if (!Array.isArray(env) || !env.every((e) => isObj(e))) return none;

  const flagged = new Set<string>();
  for (const i of indexes) {
    const m = matchAt(script, i);
    // `[*]` (a whole array) is not allowed in an env value
    if (m && !m.includes('[*]')) flagged.add(m);
  }
  const occurrences = contexts(script).filter((o) => flagged.has(o.ref));
  // a reference is fixed everywhere or nowhere (a half-fixed one is still flagged)
  for (const o of occurrences) {
    if (o.ctx === 'unsafe' || !sameReading(knownValues(doc.value, path, o.ref), o.ctx)) flagged.delete(o.ref);
  }
  const todo = occurrences.filter((o) => flagged.has(o.ref));
  if (!todo.length) return none;

  // names: an env entry already holding the reference, else a new one no one uses yet
  const taken = new Set<string>([...env.map((e) => String(e.name)), ...templateEnv(doc.value, path)]);
  const names = new Map<string, string>();
  const added: { name: string; value: string }[] = [];
  for (const ref of flagged) {
    // an entry the shell can name (Kubernetes also takes `my-var`, which "${my-var}" is not)
    const existing = env.find((e) => e.value === ref && typeof e.name === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(e.name));
    if (existing) {
      names.set(ref, existing.name as string);
      continue;
    }
    const name = freeName(envName(ref), (n) => taken.has(n) || new RegExp(`\\b${n}\\b`).test(script));
    taken.add(name);
    names.set(ref, name);
    added.push({ name, value: ref });
  }

  const edits: Edit[] = [];
  let newScript = '';
  let copied = 0;
  for (const o of todo) {
    const name = names.get(o.ref)!;
    const at = offsetOf(doc.textPos([...path, 'script'], o.index));
    if (text.slice(at, at + o.ref.length) !== o.ref) return none;
    let [from, to, replacement] = [o.index, o.index + o.ref.length, `\${${name}}`];
    if (o.ctx === 'single') {
      // '…$(params.x)…' becomes '…'"${NAME}"'…'; a quote holding only the reference, "${NAME}"
      const alone = script[from - 1] === "'" && script[to] === "'";
      [from, to, replacement] = alone ? [from - 1, to + 1, `"\${${name}}"`] : [from, to, `'"\${${name}}"'`];
    }
    const start = at - (o.index - from);
    if (text.slice(start, start + (to - from)) !== script.slice(from, to)) return none;
    edits.push({ offset: start, remove: to - from, insert: replacement });
    newScript += script.slice(copied, from) + replacement;
    copied = to;
  }
  newScript += script.slice(copied);

  if (added.length) {
    let nl = '\n';
    const entry = (indent: string, e: { name: string; value: string }) => `${indent}- name: ${e.name}${nl}${indent}  value: ${yamlScalar(e.value)}${nl}`;
    const lineEnd = (lineStart: number) => (text[text.indexOf('\n', lineStart) - 1] === '\r' ? '\r\n' : '\n');
    if (env.length) {
      // a block sequence: new items go in front of the first, at its dash
      const first = offsetOf(doc.pos([...path, 'env', 0]));
      const lineStart = text.lastIndexOf('\n', first - 1) + 1;
      const lead = /^( *)- +$/.exec(text.slice(lineStart, first));
      if (!lead) return none;
      nl = lineEnd(lineStart);
      edits.push({ offset: aboveComments(text, lineStart, lead[1]!.length), remove: 0, insert: added.map((e) => entry(lead[1]!, e)).join('') });
    } else {
      // no env yet: a new key in front of a key of the step that starts its own line
      const key = Object.keys(c)
        .map((k) => offsetOf(doc.keyPos([...path, k])))
        .find((at) => /^ *$/.test(text.slice(text.lastIndexOf('\n', at - 1) + 1, at)));
      if (key === undefined) return none;
      const lineStart = text.lastIndexOf('\n', key - 1) + 1;
      const indent = text.slice(lineStart, key);
      nl = lineEnd(lineStart);
      edits.push({ offset: aboveComments(text, lineStart, indent.length), remove: 0, insert: `${indent}env:${nl}${added.map((e) => entry(`${indent}  `, e)).join('')}` });
    }
  }
  return { edits, occurrences: todo.length, script: newScript, env: added };
}

/**
 * Where a new line goes in front of the line at `lineStart`: above the comment lines, at the
 * same indentation, directly over it (a `# tektite-ignore` there stays with its line).
 */
function aboveComments(text: string, lineStart: number, indent: number): number {
  const comment = new RegExp(`^ {${indent}}#[^\n]*\r?\n$`);
  let at = lineStart;
  while (at > 0) {
    const prev = text.lastIndexOf('\n', at - 2) + 1;
    if (!comment.test(text.slice(prev, at))) break;
    at = prev;
  }
  return at;
}

/** Whether a script runs in a POSIX-style shell: no shebang (Tekton adds `#!/bin/sh`), or one naming sh, bash, dash, ash, ksh, mksh. */
function shellScript(script: string): boolean {
  const m = /^#!\s*(\S+)(?:[ \t]+(\S+))?/.exec(script);
  if (!m) return true;
  const name = (p: string | undefined) => (p ?? '').replace(/^.*\//, '');
  const interpreter = name(m[1]) === 'env' || name(m[1]) === 'busybox' ? name(m[2]) : name(m[1]);
  return /^(sh|bash|ash|dash|ksh|mksh)$/.test(interpreter); // not zsh: it does not split unquoted words
}

/**
 * The values a param reference is known to take: its declared defaults (in the spec holding the
 * step, or the document's own spec: a Pipeline's, a PipelineRun's pipelineSpec), the values a
 * TaskRun or PipelineRun passes, and those a Pipeline task passes its embedded spec (with the
 * Pipeline params they name). Empty for other references (results, workspaces), whose
 * values are not in the document.
 */
function knownValues(value: unknown, path: PathSegment[], ref: string): string[] {
  const m = /^\$\((?:inputs\.)?params(?:\.([^.)[]+)|\[(?:"([^"]*)"|'([^']*)')\])/.exec(ref);
  const name = m?.[1] ?? m?.[2] ?? m?.[3];
  if (name === undefined) return [];
  const own = valueAt(value, [...path.slice(0, -2), 'params']);
  const top = [valueAt(value, ['spec', 'params']), valueAt(value, ['spec', 'pipelineSpec', 'params'])];
  const out = [own, ...top].flatMap((list) => declared(list, name));
  // a Pipeline task's own values for its embedded spec, and the Pipeline's params they name
  if (path[path.length - 3] === 'taskSpec') {
    const passed = declared(valueAt(value, [...path.slice(0, -3), 'params']), name);
    out.push(...passed);
    for (const v of passed) for (const m of v.matchAll(/\$\(params\.([^.)[\s]+)\)/g)) out.push(...top.flatMap((list) => declared(list, m[1]!)));
  }
  return out;
}

/** The strings in the default and value of param `name` in a params list (array and object values item by item). */
function declared(list: unknown, name: string): string[] {
  const out: string[] = [];
  const collect = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (isObj(v)) Object.values(v).forEach(collect);
  };
  if (Array.isArray(list)) for (const p of list) if (isObj(p) && p.name === name) collect([p.default, p.value]);
  return out;
}

/**
 * Whether the shell reads each value the same pasted in as through "${NAME}" at a place of this
 * context. Pasted, the shell also processes what the value holds: `$`, backslashes, backticks and
 * `"` (unquoted and in double quotes), and `'`, `~` and `{a,b}` (unquoted); through env it does not.
 * In single quotes a value without `'` is text either way.
 */
function sameReading(values: readonly string[], ctx: Context): boolean {
  // `$` also because Kubernetes reads env values: `$$` becomes `$`, `$(NAME)` another variable
  const special = ctx === 'single' ? /['$]/ : ctx === 'double' ? /[$\\`"]/ : /[$\\`'"~{]/;
  return values.every((v) => !special.test(v));
}

/** The env names of the stepTemplate of the spec holding the step at `path` (a step's own env must not shadow them). */
function templateEnv(value: unknown, path: PathSegment[]): string[] {
  if (path[path.length - 2] !== 'steps') return [];
  const spec = valueAt(value, path.slice(0, -2));
  const env = isObj(spec) && isObj(spec.stepTemplate) ? spec.stepTemplate.env : undefined;
  return Array.isArray(env) ? env.flatMap((e) => (isObj(e) && typeof e.name === 'string' ? [e.name] : [])) : [];
}

function matchAt(script: string, index: number): string | undefined {
  const re = new RegExp(REFERENCE.source, 'y');
  re.lastIndex = index;
  return re.exec(script)?.[0];
}

/**
 * Every reference in a script with how the shell reads its place: unquoted code (comments and
 * the bodies of unquoted here-documents count: `${NAME}` expands there as the value did),
 * double quotes, single quotes, or a place this scanner does not follow (after a backtick, a
 * `$(` inside double quotes, a here-document it cannot read), which stays `unsafe` to the end.
 */
export function contexts(script: string): { index: number; ref: string; ctx: Context }[] {
  const out: { index: number; ref: string; ctx: Context }[] = [];
  const ref = new RegExp(REFERENCE.source, 'y');
  // other Tekton variables (`$(results.x.path)`, `$(context.taskRun.name)`…) are replaced by
  // plain text before the shell runs: not command substitutions
  const variable = /\$\((?:params|inputs|context|workspaces|results|steps|step|tasks|tt)\b[^()\s]*\)/y;
  let mode: 'code' | 'double' | 'single' | 'comment' | 'unsafe' = 'code';
  const heredocs: { delim: string; quoted: boolean; strip: boolean }[] = [];
  let i = 0;
  let wordStart = 0; // where the unquoted word at i starts (in code)
  let braceWord = false; // whether that word holds a brace expansion
  while (i < script.length) {
    if (script[i] === '$') {
      ref.lastIndex = i;
      const m = ref.exec(script);
      if (m) {
        out.push({ index: i, ref: m[0], ctx: mode === 'code' && braceWord ? 'unsafe' : beside(script, i, m[0].length, mode === 'comment' ? 'code' : mode) });
        i += m[0].length;
        continue;
      }
      variable.lastIndex = i;
      const v = variable.exec(script);
      if (v) {
        i += v[0].length;
        continue;
      }
    }
    const ch = script[i]!;
    if (mode === 'unsafe') {
      i++;
      continue;
    }
    if (mode === 'single') {
      if (ch === "'") mode = 'code';
      i++;
      continue;
    }
    if (mode === 'double') {
      if (ch === '\\') i += 2;
      else if (ch === '"') (mode = 'code'), i++;
      else if (ch === '`' || script.startsWith('$(', i)) mode = 'unsafe';
      else if (script.startsWith('${', i)) {
        // quotes in a pattern (`"${x#'…'}"`) are quotes again: references in there stay
        const end = braceEnd(script, i + 2);
        if (end === -1) mode = 'unsafe';
        else {
          for (const m of script.slice(i, end).matchAll(new RegExp(REFERENCE.source, 'g'))) out.push({ index: i + m.index, ref: m[0], ctx: 'unsafe' });
          i = end;
        }
      } else i++;
      continue;
    }
    if (ch === '\n') {
      if (mode === 'comment') mode = 'code';
      i++;
      wordStart = i;
      braceWord = false;
      // here-document bodies start on the next line
      while (heredocs.length && mode === 'code') {
        const h = heredocs.shift()!;
        const body: { index: number; ref: string; ctx: Context }[] = [];
        let followed = true; // false from the first `$(`, `${`, backtick or backslash of the body on
        for (;;) {
          if (i >= script.length) {
            // no end line: not a here-document as read here (`$((x<<y))`?); nothing after it is sure
            for (const o of body) o.ctx = 'unsafe';
            mode = 'unsafe';
            break;
          }
          const eol = script.indexOf('\n', i);
          const end = eol === -1 ? script.length : eol;
          const line = script.slice(i, end);
          if ((h.strip ? line.replace(/^\t+/, '') : line) === h.delim) {
            i = end + 1;
            break;
          }
          for (let j = i; j < end; j++) {
            const c = script[j];
            if (c === '`' || c === '\\') followed = false; // the body's own code and escapes are not followed
            if (c !== '$') continue;
            ref.lastIndex = j;
            const m = ref.exec(script);
            if (m && j + m[0].length <= end) {
              body.push({ index: j, ref: m[0], ctx: h.quoted || !followed ? 'unsafe' : beside(script, j, m[0].length, 'double') });
              j += m[0].length - 1;
              continue;
            }
            variable.lastIndex = j;
            const v = variable.exec(script);
            if (v) j += v[0].length - 1;
            else if (script[j + 1] === '(' || script[j + 1] === '{') followed = false;
          }
          i = end + 1;
        }
        out.push(...body);
      }
      continue;
    }
    if (mode === 'comment') {
      i++;
      continue;
    }
    // code
    if (ch === '\\') i += 2;
    else if (ch === "'") (mode = 'single'), i++;
    else if (ch === '"') (mode = 'double'), i++;
    else if (ch === '`' || (ch === '$' && script[i + 1] === "'")) mode = 'unsafe'; // backticks, bash's $'…'
    else if (ch === '#' && i > 0 && script[i - 1] === ')') mode = 'unsafe'; // `(cd x)# comment` or `$(ls)#word`: not told apart
    else if (ch === '#' && (i === 0 || /[\s;&|(]/.test(script[i - 1]!))) (mode = 'comment'), i++;
    else if (script.startsWith('<<<', i)) i += 3; // a here-string: no body
    else if (ch === '<' && script.startsWith('<<', i)) {
      // the delimiter: one quoted or one bare word, ending the word (`E"OF"` is not followed)
      const h = /^<<(-?)[ \t]*(?:'([^'\n]+)'|"([^"\n]+)"|(\\?)([A-Za-z_][\w-]*))(?=[\s;&|<>)]|$)/.exec(script.slice(i));
      if (!h) mode = 'unsafe';
      else {
        heredocs.push({ delim: h[2] ?? h[3] ?? h[5]!, quoted: h[5] === undefined || h[4] === '\\', strip: h[1] === '-' });
        i += h[0].length;
      }
    } else if (ch === '{' && script[i - 1] !== '$' && /\S/.test(script[i + 1] ?? ' ')) {
      // bash's brace expansion (`{1..3}$(params.n)`, `{a,$(params.b)}`) happens before variables
      // expand: references anywhere in its word are not sure
      const close = script.indexOf('}', i);
      const eol = script.indexOf('\n', i);
      if (close === -1 || (eol !== -1 && eol < close)) i++;
      else {
        braceWord = true;
        for (const o of out) if (o.index >= wordStart) o.ctx = 'unsafe';
        for (const m of script.slice(i, close).matchAll(new RegExp(REFERENCE.source, 'g'))) out.push({ index: i + m.index, ref: m[0], ctx: 'unsafe' });
        i = close + 1;
      }
    } else {
      if (/[\s;|&()<>]/.test(ch)) {
        wordStart = i + 1;
        braceWord = false;
      }
      i++;
    }
  }
  // every reference has a context: one the scanner stepped over (`\$(params.a)`) is not sure
  const seen = new Set(out.map((o) => o.index));
  for (const m of script.matchAll(new RegExp(REFERENCE.source, 'g'))) if (!seen.has(m.index)) out.push({ index: m.index, ref: m[0], ctx: 'unsafe' });
  return out.sort((a, b) => a.index - b.index);
}

/**
 * A reference's context, or `unsafe` where what stands beside it changes how the shell reads it:
 * after `$`, `\` (`$$(params.v)`, `\$(params.v)`), and unquoted after `{` or `~` or before `=`
 * (`~$(params.user)`, `$(params.name)=1`: a home folder, an assignment only when pasted in).
 */
function beside(script: string, i: number, length: number, ctx: Context): Context {
  if (ctx !== 'code' && ctx !== 'double') return ctx;
  const before = script[i - 1] ?? '';
  if (before === '$' || before === '\\') return 'unsafe';
  if (ctx === 'code' && (before === '{' || before === '~' || /^\+?=/.test(script.slice(i + length, i + length + 2)))) return 'unsafe';
  return ctx;
}

/** The index after the `}` closing a `${` whose text starts at `from`, or -1. */
function braceEnd(script: string, from: number): number {
  let depth = 1;
  for (let i = from; i < script.length; i++) {
    if (script[i] === '\\') i++;
    else if (script[i] === '{') depth++;
    else if (script[i] === '}' && --depth === 0) return i + 1;
  }
  return -1;
}
