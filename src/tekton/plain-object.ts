// The plain-data object type of parsed YAML/JSON documents, and its guard.
export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `v` if it is a string, else '' (what Go reads for a string field it could not decode). */
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The items of `v` if it is a list, each a map ({} for an item that is not). */
export const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map((x) => (isObj(x) ? x : {})) : []);

/** The node at `path` (map keys and list indexes) in a plain-data value, or undefined. */
export function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let node = value;
  for (const seg of path) node = isObj(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[seg] : undefined;
  return node;
}
