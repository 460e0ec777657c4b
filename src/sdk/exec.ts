// ctx.exec: run a child process, stream its output through the masking logger, return its exit
// code and output, and fail with the tail of its stderr when it exits non-zero.
import { constants } from 'node:os';
import type { Masker } from './mask.js';
import { MaskingLineWriter } from './mask.js';
import type { Sink } from './log.js';

export interface ExecOptions {
  cwd?: string;
  /** Added to (and overriding) the step's environment. */
  env?: Record<string, string | undefined>;
  /** Text written to the child's stdin (otherwise stdin is empty). */
  input?: string;
  /** Return the result instead of throwing when the command exits non-zero or cannot start. */
  allowFailure?: boolean;
  /** Do not stream the output to the log (it is still captured). */
  silent?: boolean;
}

export interface ExecResult {
  /** Exit code; 128+n when killed by signal n; 127 when the command could not start. */
  code: number;
  stdout: string;
  stderr: string;
}

export type Exec = (command: string, args?: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

export class ExecError extends Error {
  constructor(
    message: string,
    readonly result: ExecResult,
  ) {
    super(message);
    this.name = 'ExecError';
  }
}

const TAIL_LINES = 20;
const TAIL_CHARS = 4000;

function tail(text: string): string {
  const lines = text.replace(/\s+$/, '').split('\n').slice(-TAIL_LINES).join('\n');
  return lines.length > TAIL_CHARS ? `…${lines.slice(-TAIL_CHARS)}` : lines;
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function makeExec(deps: { masker: Masker; sink: Sink; env: Record<string, string | undefined>; indent: () => string }): Exec {
  return async (command, args = [], options = {}) => {
    // Loaded on first use: node:child_process costs ~12 ms of start-up, which --help and programs
    // that never spawn should not pay.
    const { spawn } = await import('node:child_process');
    return new Promise<ExecResult>((resolve, reject) => {
      const shown = deps.masker.mask([command, ...args].map(quote).join(' '));
      const env = { ...deps.env, ...options.env };
      for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
      const child = spawn(command, [...args], {
        cwd: options.cwd,
        env: env as NodeJS.ProcessEnv,
        stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
      const out: string[] = [];
      const err: string[] = [];
      const indented = (write: (t: string) => void) => (text: string) => {
        const pad = deps.indent();
        write(pad ? text.replace(/^(?=.)/gm, pad) : text);
      };
      const outWriter = new MaskingLineWriter(deps.masker, indented((t) => deps.sink.stdout(t)));
      const errWriter = new MaskingLineWriter(deps.masker, indented((t) => deps.sink.stderr(t)));
      child.stdout!.setEncoding('utf8').on('data', (c: string) => {
        out.push(c);
        if (!options.silent) outWriter.push(c);
      });
      child.stderr!.setEncoding('utf8').on('data', (c: string) => {
        err.push(c);
        if (!options.silent) errWriter.push(c);
      });
      if (options.input !== undefined && child.stdin) child.stdin.end(options.input);
      let spawnError: Error | undefined;
      child.on('error', (e) => {
        spawnError = e;
        if (options.allowFailure && !options.silent) errWriter.push(`${e.message}\n`);
      });
      child.on('close', (code, signal) => {
        outWriter.flush();
        errWriter.flush();
        const result: ExecResult = {
          code: spawnError ? 127 : (code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)),
          stdout: out.join(''),
          stderr: spawnError ? `${err.join('')}${spawnError.message}\n` : err.join(''),
        };
        if (result.code === 0 || options.allowFailure) return resolve(result);
        const why = spawnError
          ? `could not start: ${spawnError.message}`
          : signal
            ? `was killed by ${signal}`
            : `exited with code ${result.code}`;
        const t = spawnError ? '' : tail(result.stderr);
        reject(new ExecError(deps.masker.mask(`\`${shown}\` ${why}${t ? `:\n${t}` : ''}`), result));
      });
    });
  };
}
