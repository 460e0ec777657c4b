// Exit codes of every `tektite` command (see README): 0 success, 1 the checked/run thing failed,
// 2 bad input or usage, 3 tektite itself broke.
export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 3 } as const;

/** Prints `tektite: <message>` to stderr and returns the usage exit code. */
export function fail(message: string, code: number = EXIT.usage): number {
  process.stderr.write(`tektite: ${message.endsWith('\n') ? message : `${message}\n`}`);
  return code;
}
