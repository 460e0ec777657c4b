// The bundle's entry point: runs a step program as this process (argv, env, stdout/stderr) and
// exits with its code. Anything else the program prints through process.stdout/stderr (console.*)
// is masked too, so a secret cannot leak around the logger.
import { isStepProgram, type StepProgram } from './declare.js';
import { runProgram } from './main.js';
import { Masker } from './mask.js';

type Write = (chunk: string) => boolean;

/**
 * Patches `stream.write` to mask; returns a writer that skips the mask. Once there are secrets, a
 * line is held back until it ends (or the process exits), so a secret written in two pieces is
 * still found, as in child output.
 */
function patchWrite(stream: NodeJS.WriteStream, masker: Masker): Write {
  const original = stream.write.bind(stream) as (c: string, ...r: unknown[]) => boolean;
  let pending = '';
  const flush = () => {
    if (pending) original(masker.mask(pending));
    pending = '';
  };
  process.on('exit', flush);
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk);
    if (!masker.size) return original(text, ...rest);
    const all = pending + text;
    const cut = Math.max(all.lastIndexOf('\n'), all.lastIndexOf('\r'));
    pending = all.slice(cut + 1);
    return original(masker.mask(all.slice(0, cut + 1)), ...rest);
  }) as typeof stream.write;
  return (text) => {
    flush();
    return original(text);
  };
}

/**
 * Masks process.stdout or process.stderr from its first use on, and returns a writer that skips
 * the mask (for text the logger already masked). Node creates each stream lazily, which costs a
 * few ms; a program that never prints to one does not pay for it.
 */
function maskStream(name: 'stdout' | 'stderr', masker: Masker): (text: string) => void {
  let original: Write | undefined;
  const desc = Object.getOwnPropertyDescriptor(process, name);
  if (desc?.get && desc.configurable) {
    const get = desc.get;
    Object.defineProperty(process, name, {
      ...desc,
      get() {
        const stream = get.call(process) as NodeJS.WriteStream;
        original ??= patchWrite(stream, masker);
        return stream;
      },
    });
  } else original = patchWrite(process[name], masker);
  return (text) => {
    if (!original) void process[name]; // the getter patches it
    void original!(text);
  };
}

export async function runMain(program: unknown): Promise<never> {
  if (!isStepProgram(program)) {
    process.stderr.write('tektite: the default export of a step program must be defineStep({...})\n');
    process.exit(1);
  }
  const masker = new Masker();
  const stdout = maskStream('stdout', masker);
  const stderr = maskStream('stderr', masker);
  const unfinished = () => {
    stderr('error: the program ended before run() finished (it awaits a promise that never settles)\n');
    process.exitCode = 1;
  };
  const crash = (e: unknown) => {
    process.off('exit', unfinished);
    stderr(masker.mask(`error: ${e instanceof Error ? e.message : String(e)}\n`));
    process.exit(1);
  };
  // A promise nobody awaited must not print its secret-bearing stack unmasked, nor pass silently.
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  // The event loop drained while run() was still pending (a promise that never settles): without
  // this the process would exit 0 and the step would look successful.
  process.on('exit', unfinished);
  let code: number;
  try {
    code = await runProgram(program as StepProgram, { argv: process.argv.slice(2), env: process.env, stdout, stderr, masker });
  } catch (e) {
    stderr(masker.mask(`error: internal: ${(e as Error)?.stack ?? String(e)}\n`));
    code = 1;
  }
  process.off('exit', unfinished);
  // Exit even when the program left handles open (a step must end when its work is done).
  process.exit(code);
}
