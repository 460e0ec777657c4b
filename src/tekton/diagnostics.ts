// A finding about a document: Tekton's message and field path, plus where it stands in the file.

export type Severity = 'error' | 'warning' | 'note';

export interface Position {
  line: number; // 1-based
  col: number; // 1-based
}

export interface Diagnostic {
  severity: Severity;
  /** Tekton's message text (for webhook rules), or tektite's own for lint rules and loading. */
  message: string;
  /** Field paths as Tekton prints them, e.g. `spec.steps[0].args[1]`; may be empty. */
  paths: string[];
  /** Extra explanation printed on the next line (knative FieldError "Details"). */
  details?: string;
  /** Identifier of a tektite lint rule; absent for Tekton's own rules. */
  rule?: string;
  /**
   * Printed path first, as the Kubernetes API server prints its field errors
   * (`spec.x: Invalid value: …`), instead of Tekton's webhook form (`message: paths`).
   */
  pathFirst?: boolean;
  file?: string;
  pos?: Position;
  /**
   * For `script-reference` findings: the node's path in the loaded document's value and the
   * character index in its text (what `validate --fix` edits). Not printed.
   */
  at?: { path: (string | number)[]; index?: number };
}

/** The message with its paths: `message: path1, path2` (Tekton's webhook), or `path: message` (the API server). */
export function messageWithPaths(d: Diagnostic): string {
  if (d.pathFirst && d.paths.length === 1) return `${d.paths[0]}: ${d.message}`;
  return d.paths.length ? `${d.message}: ${d.paths.join(', ')}` : d.message;
}

/** `file:line:col: message: path1, path2` — the form every command prints. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}:${d.pos ? `${d.pos.line}:${d.pos.col}` : '1:1'}: ` : '';
  const sev = d.severity === 'error' ? '' : `${d.severity}: `;
  const rule = d.rule ? ` [${d.rule}]` : '';
  const details = d.details ? `\n  ${d.details.replace(/\n/g, '\n  ')}` : '';
  return `${where}${sev}${messageWithPaths(d)}${rule}${details}`;
}
