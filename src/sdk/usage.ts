// `--help`: the declaration printed as usage (params with flag, env and default; results;
// workspaces). Secret defaults are never shown.
import type { ParamSpec, StepProgram } from './declare.js';
import { paramEnvNames, resultEnv, workspaceEnv } from './declare.js';

function typeLabel(spec: ParamSpec): string {
  switch (spec.kind) {
    case 'enum':
      return spec.values!.join('|');
    case 'array':
      return 'value (repeatable)';
    case 'boolean':
      return '';
    default:
      return spec.kind;
  }
}

function defaultLabel(spec: ParamSpec): string {
  if (spec.secret) return spec.default === undefined ? 'required' : 'has a default';
  if (spec.kind === 'object') {
    const missing = (spec.properties ?? []).filter((k) => spec.objectDefault?.[k] === undefined);
    return missing.length ? `required keys: ${missing.join(', ')}` : `default ${JSON.stringify(spec.objectDefault)}`;
  }
  if (spec.default === undefined) return 'required';
  return `default ${JSON.stringify(spec.default)}`;
}

const LINE = 100;

/** Collapses whitespace (descriptions are often YAML block text) and wraps at `width`. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

function table(rows: [string, string][]): string {
  const width = Math.min(32, Math.max(...rows.map(([a]) => a.length)));
  const pad = ' '.repeat(width + 4);
  return rows
    .map(([a, b]) => {
      const text = wrap(b, Math.max(40, LINE - pad.length));
      const head = a.length > width ? `  ${a}\n${pad}` : `  ${a.padEnd(width)}  `;
      return head + text.join(`\n${pad}`);
    })
    .join('\n');
}

export function usageText(p: StepProgram): string {
  const parts: string[] = [...wrap(`${p.name}${p.description ? ` — ${p.description}` : ''}`, LINE), '', `Usage: ${p.name} [flags]`];
  const params = Object.entries(p.params);
  if (params.length) {
    const rows: [string, string][] = [];
    for (const [name, spec] of params) {
      const { env, keys } = paramEnvNames(name, spec);
      const aliases = (spec.aliases ?? []).map((a) => `, -${a}`).join('');
      const flag = spec.kind === 'object' ? `-${name}.<${spec.properties!.join('|')}> string` : `-${name}${aliases} ${typeLabel(spec)}`.trimEnd();
      const envText = spec.kind === 'object' ? Object.values(keys).join(', ') : spec.kind === 'array' ? `${env} (JSON array)` : env;
      const notes = [defaultLabel(spec), `env ${envText}`, spec.secret ? 'secret' : '', spec.cliOnly ? 'not a Task param' : ''].filter(Boolean);
      rows.push([flag, `${spec.description ? `${spec.description} ` : ''}(${notes.join('; ')})`]);
    }
    parts.push('', 'Params:', table(rows));
  }
  const results = Object.entries(p.results);
  if (results.length) {
    const rows = results.map(([name, spec]): [string, string] => [
      name,
      `${spec.kind}${spec.properties ? ` {${spec.properties.join(', ')}}` : ''}${spec.description ? ` — ${spec.description}` : ''} (written to $${resultEnv(name, spec)})`,
    ]);
    parts.push('', 'Results:', table(rows));
  }
  const workspaces = Object.entries(p.workspaces);
  if (workspaces.length) {
    const rows = workspaces.map(([name, spec]): [string, string] => {
      const e = workspaceEnv(name, spec);
      const flags = [spec.optional ? 'optional' : 'required', spec.readOnly ? 'read-only' : ''].filter(Boolean).join(', ');
      return [name, `${spec.description ? `${spec.description} ` : ''}(${flags}; env ${e.path}, ${e.bound})`];
    });
    parts.push('', 'Workspaces:', table(rows));
  }
  parts.push('', 'Flags take the forms -name=value, -name value, --name=value; a boolean alone means true.', 'Exit codes: 0 success, 1 failure, 2 bad input.');
  return `${parts.join('\n')}\n`;
}
