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
/** What Go's ParseFloat takes of a scalar starting with `.` (the words aside): `_` only between digits. */
const DOT_FLOAT = /^\.[0-9]+(?:_[0-9]+)*(?:[eE][-+]?[0-9]+(?:_[0-9]+)*)?$/;

/** Go's ParseFloat fails with ErrRange beyond float64, and yaml.v2 then keeps the text. */
const goFloat = (text: string, s: string): unknown => {
  const n = Number(text);
  return Number.isFinite(n) ? n : s;
};

/** The value kubectl gives the plain scalar `s`. */
export function kubectlScalar(s: string): unknown {
  const w = WORDS.get(s);
  if (w !== undefined) return w;
  const c = s.charCodeAt(0);
  if (c === 0x2e /* . */) return DOT_FLOAT.test(s) ? goFloat(s.replaceAll('_', ''), s) : s;
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
  if (YAML_FLOAT.test(plain)) return goFloat(plain, s);
  return s;
}

/**
 * The JSON key sigs.k8s.io/yaml makes of the plain scalar key `s` (convertToJSONableObject):
 * text as it is, booleans as `true`/`false`, integers in decimal, floats as Go's
 * FormatFloat(k, 'g', -1, 32) with ±Inf and NaN as `.inf`, `-.inf`, `.nan`. Undefined for a
 * null key, which kubectl refuses.
 */
export function kubectlKey(s: string): string | undefined {
  const v = kubectlScalar(s);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v !== 'number') return undefined;
  if (Number.isNaN(v)) return '.nan';
  if (!Number.isFinite(v)) return v > 0 ? '.inf' : '-.inf';
  // yaml.v2 made an integer of it when Go's ParseInt took it
  if (GO_INT.test(s.includes('_') ? s.replaceAll('_', '') : s)) return String(v);
  return formatG32(v);
}

/** Go's strconv.FormatFloat(v, 'g', -1, 32): the shortest float32 digits, %e below 1e-4 and from 1e+06 on. */
function formatG32(v: number): string {
  const f = Math.fround(v);
  let digits = '';
  for (let p = 1; p <= 9; p++) {
    digits = f.toPrecision(p);
    if (Math.fround(Number(digits)) === f) break;
  }
  const [mant, e] = Number(digits).toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(Number(digits));
}

/** Whether kubectl's reading `a` and another reading `b` of a scalar are the same value. */
export function sameScalar(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}
