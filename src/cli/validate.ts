// `tektite validate [paths...]`: Tekton's webhook rules and tektite's lint rules, offline.
import { formatDiagnostic, type Diagnostic } from '../tekton/diagnostics.js';
import { InputError } from '../tekton/files.js';
import { validateFiles } from '../tekton/validate/files.js';
import { LINT_RULES } from '../tekton/lint/index.js';
import type { FeatureFlags } from '../tekton/validate/index.js';
import { parseCommand } from './args.js';
import { EXIT, fail } from './exit.js';
import { print } from './print.js';

const GATES: Record<string, keyof FeatureFlags> = {
  'enable-param-enum': 'enableParamEnum',
  'enable-cel-in-whenexpression': 'enableCelInWhenExpression',
  'enable-artifacts': 'enableArtifacts',
  'enable-concise-resolver-syntax': 'enableConciseResolverSyntax',
};

function help(): string {
  const width = Math.max(...Object.keys(LINT_RULES).map((r) => r.length));
  return `Usage: tektite validate [options] <path...>

Checks Tekton Task, TaskRun, StepAction (and the task specs inside Pipeline, PipelineRun)
YAML/JSON files offline, with Tekton's own webhook rules, messages and field paths, plus lint
rules Tekton lacks. Paths are files, folders (searched for .yaml/.yml/.json) or - for stdin.

Options:
  --strict                 report lint findings as errors
  -o, --output <format>    text (default) or json
  --api-fields <level>     Tekton's enable-api-fields: alpha, beta (default) or stable
  --enable <flag>          turn on a Tekton feature flag (repeatable): ${Object.keys(GATES).join(', ')}
  -v, --verbose            also show notes (documents skipped because they are not Tekton kinds)
  -h, --help               show this help

Output: file:line:col: <message>: <field path>   (lint findings end with [rule-id])
Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 unreadable input or bad usage.

Lint rules (warnings; errors with --strict):
${Object.entries(LINT_RULES).map(([id, what]) => `  ${id.padEnd(width)}  ${what}`).join('\n')}
`;
}

export default async function validate(argv: string[]): Promise<number> {
  const args = parseCommand(
    argv,
    {
      strict: { type: 'boolean' },
      output: { type: 'string', short: 'o' },
      'api-fields': { type: 'string' },
      enable: { type: 'string', multiple: true },
      verbose: { type: 'boolean', short: 'v' },
    },
    help,
  );
  if (typeof args === 'number') return args;
  const { values: o, positionals: paths } = args;
  const format = o.output ?? 'text';
  if (format !== 'text' && format !== 'json') return fail(`validate: unknown output format "${format}" (use text or json)`);
  const flags: Partial<FeatureFlags> = {};
  if (o['api-fields'] !== undefined) {
    if (!['alpha', 'beta', 'stable'].includes(o['api-fields'])) return fail(`validate: --api-fields must be alpha, beta or stable, not "${o['api-fields']}"`);
    flags.apiFields = o['api-fields'] as FeatureFlags['apiFields'];
  }
  for (const name of o.enable ?? []) {
    const key = Object.hasOwn(GATES, name) ? GATES[name] : undefined;
    if (!key) return fail(`validate: unknown feature flag "${name}" (known: ${Object.keys(GATES).join(', ')})`);
    (flags as Record<string, unknown>)[key] = true;
  }
  if (paths.length === 0) return fail('validate: no input: give files, folders, or - for stdin\nRun `tektite validate --help` for usage.');

  let result;
  try {
    result = validateFiles(paths, { strict: o.strict === true, flags, runTimeChecks: true });
  } catch (e) {
    if (e instanceof InputError) return fail(`validate: ${e.message}`);
    throw e;
  }
  const files = result.files.length;
  if (files === 0) return fail(`validate: no .yaml, .yml or .json files in ${paths.join(', ')}`);
  const found = result.diagnostics;
  if (result.tekton === 0 && !found.some((d) => d.severity === 'error')) {
    // A wrong path or a file of something else must not pass silently as "valid".
    found.push({ severity: o.strict ? 'error' : 'warning', message: 'nothing to validate: no Task, TaskRun, StepAction, Pipeline or PipelineRun found (-v shows what was skipped)', paths: [], rule: 'no-tekton-documents' });
  }
  const shown = o.verbose ? found : found.filter((d) => d.severity !== 'note');
  const errors = found.filter((d) => d.severity === 'error').length;
  const warnings = found.filter((d) => d.severity === 'warning').length;
  const skipped = result.docs - result.tekton;
  const ordered = orderByInput(shown, result.files);
  if (format === 'json') {
    print(1, `${JSON.stringify({ files, documents: result.tekton, skipped, errors, warnings, diagnostics: ordered.map(toJson) }, null, 2)}\n`);
  } else if (ordered.length) {
    print(1, `${ordered.map(formatDiagnostic).join('\n')}\n`);
  }
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  print(2, `${plural(files, 'file')}, ${plural(result.tekton, 'Tekton document')}${skipped ? ` (${skipped} other skipped)` : ''}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`);
  return errors > 0 ? EXIT.failed : EXIT.ok;
}

/** Files in input order, findings in line order within a file (stable for equal positions). */
function orderByInput(ds: Diagnostic[], inputs: readonly string[]): Diagnostic[] {
  const order = new Map<string, number>(inputs.map((f, i) => [f === '-' ? '<stdin>' : f, i]));
  return [...ds].sort((a, b) =>
    (order.get(a.file ?? '') ?? 0) - (order.get(b.file ?? '') ?? 0) ||
    (a.pos?.line ?? 0) - (b.pos?.line ?? 0) ||
    (a.pos?.col ?? 0) - (b.pos?.col ?? 0));
}

function toJson(d: Diagnostic) {
  return {
    file: d.file ?? null,
    line: d.pos?.line ?? null,
    col: d.pos?.col ?? null,
    severity: d.severity,
    message: d.message,
    paths: d.paths,
    ...(d.details ? { details: d.details } : {}),
    ...(d.rule ? { rule: d.rule } : {}),
  };
}
