// tektite/testing: run a step program inside a unit test. Params travel the way the generated Task
// passes them (env for strings and object keys, marked argv for arrays), results are written to a
// temporary folder and read back; the calling process's env, argv and streams are left untouched.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepProgram } from './declare.js';
import { paramEnvNames, resultEnv, workspaceEnv } from './declare.js';
import { runProgram } from './main.js';
import { ARRAY_MARKER } from './names.js';

export type TestParamValue = string | boolean | number | readonly string[] | Readonly<Record<string, string>>;

export interface RunStepOptions {
  /** Param values; booleans and numbers are passed as their text, as a TaskRun would. */
  params?: Record<string, TestParamValue>;
  /** Workspace name -> folder. Unlisted optional workspaces are unbound. */
  workspaces?: Record<string, string>;
  /** Extra environment for the step (and its child processes). */
  env?: Record<string, string>;
  /** Raw command-line arguments, added before the encoded params (to test flag forms). */
  argv?: string[];
}

export interface StepRun {
  exitCode: number;
  /** Results as Tekton would report them: strings as is, arrays and objects parsed. */
  results: Record<string, string | string[] | Record<string, string>>;
  /** The exact bytes of each result file. */
  rawResults: Record<string, string>;
  stdout: string;
  stderr: string;
}

export async function runStep(program: StepProgram, options: RunStepOptions = {}): Promise<StepRun> {
  const declared = declaredEnvNames(program);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !declared.has(k)) env[k] = v;
  Object.assign(env, options.env);
  const argv = [...(options.argv ?? [])];
  encodeParams(program, options.params ?? {}, env, argv);
  for (const [name, path] of Object.entries(options.workspaces ?? {})) {
    const spec = program.workspaces[name];
    if (!spec) throw new Error(`runStep: ${program.name} declares no workspace "${name}"`);
    const e = workspaceEnv(name, spec);
    env[e.path] = path;
    env[e.bound] = 'true';
  }
  const resultsDir = mkdtempSync(join(tmpdir(), 'tektite-results-'));
  try {
    for (const [name, spec] of Object.entries(program.results)) env[resultEnv(name, spec)] = join(resultsDir, name);
    const stdout: string[] = [];
    const stderr: string[] = [];
    const exitCode = await runProgram(program, { argv, env, stdout: (t) => void stdout.push(t), stderr: (t) => void stderr.push(t) });
    const run: StepRun = { exitCode, results: {}, rawResults: {}, stdout: stdout.join(''), stderr: stderr.join('') };
    for (const [name, spec] of Object.entries(program.results)) {
      const file = join(resultsDir, name);
      if (!existsSync(file)) continue;
      const bytes = readFileSync(file, 'utf8');
      run.rawResults[name] = bytes;
      run.results[name] = spec.kind === 'string' ? bytes : JSON.parse(bytes);
    }
    return run;
  } finally {
    rmSync(resultsDir, { recursive: true, force: true });
  }
}

function declaredEnvNames(program: StepProgram): Set<string> {
  const names = new Set<string>();
  for (const [name, spec] of Object.entries(program.params)) {
    const { env, keys } = paramEnvNames(name, spec);
    names.add(env);
    for (const k of Object.values(keys)) names.add(k);
  }
  for (const [name, spec] of Object.entries(program.workspaces)) for (const e of Object.values(workspaceEnv(name, spec))) names.add(e);
  for (const [name, spec] of Object.entries(program.results)) names.add(resultEnv(name, spec));
  return names;
}

function encodeParams(program: StepProgram, params: Record<string, TestParamValue>, env: Record<string, string>, argv: string[]): void {
  const arrays: [string, readonly string[]][] = [];
  for (const [name, value] of Object.entries(params)) {
    const spec = program.params[name];
    if (!spec) throw new Error(`runStep: ${program.name} declares no param "${name}"`);
    const { env: envName, keys } = paramEnvNames(name, spec);
    if (spec.kind === 'array') {
      if (!Array.isArray(value)) throw new Error(`runStep: param "${name}" is an array`);
      arrays.push([name, value as readonly string[]]);
    } else if (spec.kind === 'object') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`runStep: param "${name}" is an object`);
      for (const [k, v] of Object.entries(value)) {
        if (!(k in keys)) throw new Error(`runStep: param "${name}" declares no key "${k}"`);
        env[keys[k]!] = v;
      }
    } else {
      if (typeof value === 'object') throw new Error(`runStep: param "${name}" takes a single value`);
      env[envName] = String(value);
    }
  }
  // Markers in declaration order, as the generated step passes them.
  const order = Object.keys(program.params);
  arrays.sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
  for (const [name, items] of arrays) argv.push(`${ARRAY_MARKER}${name}`, ...items);
}
