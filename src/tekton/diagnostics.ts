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
  file?: string;
  pos?: Position;
}

/** `file:line:col: message: path1, path2` — the form every command prints. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}:${d.pos ? `${d.pos.line}:${d.pos.col}` : '1:1'}: ` : '';
  const sev = d.severity === 'error' ? '' : `${d.severity}: `;
  const paths = d.paths.length ? `: ${d.paths.join(', ')}` : '';
  const rule = d.rule ? ` [${d.rule}]` : '';
  const details = d.details ? `\n  ${d.details.replace(/\n/g, '\n  ')}` : '';
  return `${where}${sev}${d.message}${paths}${rule}${details}`;
}
