// `.tektiterc.yaml`: a repository's settings for `tektite validate`, so that its CI, its
// pre-commit hook and each person's editor check the same way without repeating options.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { formatDiagnostic } from '../tekton/diagnostics.js';
import { CONFIG_FILES, InputError, readInput } from '../tekton/files.js';
import { loadText } from '../tekton/load.js';
import { isObj } from '../tekton/plain-object.js';
import { LINT_RULES } from '../tekton/lint/index.js';

export type Level = 'off' | 'warning' | 'error';
export type ApiFields = 'alpha' | 'beta' | 'stable';

export interface Config {
  /** The file it was read from, as found or given. */
  file: string;
  strict?: boolean;
  rules: Map<string, Level>;
  maxWarnings?: number;
  apiFields?: ApiFields;
  /** Feature flags to turn on, by their names in Tekton's ConfigMap. */
  enable: string[];
  /** A feature-flags ConfigMap file, relative to the current folder (resolved from the config's). */
  featureFlags?: string;
  /** Where the config names it (`file:line:col`), for messages about that file. */
  featureFlagsAt?: string;
  /** Absolute paths that folder walks pass over. */
  ignore: string[];
}

/** The keys a config may hold, with what each takes (shown when one is misspelt). */
const KEYS: Record<string, string> = {
  strict: 'true or false',
  rules: 'a map of lint rule ids to off, warning or error',
  'max-warnings': 'a whole number',
  'api-fields': 'alpha, beta or stable',
  enable: 'a list of feature flags',
  'feature-flags': "a path to Tekton's feature-flags ConfigMap",
  ignore: 'a list of paths that folder walks pass over',
};

/**
 * The config file that applies in `cwd`: the first `.tektiterc.yaml` (`.yml`, `.json`) in `cwd`
 * or a folder above it, stopping at the top of the git repository (a folder holding `.git`).
 * Two of them in one folder are an InputError (which one holds the settings?).
 */
export function findConfig(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; ) {
    const here = CONFIG_FILES.map((name) => join(dir, name)).filter((p) => existsSync(p));
    // as the user would name them: ../.tektiterc.yaml
    if (here.length > 1) throw new InputError(`${here.map((p) => relative(cwd, p)).join(' and ')} are both there: keep one`);
    if (here.length === 1) return relative(cwd, here[0]!);
    const up = dirname(dir);
    if (up === dir || existsSync(join(dir, '.git'))) return undefined;
    dir = up;
  }
}

/**
 * Reads a config file. Unreadable files and wrong contents are InputErrors naming the place
 * (`file:line:col: key: what is wrong`); gate names are checked against `gates`.
 */
export function readConfig(file: string, gates: readonly string[]): Config {
  const loaded = loadText(readInput(file), file);
  const bad = loaded.diagnostics.find((d) => d.severity === 'error');
  if (bad) throw new InputError(formatDiagnostic(bad));
  const config: Config = { file, rules: new Map(), enable: [], ignore: [] };
  if (loaded.docs.length > 1) {
    const p = loaded.docs[1]!.pos([]);
    throw new InputError(`${file}:${p.line}:${p.col}: a config file holds one document`);
  }
  const doc = loaded.docs[0];
  if (!doc || doc.value === null) return config; // empty: all defaults
  const twice = doc.yaml11?.find((n) => n.rule === 'duplicate-key');
  if (twice) throw new InputError(`${file}:${twice.pos.line}:${twice.pos.col}: ${twice.message ?? `key ${JSON.stringify(twice.text)} is written twice`}`);
  const v = doc.value;
  /** Throws what is wrong at `path`: its value's place, or its key's for a key that is wrong. */
  const wrong = (path: (string | number)[], what: string, atKey = false): never => {
    const p = atKey ? doc.keyPos(path) : doc.pos(path);
    const field = path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('').slice(1);
    throw new InputError(`${file}:${p.line}:${p.col}: ${field ? `${field}: ` : ''}${what}`);
  };
  if (!isObj(v)) return wrong([], `a config is a map of settings (${Object.keys(KEYS).join(', ')})`);
  const base = dirname(file);
  for (const [key, value] of Object.entries(v)) {
    switch (key) {
      case 'strict':
        if (typeof value !== 'boolean') wrong([key], `must be true or false, not ${show(value)}`);
        config.strict = value as boolean;
        break;
      case 'rules':
        if (!isObj(value)) return wrong([key], `${KEYS[key]}, not ${show(value)}`);
        for (const [id, level] of Object.entries(value)) {
          if (!Object.hasOwn(LINT_RULES, id)) wrong([key, id], `unknown lint rule (known: ${Object.keys(LINT_RULES).join(', ')})`, true);
          // kubectl's YAML 1.1 reads a bare `off` as false
          const l = level === false ? 'off' : level;
          const why = level === true ? ' (a bare on or yes is the boolean true in YAML 1.1, as kubectl reads it)' : '';
          if (l !== 'off' && l !== 'warning' && l !== 'error') wrong([key, id], `must be off, warning or error, not ${show(level)}${why}`);
          config.rules.set(id, l as Level);
        }
        break;
      case 'max-warnings':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) wrong([key], `must be a whole number, not ${show(value)}`);
        config.maxWarnings = value as number;
        break;
      case 'api-fields':
        if (value !== 'alpha' && value !== 'beta' && value !== 'stable') wrong([key], `must be alpha, beta or stable, not ${show(value)}`);
        config.apiFields = value as ApiFields;
        break;
      case 'enable': {
        const list = strings(value) ?? wrong([key], `${KEYS[key]} (${gates.join(', ')}), not ${show(value)}`);
        list.forEach((g, i) => gates.includes(g) || wrong([key, i], `unknown feature flag ${show(g)} (known: ${gates.join(', ')})`));
        config.enable = list;
        break;
      }
      case 'feature-flags':
        if (typeof value !== 'string' || value === '') wrong([key], `${KEYS[key]}, not ${show(value)}`);
        config.featureFlags = isAbsolute(value as string) ? (value as string) : join(base, value as string);
        config.featureFlagsAt = `${file}:${doc.pos([key]).line}:${doc.pos([key]).col}`;
        break;
      case 'ignore': {
        const list = strings(value) ?? wrong([key], `${KEYS[key]} (relative to the config's folder), not ${show(value)}`);
        config.ignore = list.map((p) => resolve(base, p));
        break;
      }
      default:
        wrong([key], `unknown setting (known: ${Object.keys(KEYS).join(', ')})`, true);
    }
  }
  return config;
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((s) => typeof s === 'string' && s !== '') ? (v as string[]) : undefined;
}

function show(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}
