// `yaml11-scalar`: a plain scalar that kubectl and tkn (YAML 1.1, Go's yaml.v2) read as another
// value than YAML 1.2 tools do: `on`, `yes`, `y` become booleans, `0755` octal, `1_000` a number.
// tektite reads the file as kubectl does (what the cluster validates and runs); the warning says
// that the text was probably meant and how to keep it.
import type { Yaml11Note } from '../load.js';

function reading(v: unknown): string {
  if (typeof v === 'boolean') return `the boolean ${v}`;
  if (typeof v === 'number') return `the number ${Number.isNaN(v) ? 'NaN' : v}`;
  if (v === null) return 'null';
  return `the text ${JSON.stringify(v)}`;
}

export function yaml11Message(n: Yaml11Note): string {
  if (n.message !== undefined) return n.message;
  if (n.key) {
    return `kubectl reads the unquoted key ${n.text} as the key ${JSON.stringify(String(n.kubectl))} (YAML 1.1), YAML 1.2 tools as ${JSON.stringify(String(n.yaml12))}: quote it to keep the text`;
  }
  const advice = typeof n.kubectl === 'string'
    ? 'quote it so that every reader takes the text'
    : `quote it to keep the text${typeof n.kubectl === 'boolean' ? `, or write ${String(n.kubectl)}` : ''}`;
  return `kubectl reads the unquoted ${n.text} as ${reading(n.kubectl)} (YAML 1.1), YAML 1.2 tools as ${reading(n.yaml12)}: ${advice}`;
}
