// The SDK runtime through tektite/testing: exit codes, usage, results (exact bytes, budget),
// workspaces, logging and masking, exec.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineStep, param, result, workspace } from 'tektite/sdk';
import { runStep } from 'tektite/testing';
import { runProgram } from '../../src/sdk/main.js';
import echoAll from '../../examples/echo-all/echo-all.js';

const SECRET = 'hunter2-Sekr3t';

test('echo-all echoes edge-case values byte for byte', async () => {
  const cases = [
    { text: '', items: [], meta: { a: '', b: '' } },
    { text: '-x', items: ['a', 'b', 'c'], meta: { a: '-x', b: '$(params.text)' } },
    { text: 'line one\nligne deux — ünïcødé ✓ 🚀\n', items: ['', '-x', 'new\nline'], meta: { a: '{"json":1}', b: '[' } },
  ];
  for (const params of cases) {
    const r = await runStep(echoAll, { params });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.rawResults.text, params.text);
    assert.equal(r.rawResults.items, JSON.stringify(params.items));
    assert.equal(r.rawResults.meta, JSON.stringify(params.meta));
    assert.deepEqual(r.results.items, params.items);
    assert.deepEqual(r.results.meta, params.meta);
    assert.equal(r.rawResults.summary, 'shout=false count=1 level=normal token-length=0');
  }
});

test('typed params arrive typed; defaults apply', async () => {
  const r = await runStep(echoAll, { params: { text: 'hi', shout: true, count: 3, level: 'loud', token: 'abc' } });
  assert.equal(r.exitCode, 0, r.stderr);
  assert.equal(r.stdout, 'HI\nHI\nHI\ntoken: ***\n');
  assert.equal(r.rawResults.summary, 'shout=true count=3 level=loud token-length=3');
  assert.deepEqual(r.results.meta, { a: '1', b: '2' });
  assert.deepEqual(r.results.items, []);
});

test('usage errors exit 2 with the message and the usage text on stderr', async () => {
  const cases: [string[], Record<string, string>, RegExp][] = [
    [[], {}, /^echo-all: missing required param: text \(flag -text or env PARAM_TEXT\)\n\nUsage: echo-all|echo-all — /],
    [['-text=a', '-bogus'], {}, /flag provided but not defined: -bogus/],
    [['-text=a', '-count=many'], {}, /invalid value "many" for param count: not an integer/],
    [['-text=a'], { PARAM_SHOUT: 'yes' }, /invalid value "yes" for param shout/],
    [['-text=a', '-level=shrill'], {}, /invalid value "shrill" for param level: must be one of "quiet", "normal", "loud"/],
  ];
  for (const [argv, env, pattern] of cases) {
    const r = await runStep(echoAll, { argv, env });
    assert.equal(r.exitCode, 2, JSON.stringify(argv));
    assert.match(r.stderr, pattern);
    assert.match(r.stderr, /Usage: echo-all \[flags\]/);
    assert.equal(r.stdout, '');
    assert.deepEqual(r.rawResults, {});
  }
});

test('--help prints the declaration as usage and exits 0', async () => {
  for (const flag of ['--help', '-help', '-h']) {
    const r = await runStep(echoAll, { argv: [flag] });
    assert.equal(r.exitCode, 0);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^echo-all — Echo every param back as results, byte for byte\.\n\nUsage: echo-all \[flags\]/);
    assert.match(r.stdout, /-text string +Echoed to the text result as is\. \(required; env PARAM_TEXT\)/);
    assert.match(r.stdout, /-level quiet\|normal\|loud +How much to log\. \(default "normal"; env PARAM_LEVEL\)/);
    // Long lines wrap under the description column.
    assert.match(r.stdout, /-meta\.<a\|b> string +Echoed to the meta result\. \(default \{"a":"1","b":"2"\}; env\n {29}PARAM_META_A, PARAM_META_B\)/);
    assert.match(r.stdout, /-token string +A secret; only its length is reported\. \(has a default; env PARAM_TOKEN;\n {29}secret\)/);
    for (const line of r.stdout.split('\n')) assert.ok(line.length <= 100, line);
    assert.match(r.stdout, /Results:\n {2}text +string — The text param, unchanged\. \(written to \$RESULT_TEXT_PATH\)/);
    assert.match(r.stdout, /Workspaces:\n {2}output {2}When bound, .*\(optional; env\n {10}WORKSPACE_OUTPUT_PATH, WORKSPACE_OUTPUT_BOUND\)/);
  }
});

test('a thrown error exits 1 with its message on stderr', async () => {
  const step = defineStep({
    name: 'boom',
    run() {
      throw new Error('disk on fire');
    },
  });
  const r = await runStep(step);
  assert.equal(r.exitCode, 1);
  assert.equal(r.stderr, 'error: disk on fire\n');
});

test('results are written to the paths the env names, exactly, via a rename', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tektite-sdk-'));
  try {
    const step = defineStep({
      name: 'writer',
      results: { s: result.string(), a: result.array(), o: result.object({ properties: ['k'] }) },
      run: ({ results }) => {
        results.s.set('no newline');
        results.a.set(['x', 'ü', '<&>']);
        return { o: { k: 'v', extra: 'kept' } as { k: string } };
      },
    });
    const env = { RESULT_S_PATH: join(dir, 's'), RESULT_A_PATH: join(dir, 'a'), RESULT_O_PATH: join(dir, 'o') };
    const out: string[] = [];
    const code = await runProgram(step, { argv: [], env, stdout: (t) => void out.push(t), stderr: (t) => void out.push(t) });
    assert.equal(code, 0, out.join(''));
    assert.equal(readFileSync(join(dir, 's'), 'utf8'), 'no newline');
    assert.equal(readFileSync(join(dir, 'a'), 'utf8'), '["x","ü","<&>"]');
    assert.equal(readFileSync(join(dir, 'o'), 'utf8'), '{"k":"v","extra":"kept"}');
    assert.deepEqual(readdirSync(dir).sort(), ['a', 'o', 's']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('results without a path are printed (running the program by hand)', async () => {
  const step = defineStep({ name: 'p', results: { out: result.string() }, run: () => ({ out: 'v' }) });
  const out: string[] = [];
  assert.equal(await runProgram(step, { argv: [], env: {}, stdout: (t) => void out.push(t), stderr: (t) => void out.push(t) }), 0);
  assert.equal(out.join(''), 'result out: v\n');
});

test('a result over the termination-message budget fails naming the result and sizes; nothing is written', async () => {
  const step = defineStep({
    name: 'big',
    results: { small: result.string(), huge: result.string() },
    run: () => ({ small: 'ok', huge: 'x'.repeat(5000) }),
  });
  const r = await runStep(step);
  assert.equal(r.exitCode, 1);
  assert.match(
    r.stderr,
    /^error: result huge is too large: 5000 bytes; the termination message would be \d+ bytes, over Tekton's limit of 4096 \(results: huge 5000 bytes, small 2 bytes\)\. Nothing was written\./,
  );
  assert.deepEqual(r.rawResults, {});
});

test('the budget counts JSON escaping the way Tekton encodes it, and results earlier steps left', async () => {
  // 4000 bytes of "<" are 24000 bytes once Go escapes them as \u003c.
  const step = defineStep({ name: 'esc', results: { r: result.string() }, run: () => ({ r: '<'.repeat(700) }) });
  const r = await runStep(step);
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /result r is too large: 700 bytes; the termination message would be 4[0-9]{3} bytes/);

  const dir = mkdtempSync(join(tmpdir(), 'tektite-sdk-'));
  try {
    writeFileSync(join(dir, 'earlier'), 'e'.repeat(3000));
    const fits = defineStep({ name: 'fits', results: { r: result.string() }, run: () => ({ r: 'y'.repeat(1000) }) });
    const err: string[] = [];
    const code = await runProgram(fits, { argv: [], env: { RESULT_R_PATH: join(dir, 'r') }, stdout: () => {}, stderr: (t) => void err.push(t) });
    assert.equal(code, 1);
    assert.match(err.join(''), /plus 1 result file already written by earlier steps/);
    assert.deepEqual(readdirSync(dir), ['earlier']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a result of the wrong type or missing a declared key fails the step', async () => {
  const step = defineStep({
    name: 'typed',
    results: { a: result.array(), o: result.object({ properties: ['k', 'l'] }) },
    params: { which: param.string() },
    run: ({ params }) => (params.which === 'a' ? ({ a: 'not an array' } as never) : { o: { k: 'v' } as never }),
  });
  const a = await runStep(step, { params: { which: 'a' } });
  assert.equal(a.exitCode, 1);
  assert.equal(a.stderr, 'error: result a must be an array of strings, got string\n');
  const o = await runStep(step, { params: { which: 'o' } });
  assert.equal(o.exitCode, 1);
  assert.equal(o.stderr, 'error: result o is missing declared key l\n');
});

test('workspaces: bound state and paths; a required unbound workspace is a usage error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tektite-sdk-'));
  try {
    const step = defineStep({
      name: 'ws',
      workspaces: { src: workspace(), cache: workspace({ optional: true }) },
      results: { seen: result.string() },
      run: ({ workspaces }) => ({ seen: JSON.stringify(workspaces) }),
    });
    const r = await runStep(step, { workspaces: { src: dir } });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.rawResults.seen!), { src: { bound: true, path: dir }, cache: { bound: false, path: '' } });
    // What Tekton substitutes for an unbound optional workspace.
    const unbound = await runStep(step, { workspaces: { src: dir }, env: { WORKSPACE_CACHE_PATH: '', WORKSPACE_CACHE_BOUND: 'false' } });
    assert.deepEqual(JSON.parse(unbound.rawResults.seen!).cache, { bound: false, path: '' });
    const missing = await runStep(step);
    assert.equal(missing.exitCode, 2);
    assert.match(missing.stderr, /^ws: workspace src is required but not bound \(set WORKSPACE_SRC_PATH\)/);

    const echoed = await runStep(echoAll, { params: { text: 'into the workspace' }, workspaces: { output: dir } });
    assert.equal(echoed.exitCode, 0);
    assert.equal(readFileSync(join(dir, 'echo.txt'), 'utf8'), 'into the workspace');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runStep leaves the calling process alone and ignores its PARAM_ variables', async () => {
  const before = { ...process.env };
  const argv = [...process.argv];
  process.env.PARAM_TEXT = 'from the developer shell';
  try {
    const r = await runStep(echoAll, { params: {} });
    assert.equal(r.exitCode, 2);
    const ok = await runStep(echoAll, { params: { text: 't' }, env: { EXTRA: '1' } });
    assert.equal(ok.rawResults.text, 't');
    assert.equal(process.env.EXTRA, undefined);
    assert.equal(process.env.RESULT_TEXT_PATH, undefined);
  } finally {
    delete process.env.PARAM_TEXT;
  }
  assert.deepEqual({ ...process.env }, before);
  assert.deepEqual(process.argv, argv);
});

test('log levels and nested groups', async () => {
  const step = defineStep({
    name: 'logs',
    async run({ log }) {
      log.debug('hidden unless debug');
      log.info('top');
      await log.group('outer', async () => {
        log.info('in outer');
        await log.group('inner', () => log.warning('careful\nsecond line'));
      });
      log.error('bad');
    },
  });
  const r = await runStep(step);
  assert.equal(r.exitCode, 0);
  const stdout = r.stdout.replace(/\(\d+ ms\)/g, '(N ms)');
  assert.equal(stdout, 'top\n▶ outer\n  in outer\n  ▶ inner\n  ◀ inner (N ms)\n◀ outer (N ms)\n');
  assert.equal(r.stderr, '    warning: careful\n    second line\nerror: bad\n');
  const debug = await runStep(step, { env: { TEKTITE_LOG_LEVEL: 'debug' } });
  assert.match(debug.stdout, /^\[debug\] hidden unless debug\ntop\n/);
  const quiet = await runStep(step, { env: { TEKTITE_LOG_LEVEL: 'error' } });
  assert.equal(quiet.stdout, '');
  assert.equal(quiet.stderr, 'error: bad\n');
});

test('a failing group says so and the error propagates', async () => {
  const step = defineStep({
    name: 'gfail',
    async run({ log }) {
      await log.group('work', () => {
        throw new Error('nope');
      });
    },
  });
  const r = await runStep(step);
  assert.equal(r.exitCode, 1);
  assert.match(r.stdout, /^▶ work\n◀ work failed after \d+ ms\n$/);
  assert.equal(r.stderr, 'error: nope\n');
});

test('a secret never appears: log lines, child output, exec failures, thrown errors', async () => {
  const multi = `${SECRET}\nsecond-line-of-it`;
  const step = defineStep({
    name: 'leaky',
    params: { token: param.string({ secret: true }), key: param.array({ secret: true, default: [] }), mode: param.string() },
    async run({ params, log, exec }) {
      log.info(`token is ${params.token}`);
      log.warning(`again: ${params.token}!`);
      await log.group(`group ${params.token}`, async () => {
        await exec(process.execPath, ['-e', 'process.stdout.write(process.env.PARAM_TOKEN.slice(0,5)); setTimeout(() => { process.stdout.write(process.env.PARAM_TOKEN.slice(5) + "\\n"); console.error("err " + process.env.PARAM_TOKEN) }, 30)']);
      });
      const fetched = 'derived-credential-42';
      log.addMask(fetched);
      log.info(`fetched ${fetched} and ${params.key.join(',')}`);
      if (params.mode === 'exec-fail') {
        await exec(process.execPath, ['-e', `console.error("denied for " + process.env.PARAM_TOKEN); process.exit(3)`]);
      }
      if (params.mode === 'throw') throw new Error(`could not use ${params.token} (${multi.split('\n')[1]})`);
    },
  });
  for (const mode of ['ok', 'exec-fail', 'throw']) {
    const r = await runStep(step, { params: { token: multi, key: ['k-e-y-1'], mode } });
    const all = r.stdout + r.stderr;
    for (const leak of [SECRET, 'second-line-of-it', 'derived-credential-42', 'k-e-y-1']) assert.ok(!all.includes(leak), `${mode}: "${leak}" leaked in:\n${all}`);
    // The whole multi-line secret is one mask; its lines are masked on their own too.
    assert.match(r.stdout, /^token is \*\*\*\n▶ group \*\*\*\n {2}\*\*\*\n/);
    assert.match(r.stderr, /^warning: again: \*\*\*!\n {2}err \*\*\*\n/);
    assert.match(r.stdout, /fetched \*\*\* and \*\*\*\n/);
    if (mode === 'ok') assert.equal(r.exitCode, 0, all);
    if (mode === 'exec-fail') {
      assert.equal(r.exitCode, 1);
      assert.match(r.stderr, /error: `\S+ -e .*` exited with code 3:\ndenied for \*\*\*\n$/);
    }
    if (mode === 'throw') {
      assert.equal(r.exitCode, 1);
      assert.match(r.stderr, /error: could not use \*\*\* \(\*\*\*\)\n$/);
    }
  }
});

test('exec streams output, returns code and output, honours cwd, env, input and allowFailure', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tektite-sdk-'));
  try {
    mkdirSync(join(dir, 'sub'));
    const step = defineStep({
      name: 'ex',
      results: { out: result.string() },
      async run({ exec }) {
        const a = await exec('sh', ['-c', 'pwd; echo "$FOO"; cat; echo to-err >&2'], { cwd: join(dir, 'sub'), env: { FOO: 'bar' }, input: 'from stdin\n' });
        const b = await exec('sh', ['-c', 'echo partial; exit 7'], { allowFailure: true, silent: true });
        const c = await exec('definitely-not-a-command-xyz', [], { allowFailure: true });
        return { out: JSON.stringify({ a, b, c: c.code }) };
      },
    });
    const r = await runStep(step);
    assert.equal(r.exitCode, 0, r.stderr);
    const got = JSON.parse(r.rawResults.out!);
    assert.deepEqual(got.a, { code: 0, stdout: `${join(dir, 'sub')}\nbar\nfrom stdin\n`, stderr: 'to-err\n' });
    assert.deepEqual(got.b, { code: 7, stdout: 'partial\n', stderr: '' });
    assert.equal(got.c, 127);
    assert.equal(r.stdout, `${join(dir, 'sub')}\nbar\nfrom stdin\n`);
    assert.match(r.stderr, /^to-err\n.*ENOENT/s);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('exec failure: the error carries the command, the code and the stderr tail', async () => {
  const step = defineStep({
    name: 'exf',
    async run({ exec }) {
      await exec('sh', ['-c', 'for i in $(seq 1 30); do echo "line $i" >&2; done; exit 4']);
    },
  });
  const r = await runStep(step);
  assert.equal(r.exitCode, 1);
  const message = r.stderr.slice(r.stderr.indexOf('error: '));
  assert.match(message, /^error: `sh -c 'for i in .*'` exited with code 4:\nline 11\n/);
  assert.match(message, /line 30\n$/);
  assert.ok(!message.includes('line 10\n'));
  const missing = await runStep(defineStep({ name: 'm', run: async ({ exec }) => void (await exec('no-such-tool-xyz', ['a'])) }));
  assert.equal(missing.exitCode, 1);
  assert.match(missing.stderr, /^error: `no-such-tool-xyz a` could not start: spawn no-such-tool-xyz ENOENT\n$/);
});

test('results set before run threw are still written; the step still fails', async () => {
  const step = defineStep({
    name: 'partial',
    results: { early: result.string(), late: result.string() },
    run({ results }) {
      results.early.set('kept');
      throw new Error('then it broke');
    },
  });
  const r = await runStep(step);
  assert.equal(r.exitCode, 1);
  assert.equal(r.stderr, 'error: then it broke\n');
  assert.deepEqual(r.rawResults, { early: 'kept' });
});

test('UsageError thrown by run exits 2; optionalWhen excuses a required workspace', async () => {
  const { UsageError } = await import('tektite/sdk');
  const step = defineStep({
    name: 'modes',
    params: { path: param.string({ cliOnly: true, default: '' }), bad: param.boolean({ default: false }) },
    workspaces: { output: workspace({ optionalWhen: 'path' }) },
    results: { where: result.string() },
    run({ params, workspaces }) {
      if (params.bad) throw new UsageError('that combination makes no sense');
      return { where: workspaces.output.bound ? workspaces.output.path : params.path };
    },
  });
  const bad = await runStep(step, { argv: ['-path=/x', '-bad'] });
  assert.equal(bad.exitCode, 2);
  assert.equal(bad.stderr, 'error: that combination makes no sense\n');
  const viaFlag = await runStep(step, { argv: ['-path=/somewhere'] });
  assert.equal(viaFlag.exitCode, 0, viaFlag.stderr);
  assert.equal(viaFlag.rawResults.where, '/somewhere');
  const neither = await runStep(step);
  assert.equal(neither.exitCode, 2);
  assert.match(neither.stderr, /workspace output is required but not bound/);
});

test('property: any text, array and object round-trips through runStep byte for byte', async () => {
  const { default: fc } = await import('fast-check');
  const text = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\0'));
  await fc.assert(
    fc.asyncProperty(text, fc.array(text, { maxLength: 6 }), text, text, async (t, items, a, b) => {
      const r = await runStep(echoAll, { params: { text: t, items, meta: { a, b } } });
      assert.equal(r.exitCode, 0, r.stderr);
      assert.equal(r.rawResults.text, t);
      assert.deepEqual(r.results.items, items);
      assert.deepEqual(r.results.meta, { a, b });
    }),
    { numRuns: 150 },
  );
});

test('a secret array param given as non-JSON env is refused without echoing its value', async () => {
  const step = defineStep({ name: 'bad-secret-array', params: { keys: param.array({ secret: true }) }, async run() {} });
  const r = await runStep(step, { env: { PARAM_KEYS: SECRET } });
  assert.equal(r.exitCode, 2);
  assert.match(r.stderr, /invalid value for param keys: PARAM_KEYS must hold a JSON array of strings/);
  assert.ok(!(r.stdout + r.stderr).includes(SECRET), r.stderr);
});
