// Param value decoding (§1.6): how Tekton reads `params[].value` / `params[].default` / result
// values from their JSON form. Pure; never throws.
import type { ParamType, ParamValue } from './types.js';

export interface DecodedParam {
  type: ParamType;
  value: ParamValue;
}

/**
 * Decodes a param value as Tekton's ParamValue.UnmarshalJSON does: a list of strings is an
 * `array`, a map of strings an `object`; anything else is a `string` — a JSON string unquoted,
 * any other value (number, boolean, list/map with non-string members) as its JSON text.
 * JSON `null` members of a list/map decode to "" (Go leaves the string empty).
 */
export function decodeParamValue(raw: unknown): DecodedParam {
  if (Array.isArray(raw)) {
    if (raw.every((v) => typeof v === 'string' || v === null)) {
      return { type: 'array', value: raw.map((v) => (v === null ? '' : (v as string))) };
    }
    return { type: 'string', value: jsonText(raw) };
  }
  if (raw !== null && typeof raw === 'object') {
    const entries = Object.entries(raw as Record<string, unknown>);
    if (entries.every(([, v]) => typeof v === 'string' || v === null)) {
      return { type: 'object', value: Object.fromEntries(entries.map(([k, v]) => [k, v === null ? '' : (v as string)])) };
    }
    return { type: 'string', value: jsonText(raw) };
  }
  if (typeof raw === 'string') return { type: 'string', value: raw };
  if (raw === null || raw === undefined) return { type: 'string', value: '' };
  return { type: 'string', value: jsonText(raw) };
}

/** The JSON text Go would see; values JSON cannot express (NaN, Infinity) fall back to String(). */
function jsonText(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s;
  } catch {
    return String(v);
  }
}

/** The Tekton type name of a decoded value. */
export function paramValueType(v: ParamValue): ParamType {
  return typeof v === 'string' ? 'string' : Array.isArray(v) ? 'array' : 'object';
}
