// Kubernetes resource quantities (`500m`, `2`, `1.5Gi`, `1e3`) as resource.Quantity reads,
// compares and prints them: exactly, with BigInt, so `1000m` equals `1` and `1Gi` exceeds `1G`.
// Used for Tekton's run-time check that a step's request is no more than its limit.

export interface Quantity {
  /** The value is mantissa × 10^exp10 (rounded away from zero to nano units, as Kubernetes rounds). */
  mantissa: bigint;
  exp10: number;
  /** How Kubernetes prints it back: the suffix family the text used. */
  format: 'DecimalSI' | 'BinarySI' | 'DecimalExponent';
  /** The text as written, when Kubernetes keeps it as its printed form (it looks canonical already). */
  text?: string;
}

const DECIMAL_SUFFIX: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_NAMES = new Map(Object.entries(DECIMAL_SUFFIX).map(([k, v]) => [v, k]));
const BINARY_NAMES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const INT64_MAX = 2n ** 63n - 1n;

/** Sign, digits (leading zeros and all), fraction, suffix: the shape Kubernetes' scanner takes. */
const QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?([eEinumkKMGTP]*(?:[+-]?\d+)?)$/;

const pow10 = (n: number): bigint => 10n ** BigInt(n);
const digits = (n: bigint): number => (n < 0n ? -n : n).toString().length;

/** A suffix's base-10 or base-2 exponent and format, or undefined when Kubernetes refuses it. */
function suffixOf(s: string): { base: 10 | 2; exp: number; format: Quantity['format'] } | undefined {
  if (Object.hasOwn(DECIMAL_SUFFIX, s)) return { base: 10, exp: DECIMAL_SUFFIX[s]!, format: 'DecimalSI' };
  if (Object.hasOwn(BINARY_SUFFIX, s)) return { base: 2, exp: BINARY_SUFFIX[s]!, format: 'BinarySI' };
  if (/^[eE][+-]?\d+$/.test(s)) {
    // read as an int64, then truncated to int32 as Kubernetes does (1e4294967296 is 1e0 there)
    const exp = BigInt(s.slice(1));
    if (exp >= -(2n ** 63n) && exp <= INT64_MAX) return { base: 10, exp: Number(BigInt.asIntN(32, exp)), format: 'DecimalExponent' };
  }
  return undefined;
}

/** A quantity from YAML (a number or a string), or undefined when Kubernetes would not parse it. */
export function parseQuantity(value: unknown): Quantity | undefined {
  const raw = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim(); // (as Quantity's JSON reading trims)
  const m = QUANTITY.exec(text);
  // (no digits at all is zero to Kubernetes: `Gi`, `.`)
  if (!m || text === '') return undefined;
  const [, sign = '', intPart = '', fraction = '', suffixText = ''] = m;
  const suffix = suffixOf(suffixText);
  if (!suffix) return undefined;
  const negative = sign === '-';
  const num = intPart.replace(/^0+/, '') || '0';
  const shifted = num + fraction;
  let mantissa = BigInt(shifted);
  let exp10 = -fraction.length;
  if (suffix.base === 2) mantissa <<= BigInt(suffix.exp);
  else exp10 += suffix.exp;
  // Kubernetes' fast path (int64, nano precision) keeps the written text when it finds it
  // canonical already: `1.500`, `+1`, `01`, `1E3`, `1Ki` print as written. Its slow path reads
  // the digits as a decimal, which fails when there are none (`Pi`, `e-10`; `Gi` is a fast 0).
  let fast: boolean;
  let keep: boolean;
  if (suffix.base === 10) {
    const scale = suffix.exp - fraction.length;
    fast = shifted.length <= 18 && scale >= -9;
    keep = fast && scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
  } else {
    fast = fraction === '' && 15 - num.length - Math.trunc((suffix.exp * 3) / 10) - 1 >= 0 && mantissa <= INT64_MAX;
    keep = fast && (BigInt(num) & 7n) !== 0n;
  }
  if (!fast && !/\d/.test(intPart + fraction)) return undefined;
  let format = suffix.format;
  // beyond nano units: rounded away from zero
  if (exp10 < -9 && mantissa !== 0n) {
    const drop = -9 - exp10;
    if (drop >= digits(mantissa)) mantissa = 1n;
    else {
      const d = pow10(drop);
      mantissa = mantissa % d === 0n ? mantissa / d : mantissa / d + 1n;
    }
    exp10 = -9;
  }
  if (format === 'BinarySI') {
    // capped at the largest int64; below one, decimal
    if (compareQuantities({ mantissa, exp10, format }, { mantissa: INT64_MAX, exp10: 0, format }) > 0) {
      mantissa = INT64_MAX;
      exp10 = 0;
      keep = false;
    }
    if (compareQuantities({ mantissa, exp10, format }, { mantissa: 1n, exp10: 0, format }) < 0) format = 'DecimalSI';
  }
  return { mantissa: negative ? -mantissa : mantissa, exp10, format, ...(keep ? { text } : {}) };
}

/** -1, 0 or 1 as `a` is less than, equal to or more than `b` (Quantity.Cmp); never builds a power of ten larger than the numbers' digits. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const sa = a.mantissa === 0n ? 0 : a.mantissa < 0n ? -1 : 1;
  const sb = b.mantissa === 0n ? 0 : b.mantissa < 0n ? -1 : 1;
  if (sa !== sb || sa === 0) return Math.sign(sa - sb);
  // (where the leading digit stands: a larger one is the larger magnitude)
  const ma = digits(a.mantissa) + a.exp10;
  const mb = digits(b.mantissa) + b.exp10;
  if (ma !== mb) return ma > mb ? sa : -sa;
  const e = Math.min(a.exp10, b.exp10);
  const x = a.mantissa * pow10(a.exp10 - e);
  const y = b.mantissa * pow10(b.exp10 - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The text Kubernetes prints for a quantity (Quantity.String): `1000m` is `1`, `1024Mi` is `1Gi`. */
export function formatQuantity(q: Quantity): string {
  if (q.text !== undefined) return q.text;
  if (q.mantissa === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    // below 1024, or not a whole number of bytes: printed in decimal, not rounded
    const whole = q.exp10 >= 0 || q.mantissa % pow10(-q.exp10) === 0n;
    const value = q.exp10 >= 0 ? q.mantissa * pow10(q.exp10) : q.mantissa / pow10(-q.exp10);
    if (!whole || (value > -1024n && value < 1024n)) format = 'DecimalSI';
    else {
      let n = value;
      let k = 0;
      while (k < BINARY_NAMES.length - 1 && n % 1024n === 0n) {
        n /= 1024n;
        k++;
      }
      return `${n}${BINARY_NAMES[k]}`;
    }
  }
  // every factor of 10 into the exponent, then down to a multiple of 3
  let mantissa = q.mantissa;
  let exp = q.exp10;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exp++;
  }
  const down = ((exp % 3) + 3) % 3;
  mantissa *= pow10(down);
  exp -= down;
  // (DecimalSI has no suffix beyond E, 10^18: Kubernetes then prints the number without one)
  if (format === 'DecimalSI') return `${mantissa}${DECIMAL_NAMES.get(exp) ?? ''}`;
  return exp === 0 ? `${mantissa}` : `${mantissa}e${exp}`;
}
