// The `tektite` command: parses the sub-command and loads only the module that serves it,
// so `tektite --version` and `tektite --help` never pay for YAML, esbuild or the runner.
import { EXIT, fail } from './exit.js';
import { ownPackage } from './package-root.js';

type Command = { summary: string; load: () => Promise<{ default: (argv: string[]) => Promise<number> }> };

const commands: Record<string, Command> = {
  validate: { summary: "check Tekton YAML (Tasks, Pipelines, runs) with Tekton's webhook rules, offline", load: () => import('./validate.js') },
  run: { summary: 'run a Task or TaskRun on this machine with Tekton semantics', load: () => import('./run.js') },
  generate: { summary: 'emit the Task / StepAction YAML of a step program', load: () => import('./generate.js') },
  init: { summary: 'scaffold a new step plugin', load: () => import('./init.js') },
  build: { summary: 'bundle a plugin, build its image without a daemon, push it', load: () => import('./build.js') },
  dockerfile: { summary: 'write a multi-stage Dockerfile for a plugin', load: () => import('./dockerfile.js') },
};

const version = (): string => ownPackage().version;

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `tektite ${version()} — write, test, run and ship Tekton step plugins\n\nUsage: tektite <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun \`tektite <command> --help\` for a command's options.\n`;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === '--version' || cmd === '-v' || cmd === 'version') {
    process.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(usage());
    return cmd === undefined ? EXIT.usage : EXIT.ok;
  }
  const c = commands[cmd];
  if (!c) return fail(`unknown command "${cmd}"\n\n${usage()}`);
  const mod = await c.load();
  return mod.default(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`tektite: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = EXIT.internal;
  },
);
