// Validating files one at a time, as `tektite validate` does: each file is read, parsed,
// validated and dropped before the next, so memory does not grow with the number of files and
// the collector has little to carry. The one link between documents, a TaskRun's taskRef to a
// Task by name, is resolved at the end: such TaskRuns wait, and the Task they name is read again
// from its file (only its place is kept; from stdin or a pipe, the Task itself). Findings equal
// validateDocs over every document.
import type { Diagnostic } from '../diagnostics.js';
import { expandInput, readableAgain, readInput } from '../files.js';
import { loadText, type LoadedDoc } from '../load.js';
import { dropIgnored } from '../lint/ignore.js';
import { refersToTask, taskLookup, validateDoc, type TaskLookup, type ValidateOptions } from './index.js';

export interface FilesResult {
  /** The files read, in order (folders expanded; `-` for stdin). */
  files: string[];
  /** Documents read, Tekton or not. */
  docs: number;
  /** Tekton documents (Task, TaskRun, StepAction, Pipeline, PipelineRun). */
  tekton: number;
  /** Parse errors, notes about skipped documents, and every finding. */
  diagnostics: Diagnostic[];
  /** Lint findings dropped by `# tektite-ignore` comments. */
  ignored: number;
}

/** Where a Task is: its file and index there (or, for input that can be read only once, the document). */
type TaskPlace = { file: string; index: number; doc?: LoadedDoc };

/**
 * Validates every document of the files and folders in `paths` (folder walks passing over the
 * absolute paths in `ignore`). Unreadable paths throw InputError.
 */
export function validateFiles(paths: readonly string[], opts: ValidateOptions, ignore?: readonly string[]): FilesResult {
  const regular = new Set<string>(); // files known to be regular: no need to look again
  const files = expandInput(paths, regular, ignore);
  const out: FilesResult = { files, docs: 0, tekton: 0, diagnostics: [], ignored: 0 };
  const places = new Map<string, TaskPlace | null>(); // null: the name is defined more than once
  const waiting: { doc: LoadedDoc; text: string }[] = [];
  const keep = (found: Diagnostic[], text: string) => {
    const { kept, ignored } = dropIgnored(found, text);
    out.diagnostics.push(...kept);
    out.ignored += ignored;
  };
  for (const f of files) {
    const text = readInput(f);
    const loaded = loadText(text, f === '-' ? '<stdin>' : f);
    out.docs += loaded.docs.length;
    out.tekton += loaded.tekton.length;
    out.diagnostics.push(...loaded.diagnostics);
    const found: Diagnostic[] = [];
    let again: boolean | undefined; // whether f can be read a second time: looked up once, if needed
    for (const doc of loaded.tekton) {
      if (doc.kind === 'Task' && doc.name) {
        again ??= regular.has(f) || readableAgain(f);
        places.set(doc.name, places.has(doc.name) ? null : { file: f, index: doc.index, ...(again ? {} : { doc }) });
      }
      if (refersToTask(doc)) waiting.push({ doc, text });
      else found.push(...validateDoc(doc, opts));
    }
    keep(found, text);
  }
  if (waiting.length) {
    const tasks = placedTasks(places);
    for (const { doc, text } of waiting) keep(validateDoc(doc, opts, tasks), text);
  }
  return out;
}

/** A TaskLookup over Tasks known by place: each file read again at most once. */
function placedTasks(places: Map<string, TaskPlace | null>): TaskLookup {
  const reread = new Map<string, LoadedDoc[]>();
  const lookups = new Map<string, TaskLookup>();
  return (name) => {
    const place = places.get(name);
    if (!place) return undefined;
    let lookup = lookups.get(name);
    if (!lookup) {
      let doc = place.doc;
      if (!doc) {
        let docs = reread.get(place.file);
        if (!docs) reread.set(place.file, (docs = loadText(readInput(place.file), place.file).tekton));
        doc = docs.find((d) => d.index === place.index && d.kind === 'Task' && d.name === name);
      }
      lookup = doc ? taskLookup([doc]) : () => undefined;
      lookups.set(name, lookup);
    }
    return lookup(name);
  };
}
