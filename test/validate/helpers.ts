// Validating YAML text in tests: Tekton-rule errors as `message: paths` strings.
import { loadText } from '../../src/tekton/load.js';
import { validateDocs, type ValidateOptions } from '../../src/tekton/validate/index.js';
import { messageWithPaths, type Diagnostic } from '../../src/tekton/diagnostics.js';

export function diagnose(yaml: string, opts: ValidateOptions = {}): Diagnostic[] {
  const r = loadText(yaml, 't.yaml');
  const syntax = r.diagnostics.filter((d) => d.severity === 'error');
  if (syntax.length) throw new Error(`test YAML does not parse: ${syntax.map((d) => d.message).join('; ')}`);
  return validateDocs(r.tekton, opts);
}

/** Tekton's errors (not lint findings), each as `message: path1, path2`, sorted by message. */
export function tektonErrors(yaml: string, opts: ValidateOptions = {}): string[] {
  return diagnose(yaml, opts)
    .filter((d) => d.severity === 'error' && !d.rule)
    .map(messageWithPaths)
    .sort();
}

/** Lint findings of one rule, as `path: message`. */
export function findings(yaml: string, rule: string, opts: ValidateOptions = {}): Diagnostic[] {
  return diagnose(yaml, opts).filter((d) => d.rule === rule);
}

/** A Task document around an indented spec body. */
export function task(spec: string, name = 'demo'): string {
  return `apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: ${name}\nspec:\n${indent(spec, 2)}`;
}

export function taskRun(spec: string): string {
  return `apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata:\n  name: run\nspec:\n${indent(spec, 2)}`;
}

/** Re-indents a template-literal block: common leading spaces removed, `n` added. */
export function indent(text: string, n: number): string {
  const lines = text.replace(/^\n/, '').replace(/\s+$/, '').split('\n');
  const common = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  const pad = ' '.repeat(n);
  return lines.map((l) => (l.trim() ? pad + l.slice(common) : '')).join('\n') + '\n';
}
