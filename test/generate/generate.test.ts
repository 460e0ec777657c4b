// The generator: Task and StepAction shape from a declaration, the CLI, and the committed example
// YAML staying in sync with its source.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { defineStep, param, result, workspace } from 'tektite/sdk';
import { generateStepAction, generateStepActionTask, generateTask, GenerateError, toYaml } from '../../src/build/generate.js';
import echoAll from '../../examples/echo-all/echo-all.js';
import { validateResource } from '../../src/tekton/validate/index.js';
import { loadText } from '../../src/tekton/load.js';
import { repoRoot, tektiteBin } from '../helpers/paths.js';

type AnyDoc = Record<string, any>;
let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tektite-generate-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function tektite(args: string[], cwd = repoRoot) {
  const r = spawnSync(process.execPath, [tektiteBin, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('Task: params wired through env and isolated args, never a script', () => {
  const task = generateTask(echoAll, { source: 'echo-all.ts' }) as AnyDoc;
  assert.equal(task.apiVersion, 'tekton.dev/v1');
  assert.equal(task.kind, 'Task');
  assert.deepEqual(task.metadata, { name: 'echo-all', annotations: { 'tektite.dev/source': 'echo-all.ts' } });
  const [step, ...more] = task.spec.steps;
  assert.equal(more.length, 0);
  assert.equal(step.script, undefined);
  assert.deepEqual(step.command, ['/tektite/node', '/tektite/echo-all.mjs']);
  assert.deepEqual(step.args, ['--tektite-array=items', '$(params.items[*])']);
  const env = Object.fromEntries(step.env.map((e: AnyDoc) => [e.name, e.value]));
  assert.deepEqual(env, {
    PARAM_TEXT: '$(params.text)',
    PARAM_SHOUT: '$(params.shout)',
    PARAM_COUNT: '$(params.count)',
    PARAM_LEVEL: '$(params.level)',
    PARAM_META_A: '$(params.meta.a)',
    PARAM_META_B: '$(params.meta.b)',
    PARAM_TOKEN: '$(params.token)',
    WORKSPACE_OUTPUT_PATH: '$(workspaces.output.path)',
    WORKSPACE_OUTPUT_BOUND: '$(workspaces.output.bound)',
    RESULT_TEXT_PATH: '$(results.text.path)',
    RESULT_ITEMS_PATH: '$(results.items.path)',
    RESULT_META_PATH: '$(results.meta.path)',
    RESULT_SUMMARY_PATH: '$(results.summary.path)',
  });
  assert.deepEqual(step.securityContext, {
    runAsNonRoot: true,
    runAsUser: 65532,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  });
  const params = Object.fromEntries(task.spec.params.map((p: AnyDoc) => [p.name, p]));
  assert.deepEqual(params.shout, { name: 'shout', type: 'string', description: 'Also log the text in upper case. Boolean: true or false.', default: 'false' });
  assert.deepEqual(params.count.default, '1');
  assert.equal(params.level.enum, undefined, "Tekton's enum is alpha and off by default: the SDK checks it instead");
  assert.match(params.level.description, /One of: quiet, normal, loud\.$/);
  assert.deepEqual(params.items, { name: 'items', type: 'array', description: 'Echoed to the items result.', default: [] });
  assert.deepEqual(params.meta.properties, { a: { type: 'string' }, b: { type: 'string' } });
  assert.equal(params.text.default, undefined);
  assert.deepEqual(
    task.spec.results.map((r: AnyDoc) => [r.name, r.type]),
    [['text', 'string'], ['items', 'array'], ['meta', 'object'], ['summary', 'string']],
  );
  assert.deepEqual(task.spec.workspaces, [{ name: 'output', description: 'When bound, the text is also written to echo.txt here.', optional: true }]);
});

test('StepAction: step results, workspace paths as <name>-path params', () => {
  const sa = generateStepAction(echoAll, { source: 'echo-all.ts' }) as AnyDoc;
  assert.equal(sa.apiVersion, 'tekton.dev/v1beta1');
  assert.equal(sa.kind, 'StepAction');
  assert.equal(sa.spec.image, 'ghcr.io/tektite-dev/echo-all:0.1.0');
  assert.deepEqual(sa.spec.command, ['/tektite/node', '/tektite/echo-all.mjs']);
  const env = Object.fromEntries(sa.spec.env.map((e: AnyDoc) => [e.name, e.value]));
  assert.equal(env.RESULT_TEXT_PATH, '$(step.results.text.path)');
  assert.equal(env.WORKSPACE_OUTPUT_PATH, '$(params.output-path)');
  assert.equal(env.WORKSPACE_OUTPUT_BOUND, undefined);
  assert.deepEqual(sa.spec.params.at(-1), { name: 'output-path', type: 'string', description: 'Path of the output workspace: pass $(workspaces.output.path). Empty when not bound.', default: '' });
  assert.equal(sa.spec.workspaces, undefined);

  const wrapper = generateStepActionTask(echoAll) as AnyDoc;
  assert.deepEqual(wrapper.spec.steps, [
    {
      name: 'echo-all',
      ref: { name: 'echo-all' },
      params: [
        { name: 'text', value: '$(params.text)' },
        { name: 'shout', value: '$(params.shout)' },
        { name: 'count', value: '$(params.count)' },
        { name: 'level', value: '$(params.level)' },
        { name: 'items', value: '$(params.items[*])' },
        { name: 'meta', value: '$(params.meta[*])' },
        { name: 'token', value: '$(params.token)' },
        { name: 'output-path', value: '$(workspaces.output.path)' },
      ],
    },
  ]);
  assert.deepEqual(wrapper.spec.results[0], { name: 'text', type: 'string', description: 'The text param, unchanged.', value: '$(steps.echo-all.results.text)' });
});

test('dotted names use bracket references; cliOnly params stay out; writable root when declared', () => {
  const p = defineStep({
    name: 'odd',
    image: 'example.com/odd:1',
    readOnlyRootFilesystem: false,
    params: {
      'a.b': param.string(),
      list: param.array(),
      second: param.array({ default: [] }),
      path: param.string({ cliOnly: true, default: '' }),
    },
    results: { 'r.x': result.string() },
    workspaces: { 'basic-auth': workspace({ optional: true, env: 'WORKSPACE_BASIC_AUTH_DIRECTORY', readOnly: true, mountPath: '/creds' }) },
    run() {},
  });
  const task = generateTask(p, { source: 'odd.ts' }) as AnyDoc;
  const step = task.spec.steps[0];
  assert.deepEqual(step.args, ['--tektite-array=list', '$(params.list[*])', '--tektite-array=second', '$(params.second[*])']);
  assert.deepEqual(
    step.env.map((e: AnyDoc) => [e.name, e.value]),
    [
      ['PARAM_A_B', '$(params["a.b"])'],
      ['WORKSPACE_BASIC_AUTH_DIRECTORY_PATH', '$(workspaces.basic-auth.path)'],
      ['WORKSPACE_BASIC_AUTH_DIRECTORY_BOUND', '$(workspaces.basic-auth.bound)'],
      ['RESULT_R_X_PATH', '$(results["r.x"].path)'],
    ],
  );
  assert.deepEqual(task.spec.params.map((x: AnyDoc) => x.name), ['a.b', 'list', 'second']);
  assert.equal(step.securityContext.readOnlyRootFilesystem, undefined);
  assert.deepEqual(task.spec.workspaces, [{ name: 'basic-auth', mountPath: '/creds', readOnly: true, optional: true }]);
});

test('strings YAML 1.1 would read as booleans or numbers are quoted, so kubectl reads them as written', () => {
  // kubectl and tkn read YAML as 1.1 (Go's yaml.v2): unquoted yes/on/y/off are booleans, 0755 and
  // 0o17 octal, 1_000, 0b101 and 0X1F numbers, << a merge, U+2028 a line break. tektite's loader
  // reads YAML as yaml.v2 does (test/tekton/yaml11.test.ts); the yaml package stands for 1.2.
  const words = ['yes', 'no', 'on', 'off', 'y', 'N', '0755', '1_000', '0b101', '08', '0o17', '0O17', '0B101', '0X1F', '+0o7', '0_x10', '1e3_0', '.5_5',
    '<<', 'a\u2028b', 'c\u2029d', 'e\u0085f', 'del\u007f', 'c1\u0090', 'non\ufffe', 'c0\u0001x', '\ta\nb', ' \n', '  \n\n', 'x\n \ny', `1${'0'.repeat(400)}`, 'Usage:\n  foo --bar\n \n  baz qux quux corge grault garply', `${'x'.repeat(40)}\n \n`,
    '2026-01-02', 'plain'];
  const p = defineStep({
    name: 'words',
    image: 'example.com/words:1',
    params: Object.fromEntries(words.map((w, i) => [`p${i}`, param.string({ default: w, description: w })])),
    run() {},
  });
  for (const doc of [generateTask(p, { source: 'w.ts' }), generateStepAction(p, { source: 'w.ts' })]) {
    const text = toYaml([doc], 'w.ts');
    const loaded = loadText(text, 'w.yaml');
    assert.deepEqual(loaded.diagnostics, []);
    assert.equal(loaded.docs[0]!.yaml11, undefined, 'no scalar that YAML 1.1 and 1.2 read differently');
    for (const read of [loaded.docs[0]!.value as AnyDoc, parse(text) as AnyDoc]) {
      assert.deepEqual(read.spec.params.map((x: AnyDoc) => x.default), words, text);
      assert.deepEqual(read.spec.params.map((x: AnyDoc) => x.description), words, text);
    }
    assert.match(text, /default: "yes"/);
    assert.match(text, /default: "a\\Lb"/);
    assert.match(text, /default: plain\n/, 'strings no reader would misread stay plain');
  }
});

test("every generated document passes the validator with no finding, strict", () => {
  const odd = defineStep({
    name: 'odd',
    image: 'example.com/odd@sha256:' + '0'.repeat(64),
    home: '$(params.userHome)',
    readOnlyRootFilesystem: false,
    params: {
      'a.b': param.string(),
      userHome: param.string({ default: '/tekton/home' }),
      list: param.array(),
      second: param.array({ default: ['x'] }),
      flag: param.boolean({ default: true }),
      obj: param.object({ properties: ['k', 'l'] }),
      path: param.string({ cliOnly: true, default: '' }),
    },
    results: { 'r.x': result.string(), list: result.array(), o: result.object({ properties: ['k'] }) },
    workspaces: {
      out: workspace(),
      'basic-auth': workspace({ optional: true, env: 'WORKSPACE_BASIC_AUTH_DIRECTORY', readOnly: true }),
      cache: workspace({ optional: true, mountPath: '/cache' }),
    },
    run() {},
  });
  const bare = defineStep({ name: 'bare', image: 'example.com/bare:1', run() {} });
  for (const program of [echoAll, odd, bare]) {
    const wrapper = program === odd ? [] : [generateStepActionTask(program)];
    for (const doc of [generateTask(program, { source: 'x.ts' }), generateStepAction(program, { source: 'x.ts' }), ...wrapper]) {
      const findings = validateResource(doc, { strict: true });
      assert.deepEqual(findings, [], `${program.name} ${String(doc.kind)}: ${JSON.stringify(findings)}`);
    }
  }
});

test('home: HOME env and a user-home emptyDir mounted there (Task only)', () => {
  const p = defineStep({ name: 'homey', image: 'x:1', home: '$(params.userHome)', params: { userHome: param.string({ default: '/home/git' }) }, run() {} });
  const task = generateTask(p, { source: 'x.ts' }) as AnyDoc;
  assert.deepEqual(task.spec.volumes, [{ name: 'user-home', emptyDir: {} }]);
  assert.deepEqual(task.spec.steps[0].env[0], { name: 'HOME', value: '$(params.userHome)' });
  assert.deepEqual(task.spec.steps[0].volumeMounts, [{ name: 'user-home', mountPath: '$(params.userHome)' }]);
});

test('generation refuses what it cannot express', () => {
  const noImage = defineStep({ name: 'noimg', run() {} });
  assert.throws(() => generateTask(noImage, { source: 'x.ts' }), (e: unknown) => e instanceof GenerateError && /noimg: set `image`/.test(e.message));
  const clash = defineStep({ name: 'clash', image: 'x:1', params: { 'out-path': param.string() }, workspaces: { out: workspace() }, run() {} });
  assert.throws(() => generateStepAction(clash, { source: 'x.ts' }), /param "out-path" collides/);
  const dotted = defineStep({ name: 'dotted', image: 'x:1', results: { 'a.b': result.string() }, run() {} });
  assert.throws(() => generateStepActionTask(dotted), /cannot surface step results with dots in their names \(a\.b\)/);
});

test('tektite generate prints the Task; -o writes it with the source relative to the file', () => {
  const printed = tektite(['generate', 'examples/echo-all/echo-all.ts']);
  assert.equal(printed.code, 0, printed.stderr);
  assert.match(printed.stdout, /^# Generated by `tektite generate` from examples\/echo-all\/echo-all\.ts\./);
  assert.equal(parse(printed.stdout).metadata.annotations['tektite.dev/source'], 'examples/echo-all/echo-all.ts');

  const out = join(dir, 'nested/out/stepaction.yaml');
  const written = tektite(['generate', join(repoRoot, 'examples/echo-all/echo-all.ts'), '--stepaction', '-o', out]);
  assert.equal(written.code, 0, written.stderr);
  assert.equal(written.stdout, '');
  const doc = parse(readFileSync(out, 'utf8'));
  assert.equal(doc.kind, 'StepAction');
  assert.equal(join(dir, 'nested/out', doc.metadata.annotations['tektite.dev/source']), join(repoRoot, 'examples/echo-all/echo-all.ts'));
});

test('tektite generate: bad input exits 2 with a clear message', () => {
  const root = join(dir, 'bad');
  mkdirSync(join(root, 'node_modules'), { recursive: true });
  symlinkSync(repoRoot, join(root, 'node_modules/tektite'));
  writeFileSync(join(root, 'invalid.ts'), "import { defineStep } from 'tektite/sdk';\nexport default defineStep({ name: 'Not_A_Label', run() {} });\n");
  writeFileSync(join(root, 'noimage.ts'), "import { defineStep } from 'tektite/sdk';\nexport default defineStep({ name: 'ok', run() {} });\n");
  writeFileSync(join(root, 'syntax.ts'), 'export default {\n');
  writeFileSync(join(root, 'badref.ts'), "import { defineStep } from 'tektite/sdk';\nexport default defineStep({ name: 'badref', image: 'x:1', home: '$(params.nope)', run() {} });\n");
  const cases: [string[], RegExp][] = [
    [[], /give exactly one plugin source file/],
    [['missing.ts'], /missing\.ts: no such file/],
    [['--bogus', 'x.ts'], /Unknown option '--bogus'/],
    [[join(root, 'invalid.ts')], /invalid step declaration "Not_A_Label":\n {2}name "Not_A_Label" must be a DNS label/],
    [[join(root, 'noimage.ts')], /ok: set `image` in defineStep/],
    [[join(root, 'syntax.ts')], /cannot bundle .*syntax\.ts:\nsyntax\.ts:2:0?1?: /],
    [[join(root, 'badref.ts')], /the Task generated from .*badref\.ts does not pass Tekton's rules:\n.*non-existent variable in "\$\(params\.nope\)"/],
  ];
  for (const [args, pattern] of cases) {
    const r = tektite(['generate', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.equal(r.stdout, '');
  }
  const help = tektite(['generate', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: tektite generate <plugin\.ts> \[--stepaction\] \[-o file\]/);
});

test('the committed example YAML is what the generator emits', () => {
  for (const [file, extra] of [['task.yaml', []], ['stepaction.yaml', ['--stepaction']]] as const) {
    const r = tektite(['generate', 'examples/echo-all/echo-all.ts', ...extra, '-o', join(dir, file)]);
    assert.equal(r.code, 0, r.stderr);
    const fresh = readFileSync(join(dir, file), 'utf8').replace(/[^\s]*examples\/echo-all\/echo-all\.ts/g, 'echo-all.ts');
    assert.equal(readFileSync(join(repoRoot, 'examples/echo-all', file), 'utf8'), fresh, `examples/echo-all/${file} is stale: run tektite generate again`);
  }
});
