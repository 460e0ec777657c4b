// git-init's termination message: `[{"key":"commit","value":…},{"key":"url","value":…}]`, merged
// into a JSON array already in the file, at most 4096 bytes (Tekton's limit).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const LIMIT = 4096;

export interface TerminationEntry {
  key: string;
  value: string;
}

export function writeTerminationMessage(file: string, entries: TerminationEntry[]): void {
  let existing: TerminationEntry[] = [];
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    if (text.trim() !== '') {
      const parsed: unknown = JSON.parse(text);
      if (!Array.isArray(parsed)) throw new Error(`${file} does not hold a JSON array`);
      existing = parsed as TerminationEntry[];
    }
  }
  const keys = new Set(entries.map((e) => e.key));
  const merged = [...existing.filter((e) => !keys.has(e.key)), ...entries];
  const text = JSON.stringify(merged);
  const size = Buffer.byteLength(text);
  if (size > LIMIT) throw new Error(`termination message of ${size} bytes is over the ${LIMIT}-byte limit`);
  writeFileSync(file, text);
}
