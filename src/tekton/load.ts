// Loading YAML/JSON into plain values while keeping every node's source position.
// Pure: takes text, returns documents. Reading files and folders lives in ./files.ts.
// Most files are read by ./yaml-subset.ts; the `yaml` package (loaded only when needed) reads
// the rest and reports every syntax error. Plain scalars are read as kubectl reads them (YAML
// 1.1, ./yaml11.ts); each one that YAML 1.2 tools read differently is noted on its document.
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Diagnostic, Position } from './diagnostics.js';
import { isObj } from './plain-object.js';
import { KINDS, TEKTON_GROUP, type TektonKind } from './types.js';
import { BREAK_ESCAPE, DQ_ESCAPE_DIFFERS, doubleQuotedV2, kubectlKeyOf, kubectlScalar, REFUSED_CHAR, sameScalar, YAML11_BREAK } from './yaml11.js';
import { offsetOf, parseSubset, type OffsetNode, type OffsetTree } from './yaml-subset.js';

export type PathSegment = string | number;

export interface LoadedDoc {
  file: string;
  /** 0-based index of the document inside its file. */
  index: number;
  apiVersion: string;
  kind: string;
  name: string;
  /** The document as plain JSON-like data (maps, arrays, strings, numbers, booleans, null). */
  value: unknown;
  /** Source position of the node at `path` (keys and indexes of `value`), or its nearest ancestor. */
  pos(path: readonly PathSegment[]): Position;
  /** Position of the *key* of a map entry at `path` (for "unknown field" style findings). */
  keyPos(path: readonly PathSegment[]): Position;
  /**
   * Position of character `index` of the string at `path`: exact inside `|` block scalars (where
   * scripts live), the scalar's own position for other styles.
   */
  textPos(path: readonly PathSegment[], index: number): Position;
  /** Plain scalars kubectl (YAML 1.1) reads differently from YAML 1.2 tools; `value` holds kubectl's reading. */
  yaml11?: Yaml11Note[];
  /** The document's own text (for checks that can search it instead of walking the value). */
  source?: string;
  /**
   * Set on a resource template of a Tekton Triggers TriggerTemplate (`spec.resourcetemplates[]`):
   * what it holds is filled in by Triggers (`$(tt.params.x)`) before Tekton sees it.
   */
  template?: 'TriggerTemplate';
}

export interface Yaml11Note {
  pos: Position;
  /** The scalar as written. */
  text: string;
  kubectl: unknown;
  yaml12: unknown;
  /** Whether the scalar is a map key. */
  key: boolean;
  /** The whole finding, for what is not one scalar's reading (a line break YAML 1.2 does not know). */
  message?: string;
  /** The lint rule it belongs to, when not `yaml11-scalar` (`duplicate-key`). */
  rule?: string;
}

export interface LoadResult {
  docs: LoadedDoc[];
  /** Tekton documents recognised by kind (Task, TaskRun, StepAction, Pipeline, PipelineRun). */
  tekton: LoadedDoc[];
  /** Parse errors (always `error`) and notes about skipped documents (`note`). */
  diagnostics: Diagnostic[];
}

const MAX_ALIASES = 1000;

/** An anchor or alias name yaml.v2 reads (its scanner's is_alpha). */
const ANCHOR_NAME = /^[A-Za-z0-9_-]+$/;

export function isTektonKind(doc: Pick<LoadedDoc, 'apiVersion' | 'kind'>): doc is LoadedDoc & { kind: TektonKind } {
  return doc.apiVersion.startsWith(`${TEKTON_GROUP}/`) && (KINDS as readonly string[]).includes(doc.kind);
}

/** Parses every document of `text`; never throws on bad input. */
export function loadText(text: string, file: string): LoadResult {
  const out: LoadResult = { docs: [], tekton: [], diagnostics: [] };
  const subset = parseSubset(text);
  if (subset) {
    const { starts } = subset;
    const at = (offset: number): Position => linePos(starts, offset);
    subset.docs.forEach((doc, index) => {
      const nodeAt = (path: readonly PathSegment[], wantKey: boolean): Position => offsetAt(doc.node, path, wantKey, at);
      const textPos = (path: readonly PathSegment[], index: number): Position => {
        const start = nodeAt(path, false);
        const node = nodeOf(doc.node, path);
        if (typeof node !== 'object' || !node.literal) return start;
        return literalPos(node, text, node.off, node.literal.end, node.literal.value, index, start);
      };
      addDoc(out, file, index, doc.value, (path) => nodeAt(path, false), (path) => nodeAt(path, true), textPos, text.slice(offsetOf(doc.node), doc.end));
    });
    return out;
  }
  return loadTextWithYaml(text, file);
}

/**
 * Kinds of the tekton.dev group that Tekton Pipelines no longer serves: `kubectl apply` fails
 * with `no matches for kind`. What to write instead.
 */
const REMOVED_KINDS: Readonly<Record<string, string>> = {
  ClusterTask: 'make it a Task and refer to it with the cluster resolver (taskRef: {resolver: cluster, params: [kind, name, namespace]})',
  PipelineResource: 'PipelineResources were removed: clone with the git-clone Task and pass images and URLs as params',
  Condition: 'Conditions were removed: use when expressions on the pipeline task',
};

/**
 * The documents inside a document, and where: the items of a list, as kubectl apply takes them
 * one by one (`kind: List`, what `kubectl get -o yaml` prints for several objects, and the API's
 * own lists, `TaskList`), or the resource templates of a Tekton Triggers TriggerTemplate.
 */
function embedded(v: Record<string, unknown>): { items: unknown[]; at: PathSegment[]; template?: 'TriggerTemplate' } | undefined {
  const { apiVersion, kind, items, spec } = v;
  if (typeof kind !== 'string' || typeof apiVersion !== 'string') return undefined;
  const isList = (apiVersion === 'v1' && kind === 'List') || (apiVersion.startsWith(`${TEKTON_GROUP}/`) && kind.endsWith('List') && (KINDS as readonly string[]).includes(kind.slice(0, -4)));
  if (isList && Array.isArray(items)) return { items, at: ['items'] };
  const templates = isObj(spec) ? spec.resourcetemplates : undefined;
  if (apiVersion.startsWith('triggers.tekton.dev/') && kind === 'TriggerTemplate' && Array.isArray(templates)) {
    return { items: templates, at: ['spec', 'resourcetemplates'], template: 'TriggerTemplate' };
  }
  return undefined;
}

function addDoc(out: LoadResult, file: string, index: number, value: unknown, pos: LoadedDoc['pos'], keyPos: LoadedDoc['keyPos'], textPos: LoadedDoc['textPos'], source: string | undefined, yaml11?: Yaml11Note[], template?: LoadedDoc['template']): void {
  const v = value as Record<string, unknown> | null;
  const isMapValue = isObj(v);
  const meta = isMapValue && v.metadata && typeof v.metadata === 'object' ? (v.metadata as Record<string, unknown>) : {};
  const loaded: LoadedDoc = {
    file,
    index,
    apiVersion: isMapValue && typeof v.apiVersion === 'string' ? v.apiVersion : '',
    kind: isMapValue && typeof v.kind === 'string' ? v.kind : '',
    name: typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? meta.generateName : '',
    value,
    pos,
    keyPos,
    textPos,
    ...(source !== undefined ? { source } : {}),
    ...(yaml11?.length ? { yaml11 } : {}),
    ...(template ? { template } : {}),
  };
  const inner = isMapValue ? embedded(v) : undefined;
  if (inner) {
    // each item a document of its own (the list itself is none), its positions those of the item
    // in the list, its notes those that stand in it (the list's own, on the first); no text of
    // its own, so rules that search the text walk the item's value instead
    const { items } = inner;
    const starts = items.map((_, i) => pos([...inner.at, i]));
    const notes = items.map((): Yaml11Note[] => []);
    for (const n of yaml11 ?? []) {
      let i = starts.length - 1;
      while (i > 0 && (starts[i]!.line > n.pos.line || (starts[i]!.line === n.pos.line && starts[i]!.col > n.pos.col))) i--;
      notes[i]?.push(n);
    }
    items.forEach((item, i) => {
      const at = (path: readonly PathSegment[]): PathSegment[] => [...inner.at, i, ...path];
      addDoc(out, file, index, item, (p) => pos(at(p)), (p) => keyPos(at(p)), (p, k) => textPos(at(p), k), undefined, notes[i], inner.template ?? template);
    });
    return;
  }
  if (loaded.apiVersion.startsWith(`${TEKTON_GROUP}/`) && Object.hasOwn(REMOVED_KINDS, loaded.kind)) {
    // (not a document anything can use: neither skipped nor validated)
    out.diagnostics.push({ severity: 'error', message: `no matches for kind "${loaded.kind}" in version "${loaded.apiVersion}": Tekton Pipelines no longer serves ${loaded.kind}; ${REMOVED_KINDS[loaded.kind]}`, paths: ['kind'], file, pos: pos(['kind']) });
    return;
  }
  out.docs.push(loaded);
  if (isTektonKind(loaded)) {
    out.tekton.push(loaded);
  } else {
    const what = loaded.kind ? `${loaded.kind}${loaded.apiVersion ? ` (${loaded.apiVersion})` : ''}` : 'a document without kind';
    out.diagnostics.push({ severity: 'note', message: `skipped ${what}: not a Tekton Task, TaskRun, StepAction, Pipeline or PipelineRun`, paths: [], file, pos: loaded.pos([]) });
  }
}

/** 1-based line and column of `offset`, as yaml's LineCounter gives them. */
function linePos(starts: readonly number[], offset: number): Position {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (starts[mid]! < offset) low = mid + 1;
    else high = mid;
  }
  if (starts[low] === offset) return { line: low + 1, col: 1 };
  return { line: low, col: offset - starts[low - 1]! + 1 };
}

/** The position of the node at `path` (or of its key), else of its nearest ancestor. */
function offsetAt(root: OffsetNode, path: readonly PathSegment[], wantKey: boolean, at: (offset: number) => Position): Position {
  let node = root;
  for (let n = 0; n < path.length && typeof node === 'object'; n++) {
    const i = childIndex(node, path[n]!);
    if (i === -1) break;
    if (node.entries) {
      if (wantKey && n === path.length - 1) return at(node.entries[i + 1] as number);
      node = node.entries[i + 2] as OffsetNode;
    } else node = node.items![i]!;
  }
  return at(offsetOf(node));
}

/** Where the child `seg` of `node` is: the index of its triple in `entries`, its index in `items`, or -1. */
function childIndex(node: OffsetTree, seg: PathSegment): number {
  if (node.entries) {
    if (typeof seg !== 'string') return -1;
    for (let i = 0; i < node.entries.length; i += 3) if (node.entries[i] === seg) return i;
    return -1;
  }
  return node.items && typeof seg === 'number' && seg >= 0 && seg < node.items.length ? seg : -1;
}

function nodeOf(root: OffsetNode, path: readonly PathSegment[]): OffsetNode | undefined {
  let node = root;
  for (const seg of path) {
    if (typeof node !== 'object') return undefined;
    const i = childIndex(node, seg);
    if (i === -1) return undefined;
    node = node.entries ? (node.entries[i + 2] as OffsetNode) : node.items![i]!;
  }
  return node;
}

/** Per block scalar (keyed by its node): its source lines after the header, and their indentation. */
const literalLines = new WeakMap<object, { lines: number; indent: number }>();

/**
 * Position of character `index` of a `|` block scalar whose source spans `start`..`end`: its
 * value's lines are the source lines after the header, less the content indentation.
 */
function literalPos(key: object, text: string, start: number, end: number, value: string, index: number, startPos: Position): Position {
  const before = value.slice(0, index);
  let line = 0;
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
  let block = literalLines.get(key);
  if (!block) {
    const source = text.slice(start, end).split('\n').slice(1);
    block = { lines: source.length, indent: Math.min(...source.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length)) };
    literalLines.set(key, block);
  }
  if (!Number.isFinite(block.indent) || line >= block.lines) return startPos;
  return { line: startPos.line + 1 + line, col: block.indent + 1 + (index - before.lastIndexOf('\n') - 1) };
}

let yaml: typeof Yaml | undefined;

/** `U+XXXX` digits of a character. */
const codePoint = (c: string): string => c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');

/** A pair's key as the value's key: the text toJS gives it (kubectl's `on:` is the key "true"). */
function keyText(p: unknown): string | undefined {
  if (!yaml!.isPair(p)) return undefined;
  const k = yaml!.isScalar(p.key) ? p.key.value : p.key;
  return String(k);
}

/**
 * Makes a parsed document read as kubectl reads it (YAML 1.1 through Go's yaml.v2, then JSON):
 * plain scalars and keys resolved by ./yaml11.ts, each one YAML 1.2 reads otherwise noted;
 * what kubectl cannot send (NaN, infinities, a null key) reported through `error`; and
 * whether a `<<` key is there (then kubectlValue makes the value), and whether a key is a map or
 * a list (reported: kubectl can send nothing of the document).
 */
function readAsKubectl(doc: Yaml.Document.Parsed, fileText: string, at: (offset: number) => Position, error: (message: string, offset: number) => void): { notes: Yaml11Note[]; merges: boolean; collectionKeys: boolean } {
  const { visit } = yaml!;
  const notes: Yaml11Note[] = [];
  // a `<<` key (a merge, or one tagged as text): the yaml package would merge either its own way
  let merges = false;
  let collectionKeys = false;
  // pairs a later key or merge overrides: what kubectl never sends is not checked (unless an
  // anchor inside may be sent through an alias)
  const dropped = new Set<unknown>();
  const drop = (pair: Yaml.Pair): void => {
    let anchors = false;
    for (const part of [pair.key, pair.value]) {
      if (!yaml!.isNode(part)) continue;
      visit(part, { Node(_, n) {
        if ((yaml!.isScalar(n) || yaml!.isCollection(n)) && n.anchor !== undefined) {
          anchors = true;
          return visit.BREAK;
        }
        return undefined;
      } });
    }
    if (!anchors) dropped.add(pair);
  };
  // yaml.v2 takes only letters, digits, `_` and `-` in anchor and alias names (YAML 1.2 takes more)
  const anchorName = (name: string, offset: number, what: string): void => {
    if (!ANCHOR_NAME.test(name)) error(`kubectl cannot read this file: Go's yaml.v2 takes only letters, digits, _ and - in an ${what} name, not ${JSON.stringify(name)} ("did not find expected alphabetic or numeric character")`, offset);
  };
  const anchored = (node: Yaml.Scalar | Yaml.YAMLMap | Yaml.YAMLSeq): void => {
    if (node.anchor === undefined) return;
    const start = node.range?.[0] ?? 0;
    const where = fileText.lastIndexOf(`&${node.anchor}`, start);
    anchorName(node.anchor, where === -1 ? start : where, 'anchor');
  };
  // A key that is a map or a list (`? [a]`, `{a: b}: c`, and what a Helm or Go template's
  // `{{ .Values.x }}` is to YAML): yaml.v2 refuses the whole file ("invalid map key").
  const collectionKey = (k: unknown): void => {
    const target = yaml!.isAlias(k) ? k.resolve(doc) : k;
    if (!yaml!.isCollection(target)) return;
    const start = (k as Yaml.Node).range?.[0] ?? 0;
    const template = fileText.startsWith('{{', start - 1) || fileText.startsWith('{{', start);
    error(`kubectl cannot read this file: a map key that is a ${yaml!.isMap(target) ? 'map' : 'list'} (Go's yaml.v2: "invalid map key")${
      template ? '; "{{ ... }}" is a template expression (Helm, Go templates, Pipelines-as-Code), not YAML: validate the rendered output (helm template ...), or quote it' : ''}`, start);
    collectionKeys = true;
  };
  visit(doc, {
    Alias(_, alias) {
      anchorName(alias.source, alias.range?.[0] ?? 0, 'alias');
    },
    Seq(_, seq) {
      anchored(seq);
    },
    Map(_, map) {
      anchored(map);
      // a key twice (as kubectl makes keys: `on` and `true` are one): yaml.v2 keeps the last value
      // (YAML 1.2 tools refuse the file); noted at each later one. A key after a `<<` merge
      // overrides the merged one (what merges are for); a merge, the keys before it.
      const seen = new Map<string, { offset: number; pair?: Yaml.Pair; type: string; merged: boolean }>();
      for (const pair of map.items) {
        const k = pair.key;
        if (isMergeKey(k)) {
          for (const { source, aliased } of mergeSources(doc, pair.value)) {
            for (const p of source.items) {
              const merged = keyOf(p.key);
              if (merged === undefined) continue;
              const before = seen.get(merged.text);
              if (before?.pair) drop(before.pair);
              // (a pair of an aliased map is sent where its anchor stands: only an inline one is dropped)
              seen.set(merged.text, { offset: 0, ...(aliased ? {} : { pair: p }), type: merged.type, merged: true });
            }
          }
          continue;
        }
        if (!yaml!.isScalar(k)) {
          collectionKey(k);
          continue;
        }
        if (!k.range) continue;
        const read = keyOf(k);
        if (read === undefined) continue; // refused: the Scalar visit reports it
        const { text, type } = read;
        const before = seen.get(text);
        seen.set(text, { offset: k.range[0], pair, type, merged: false });
        if (before === undefined) continue;
        if (before.pair) drop(before.pair);
        if (before.merged) continue;
        // keys of one Go type are one map key to yaml.v2 (the last value stands); of two types
        // (`true` and "true", `1` and `1.0`) they meet only in the JSON, in Go's map order
        const which = before.type === type
          ? 'kubectl keeps this value and silently drops the earlier one'
          : `kubectl sends one of the two values, which one depends on Go's map order (the YAML keys are of two types, ${before.type} and ${type})`;
        notes.push({ pos: at(k.range[0]), text, kubectl: 'last', yaml12: 'error', key: true, rule: 'duplicate-key',
          message: `key ${JSON.stringify(text)} is already in this map (line ${at(before.offset).line}): ${which} (YAML 1.2 tools refuse the file); remove one` });
      }
    },
    Scalar(key, node, path) {
      anchored(node);
      if (key === 'key' && node.source === '<<') merges = true;
      if (node.type === 'QUOTE_DOUBLE' && node.range) {
        // escapes yaml.v2 reads otherwise (`\'` is a quote there, `\/` no escape): its reading, or its error
        const raw = fileText.slice(node.range[0], node.range[1]);
        if (!DQ_ESCAPE_DIFFERS.test(raw)) return;
        const v = doubleQuotedV2(raw);
        if ('value' in v) node.value = v.value;
        else error(`kubectl cannot read this file: ${v.error}`, node.range[0] + v.at);
        return;
      }
      if ((node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') && node.range && node.range[1] >= fileText.length &&
        !fileText.endsWith('\n') && typeof node.value === 'string' && node.value.endsWith('\n')) {
        // a block scalar that runs to the end of a text without a final line break: no line break
        // to keep there for yaml.v2 (the yaml package adds one)
        node.value = node.value.slice(0, -1);
        return;
      }
      const text = plainText(node);
      if (text === undefined) return;
      // inside what a later key overrides: read as kubectl reads it, but nothing to report
      const quiet = dropped.size > 0 && path.some((p) => dropped.has(p));
      const offset = node.range?.[0] ?? 0;
      if (key === 'key') {
        if (text === '<<') return; // a merge: kubectlValue applies it
        const k = kubectlKeyOf(text).key;
        if (typeof k !== 'string') return quiet ? undefined : error(`kubectl cannot send the key ${text} (${k.refused}): quote it if you mean the text`, offset);
        if (k === String(node.value)) return;
        if (!quiet) notes.push({ pos: at(offset), text, kubectl: k, yaml12: node.value, key: true });
        node.value = k;
        return;
      }
      const kubectl = kubectlScalar(text);
      if (!quiet && typeof kubectl === 'number' && !Number.isFinite(kubectl)) error(`kubectl cannot send ${text}: JSON has no NaN or infinity; quote it if you mean the text`, offset);
      if (sameScalar(kubectl, node.value)) return;
      if (!quiet) notes.push({ pos: at(offset), text, kubectl, yaml12: node.value, key: false });
      node.value = kubectl;
    },
  });
  return { notes, merges, collectionKeys };
}

/**
 * The document's value as yaml.v2 builds it when a map holds a `<<` merge: its mapping() puts
 * the pairs into one map in order, a merge's pairs (a map, or each map of a list, the last first
 * so that earlier ones win) overwriting what is there and later pairs overwriting a merge's.
 * YAML and the yaml package let every written key win instead. Scalars hold kubectl's reading
 * already (readAsKubectl). Throws what yaml.v2 refuses: a merge of no map, an anchor whose value
 * contains itself, too many aliases.
 */
function kubectlValue(doc: Yaml.Document.Parsed): unknown {
  const { isAlias, isMap, isScalar, isSeq } = yaml!;
  let aliases = 0;
  const open = new Set<unknown>();
  const conv = (n: unknown): unknown => {
    if (isAlias(n)) {
      if (++aliases > MAX_ALIASES) throw new Error(`excessive aliasing (more than ${MAX_ALIASES} aliases)`);
      const target = n.resolve(doc);
      if (target === undefined) throw new Error(`unknown anchor '${n.source}' referenced`);
      if (open.has(target)) throw new Error(`anchor '${n.source}' value contains itself`);
      return conv(target);
    }
    if (isScalar(n)) return n.value;
    if (n === null || n === undefined) return null;
    open.add(n);
    try {
      if (isSeq(n)) return n.items.map(conv);
      if (!isMap(n)) return null;
      const out: Record<string, unknown> = {};
      const set = (k: string, v: unknown) => Object.defineProperty(out, k, { value: v, writable: true, enumerable: true, configurable: true });
      for (const p of n.items as Yaml.Pair[]) {
        if (!isMergeKey(p.key)) {
          const k = isScalar(p.key) ? (typeof p.key.value === 'symbol' ? String(p.key.source) : String(p.key.value)) : JSON.stringify(conv(p.key));
          delete out[k];
          set(k, conv(p.value));
          continue;
        }
        const v = isAlias(p.value) ? p.value.resolve(doc) : p.value;
        if (isAlias(p.value) && !isMap(v)) throw new Error('map merge requires map or sequence of maps as the value');
        const sources = isSeq(v) ? [...v.items].reverse() : [p.value];
        for (const src of sources) {
          const target = isAlias(src) ? src.resolve(doc) : src;
          if (!isMap(target)) throw new Error('map merge requires map or sequence of maps as the value');
          const merged = conv(src) as Record<string, unknown>;
          for (const k of Object.keys(merged)) {
            delete out[k];
            set(k, merged[k]);
          }
        }
      }
      return out;
    } finally {
      open.delete(n);
    }
  };
  return conv(doc.contents);
}

/** The text of a plain, untagged scalar (the ones kubectl's YAML 1.1 reading applies to), else undefined. */
function plainText(n: Yaml.Scalar): string | undefined {
  return n.type === 'PLAIN' && n.tag === undefined && typeof n.source === 'string' ? n.source : undefined;
}

/**
 * The JSON key kubectl makes of a scalar key and the Go type yaml.v2 gives it (two keys of
 * different types are two keys to yaml.v2), or undefined (refused, or not a scalar).
 */
function keyOf(k: unknown): { text: string; type: string } | undefined {
  if (!yaml!.isScalar(k)) return undefined;
  const plain = plainText(k);
  if (plain === undefined) return { text: String(k.value), type: 'string' };
  const { key, type } = kubectlKeyOf(plain);
  return typeof key === 'string' ? { text: key, type } : undefined;
}

/** The maps a `<<` value merges (a map, or each map of a list), and whether each came through an alias. */
function mergeSources(doc: Yaml.Document.Parsed, value: unknown): { source: Yaml.YAMLMap; aliased: boolean }[] {
  const { isAlias, isMap, isSeq } = yaml!;
  const out: { source: Yaml.YAMLMap; aliased: boolean }[] = [];
  const add = (n: unknown, viaAlias: boolean): void => {
    const m = isAlias(n) ? n.resolve(doc) : n;
    if (isMap(m)) out.push({ source: m, aliased: viaAlias || isAlias(n) });
  };
  const v = isAlias(value) ? value.resolve(doc) : value;
  if (isSeq(v)) for (const item of v.items) add(item, isAlias(value));
  else add(value, false);
  return out;
}

/** A `<<` key (plain, or tagged !!merge) as yaml.v2's isMerge sees it. */
function isMergeKey(k: unknown): boolean {
  return yaml!.isScalar(k) && k.type === 'PLAIN' && k.source === '<<' && (k.tag === undefined || k.tag === 'tag:yaml.org,2002:merge');
}

/** loadText through the `yaml` package only: for documents outside the subset, every error, and tests. */
export function loadTextWithYaml(text: string, file: string): LoadResult {
  const out: LoadResult = { docs: [], tekton: [], diagnostics: [] };
  yaml ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  const { LineCounter, parseAllDocuments, isNode, isMap, isScalar } = yaml;
  const lc = new LineCounter();
  let parsed: Yaml.Document.Parsed[];
  try {
    // (merge: true so that `<<` keys may repeat and take the merge tag; kubectlValue applies the merges, as yaml.v2 does;
    // uniqueKeys: false, as yaml.v2 takes a key twice, the last value winning: readAsKubectl notes it)
    parsed = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false, merge: true }) as Yaml.Document.Parsed[];
  } catch (e) {
    out.diagnostics.push({ severity: 'error', message: `cannot parse YAML: ${yamlMessage((e as Error).message)}`, paths: [], file, pos: { line: 1, col: 1 } });
    return out;
  }
  if (!Array.isArray(parsed)) parsed = [parsed as unknown as Yaml.Document.Parsed]; // EmptyStream has no docs
  const at = (offset: number): Position => {
    const p = lc.linePos(offset);
    return { line: p.line, col: p.col };
  };
  const refused = REFUSED_CHAR.exec(text);
  if (refused) {
    out.diagnostics.push({ severity: 'error', message: `kubectl cannot read this file: it holds the control character U+${codePoint(refused[0])} (Go's yaml.v2 allows none); write it as an escape in a double-quoted string`, paths: [], file, pos: at(refused.index), rule: 'yaml-syntax' });
  }
  // NEL, LS and PS anywhere (comments and the space between documents too: to yaml.v2 a comment
  // ends there, and what follows is read), each noted on the document it stands in or before
  const breaks = [...text.matchAll(YAML11_BREAK)];
  let nextBreak = 0;
  let lineBreaks: Yaml11Note[] = [];
  const breaksUpTo = (upTo: number): void => {
    for (; nextBreak < breaks.length && breaks[nextBreak]!.index < upTo; nextBreak++) {
      const m = breaks[nextBreak]!;
      lineBreaks.push({ pos: at(m.index), text: m[0], kubectl: 'line break', yaml12: 'character', key: false,
        message: `kubectl reads U+${codePoint(m[0])} as a line break (YAML 1.1), YAML 1.2 tools as a character, so the cluster may see other keys and values: remove it, or write it as ${BREAK_ESCAPE[m[0]]} in a double-quoted string` });
    }
  };
  parsed.forEach((doc, index) => {
    breaksUpTo(index === parsed.length - 1 ? text.length : doc.range[2]);
    // (`\'` in a double-quoted scalar is an error to YAML 1.2 and a quote to yaml.v2: readAsKubectl reads it)
    const errors = doc.errors.filter((e) => !(e.code === 'BAD_DQ_ESCAPE' && text.startsWith("\\'", e.pos[0])));
    if (errors.length) {
      for (const e of errors) {
        out.diagnostics.push({ severity: 'error', message: yamlMessage(e.message), paths: [], file, pos: at(e.pos[0]), rule: 'yaml-syntax' });
      }
      return;
    }
    if (doc.contents === null) return; // an empty document (`---` alone, comments only)
    const { notes: yaml11, merges, collectionKeys } = readAsKubectl(doc, text, at, (message, offset) => out.diagnostics.push({ severity: 'error', message, paths: [], file, pos: at(offset), rule: 'yaml-syntax' }));
    // (no value kubectl could send: nothing else to check in this document)
    if (collectionKeys) return;
    let value: unknown;
    try {
      value = merges ? kubectlValue(doc) : doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (e) {
      out.diagnostics.push({ severity: 'error', message: `cannot read document: ${yamlMessage((e as Error).message)}`, paths: [], file, pos: at(doc.range[0]), rule: 'yaml-syntax' });
      return;
    }
    const root = doc.contents;
    const nodeAt = (path: readonly PathSegment[], wantKey: boolean): Position => {
      let node: unknown = root;
      let best: Position = at(isNode(root) && root.range ? root.range[0] : doc.range[0]);
      for (let n = 0; n < path.length; n++) {
        const seg = path[n];
        if (isMap(node)) {
          const pair = node.items.findLast((p) => keyText(p) === seg);
          if (!pair) return best;
          const keyNode = pair.key as { range?: [number, number, number] } | null;
          if (wantKey && n === path.length - 1 && keyNode?.range) return at(keyNode.range[0]);
          node = pair.value;
          const r = (node as { range?: [number, number, number] } | null)?.range ?? keyNode?.range;
          if (r) best = at(r[0]);
        } else if (node && typeof node === 'object' && 'items' in node && typeof seg === 'number') {
          const item = (node as { items: unknown[] }).items[seg];
          if (item === undefined) return best;
          node = item;
          const r = (item as { range?: [number, number, number] } | null)?.range;
          if (r) best = at(r[0]);
        } else {
          return best;
        }
      }
      return best;
    };
    const textPos = (path: readonly PathSegment[], index: number): Position => {
      const start = nodeAt(path, false);
      let node: unknown = root;
      for (const seg of path) {
        if (isMap(node)) node = node.items.findLast((p) => keyText(p) === seg)?.value;
        else if (node && typeof node === 'object' && 'items' in node && typeof seg === 'number') node = (node as { items: unknown[] }).items[seg];
        else return start;
      }
      if (!isScalar(node) || node.type !== 'BLOCK_LITERAL' || typeof node.value !== 'string' || !node.range) return start;
      return literalPos(node, text, node.range[0], node.range[1], node.value, index, start);
    };
    const source = text.slice(doc.range[0], doc.range[2]);
    yaml11.push(...lineBreaks);
    lineBreaks = [];
    addDoc(out, file, index, value, (path) => nodeAt(path, false), (path) => nodeAt(path, true), textPos, source, yaml11);
  });
  // (after the last document, or in documents not added: noted on the last one added)
  breaksUpTo(text.length);
  const last = out.docs[out.docs.length - 1];
  if (last && lineBreaks.length) last.yaml11 = [...(last.yaml11 ?? []), ...lineBreaks];
  // Notes reach the report through the Tekton documents they are on; a line break on another
  // (or on none) can still make kubectl see a document of its own: a warning of the file then.
  if (breaks.length) {
    const tekton = new Set(out.tekton);
    const warn = (n: Yaml11Note): void => void out.diagnostics.push({ severity: 'warning', message: n.message!, paths: [], rule: 'yaml11-scalar', file, pos: n.pos });
    for (const d of out.docs) if (!tekton.has(d)) for (const n of d.yaml11 ?? []) if (n.kubectl === 'line break') warn(n);
    if (!last) lineBreaks.forEach(warn);
  }
  return out;
}

/** yaml's messages repeat the position and a code excerpt; keep the first sentence. */
function yamlMessage(m: string): string {
  // The yaml package reports JavaScript's own stack overflow for absurdly deep nesting.
  if (m.includes('Maximum call stack size exceeded')) return 'nested too deeply to read (hundreds of levels)';
  return m.replace(/ at line \d+, column \d+:[\s\S]*$/, '').trim();
}
