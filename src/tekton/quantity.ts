// Kubernetes resource quantities (`500m`, `2`, `1.5Gi`, `1e3`) as resource.Quantity reads,
// compares and prints them: exactly, with BigInt, so `1000m` equals `1` and `1Gi` exceeds `1G`.
// Used for Tekton's run-time check that a step's request is no more than its limit.

export interface Quantity {
  /** The value is mantissa × 10^exp10 (rounded up to nano units, as Kubernetes rounds). */
  mantissa: bigint;
  exp10: number;
  /** How Kubernetes prints it back: the suffix family the text used. */
  format: 'DecimalSI' | 'BinarySI' | 'DecimalExponent';
}

const DECIMAL_SUFFIX: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Readonly<Record<string, number>> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_NAMES = new Map(Object.entries(DECIMAL_SUFFIX).map(([k, v]) => [v, k]));
const BINARY_NAMES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|([numkMGTPE]|[KMGTPE]i)?)$/;

const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** A quantity from YAML (a number or a string), or undefined when Kubernetes would not parse it. */
export function parseQuantity(value: unknown): Quantity | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string') return undefined;
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const [, sign, number, exponent, suffix = ''] = m as unknown as [string, string, string, string | undefined, string | undefined];
  const [whole, fraction = ''] = number.split('.');
  let mantissa = BigInt(`${whole || '0'}${fraction}` || '0');
  let exp10 = -fraction.length;
  let format: Quantity['format'] = 'DecimalSI';
  if (exponent !== undefined) {
    exp10 += Number(exponent.slice(1));
    format = 'DecimalExponent';
  } else if (Object.hasOwn(BINARY_SUFFIX, suffix)) {
    mantissa *= 1024n ** BigInt(BINARY_SUFFIX[suffix]!);
    format = 'BinarySI';
  } else {
    exp10 += DECIMAL_SUFFIX[suffix]!;
  }
  if (sign === '-') mantissa = -mantissa;
  // precision beyond nano units is rounded up (towards +infinity)
  if (exp10 < -9) {
    const d = pow10(-9 - exp10);
    const q = mantissa / d;
    mantissa = mantissa > 0n && q * d !== mantissa ? q + 1n : q;
    exp10 = -9;
  }
  return { mantissa, exp10, format };
}

/** -1, 0 or 1 as `a` is less than, equal to or more than `b` (Quantity.Cmp). */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const e = Math.min(a.exp10, b.exp10);
  const x = a.mantissa * pow10(a.exp10 - e);
  const y = b.mantissa * pow10(b.exp10 - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The text Kubernetes prints for a quantity (Quantity.String, its canonical form): `1000m` is `1`, `1024Mi` is `1Gi`. */
export function formatQuantity(q: Quantity): string {
  if (q.mantissa === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    // small or fractional byte counts are printed in decimal, not rounded
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
  if (format === 'DecimalSI' && DECIMAL_NAMES.has(exp)) return `${mantissa}${DECIMAL_NAMES.get(exp)}`;
  return exp === 0 ? `${mantissa}` : `${mantissa}e${exp}`;
}
