// `tektite validate [paths...]`: Tekton's webhook rules and tektite's lint rules, offline.
import { formatDiagnostic, messageWithPaths, type Diagnostic } from '../tekton/diagnostics.js';
import { existsSync } from 'node:fs';
import { InputError, isInputError, readInput } from '../tekton/files.js';
import { loadText } from '../tekton/load.js';
import { isObj } from '../tekton/plain-object.js';
import { validateFiles, type FilesResult } from '../tekton/validate/files.js';
import { LINT_RULES } from '../tekton/lint/index.js';
import type { FeatureFlags } from '../tekton/validate/index.js';
import { parseCommand, type Parsed } from './args.js';
import { EXIT, fail } from './exit.js';
import { fewOf, outputClosed, print } from './print.js';
import type { Watch } from './watch.js';
import { findConfig, readConfig, type Config, type Level } from './config.js';

const GATES: Record<string, keyof FeatureFlags> = {
  'enable-param-enum': 'enableParamEnum',
  'enable-cel-in-whenexpression': 'enableCelInWhenExpression',
  'enable-artifacts': 'enableArtifacts',
  'enable-concise-resolver-syntax': 'enableConciseResolverSyntax',
};

function help(): string {
  const width = Math.max(...Object.keys(LINT_RULES).map((r) => r.length));
  return `Usage: tektite validate [options] <path...>

Checks Tekton Task, TaskRun, StepAction, Pipeline and PipelineRun YAML/JSON files offline,
with Tekton's own webhook rules, messages and field paths, plus what
Tekton rejects only when a TaskRun or PipelineRun starts (params, workspaces) where the Task is
among the inputs, plus lint rules Tekton lacks. Paths are files, folders (searched for
.yaml/.yml/.json) or - for stdin.

Options:
  --strict                 report lint findings as errors
  --no-strict              report them as warnings, whatever the config file says
  --rule <id>=<level>      a lint rule's level: off, warning or error (repeatable; beats --strict)
  -q, --quiet              show errors only (warnings still count in the summary)
  --max-warnings <n>       exit 1 when there are more than n warnings
  -o, --output <format>    text (default), json, or github (GitHub Actions annotations)
  --feature-flags <file>   read the flags below from Tekton's feature-flags ConfigMap (as applied
                           to your cluster; other documents in the file are passed over)
  --api-fields <level>     Tekton's enable-api-fields: alpha, beta (default) or stable
  --enable <flag>          turn on a Tekton feature flag (repeatable): ${Object.keys(GATES).join(', ')}
  -v, --verbose            also show notes (documents skipped because they are not Tekton kinds)
  -w, --watch              validate again whenever an input file changes, until Ctrl-C (with
                           -o json: one JSON object per line, one line per run)
  --fix                    rewrite script-reference findings in place: the reference becomes
                           "\${NAME}" in the script and an env entry NAME: $(params.x) is added
  --config <file>          settings from this file instead of the .tektiterc.yaml (.yml, .json)
                           found in the current folder or above it, up to the git repository's top
  --no-config              use no config file
  -h, --help               show this help

Output: file:line:col: <message>: <field path>   (lint findings end with [rule-id]; the API server's
type errors print as it prints them: file:line:col: <field path>: Invalid value: ...)
A lint finding is ignored when its line ends with "# tektite-ignore" (or "# tektite-ignore:
rule-a, rule-b"), or when the line above is such a comment alone, indented no deeper (YAML's
or a script's).
Config file keys (options given on the command line win): strict, rules (rule id: level),
max-warnings, api-fields, enable (list), feature-flags, ignore (list of paths, relative to the
file, that folder walks pass over). More: docs/validate.md.
Exit codes: 0 no errors (warnings allowed), 1 errors found (or more warnings than
--max-warnings), 2 unreadable input or bad usage.

Lint rules (warnings; errors with --strict):
${Object.entries(LINT_RULES).map(([id, what]) => `  ${id.padEnd(width)}  ${what}`).join('\n')}
`;
}

const OPTIONS = {
  strict: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  'api-fields': { type: 'string' },
  'feature-flags': { type: 'string' },
  enable: { type: 'string', multiple: true },
  verbose: { type: 'boolean', short: 'v' },
  rule: { type: 'string', multiple: true },
  quiet: { type: 'boolean', short: 'q' },
  'max-warnings': { type: 'string' },
  watch: { type: 'boolean', short: 'w' },
  fix: { type: 'boolean' },
  config: { type: 'string' },
  'no-config': { type: 'boolean' },
  'no-strict': { type: 'boolean' },
} as const;

type Values = Parsed<typeof OPTIONS>['values'];

export default async function validate(argv: string[]): Promise<number> {
  const args = parseCommand(argv, OPTIONS, help);
  if (typeof args === 'number') return args;
  const { values: o, positionals: paths } = args;
  const format = o.output ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'github') return fail(`validate: unknown output format "${format}" (use text, json or github)`);
  if (o.config !== undefined && o['no-config']) return fail('validate: --config and --no-config exclude each other');
  if (o.config === '-') return fail('validate: --config takes a file, not - (stdin is for input)');
  if (o.strict && o['no-strict']) return fail('validate: --strict and --no-strict exclude each other');
  let configFile: string | undefined;
  try {
    configFile = o['no-config'] ? undefined : (o.config ?? findConfig(process.cwd()));
  } catch (e) {
    if (e instanceof InputError) return fail(`validate: config: ${e.message}`);
    throw e;
  }
  const first = settings(o, configFile);
  if (typeof first === 'number') return first;
  let set: Settings = first;
  if (paths.length === 0) return fail('validate: no input: give files, folders, or - for stdin\nRun `tektite validate --help` for usage.');
  if (o.watch && paths.includes('-')) return fail('validate: --watch cannot watch stdin (-): give files or folders');
  if (o.fix && paths.includes('-')) return fail('validate: --fix cannot rewrite stdin (-): give files or folders');
  if (o.fix && o.watch) return fail('validate: --fix and --watch exclude each other (fix once, then watch)');

  if (set.config && o.verbose) print(2, `using ${set.config.file}\n`);

  let fixed: { fixed: number; files: string[] } | undefined;
  if (o.fix && set.levels.get('script-reference') !== 'off') {
    const { fixFiles } = await import('./fix.js'); // a bundle of its own: a plain run does not load it
    try {
      fixed = fixFiles(paths, { strict: set.strict, flags: set.flags, runTimeChecks: true }, set.config?.ignore);
    } catch (e) {
      if (isInputError(e)) return fail(`validate: ${e.message}`);
      throw e;
    }
  }

  const once = (): number => {
    const { strict, flags, config, levels, maxWarnings, maxWarningsFrom } = set;
    // process.hrtime: the `performance` global loads node's perf_hooks on first use (~2 ms)
    const started = o.watch ? process.hrtime.bigint() : undefined;
    let result;
    try {
      result = validateFiles(paths, { strict, flags, runTimeChecks: true }, config?.ignore);
    } catch (e) {
      if (e instanceof InputError) return fail(`validate: ${e.message}`);
      throw e;
    }
    return report(result, { ...o, strict, format, levels, maxWarnings, maxWarningsFrom, paths, fixed, took: started !== undefined ? Number(process.hrtime.bigint() - started) / 1e6 : undefined });
  };
  if (!o.watch) return once();
  const { watchInputs } = await import('./watch.js');
  // the config file and the feature-flags file are watched too: a change is read before the next
  // run (a wrong one is said, and the settings before it stay); a removed config is no config
  const settingsFiles = () => [configFile, o['feature-flags'] ?? set.config?.featureFlags].filter((f): f is string => f !== undefined && existsSync(f));
  let watchedSettings = settingsFiles();
  const reread = (changed: readonly string[]): number | undefined => {
    if (!changed.some((c) => watchedSettings.includes(c))) return undefined;
    let file = configFile;
    if (file !== undefined && !existsSync(file)) {
      print(2, `tektite: validate: ${file} is gone: no config file now\n`);
      file = undefined;
    }
    const next = settings(o, file);
    if (typeof next === 'number') return next;
    set = next;
    return undefined;
  };
  // the config may name another flags file: the files to watch now, when they differ
  const nowWatch = (): readonly string[] | undefined => {
    const next = settingsFiles();
    if (next.join('\0') === watchedSettings.join('\0')) return undefined;
    return (watchedSettings = next);
  };
  return watchAndValidate(watchInputs, paths, once, { ignore: set.config?.ignore, also: watchedSettings, reread, nowWatch });
}

/** The settings of a run: the config file's (when there is one), the command line's on top; or the exit code of a usage error, said. */
interface Settings {
  config: Config | undefined;
  levels: Map<string, Level>;
  maxWarnings: number | undefined;
  /** Where maxWarnings comes from, for the message: `--max-warnings` or the config file. */
  maxWarningsFrom: string;
  flags: Partial<FeatureFlags>;
  strict: boolean;
}

function settings(o: Values, configFile: string | undefined): Settings | number {
  let config: Config | undefined;
  if (configFile !== undefined) {
    try {
      config = readConfig(configFile, Object.keys(GATES));
    } catch (e) {
      if (e instanceof InputError) return fail(`validate: config: ${e.message}`);
      throw e;
    }
  }
  // the config's settings, then the command line's on top
  const levels = new Map<string, Level>(config?.rules);
  for (const r of o.rule ?? []) {
    const m = /^([a-z0-9-]+)=(off|warning|error)$/.exec(r);
    if (!m) return fail(`validate: --rule takes <rule-id>=off|warning|error, not "${r}"`);
    if (!Object.hasOwn(LINT_RULES, m[1]!)) return fail(`validate: unknown lint rule "${m[1]}" (known: ${Object.keys(LINT_RULES).join(', ')})`);
    levels.set(m[1]!, m[2] as Level);
  }
  let maxWarnings = config?.maxWarnings;
  if (o['max-warnings'] !== undefined) {
    if (!/^[0-9]{1,9}$/.test(o['max-warnings'])) return fail(`validate: --max-warnings takes a whole number, not "${o['max-warnings']}"`);
    maxWarnings = Number(o['max-warnings']);
  }
  let flags: Partial<FeatureFlags> = {};
  const flagsFile = o['feature-flags'] ?? config?.featureFlags;
  if (flagsFile !== undefined) {
    const option = o['feature-flags'] !== undefined ? '--feature-flags' : `config: ${config!.featureFlagsAt}: feature-flags`;
    let fromFile;
    try {
      fromFile = featureFlagsFile(flagsFile);
    } catch (e) {
      if (e instanceof InputError) return fail(`validate: ${option}: ${e.message}`);
      throw e;
    }
    if (typeof fromFile === 'string') return fail(`validate: ${option} ${flagsFile}: ${fromFile}`);
    flags = fromFile;
  }
  if (config?.apiFields) flags.apiFields = config.apiFields;
  if (o['api-fields'] !== undefined) {
    if (!['alpha', 'beta', 'stable'].includes(o['api-fields'])) return fail(`validate: --api-fields must be alpha, beta or stable, not "${o['api-fields']}"`);
    flags.apiFields = o['api-fields'] as FeatureFlags['apiFields'];
  }
  for (const name of [...(config?.enable ?? []), ...(o.enable ?? [])]) {
    const key = Object.hasOwn(GATES, name) ? GATES[name] : undefined;
    if (!key) return fail(`validate: unknown feature flag "${name}" (known: ${Object.keys(GATES).join(', ')})`);
    (flags as Record<string, unknown>)[key] = true;
  }
  const strict = o['no-strict'] ? false : o.strict === true || config?.strict === true;
  const maxWarningsFrom = o['max-warnings'] !== undefined ? '--max-warnings' : (config?.file ?? '');
  return { config, levels, maxWarnings, maxWarningsFrom, flags, strict };
}

/**
 * `--watch`: validates, then again after each change to the inputs, until SIGINT or SIGTERM;
 * resolves with the last run's exit code. A failed watch (a watched folder removed) ends it
 * with exit 2.
 */
function watchAndValidate(
  watchInputs: typeof import('./watch.js').watchInputs,
  paths: readonly string[],
  once: () => number,
  extra: {
    ignore: readonly string[] | undefined;
    /** Settings files to watch, and the ones to watch after a reread. */
    also: readonly string[];
    reread: (changed: readonly string[]) => number | undefined;
    nowWatch: () => readonly string[] | undefined;
  },
): Promise<number> {
  let last: number = EXIT.ok;
  return new Promise((done, broke) => {
    let w: Watch | undefined;
    const stop = (code: number | Error) => {
      w?.close();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (typeof code === 'number') done(code);
      else broke(code);
    };
    const onSignal = () => stop(last);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      w = watchInputs(paths, {
        changed: (changed) => {
          print(2, `\n[${new Date().toTimeString().slice(0, 8)}] changed: ${fewOf(changed)}\n`);
          try {
            const wrong = extra.reread(changed);
            const files = extra.nowWatch();
            if (files) w?.setAlso(files);
            last = wrong ?? once();
          } catch (e) {
            return stop(e as Error); // tektite itself broke: main reports it (exit 3)
          }
          if (outputClosed) return stop(last); // `| head`: nobody reads on
          print(2, 'watching for changes (Ctrl-C to stop)\n');
        },
        failed: (message) => stop(fail(`validate: --watch: ${message}`)),
        ...(extra.ignore ? { ignore: extra.ignore } : {}),
        also: extra.also,
      });
    } catch (e) {
      stop(fail(`validate: --watch: ${(e as Error).message}`));
      return;
    }
    // watching from before the first run: a change made while it reads the files is not missed
    try {
      last = once();
    } catch (e) {
      return stop(e as Error);
    }
    if (outputClosed) return stop(last);
    print(2, 'watching for changes (Ctrl-C to stop)\n');
  });
}

interface ReportOptions {
  format: 'text' | 'json' | 'github';
  levels: ReadonlyMap<string, Level>;
  maxWarnings: number | undefined;
  maxWarningsFrom: string;
  paths: readonly string[];
  strict?: boolean | undefined;
  quiet?: boolean | undefined;
  verbose?: boolean | undefined;
  watch?: boolean | undefined;
  /** How long the run took (ms), shown in watch mode. */
  took: number | undefined;
  /** With --fix: how many references were fixed before this run, in which files. */
  fixed: { fixed: number; files: string[] } | undefined;
}

/** Prints one run's findings and summary; its exit code. */
function report(result: FilesResult, o: ReportOptions): number {
  const { format, levels, maxWarnings, paths } = o;
  const files = result.files.length;
  if (files === 0) return fail(`validate: no .yaml, .yml or .json files in ${paths.join(', ')}`);
  const found = applyRuleLevels(result.diagnostics, levels);
  if (result.tekton === 0 && !found.some((d) => d.severity === 'error')) {
    // A wrong path or a file of something else must not pass silently as "valid".
    found.push({ severity: o.strict ? 'error' : 'warning', message: 'nothing to validate: no Task, TaskRun, StepAction, Pipeline or PipelineRun found (-v shows what was skipped)', paths: [], rule: 'no-tekton-documents' });
  }
  const shown = found.filter((d) => (d.severity === 'note' ? o.verbose : d.severity === 'error' || !o.quiet));
  const errors = found.filter((d) => d.severity === 'error').length;
  const warnings = found.filter((d) => d.severity === 'warning').length;
  const skipped = result.docs - result.tekton;
  const ordered = orderByInput(shown, result.files);
  if (format === 'json') {
    const doc = { files, documents: result.tekton, skipped, errors, warnings, ignored: result.ignored, ...(o.fixed !== undefined ? { fixed: o.fixed.fixed, fixedFiles: o.fixed.files } : {}), diagnostics: ordered.map(toJson) };
    print(1, `${o.watch ? JSON.stringify(doc) : JSON.stringify(doc, null, 2)}\n`);
  } else if (ordered.length) {
    print(1, `${ordered.map(format === 'github' ? githubAnnotation : formatDiagnostic).join('\n')}\n`);
  }
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const ignored = result.ignored ? ` (${result.ignored} ignored by tektite-ignore comments)` : '';
  const took = o.took !== undefined ? ` in ${o.took.toFixed(0)} ms` : '';
  print(2, `${plural(files, 'file')}, ${plural(result.tekton, 'Tekton document')}${skipped ? ` (${skipped} other skipped)` : ''}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${ignored}${took}\n`);
  if (errors > 0) return EXIT.failed;
  if (maxWarnings !== undefined && warnings > maxWarnings) {
    const limit = o.maxWarningsFrom === '--max-warnings' ? `--max-warnings ${maxWarnings}` : `max-warnings ${maxWarnings} in ${o.maxWarningsFrom}`;
    print(2, `tektite: validate: ${plural(warnings, 'warning')}, more than ${limit}\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}

/**
 * The validator's flags from a `feature-flags` ConfigMap, read as Tekton's config package reads
 * it (booleans as Go's strconv.ParseBool), or what is wrong with the file.
 */
function featureFlagsFile(file: string): Partial<FeatureFlags> | string {
  const loaded = loadText(readInput(file), file);
  const bad = loaded.diagnostics.find((d) => d.severity === 'error');
  if (bad) return `${formatDiagnostic(bad)}`;
  const cm = loaded.docs.find((d) => d.kind === 'ConfigMap' && d.name === 'feature-flags');
  if (!cm) return 'no ConfigMap named feature-flags in it';
  const data = isObj(cm.value) && isObj(cm.value.data) ? cm.value.data : {};
  const flags: Partial<FeatureFlags> = {};
  const api = data['enable-api-fields'];
  if (api !== undefined) {
    if (api !== 'alpha' && api !== 'beta' && api !== 'stable') return `enable-api-fields must be alpha, beta or stable, not ${JSON.stringify(api)}`;
    flags.apiFields = api;
  }
  for (const [key, flag] of Object.entries(GATES)) {
    const v = data[key];
    if (v === undefined) continue;
    if (typeof v !== 'string') return `${key}: ConfigMap data values are strings (Kubernetes rejects ${JSON.stringify(v)}): quote it`;
    const b = Object.hasOwn(GO_BOOL, v) ? GO_BOOL[v] : undefined;
    if (b === undefined) return `${key} must be true or false, not ${JSON.stringify(v)}`;
    (flags as Record<string, unknown>)[flag] = b;
  }
  return flags;
}

/** Go's strconv.ParseBool. */
const GO_BOOL: Record<string, boolean> = { 1: true, t: true, T: true, TRUE: true, true: true, True: true, 0: false, f: false, F: false, FALSE: false, false: false, False: false };

/** Lint findings at the level `--rule` gives their rule (dropped when off); other findings as they are. */
function applyRuleLevels(ds: Diagnostic[], levels: ReadonlyMap<string, Level>): Diagnostic[] {
  if (levels.size === 0) return ds;
  const out: Diagnostic[] = [];
  for (const d of ds) {
    const level = d.rule !== undefined && d.severity !== 'note' ? levels.get(d.rule) : undefined;
    if (level === 'off') continue;
    out.push(level ? { ...d, severity: level } : d);
  }
  return out;
}

/**
 * A GitHub Actions workflow command (`::warning file=…,line=…,col=…,title=…::message`), which
 * the runner shows on the pull request's diff. Properties and message are escaped as the runner
 * reads them (`%`, CR, LF; and `:` `,` in properties).
 */
function githubAnnotation(d: Diagnostic): string {
  const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const level = d.severity === 'note' ? 'notice' : d.severity;
  const props = [
    ...(d.file ? [`file=${prop(d.file)}`, `line=${d.pos?.line ?? 1}`, `col=${d.pos?.col ?? 1}`] : []),
    `title=${prop(d.rule ? `tektite ${d.rule}` : 'Tekton validation')}`,
  ];
  const text = `${messageWithPaths(d)}${d.details ? `\n${d.details}` : ''}`;
  return `::${level} ${props.join(',')}::${data(text)}`;
}

/** Files in input order, findings in line order within a file (stable for equal positions). */
function orderByInput(ds: Diagnostic[], inputs: readonly string[]): Diagnostic[] {
  const order = new Map<string, number>(inputs.map((f, i) => [f === '-' ? '<stdin>' : f, i]));
  return [...ds].sort((a, b) =>
    (order.get(a.file ?? '') ?? 0) - (order.get(b.file ?? '') ?? 0) ||
    (a.pos?.line ?? 0) - (b.pos?.line ?? 0) ||
    (a.pos?.col ?? 0) - (b.pos?.col ?? 0));
}

function toJson(d: Diagnostic) {
  return {
    file: d.file ?? null,
    line: d.pos?.line ?? null,
    col: d.pos?.col ?? null,
    severity: d.severity,
    message: d.message,
    paths: d.paths,
    ...(d.details ? { details: d.details } : {}),
    ...(d.rule ? { rule: d.rule } : {}),
    ...(d.pathFirst ? { pathFirst: true } : {}),
  };
}
