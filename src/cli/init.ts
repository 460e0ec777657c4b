// `tektite init <name>`: scaffolds a plugin folder whose test passes out of the box: a declaration,
// a test through tektite/testing, a README, package.json and tsconfig.json.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DNS_LABEL } from '../sdk/names.js';
import { parseCommand } from './args.js';
import { EXIT, fail } from './exit.js';
import { ownPackage, packageRoot } from './package-root.js';

const USAGE = `Usage: tektite init <name> [--dir DIR]

Creates DIR (default ./<name>) with a new step plugin: <name>.ts (the declaration), <name>.test.ts
(a test through tektite/testing), README.md, package.json and tsconfig.json. Then:

  cd <name> && npm install && npm test

<name> is the Task name: lowercase letters, digits and "-".
`;

const camel = (name: string): string => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function files(name: string): Record<string, string> {
  const own = ownPackage();
  return {
    'package.json': `${JSON.stringify(
      {
        name,
        version: '0.1.0',
        private: true,
        type: 'module',
        engines: { node: '>=20.6' },
        scripts: {
          test: `node --import tektite/register --test ${name}.test.ts`,
          typecheck: 'tsc -p .',
          generate: `tektite generate ${name}.ts -o task.yaml && tektite generate ${name}.ts --stepaction -o stepaction.yaml`,
        },
        // tektite is not on the npm registry: depend on the installation that made the scaffold.
        dependencies: { tektite: `file:${packageRoot()}` },
        devDependencies: { '@types/node': own.devDependencies['@types/node'], typescript: own.devDependencies.typescript },
      },
      null,
      2,
    )}\n`,
    'tsconfig.json': `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          allowImportingTsExtensions: false,
          skipLibCheck: true,
          types: ['node'],
        },
        include: ['*.ts'],
      },
      null,
      2,
    )}\n`,
    [`${name}.ts`]: `// The ${name} step: its declaration is the single source of the program's flags and env, its
// Task and StepAction YAML (\`npm run generate\`) and its image (\`tektite build ${name}.ts\`).
import { defineStep, param, result } from 'tektite/sdk';

export default defineStep({
  name: '${name}',
  description: 'Greets someone and reports the greeting as a result.',
  // Where \`tektite build --push\` puts the image; the generated YAML runs this image.
  image: 'registry.example.com/${name}:0.1.0',
  params: {
    who: param.string({ description: 'Who to greet.', default: 'world' }),
    times: param.integer({ description: 'How many times to greet.', default: 1, min: 1, max: 10 }),
  },
  results: {
    greeting: result.string({ description: 'The greeting, once.' }),
  },
  async run({ params, log }) {
    const greeting = \`Hello, \${params.who}!\`;
    for (let i = 0; i < params.times; i++) log.info(greeting);
    return { greeting };
  },
});
`,
    [`${name}.test.ts`]: `// Runs the step in-process with tektite/testing: no cluster, no env changes in this process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runStep } from 'tektite/testing';
import ${camel(name)} from './${name}.js';

test('greets and reports the greeting', async () => {
  const run = await runStep(${camel(name)}, { params: { who: 'Tekton', times: 2 } });
  assert.equal(run.exitCode, 0, run.stderr);
  assert.equal(run.results.greeting, 'Hello, Tekton!');
  assert.equal(run.stdout, 'Hello, Tekton!\\nHello, Tekton!\\n');
});

test('a bad value is a usage error (exit 2)', async () => {
  const run = await runStep(${camel(name)}, { params: { times: 'often' } });
  assert.equal(run.exitCode, 2);
  assert.match(run.stderr, /invalid value "often" for param times: not an integer/);
});
`,
    'README.md': `# ${name}

A Tekton step written with [tektite](https://www.npmjs.com/package/tektite). \`${name}.ts\` declares
its params, results and workspaces; everything else is generated from it.

\`\`\`sh
npm install
npm test                                  # runs ${name}.test.ts (tektite/testing, no cluster)
npm run typecheck                         # tsc (tests run the TypeScript without checking it)
npm run generate                          # writes task.yaml (v1 Task) and stepaction.yaml
npx tektite validate task.yaml            # Tekton's webhook rules, offline
npx tektite run task.yaml -p who=you      # runs the Task here, from source
npx tektite build ${name}.ts --push REPO  # builds and pushes the image, prints the pinned YAML
\`\`\`

Params reach the program as env vars (\`PARAM_WHO\`, \`PARAM_TIMES\`) or flags (\`-who=you\`).
To run the program by hand, bundle it: \`npx tektite build ${name}.ts --bundle ${name}.mjs\`, then
\`node ${name}.mjs --help\`.
`,
    '.gitignore': 'node_modules/\n.tektite/\n*.mjs\n',
  };
}

export default async function init(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, { dir: { type: 'string' } }, USAGE);
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length !== 1) return fail(`give the plugin's name\n\n${USAGE}`);
  const name = parsed.positionals[0]!;
  if (!DNS_LABEL.test(name) || name.length > 63) return fail(`"${name}" is not a valid name: use lowercase letters, digits and "-" (a Kubernetes DNS label)`);
  const dir = resolve(parsed.values.dir ?? name);
  if (existsSync(dir) && !statSync(dir).isDirectory()) return fail(`${dir} exists and is not a folder; nothing was written`);
  if (existsSync(dir) && readdirSync(dir).length > 0) return fail(`${dir} exists and is not empty; nothing was written`);
  await mkdir(dir, { recursive: true });
  const scaffold = files(name);
  for (const [file, content] of Object.entries(scaffold)) await writeFile(join(dir, file), content, { flag: 'wx' });
  process.stdout.write(`Created ${Object.keys(scaffold).join(', ')} in ${dir}\n\nNext:\n  cd ${parsed.values.dir ?? name}\n  npm install\n  npm test\n`);
  return EXIT.ok;
}
