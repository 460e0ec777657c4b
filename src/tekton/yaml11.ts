// Plain (unquoted, untagged) scalars as kubectl and tkn read them. Both turn YAML into JSON with
// sigs.k8s.io/yaml, which reads YAML 1.1 through its copy of Go's yaml.v2 (resolve.go): there
// `yes`, `on`, `y` (and their capitalised forms) are booleans, `0755` is octal, `1_000` and
// `0b101` are numbers. The YAML 1.2 core schema reads those as text or as other numbers. What
// the cluster validates and runs is the 1.1 reading, so tektite reads plain scalars this way.
//
// The rules, in yaml.v2's order: a fixed table of words (booleans, nulls, .inf/.nan); a scalar
// starting with `.` is a float when Go's ParseFloat takes it; one starting with a digit or a
// sign, once every `_` is dropped, is an integer when Go's ParseInt (base 0: 0b, 0o, 0x and a
// leading 0 for octal) takes it, else a float when it looks like one; anything else is text.
// Timestamps stay text (yaml.v2 keeps them strings when decoding into interface{}). Integers
// beyond 2^53 lose precision here as everywhere in JavaScript.

const WORDS = new Map<string, boolean | null | number>();
for (const w of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) WORDS.set(w, true);
for (const w of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) WORDS.set(w, false);
for (const w of ['', '~', 'null', 'Null', 'NULL']) WORDS.set(w, null);
for (const w of ['.nan', '.NaN', '.NAN']) WORDS.set(w, NaN);
for (const w of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) WORDS.set(w, Infinity);
for (const w of ['-.inf', '-.Inf', '-.INF']) WORDS.set(w, -Infinity);

/** What Go's strconv.ParseInt(s, 0, 64) takes (range aside): sign, then a base prefix or a leading 0 for octal. */
const GO_INT = /^([-+]?)(?:0[bB]([01]+)|0[oO]([0-7]+)|0[xX]([0-9a-fA-F]+)|(0[0-7]*)|([1-9][0-9]*))$/;
/** yaml.v2's yamlStyleFloat. */
const YAML_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** What Go's ParseFloat takes of a scalar starting with `.` (the words aside). */
const DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;

/** The value kubectl gives the plain scalar `s`. */
export function kubectlScalar(s: string): unknown {
  const w = WORDS.get(s);
  if (w !== undefined) return w;
  const c = s.charCodeAt(0);
  if (c === 0x2e /* . */) return DOT_FLOAT.test(s) ? Number(s) : s;
  if (!(c >= 0x30 && c <= 0x39) && c !== 0x2b /* + */ && c !== 0x2d /* - */) return s;
  const plain = s.includes('_') ? s.replaceAll('_', '') : s;
  const m = GO_INT.exec(plain);
  if (m) {
    const [, sign, bin, oct, hex, leadingZero, dec] = m;
    const n = bin !== undefined ? parseInt(bin, 2)
      : oct !== undefined ? parseInt(oct, 8)
        : hex !== undefined ? parseInt(hex, 16)
          : leadingZero !== undefined ? parseInt(leadingZero, 8)
            : Number(dec);
    return sign === '-' && n !== 0 ? -n : n; // (Go's integers have no -0)
  }
  if (YAML_FLOAT.test(plain)) return Number(plain);
  return s;
}

/** Whether kubectl's reading `a` and another reading `b` of a scalar are the same value. */
export function sameScalar(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}
