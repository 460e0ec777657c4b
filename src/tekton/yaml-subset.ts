// A fast reader for the plain subset of YAML that Tekton files use (block maps and sequences,
// single-line plain/quoted scalars, `|`/`>` block scalars, single-line flow collections).
// It builds plain values and source offsets in one pass, with none of the `yaml` package's
// document model. Anything outside the subset (anchors, tags, multi-line plain or quoted
// scalars, tabs, duplicate keys, non-string keys, any error) returns undefined so the caller
// falls back to the `yaml` package: whatever this returns equals what `yaml` would give, and what
// kubectl's YAML 1.1 reading gives (scalars the two read differently send the file to `yaml` too).

import { doubleQuotedV2, kubectlScalar, sameScalar, SPECIAL_CHAR } from './yaml11.js';

/**
 * Source offsets of one node (where it starts: yaml's `range[0]`). A plain or quoted scalar is
 * just its offset, so the many scalars of a file cost no objects; maps and sequences keep their
 * children's offsets in the order of the value's keys and items.
 */
export type OffsetNode = number | OffsetTree;

export interface OffsetTree {
  off: number;
  /** A map's entries as flat triples: key, where the key starts, the value's node. */
  entries?: (string | OffsetNode)[];
  items?: OffsetNode[];
  /** For `|` block scalars: the string and the end of its source (yaml's `range[1]`). */
  literal?: { value: string; end: number };
}

/** Where `node` starts. */
export const offsetOf = (node: OffsetNode): number => (typeof node === 'number' ? node : node.off);

export interface SubsetDoc {
  value: unknown;
  node: OffsetNode;
  /** Where the document's text ends (its closing `---` line, or the end of the text). */
  end: number;
}

class Unsupported {}
const UNSUPPORTED = new Unsupported();
function unsupported(): never {
  throw UNSUPPORTED;
}

/**
 * Documents of `text` and where its lines start (`starts[i]`: the offset of line i + 1), or
 * undefined when `text` is outside the subset.
 */
export function parseSubset(text: string): { docs: SubsetDoc[]; starts: number[] } | undefined {
  // (a character yaml.v2 refuses or takes for a line break: the yaml path reports it)
  if (text.includes('\r') || text.charCodeAt(0) === 0xfeff || SPECIAL_CHAR.test(text)) return undefined;
  try {
    const reader = new Reader(text);
    return { docs: reader.documents(), starts: reader.starts };
  } catch (e) {
    if (e === UNSUPPORTED) return undefined;
    throw e;
  }
}

/** Offsets where each line starts: lineStarts[0] = 0, then one after every '\n'. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

// Plain scalars of yaml's core schema (YAML 1.2), tried in the order yaml tries them.
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
/** Could be a number: the number regexps are tried only then (most scalars are words). */
const MAYBE_NUMBER = /^[-+.0-9]/;
/**
 * The only number-like scalars YAML 1.1 (kubectl) and 1.2 can read differently: with `_`, a
 * leading 0 before a digit or a base letter (octal, 0b, 0X, signed 0x), or 16 digits and more
 * (int64 and beyond). The others need no second reading.
 */
const YAML11_NUMBER = /_|^[-+]?0[0-9bBoOxX]|[0-9]{16}/;
/** Words kubectl (YAML 1.1) reads as booleans where YAML 1.2 reads text: such files go to yaml. */
const YAML11 = Symbol('YAML 1.1 word');
/** Null and the booleans, each spelling yaml accepts: one lookup instead of two regexps. */
const WORDS = new Map<string, null | boolean | typeof YAML11>([
  ['', null], ['~', null], ['null', null], ['Null', null], ['NULL', null],
  ['true', true], ['True', true], ['TRUE', true], ['false', false], ['False', false], ['FALSE', false],
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'].map((w) => [w, YAML11] as const),
]);

/**
 * A plain scalar's value. The reader takes only scalars that YAML 1.2 (the yaml package) and
 * kubectl's YAML 1.1 (./yaml11.ts) read alike; for any other the file goes to the yaml path,
 * which reads it as kubectl does and notes the difference.
 */
export function resolvePlain(s: string): unknown {
  if (s.length <= 5) {
    const w = WORDS.get(s);
    if (w === YAML11) unsupported();
    if (w !== undefined) return w;
  }
  if (!MAYBE_NUMBER.test(s)) return s;
  const v = coreNumber(s);
  // (NaN and the infinities too: kubectl cannot send them, which the yaml path reports)
  if (typeof v === 'number' && !Number.isFinite(v)) unsupported();
  if (YAML11_NUMBER.test(s) && !sameScalar(v, kubectlScalar(s))) unsupported();
  return v;
}

function coreNumber(s: string): unknown {
  if (INT_OCT.test(s)) return parseInt(s.substring(2), 8);
  if (INT.test(s)) return parseInt(s, 10);
  if (INT_HEX.test(s)) return parseInt(s.substring(2), 16);
  if (FLOAT_NAN.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity;
  if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  return s;
}

/** A key that is a plain string as it stands (unless it is one of WORDS). */
const SIMPLE_KEY = /^[A-Za-z_][\w./-]{0,200}$/;

/** Deeper nesting is left to the yaml package (Tekton files nest a dozen levels; recursion has a limit). */
const MAX_DEPTH = 200;

/** Characters that cannot start a plain scalar (`-`, `?`, `:` can when a non-space follows). */
const INDICATORS = new Set([...',[]{}#&*!|>\'"%@`']);
const FLOW_INDICATORS = new Set([...',[]{}']);

function setKey(map: Record<string, unknown>, key: string, value: unknown): void {
  // `__proto__` must become an own key, as yaml defines it, not set the prototype. (yaml also
  // defines inherited names such as `toString`; assigning them gives the same own property.)
  if (key === '__proto__') Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
  else map[key] = value;
}

interface Parsed {
  value: unknown;
  node: OffsetNode;
  /** First line after the node. */
  next: number;
}

class Reader {
  readonly starts: number[];
  private readonly lines: string[];
  private readonly indents: Int32Array;
  /** Line where the current document ends (its `---` line, or the end of the text). */
  private end = 0;
  /** Collections open around the current one. */
  private depth = 0;
  /** Whether the text has a tab anywhere (most files have none: then no line needs a look for one). */
  private readonly tabs: boolean;

  constructor(private readonly text: string) {
    this.starts = lineStarts(text);
    this.lines = text.split('\n');
    this.indents = new Int32Array(this.lines.length).fill(-1);
    this.tabs = text.includes('\t');
  }

  documents(): SubsetDoc[] {
    const docs: SubsetDoc[] = [];
    const { lines } = this;
    let from = 0;
    let marker = -1; // the `---` line that opened the current document, if any
    for (const i of [...this.markerLines(), lines.length]) {
      this.end = i;
      const first = this.nextContent(from);
      if (first < i) {
        const doc = this.block(first, this.indent(first), -1, false);
        if (this.nextContent(doc.next) < i) unsupported();
        docs.push({ value: doc.value, node: doc.node, end: this.starts[i] ?? this.text.length });
      } else if (marker !== -1) {
        docs.push({ value: null, node: this.starts[marker]! + 3 + spaces(lines[marker]!, 3), end: this.starts[i] ?? this.text.length });
      }
      marker = i;
      from = i + 1;
    }
    return docs;
  }

  /** Lines that are `---` document markers (found by one search of the text, not a look at every line). */
  private markerLines(): number[] {
    const out: number[] = [];
    const re = /^(?:---|\.\.\.|%)/gm;
    let li = 0;
    for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
      while (this.starts[li + 1] !== undefined && this.starts[li + 1]! <= m.index) li++;
      if (isDocumentMarker(this.lines[li]!)) out.push(li);
    }
    return out;
  }

  /** Leading spaces of line `li` (computed once: lines are looked at more than once). */
  private indent(li: number): number {
    let k = this.indents[li]!;
    if (k === -1) k = this.indents[li] = spaces(this.lines[li]!, 0);
    return k;
  }

  /** First line at or after `li` (before the document's end) with content, not blank or a comment. */
  private nextContent(li: number): number {
    for (; li < this.end; li++) {
      const line = this.lines[li]!;
      if (this.tabs && line.includes('\t')) unsupported();
      const k = this.indent(li);
      if (k < line.length && line[k] !== '#') return li;
    }
    return this.end;
  }

  /** A block node whose first line `li` has content at column `col`, inside a collection indented `parent`. */
  private block(li: number, col: number, parent: number, seqAtParent: boolean): Parsed {
    const line = this.lines[li]!;
    if (col <= parent && !(seqAtParent && col === parent && isSeqEntry(line, col))) unsupported();
    if (isSeqEntry(line, col)) return this.seq(li, col);
    const colon = mapSeparator(line, col);
    if (colon !== -1) return this.map(li, col, colon);
    const ch = line[col];
    if (ch === '[' || ch === '{' || ch === '"' || ch === "'") return this.inline(li, col, parent);
    return unsupported();
  }

  private seq(li: number, n: number): Parsed {
    if (++this.depth > MAX_DEPTH) unsupported();
    const value: unknown[] = [];
    const items: OffsetNode[] = [];
    const node: OffsetTree = { off: this.starts[li]! + n, items };
    for (;;) {
      const line = this.lines[li]!;
      const c = n + 1 + spaces(line, n + 1);
      let item: Parsed;
      if (c >= line.length || line[c] === '#') item = this.below(li, n, this.starts[li]! + c, false);
      else if (isSeqEntry(line, c)) item = this.seq(li, c);
      else {
        const colon = mapSeparator(line, c);
        item = colon !== -1 ? this.map(li, c, colon) : this.inline(li, c, n);
      }
      value.push(item.value);
      items.push(item.node);
      li = this.nextContent(item.next);
      if (li >= this.end) break;
      const k = this.indent(li);
      if (k < n || (k === n && !isSeqEntry(this.lines[li]!, n))) break;
      if (k > n) unsupported();
    }
    this.depth--;
    return { value, node, next: li };
  }

  /** A block map whose first key starts at column `n` of line `li` and ends at `firstColon`. */
  private map(li: number, n: number, firstColon: number): Parsed {
    if (++this.depth > MAX_DEPTH) unsupported();
    const value: Record<string, unknown> = {};
    const entries: (string | OffsetNode)[] = [];
    const node: OffsetTree = { off: this.starts[li]! + n, entries };
    for (let colon = firstColon; ; colon = mapSeparator(this.lines[li]!, n)) {
      const line = this.lines[li]!;
      if (colon === -1) unsupported();
      const key = this.key(line, n, colon);
      if (Object.hasOwn(value, key)) unsupported();
      const v = colon + 1 + spaces(line, colon + 1);
      const entry = v >= line.length || line[v] === '#' ? this.below(li, n, this.starts[li]! + v, true) : this.inline(li, v, n);
      setKey(value, key, entry.value);
      entries.push(key, this.starts[li]! + n, entry.node);
      li = this.nextContent(entry.next);
      if (li >= this.end) break;
      const k = this.indent(li);
      if (k < n) break;
      if (k > n || isSeqEntry(this.lines[li]!, n)) unsupported();
    }
    this.depth--;
    return { value, node, next: li };
  }

  /** The key from column `c` to the `:` at `colon`; only keys that are strings. */
  private key(line: string, c: number, colon: number): string {
    const raw = line.slice(c, colon);
    // Most keys are words (`name`, `apiVersion`, `tekton.dev/tags`): strings, nothing to check.
    if (SIMPLE_KEY.test(raw) && !WORDS.has(raw)) return raw;
    if (raw.length > 1000) unsupported();
    if (raw[0] === '"' || raw[0] === "'") {
      const q = quoted(line, c);
      if (q.end !== colon) unsupported();
      return q.value;
    }
    if (raw.endsWith(' ') || !plainStart(line, c) || raw.includes(' #') || raw === '<<') unsupported();
    const key = resolvePlain(raw);
    if (typeof key !== 'string') unsupported();
    return key;
  }

  /** A value that starts on a later line (or is empty: `emptyOff` is where yaml places it). */
  private below(li: number, parent: number, emptyOff: number, seqAtParent: boolean): Parsed {
    const next = this.nextContent(li + 1);
    if (next < this.end) {
      const k = this.indent(next);
      if (k > parent || (seqAtParent && k === parent && isSeqEntry(this.lines[next]!, k))) return this.block(next, k, parent, seqAtParent);
    }
    return { value: null, node: emptyOff, next: li + 1 };
  }

  /** A value starting at column `c` of line `li`, inside a collection indented `parent`. */
  private inline(li: number, c: number, parent: number): Parsed {
    const line = this.lines[li]!;
    const off = this.starts[li]! + c;
    const ch = line[c]!;
    if (ch === '|' || ch === '>') return this.blockScalar(li, c, parent);
    if (ch === "'" && quotedEnd(line, c) === -1) return this.multiLineSingleQuoted(li, c, parent);
    if (ch === '"' || ch === "'") {
      const q = quoted(line, c);
      restIsComment(line, q.end);
      return { value: q.value, node: off, next: li + 1 };
    }
    if (ch === '[' || ch === '{') {
      const reader = new FlowReader(this.lines, this.starts, this.end, li, parent);
      const f = reader.collection(c);
      restIsComment(this.lines[reader.li]!, f.end);
      return { value: f.value, node: f.node, next: reader.li + 1 };
    }
    if (!plainStart(line, c)) unsupported();
    const comment = line.indexOf(' #', c);
    const e = comment === -1 ? line.length : comment + 1;
    for (let i = line.indexOf(':', c); i !== -1 && i < e; i = line.indexOf(':', i + 1)) {
      if (i + 1 === line.length || line[i + 1] === ' ') unsupported(); // `a: b: c`
    }
    const raw = trimSpaces(line.slice(c, e));
    // a more indented line that is not a comment would continue the scalar (folded into it)
    for (let n = li + 1; n < this.end; n++) {
      const next = this.lines[n]!;
      const k = this.indent(n);
      if (k === next.length) continue;
      if (k > parent && next[k] !== '#') unsupported();
      break;
    }
    return { value: resolvePlain(raw), node: off, next: li + 1 };
  }

  /** A `'` scalar over several lines (JSON pasted into a param default), folded as yaml folds it. */
  private multiLineSingleQuoted(li: number, c: number, parent: number): Parsed {
    if (parent < 0) unsupported();
    const lines = [this.lines[li]!.slice(c + 1)];
    for (let n = li + 1; n < this.end; n++) {
      const line = this.lines[n]!;
      if (line.includes('\t')) unsupported();
      const k = spaces(line, 0);
      if (k < line.length && k <= parent) unsupported(); // yaml: an unexpected unindent
      const close = quotedEnd("'" + line, 0);
      if (close === -1) {
        lines.push(line);
        continue;
      }
      lines.push(line.slice(0, close - 2));
      restIsComment(line, close - 1);
      return { value: unfoldLines(lines).replaceAll("''", "'"), node: this.starts[li]! + c, next: n + 1 };
    }
    return unsupported();
  }

  /** `|` or `>` at column `c`; its lines are more indented than `parent`. */
  private blockScalar(li: number, c: number, parent: number): Parsed {
    const header = this.lines[li]!;
    const literal = header[c] === '|';
    let h = c + 1;
    const chomp = header[h] === '-' || header[h] === '+' ? header[h++]! : '';
    if (h < header.length && header[h] !== ' ') unsupported(); // indentation indicators and the rest
    restIsComment(header, h);
    // find the content indentation and the last content line
    let indent = -1;
    let last = -1;
    let n = li + 1;
    for (; n < this.lines.length; n++) {
      const line = this.lines[n]!;
      const k = spaces(line, 0);
      if (k === line.length) {
        if (indent === -1 && k > parent + 1) unsupported(); // more-indented leading empty lines
        continue;
      }
      if (indent === -1) {
        if (k <= parent || line[k] === '\t') unsupported(); // an empty block scalar; tab indentation
        indent = k;
      }
      if (k < indent) break;
      last = n;
    }
    if (last === -1) unsupported();
    // trailing lines that are empty but not zero-length, or kept by `+`, are left to yaml
    for (let t = last + 1; t < n; t++) if (this.lines[t]!.length > 0 || chomp === '+') unsupported();
    const srcStart = this.starts[li + 1]!;
    const srcEnd = last + 1 < this.lines.length ? this.starts[last + 1]! : this.text.length;
    // (at the end of a text without a final line break there is no line break to keep: yaml.v2
    // ends the value there, where the yaml package adds one)
    const unterminated = srcEnd === this.text.length && !this.text.endsWith('\n');
    const value = blockValue(this.text.slice(srcStart, srcEnd), literal, unterminated ? '-' : chomp, indent);
    const node: OffsetNode = literal ? { off: this.starts[li]! + c, literal: { value, end: srcEnd } } : this.starts[li]! + c;
    return { value, node, next: last + 1 };
  }
}

/** The value of a block scalar from its source lines, as yaml's block scalar resolution builds it. */
function blockValue(source: string, literal: boolean, chomp: string, indent: number): string {
  const end = chomp === '-' ? '' : '\n';
  if (literal) {
    // every line is at least `indent` deep or blank: the value is the lines less their indentation
    const lines = source.split('\n');
    let chompStart = lines.length;
    while (chompStart > 0 && spaces(lines[chompStart - 1]!, 0) === lines[chompStart - 1]!.length) chompStart--;
    let value = '';
    for (let i = 0; i < chompStart; i++) value += (i ? '\n' : '') + lines[i]!.slice(indent);
    return value + end;
  }
  // folded: lines join with a space, except around blank and more-indented lines
  const lines = source.split('\n').map((l) => {
    const k = spaces(l, 0);
    return [l.slice(0, k), l.slice(k)] as const;
  });
  let chompStart = lines.length;
  while (chompStart > 0 && lines[chompStart - 1]![1] === '') chompStart--;
  let contentStart = 0;
  while (lines[contentStart]![1] === '') contentStart++;
  let value = '';
  for (let i = 0; i < contentStart; i++) value += lines[i]![0].slice(indent) + '\n';
  let sep = '';
  let prevMoreIndented = false;
  for (let i = contentStart; i < chompStart; i++) {
    const [ind, content] = lines[i]!;
    if (ind.length > indent || content[0] === '\t') {
      if (sep === ' ') sep = '\n';
      else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
      value += sep + ind.slice(indent) + content;
      sep = '\n';
      prevMoreIndented = true;
    } else if (content === '') {
      if (sep === '\n') value += '\n';
      else sep = '\n';
    } else {
      value += sep + content;
      sep = ' ';
      prevMoreIndented = false;
    }
  }
  return value + end;
}

/** Lines of a quoted scalar joined: one line break is a space, each further one stays. */
function unfoldLines(lines: readonly string[]): string {
  let value = trimSpaces(lines[0]!);
  let sep = ' ';
  for (let i = 1; i < lines.length - 1; i++) {
    const line = trimSpaces(lines[i]!.slice(spaces(lines[i]!, 0)));
    if (line === '') {
      if (sep === '\n') value += sep;
      else sep = '\n';
    } else {
      value += sep + line;
      sep = ' ';
    }
  }
  const last = lines[lines.length - 1]!;
  return value + sep + last.slice(spaces(last, 0));
}

/** Without trailing spaces (only spaces: String#trimEnd also drops Unicode spaces YAML keeps). */
function trimSpaces(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 32) e--;
  return s.slice(0, e);
}

function spaces(line: string, from: number): number {
  let k = from;
  while (line.charCodeAt(k) === 32) k++;
  return k - from;
}

function isDocumentMarker(line: string): boolean {
  if (line.startsWith('%') || line.startsWith('...')) unsupported();
  if (!line.startsWith('---')) return false;
  if (line.length === 3) return true;
  if (line[3] !== ' ') unsupported();
  restIsComment(line, 3);
  return true;
}

function isSeqEntry(line: string, c: number): boolean {
  return line[c] === '-' && (c + 1 === line.length || line[c + 1] === ' ');
}

/** Only spaces, then optionally a comment, from column `c` to the end of `line`. */
function restIsComment(line: string, c: number): void {
  const k = c + spaces(line, c);
  if (k < line.length && (line[k] !== '#' || k === c)) unsupported();
}

function plainStart(line: string, c: number, inFlow = false): boolean {
  const ch = line[c];
  if (ch === undefined || INDICATORS.has(ch)) return false;
  if (ch === '-' || ch === '?' || ch === ':') {
    const next = line[c + 1];
    return next !== undefined && next !== ' ' && !(inFlow && FLOW_INDICATORS.has(next));
  }
  return true;
}

/**
 * Column of the `:` that makes the text at column `c` a map entry (`key: ` or `"key": `),
 * or -1. A plain key ends at the first `: `; a quoted key at its closing quote.
 */
function mapSeparator(line: string, c: number): number {
  const ch = line[c];
  if (ch === '"' || ch === "'") {
    const end = quotedEnd(line, c);
    if (end === -1) return -1;
    return line[end] === ':' && (end + 1 === line.length || line[end + 1] === ' ') ? end : -1;
  }
  if (ch === '[' || ch === '{') return -1;
  const comment = line.indexOf(' #', c);
  for (let i = line.indexOf(':', c); i !== -1 && (comment === -1 || i < comment); i = line.indexOf(':', i + 1)) {
    if (i + 1 === line.length || line[i + 1] === ' ') return i;
  }
  return -1;
}

/** Column after the closing quote of the quoted scalar at `c`, or -1 if it does not close on this line. */
function quotedEnd(line: string, c: number): number {
  const q = line[c];
  for (let i = c + 1; i < line.length; i++) {
    if (q === '"' && line[i] === '\\') i++;
    else if (line[i] === q) {
      if (q === "'" && line[i + 1] === "'") i++;
      else return i + 1;
    }
  }
  return -1;
}

function quoted(line: string, c: number): { value: string; end: number } {
  const end = quotedEnd(line, c);
  if (end === -1) unsupported();
  const body = line.slice(c + 1, end - 1);
  if (line[c] === "'") return { value: body.replaceAll("''", "'"), end };
  if (!body.includes('\\')) return { value: body, end };
  // escapes as kubectl's yaml.v2 reads them; one it refuses sends the file to the yaml path, which reports it
  const v = doubleQuotedV2(line.slice(c, end));
  if (!('value' in v)) unsupported();
  return { value: v.value, end };
}

/**
 * Flow collections: `[a, "b", {c: d}]`, `{}`, also over several lines (JSON), where each
 * item and each `key: value` stays on one line and every line is indented more than the block
 * collection around (`parent`); the closing bracket may sit at `parent` when that is the
 * indentation of the line the collection starts on, as yaml allows.
 */
class FlowReader {
  /** Current line and its text. */
  li: number;
  private line: string;
  private depth = 0;

  constructor(
    private readonly lines: readonly string[],
    private readonly starts: readonly number[],
    private readonly end: number,
    li: number,
    private readonly parent: number,
  ) {
    this.li = li;
    this.line = lines[li]!;
  }

  private closeAtParent(): boolean {
    return spaces(this.lines[this.li]!, 0) === this.parent;
  }

  collection(c: number): { value: unknown; node: OffsetNode; end: number } {
    const closeAtParent = this.depth === 0 && this.closeAtParent();
    if (++this.depth > MAX_DEPTH) unsupported();
    const open = this.line[c];
    const close = open === '[' ? ']' : '}';
    const node: OffsetTree = { off: this.starts[this.li]! + c };
    const list: unknown[] = [];
    const map: Record<string, unknown> = {};
    if (open === '[') node.items = [];
    else node.entries = [];
    const done = (i: number) => {
      this.depth--;
      return { value: open === '[' ? list : map, node, end: i + 1 };
    };
    let i = this.skip(c + 1, closeAtParent);
    if (this.line[i] === close) return done(i);
    for (;;) {
      if (open === '[') {
        const item = this.item(i);
        list.push(item.value);
        node.items!.push(item.node);
        i = this.skip(item.end, closeAtParent);
      } else {
        const keyAt = this.starts[this.li]! + i;
        const key = this.item(i, true);
        if (typeof key.value !== 'string' || Object.hasOwn(map, key.value) || key.value === '<<' || typeof key.node !== 'number') unsupported();
        i = key.end;
        if (this.line[i] !== ':' || this.line[i + 1] !== ' ') unsupported(); // `a:b`, `"a":b` are left to yaml
        i += 1 + spaces(this.line, i + 1);
        if (i >= this.line.length || this.line[i] === '#') unsupported(); // a value on a later line
        const item = this.item(i);
        setKey(map, key.value, item.value);
        node.entries!.push(key.value, keyAt, item.node);
        i = this.skip(item.end, closeAtParent);
      }
      if (this.line[i] === close) return done(i);
      if (this.line[i] !== ',') unsupported();
      i = this.skip(i + 1, closeAtParent);
      if (this.line[i] === close) return done(i); // a trailing comma
      if (this.line[i] === ',') unsupported();
    }
  }

  /** A plain scalar that runs to the end of its line goes on in the next unless that starts with `,` `]` `}` or `#`. */
  private nextLineEndsPlain(): boolean {
    for (let n = this.li + 1; n < this.end; n++) {
      const line = this.lines[n]!;
      const ch = line[spaces(line, 0)];
      if (ch === undefined) continue;
      return ch === ',' || ch === ']' || ch === '}' || ch === '#';
    }
    return false;
  }

  /** Past spaces, line ends and comments to the next token. */
  private skip(i: number, closeAtParent: boolean): number {
    i += spaces(this.line, i);
    while (i >= this.line.length || (this.line[i] === '#' && (i === 0 || this.line[i - 1] === ' '))) {
      if (++this.li >= this.end) unsupported();
      this.line = this.lines[this.li]!;
      if (this.line.includes('\t')) unsupported();
      i = spaces(this.line, 0);
      if (i === this.line.length || this.line[i] === '#') continue;
      const closing = (this.line[i] === ']' || this.line[i] === '}') && this.depth === 1 && closeAtParent;
      if (i <= this.parent && !(closing && i === this.parent)) unsupported();
    }
    return i;
  }

  private item(i: number, isKey = false): { value: unknown; node: OffsetNode; end: number } {
    const line = this.line;
    const off = this.starts[this.li]! + i;
    const ch = line[i];
    if (ch === undefined) unsupported();
    if (ch === '[' || ch === '{') {
      if (isKey) unsupported();
      return this.collection(i);
    }
    if (ch === '"' || ch === "'") {
      const q = quoted(line, i);
      if (!isKey && line[q.end + spaces(line, q.end)] === ':') unsupported(); // an implicit pair in a flow sequence
      return { value: q.value, node: off, end: q.end };
    }
    if (!plainStart(line, i, true)) unsupported();
    let e = i;
    for (; e < line.length; e++) {
      const x = line[e]!;
      if (x === ',' || x === '[' || x === ']' || x === '{' || x === '}') break;
      if (x === ':') {
        if (!isKey) unsupported();
        break;
      }
      if (x === '#' && line[e - 1] === ' ') unsupported();
    }
    if (isKey && line[e] !== ':') unsupported();
    const raw = trimSpaces(line.slice(i, e));
    if (isKey && raw.length !== e - i) unsupported();
    if (!isKey && e === line.length && !this.nextLineEndsPlain()) unsupported();
    return { value: resolvePlain(raw), node: off, end: i + raw.length };
  }
}
