// Value parsing with the rules of Go's `flag` package, which git-init uses for its flags, so a
// value the catalog's git-init rejects (a usage error, exit 2) is rejected here too.

export class FlagValueError extends Error {
  constructor(flag: string, value: string, why: string) {
    super(`invalid value ${JSON.stringify(value)} for flag -${flag}: ${why}`);
    this.name = 'FlagValueError';
  }
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** strconv.ParseBool. */
export function parseGoBool(flag: string, value: string): boolean {
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new FlagValueError(flag, value, 'parse error');
}

/** strconv.ParseUint(s, 0, 64), as flag.Uint uses it: 0x/0o/0b prefixes, leading-0 octal, `_` separators. */
export function parseGoUint(flag: string, value: string): number {
  if (value === '') throw new FlagValueError(flag, value, 'parse error');
  let base = 10;
  let digits = value;
  if (value[0] === '0') {
    const letter = value.length >= 3 ? value[1]!.toLowerCase() : '';
    base = letter === 'b' ? 2 : letter === 'o' ? 8 : letter === 'x' ? 16 : 8;
    digits = value.slice(letter === 'b' || letter === 'o' || letter === 'x' ? 2 : 1);
  }
  let n = 0n;
  let underscores = false;
  for (const c of digits.toLowerCase()) {
    if (c === '_') {
      underscores = true;
      continue;
    }
    const d = parseInt(c, 36);
    if (Number.isNaN(d) || d >= base) throw new FlagValueError(flag, value, 'parse error');
    n = n * BigInt(base) + BigInt(d);
  }
  if (underscores && !underscoreOk(value)) throw new FlagValueError(flag, value, 'parse error');
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new FlagValueError(flag, value, 'value out of range');
  return Number(n);
}

/** Go's underscoreOK: `_` only between digits (a base prefix counts as a digit). */
function underscoreOk(s: string): boolean {
  let saw = '^';
  let i = 0;
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(s[1]!.toLowerCase())) {
    i = 2;
    saw = '0';
    hex = s[1]!.toLowerCase() === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i]!.toLowerCase();
    if ((c >= '0' && c <= '9') || (hex && c >= 'a' && c <= 'f')) saw = '0';
    else if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}

/** time.ParseDuration for the units git-init's retry flags use (`1s`, `500ms`, `1m30s`); milliseconds. */
export function parseGoDuration(flag: string, value: string): number {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  if (value === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    total += Number(m[1]) * units[m[2]!]!;
    end = re.lastIndex;
  }
  if (value === '' || end !== value.length) throw new FlagValueError(flag, value, 'parse error');
  return total;
}

/** strconv.ParseFloat for -retryFactor. */
export function parseGoFloat(flag: string, value: string): number {
  const n = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value) ? Number(value) : NaN;
  if (Number.isNaN(n)) throw new FlagValueError(flag, value, 'parse error');
  return n;
}
