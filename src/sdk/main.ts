// Runs a step program once: params from argv/env, workspaces from env, `run`, results written.
// Exit codes: 0 success, 1 the program failed (message on stderr, masked), 2 bad input (usage).
import type { ResultSetter, StepProgram, WorkspaceValue } from './declare.js';
import { resultEnv, workspaceEnv } from './declare.js';
import { makeExec } from './exec.js';
import { HelpRequested, UsageError, readParams } from './inputs.js';
import { StepLogger, parseLogLevel, type Sink } from './log.js';
import { Masker } from './mask.js';
import { ResultError, checkBudget, encodeResult, writeResults, type PlannedResult } from './results.js';
import { usageText } from './usage.js';

export interface StepIO extends Sink {
  argv: readonly string[];
  /** The step's environment: params, workspaces and result paths are read from it. */
  env: Readonly<Record<string, string | undefined>>;
  masker?: Masker;
}

const EXIT_CODES = { ok: 0, failed: 1, usage: 2 } as const;

export async function runProgram(program: StepProgram, io: StepIO): Promise<number> {
  const masker = io.masker ?? new Masker();
  const log = new StepLogger(masker, io, parseLogLevel(io.env.TEKTITE_LOG_LEVEL));
  let params: Record<string, unknown>;
  let workspaces: Record<string, WorkspaceValue>;
  try {
    params = readParams(program, io.argv, io.env);
    maskSecrets(program, params, masker);
    workspaces = readWorkspaces(program, io.env, params);
  } catch (e) {
    if (e instanceof HelpRequested) {
      io.stdout(usageText(program));
      return EXIT_CODES.ok;
    }
    if (!(e instanceof UsageError)) throw e;
    io.stderr(masker.mask(`${program.name}: ${e.message}\n\n${usageText(program)}`));
    return EXIT_CODES.usage;
  }

  const set = new Map<string, unknown>();
  const results: Record<string, ResultSetter<unknown>> = {};
  for (const name of Object.keys(program.results)) results[name] = { set: (v: unknown) => void set.set(name, v) };
  const exec = makeExec({ masker, sink: io, env: { ...io.env }, indent: () => log.indent });

  let failure: unknown;
  try {
    const returned = await program.run({ params, workspaces, results, log, exec, env: io.env } as never);
    if (returned && typeof returned === 'object') {
      for (const [name, value] of Object.entries(returned)) {
        if (!(name in program.results)) throw new ResultError(`run returned undeclared result ${name}`);
        set.set(name, value);
      }
    }
  } catch (e) {
    failure = e;
  }
  try {
    emitResults(program, set, io.env, log);
  } catch (e) {
    failure ??= e;
    if (failure !== e) log.error(messageOf(e));
  }
  if (failure === undefined) return EXIT_CODES.ok;
  log.error(messageOf(failure));
  // The program found its input wrong (a check the declaration cannot express): exit as a usage error.
  if (failure instanceof UsageError) return EXIT_CODES.usage;
  if (failure instanceof Error && failure.stack && log.isDebug) log.debug(failure.stack);
  return EXIT_CODES.failed;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function maskSecrets(program: StepProgram, params: Record<string, unknown>, masker: Masker): void {
  for (const [name, spec] of Object.entries(program.params)) {
    if (!spec.secret) continue;
    const v = params[name];
    for (const s of Array.isArray(v) ? v : [v]) if (typeof s === 'string' && s !== '') masker.add(s);
  }
}

function readWorkspaces(program: StepProgram, env: StepIO['env'], params: Record<string, unknown>): Record<string, WorkspaceValue> {
  const out: Record<string, WorkspaceValue> = {};
  for (const [name, spec] of Object.entries(program.workspaces)) {
    const e = workspaceEnv(name, spec);
    const path = env[e.path] ?? '';
    const bound = env[e.bound] !== undefined ? env[e.bound] === 'true' : path !== '';
    const excused = spec.optionalWhen !== undefined && params[spec.optionalWhen] !== '' && params[spec.optionalWhen] !== undefined;
    if (!spec.optional && !excused && (!bound || path === '')) throw new UsageError(`workspace ${name} is required but not bound (set ${e.path})`);
    out[name] = bound ? { bound, path } : { bound: false, path: '' };
  }
  return out;
}

/** Writes every set result to the path its env var names; results without a path are logged. */
function emitResults(program: StepProgram, set: ReadonlyMap<string, unknown>, env: StepIO['env'], log: StepLogger): void {
  const planned: PlannedResult[] = [];
  const unrouted: PlannedResult[] = [];
  for (const [name, value] of set) {
    const spec = program.results[name]!;
    const bytes = encodeResult(name, spec, value);
    const path = env[resultEnv(name, spec)];
    (path ? planned : unrouted).push({ name, path: path ?? '', bytes });
  }
  checkBudget([...planned, ...unrouted]);
  writeResults(planned);
  for (const r of unrouted) log.info(`result ${r.name}: ${r.bytes}`);
}
