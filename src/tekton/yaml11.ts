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

/**
 * Characters Go's yaml.v2 refuses anywhere in a file ("control characters are not allowed"): C0
 * controls but tab, LF and CR, DEL, C1 controls but NEL, U+FFFE and U+FFFF.
 */
export const REFUSED_CHAR = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]/;

/** NEL, LS and PS: line breaks to YAML 1.1 (yaml.v2) wherever they are, characters to YAML 1.2. */
export const YAML11_BREAK = /[\u0085\u2028\u2029]/g;

/** Each of those as a double-quoted YAML escape (`\N`, `\L`, `\P`), which both versions read alike. */
export const BREAK_ESCAPE: Readonly<Record<string, string>> = { '\u0085': '\\N', '\u2028': '\\L', '\u2029': '\\P' };

/** A character yaml.v2 refuses or reads as a line break: REFUSED_CHAR and YAML11_BREAK together. */
export const SPECIAL_CHAR = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]/;

/** A decimal integer well inside int64 and exact as a JavaScript number (no leading zero: octal). */
const SMALL_INT = /^[-+]?[1-9][0-9]{0,14}$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

type Resolved =
  | { kind: 'value'; value: unknown }
  /** An integer (`text`: its exact decimal digits), as Go's int64/int, uint64 or a big.Int. */
  | { kind: 'int'; value: number; text: string; type: 'int' | 'uint64' | 'big' }
  | { kind: 'float'; value: number };

/** yaml.v2's resolve() for a plain scalar, keeping what kind of Go value it made. */
function resolve(s: string): Resolved {
  const w = WORDS.get(s);
  if (w !== undefined) return typeof w === 'number' ? { kind: 'float', value: w } : { kind: 'value', value: w };
  const c = s.charCodeAt(0);
  if (c === 0x2e /* . */) {
    if (!DOT_FLOAT.test(s)) return { kind: 'value', value: s };
    const n = Number(s.replaceAll('_', ''));
    return Number.isFinite(n) ? { kind: 'float', value: n } : { kind: 'value', value: s };
  }
  if (!(c >= 0x30 && c <= 0x39) && c !== 0x2b /* + */ && c !== 0x2d /* - */) return { kind: 'value', value: s };
  // the common cases first, without BigInt: `-c`, `--flag` (a sign, then no digit, `.` or `_`:
  // text) and small decimal integers
  if (c === 0x2b || c === 0x2d) {
    const c1 = s.charCodeAt(1);
    if (!(c1 >= 0x30 && c1 <= 0x39) && c1 !== 0x2e /* . */ && c1 !== 0x5f /* _ (dropped before parsing) */) return { kind: 'value', value: s };
  }
  if (SMALL_INT.test(s)) return { kind: 'int', value: Number(s), text: s[0] === '+' ? s.slice(1) : s, type: 'int' };
  const plain = s.includes('_') ? s.replaceAll('_', '') : s;
  const m = GO_INT.exec(plain);
  if (m) {
    const [, sign, bin, oct, hex, leadingZero, dec] = m;
    const magnitude = BigInt(bin !== undefined ? `0b${bin}` : oct !== undefined ? `0o${oct}` : hex !== undefined ? `0x${hex}` : leadingZero !== undefined ? `0o${leadingZero}` : dec!);
    const v = sign === '-' ? -magnitude : magnitude;
    const text = v.toString();
    // ParseInt(plain, 0, 64), then ParseUint (which takes no sign)
    if (v >= INT64_MIN && v <= INT64_MAX) return { kind: 'int', value: Number(v), text, type: 'int' };
    const unsigned = sign === '';
    if (unsigned && v <= UINT64_MAX) return { kind: 'int', value: Number(v), text, type: 'uint64' };
    // both failed: a float if Go's ParseFloat takes it, else (ParseUint's ErrRange) sigs.k8s.io's
    // copy makes a big.Int, or (a sign) it stays text
    if (YAML_FLOAT.test(plain)) {
      const f = Number(plain);
      if (Number.isFinite(f)) return { kind: 'float', value: f };
    }
    return unsigned ? { kind: 'int', value: Number(v), text, type: 'big' } : { kind: 'value', value: s };
  }
  if (YAML_FLOAT.test(plain)) {
    // Go's ParseFloat fails with ErrRange beyond float64, and yaml.v2 then keeps the text
    const f = Number(plain);
    return Number.isFinite(f) ? { kind: 'float', value: f } : { kind: 'value', value: s };
  }
  return binaryFallback(plain) ?? { kind: 'value', value: s };
}

/**
 * yaml.v2's last try (sigs.k8s.io/yaml's copy): `0b`, then what ParseInt(rest, 2, 64) takes,
 * which allows a sign (`0b-101` is -5). (Its `-0b` branch parses "-" + rest, which only ever
 * takes what ParseInt(plain, 0, 64) took before.)
 */
const BINARY_FALLBACK = /^0b([-+])([01]+)$/;

function binaryFallback(plain: string): Resolved | undefined {
  const m = BINARY_FALLBACK.exec(plain);
  if (!m) return undefined;
  const magnitude = BigInt(`0b${m[2]!}`);
  const v = m[1] === '-' ? -magnitude : magnitude;
  if (v < INT64_MIN || v > INT64_MAX) return undefined; // ParseInt's ErrRange (ParseUint takes no sign)
  return { kind: 'int', value: Number(v), text: v.toString(), type: 'int' };
}

/**
 * The value kubectl gives the plain scalar `s`. An integer beyond 2^53 is a JavaScript number
 * near it (Go keeps every digit); one beyond uint64 (a big.Int there, a number with all its
 * digits in the JSON) is given as its decimal digits, which is what a Tekton param gets.
 */
export function kubectlScalar(s: string): unknown {
  const r = resolve(s);
  if (r.kind === 'int' && r.type === 'big') return r.text;
  return r.value;
}

/** Whether kubectl reads the plain scalar `s` as the text `s` itself. */
export function readsAsText(s: string): boolean {
  const r = resolve(s);
  return r.kind === 'value' && r.value === s;
}

/**
 * The JSON key sigs.k8s.io/yaml makes of the plain scalar key `s` (convertToJSONableObject):
 * text as it is, booleans as `true`/`false`, integers in decimal, floats as Go's
 * FormatFloat(k, 'g', -1, 32) with ±Inf and NaN as `.inf`, `-.inf`, `.nan`. A null key, and an
 * integer key beyond int64 (uint64, big.Int), kubectl refuses: `{ refused }` says which. With
 * the Go type yaml.v2 gives the key (string, bool, int, float or null).
 */
export function kubectlKeyOf(s: string): { key: string | { refused: string }; type: string } {
  const r = resolve(s);
  if (r.kind === 'int') return { key: r.type === 'int' ? r.text : { refused: `an integer key beyond int64 (Go's ${r.type === 'uint64' ? 'uint64' : '*big.Int'})` }, type: 'int' };
  if (r.kind === 'float') return { key: formatG32(r.value), type: 'float' };
  const v = r.value;
  if (v === null) return { key: { refused: 'a null key' }, type: 'null' };
  return typeof v === 'string' ? { key: v, type: 'string' } : { key: String(v), type: 'bool' };
}

/**
 * Go's strconv.FormatFloat(v, 'g', -1, 32): the shortest digits that read back as the same
 * float32, %e below 1e-4 and from 1e+06 on, ±Inf as `.inf`/`-.inf`, NaN as `.nan` (as yaml.v2
 * writes them). (The digits are JavaScript's rounding, which can differ from Go's in the last
 * digit for a float32 exactly between two shortest candidates.)
 */
function formatG32(v: number): string {
  if (Number.isNaN(v)) return '.nan';
  const f = Math.fround(v);
  if (!Number.isFinite(f)) return f > 0 ? '.inf' : '-.inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
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

/** Go's yaml.v2 escapes in double-quoted scalars: YAML 1.2's less `\/`, plus `\'` (yaml_parser_scan_flow_scalar). */
const DQ_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ',
  '"': '"', "'": "'", '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};
const DQ_HEX: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/**
 * An escape yaml.v2 and the yaml package read differently (`\'`, `\/`, an escaped line break
 * before an empty line) or that yaml.v2 may refuse (`\u`, `\U`: surrogates).
 */
export const DQ_ESCAPE_DIFFERS = /\\['/uU\n\r]/;

/**
 * The value yaml.v2 gives the double-quoted scalar `raw` (its source, quotes included): escapes
 * as DQ_ESCAPES, line breaks folded (one break a space, each further one a newline, an escaped
 * break nothing, the blanks around them dropped). Or what it refuses, and where in `raw`.
 */
export function doubleQuotedV2(raw: string): { value: string } | { error: string; at: number } {
  const end = raw.length - 1; // the closing quote
  const blank = (c: string | undefined) => c === ' ' || c === '\t';
  const lineBreak = (c: string | undefined) => c === '\n' || c === '\r';
  const skipBreak = (i: number) => i + (raw[i] === '\r' && raw[i + 1] === '\n' ? 2 : 1);
  let value = '';
  let i = 1;
  for (;;) {
    let leadingBlanks = false;
    while (i < end && !blank(raw[i]) && !lineBreak(raw[i])) {
      if (raw[i] !== '\\') {
        value += raw[i++];
        continue;
      }
      const e = raw[i + 1]!;
      if (lineBreak(e)) {
        i = skipBreak(i + 1);
        leadingBlanks = true;
        break;
      }
      const hex = DQ_HEX[e];
      if (hex === undefined) {
        if (!Object.hasOwn(DQ_ESCAPES, e)) return { error: `\\${e} is no escape to Go's yaml.v2 ("found unknown escape character")${e === '/' ? ', though YAML 1.2 tools read it as /: write / alone' : ''}`, at: i };
        value += DQ_ESCAPES[e];
        i += 2;
        continue;
      }
      const digits = raw.slice(i + 2, i + 2 + hex);
      if (!/^[0-9a-fA-F]*$/.test(digits) || digits.length !== hex) return { error: `\\${e}${digits} needs ${hex} hexadecimal digits ("did not find expected hexdecimal number")`, at: i };
      const code = parseInt(digits, 16);
      if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return { error: `\\${e}${digits} is no Unicode character to Go's yaml.v2 ("found invalid Unicode character escape code")`, at: i };
      value += String.fromCodePoint(code);
      i += 2 + hex;
    }
    if (i >= end) return { value };
    let spaces = '';
    let leadingBreak = false;
    let trailingBreaks = '';
    while (i < end && (blank(raw[i]) || lineBreak(raw[i]))) {
      if (blank(raw[i])) {
        if (!leadingBlanks) spaces += raw[i];
        i++;
      } else {
        i = skipBreak(i);
        if (!leadingBlanks) {
          spaces = '';
          leadingBreak = true;
          leadingBlanks = true;
        } else trailingBreaks += '\n';
      }
    }
    value += leadingBlanks ? (leadingBreak && trailingBreaks === '' ? ' ' : trailingBreaks) : spaces;
  }
}
