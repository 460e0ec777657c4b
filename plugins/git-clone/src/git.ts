// Running the native git binary: every call is logged like `set -x` when verbose (credentials
// redacted) and a non-zero exit becomes a GitError carrying git's output.
import type { Exec, ExecResult } from 'tektite/sdk';
import { GitError } from './git-error.js';
import { redactCredentials } from './redact.js';

export interface GitOptions {
  cwd?: string;
  /** Return the result instead of throwing on a non-zero exit. */
  allowFailure?: boolean;
  /** Capture the output without streaming it to the log. */
  silent?: boolean;
}

export type Git = (args: string[], options?: GitOptions) => Promise<ExecResult>;

export interface GitSetup {
  exec: Exec;
  /** Added to the step's environment for every git call. */
  env: Record<string, string | undefined>;
  cwd: string;
  verbose: boolean;
  log: (line: string) => void;
}

export function makeGit(setup: GitSetup): Git {
  return async (args, options = {}) => {
    if (setup.verbose) setup.log(redactCredentials(`+ git ${args.map(shellWord).join(' ')}`));
    const r = await setup.exec('git', args, { cwd: options.cwd ?? setup.cwd, env: setup.env, allowFailure: true, silent: options.silent ?? false });
    if (r.code !== 0 && !options.allowFailure) throw new GitError(args, r.code, `${r.stderr}${r.stdout}`);
    return r;
  };
}

/** One argument quoted for a shell command line (the `set -x` log and core.sshCommand). */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}
