// Option parsing shared by every sub-command: node's parseArgs with positionals, a -h/--help
// that prints the command's usage, and usage errors that exit 2 with the usage text.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EXIT, fail } from './exit.js';

type Options = NonNullable<ParseArgsConfig['options']>;
const HELP = { help: { type: 'boolean', short: 'h' } } as const;

export type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: O & typeof HELP }>>;

/** Parses `argv`; returns the parsed values, or the exit code when it printed help or an error. */
export function parseCommand<O extends Options>(argv: string[], options: O, usage: string | (() => string)): Parsed<O> | number {
  const text = () => (typeof usage === 'string' ? usage : usage());
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { ...options, ...HELP } }) as Parsed<O>;
  } catch (e) {
    return fail(`${(e as Error).message}\n\n${text()}`);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(text());
    return EXIT.ok;
  }
  return parsed;
}
