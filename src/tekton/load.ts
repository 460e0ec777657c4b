// Loading YAML/JSON into plain values while keeping every node's source position.
// Pure: takes text, returns documents. Reading files and folders lives in ./files.ts.
import { LineCounter, parseAllDocuments, isNode, isMap, isPair, isScalar, type Document } from 'yaml';
import type { Diagnostic, Position } from './diagnostics.js';
import { KINDS, TEKTON_GROUP, type TektonKind } from './types.js';

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
}

export interface LoadResult {
  docs: LoadedDoc[];
  /** Tekton documents recognised by kind (Task, TaskRun, StepAction, Pipeline, PipelineRun). */
  tekton: LoadedDoc[];
  /** Parse errors (always `error`) and notes about skipped documents (`note`). */
  diagnostics: Diagnostic[];
}

const MAX_ALIASES = 1000;

export function isTektonKind(doc: Pick<LoadedDoc, 'apiVersion' | 'kind'>): doc is LoadedDoc & { kind: TektonKind } {
  return doc.apiVersion.startsWith(`${TEKTON_GROUP}/`) && (KINDS as readonly string[]).includes(doc.kind);
}

/** Parses every document of `text`; never throws on bad input. */
export function loadText(text: string, file: string): LoadResult {
  const lc = new LineCounter();
  const out: LoadResult = { docs: [], tekton: [], diagnostics: [] };
  let parsed: Document.Parsed[];
  try {
    parsed = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    out.diagnostics.push({ severity: 'error', message: `cannot parse YAML: ${(e as Error).message}`, paths: [], file, pos: { line: 1, col: 1 } });
    return out;
  }
  if (!Array.isArray(parsed)) parsed = [parsed as unknown as Document.Parsed]; // EmptyStream has no docs
  const at = (offset: number): Position => {
    const p = lc.linePos(offset);
    return { line: p.line, col: p.col };
  };
  parsed.forEach((doc, index) => {
    if (doc.errors.length) {
      for (const e of doc.errors) {
        out.diagnostics.push({ severity: 'error', message: yamlMessage(e.message), paths: [], file, pos: at(e.pos[0]), rule: 'yaml-syntax' });
      }
      return;
    }
    if (doc.contents === null) return; // an empty document (`---` alone, comments only)
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (e) {
      out.diagnostics.push({ severity: 'error', message: `cannot read document: ${(e as Error).message}`, paths: [], file, pos: at(doc.range[0]), rule: 'yaml-syntax' });
      return;
    }
    const root = doc.contents;
    const nodeAt = (path: readonly PathSegment[], wantKey: boolean): Position => {
      let node: unknown = root;
      let best: Position = at(isNode(root) && root.range ? root.range[0] : doc.range[0]);
      for (const seg of path) {
        if (isMap(node)) {
          const pair = node.items.find((p) => isPair(p) && (isScalar(p.key) ? p.key.value : p.key) === seg);
          if (!pair) return best;
          const keyNode = pair.key as { range?: [number, number, number] } | null;
          if (wantKey && seg === path[path.length - 1] && keyNode?.range) return at(keyNode.range[0]);
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
    const blocks = new WeakMap<object, { lines: number; indent: number }>();
    const textPos = (path: readonly PathSegment[], index: number): Position => {
      const start = nodeAt(path, false);
      let node: unknown = root;
      for (const seg of path) {
        if (isMap(node)) node = node.items.find((p) => isPair(p) && (isScalar(p.key) ? p.key.value : p.key) === seg)?.value;
        else if (node && typeof node === 'object' && 'items' in node && typeof seg === 'number') node = (node as { items: unknown[] }).items[seg];
        else return start;
      }
      if (!isScalar(node) || node.type !== 'BLOCK_LITERAL' || typeof node.value !== 'string' || !node.range) return start;
      const before = node.value.slice(0, index);
      let line = 0;
      for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
      let block = blocks.get(node);
      if (!block) {
        const source = text.slice(node.range[0], node.range[1]).split('\n').slice(1);
        const indent = Math.min(...source.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
        block = { lines: source.length, indent };
        blocks.set(node, block);
      }
      const { lines, indent } = block;
      if (!Number.isFinite(indent) || line >= lines) return start;
      return { line: start.line + 1 + line, col: indent + 1 + (index - before.lastIndexOf('\n') - 1) };
    };
    const v = value as Record<string, unknown> | null;
    const isObj = v !== null && typeof v === 'object' && !Array.isArray(v);
    const meta = isObj && v.metadata && typeof v.metadata === 'object' ? (v.metadata as Record<string, unknown>) : {};
    const loaded: LoadedDoc = {
      file,
      index,
      apiVersion: isObj && typeof v.apiVersion === 'string' ? v.apiVersion : '',
      kind: isObj && typeof v.kind === 'string' ? v.kind : '',
      name: typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? meta.generateName : '',
      value,
      pos: (path) => nodeAt(path, false),
      keyPos: (path) => nodeAt(path, true),
      textPos,
    };
    out.docs.push(loaded);
    if (isTektonKind(loaded)) {
      out.tekton.push(loaded);
    } else {
      const what = loaded.kind ? `${loaded.kind}${loaded.apiVersion ? ` (${loaded.apiVersion})` : ''}` : 'a document without kind';
      out.diagnostics.push({ severity: 'note', message: `skipped ${what}: not a Tekton Task, TaskRun, StepAction, Pipeline or PipelineRun`, paths: [], file, pos: loaded.pos([]) });
    }
  });
  return out;
}

/** yaml's messages repeat the position and a code excerpt; keep the first sentence. */
function yamlMessage(m: string): string {
  return m.replace(/ at line \d+, column \d+:[\s\S]*$/, '').trim();
}
