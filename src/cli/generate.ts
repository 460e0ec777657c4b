// `tektite generate <plugin.ts> [--stepaction] [-o file]`: prints (or writes) the Tekton YAML of a
// step program, generated from its declaration.
import { existsSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { parseCommand } from './args.js';
import { EXIT, fail } from './exit.js';
import { writeOutput } from './write-output.js';

const USAGE = `Usage: tektite generate <plugin.ts> [--stepaction] [-o file]

Prints the Tekton YAML that runs a step program: a v1 Task, or with --stepaction a v1beta1
StepAction. The YAML's tektite.dev/source annotation points at the plugin source (relative to the
output file's folder), so \`tektite run\` can run it straight from source.

Options:
  --stepaction       emit the StepAction instead of the Task
  -o, --output FILE  write to FILE instead of stdout
  -h, --help         this help
`;

export default async function generate(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, { stepaction: { type: 'boolean' }, output: { type: 'string', short: 'o' } }, USAGE);
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length !== 1) return fail(`give exactly one plugin source file\n\n${USAGE}`);
  const entry = resolve(parsed.positionals[0]!);
  if (!existsSync(entry)) return fail(`${parsed.positionals[0]}: no such file`);
  const out = parsed.values.output === undefined ? undefined : resolve(parsed.values.output);

  const { loadStepProgram } = await import('../build/plugin-source.js');
  const { generateStepAction, generateTask, toYaml } = await import('../build/generate.js');
  const { validateResource } = await import('../tekton/validate/index.js');
  const { formatDiagnostic } = await import('../tekton/diagnostics.js');
  let text: string;
  try {
    const program = await loadStepProgram(entry);
    const source = relative(out ? dirname(out) : process.cwd(), entry).split(sep).join('/');
    const doc = parsed.values.stepaction ? generateStepAction(program, { source }) : generateTask(program, { source });
    // What a declaration allows but Tekton would refuse is caught here, not at kubectl apply.
    const findings = validateResource(doc, { strict: true });
    if (findings.length) return fail(`the ${String(doc.kind)} generated from ${parsed.positionals[0]} does not pass Tekton's rules:\n${findings.map(formatDiagnostic).join('\n')}`);
    text = toYaml([doc], source);
  } catch (e) {
    return fail((e as Error).message);
  }
  if (!out) {
    process.stdout.write(text);
    return EXIT.ok;
  }
  await writeOutput(out, text);
  return EXIT.ok;
}
