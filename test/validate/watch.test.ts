// `tektite validate --watch` as users run it: a child process watching real files and folders,
// edited the ways editors and tools edit them, stopped by a signal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, renameSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tektiteBin } from '../helpers/paths.js';

const GOOD = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: hello\nspec:\n  steps:\n    - name: say\n      image: alpine:3.20\n      script: echo hello\n';
/** An unclosed flow sequence: a YAML syntax error at line 4. */
const BROKEN = 'apiVersion: tekton.dev/v1\nkind: Task\nspec:\n  steps: [\n';
const READY = 'watching for changes (Ctrl-C to stop)\n';

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'tektite-watch-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

/** A running `tektite validate --watch`, its output gathered as it comes. */
class Watching {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(args: string[], cwd: string) {
    this.child = spawn(process.execPath, [tektiteBin, 'validate', '--watch', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.exited = new Promise((done) => this.child.on('exit', (code) => done(code)));
  }

  /** How many runs have finished (each ends by saying it is watching again). */
  get runs(): number {
    return this.stderr.split(READY).length - 1;
  }

  /** Waits until `n` runs have finished; fails with the output so far after 20 s. */
  async untilRuns(n: number): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (this.runs < n) {
      if (this.child.exitCode !== null) assert.fail(`exited ${this.child.exitCode} after ${this.runs} runs:\n${this.stderr}`);
      if (Date.now() > deadline) assert.fail(`waited for run ${n}, saw ${this.runs}:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The stderr of run `n` (1-based): the change that started it, its findings' summary. */
  run(n: number): string {
    return this.stderr.split(READY)[n - 1]!;
  }

  async stop(signal: NodeJS.Signals = 'SIGINT'): Promise<number | null> {
    this.child.kill(signal);
    return this.exited;
  }
}

function folder(name: string): string {
  const d = join(root, name);
  mkdirSync(d, { recursive: true });
  return d;
}

test('a watched folder: a new file in a subfolder is validated, other files and skipped folders start no run', async () => {
  const d = folder('tree');
  writeFileSync(join(d, 'good.yaml'), GOOD);
  const w = new Watching(['.'], d);
  try {
    await w.untilRuns(1);
    assert.match(w.run(1), /^1 file, 1 Tekton document: 0 errors, 0 warnings in \d+ ms\n$/);
    assert.equal(w.stdout, '');

    // a folder moved in (its files make no events of their own)
    const outside = join(root, 'outside-sub');
    mkdirSync(outside);
    writeFileSync(join(outside, 'broken.yaml'), BROKEN);
    renameSync(outside, join(d, 'sub'));
    await w.untilRuns(2);
    assert.match(w.run(2), /^\n\[\d\d:\d\d:\d\d\] changed: sub(, sub\/broken\.yaml)?\n2 files, 1 Tekton document: 1 error, 0 warnings in \d+ ms\n$/);
    assert.match(w.stdout, /^sub\/broken\.yaml:5:1: .+ \[yaml-syntax\]\n$/);

    // Not input: a text file, and YAML in folders the walk does not enter. The next run names only
    // the file that is input, so none of these started one.
    writeFileSync(join(d, 'notes.txt'), 'hello');
    mkdirSync(join(d, 'node_modules', 'pkg'), { recursive: true });
    writeFileSync(join(d, 'node_modules', 'pkg', 'task.yaml'), BROKEN);
    mkdirSync(join(d, '.git'));
    writeFileSync(join(d, '.git', 'x.yaml'), BROKEN);
    await new Promise((r) => setTimeout(r, 300));
    writeFileSync(join(d, 'sub', 'broken.yaml'), GOOD);
    await w.untilRuns(3);
    assert.match(w.run(3), /changed: sub\/broken\.yaml\n2 files, 2 Tekton documents: 0 errors, 0 warnings in \d+ ms\n$/);
    assert.equal(w.runs, 3);

    // a burst (a checkout, a generator writing files): one run, naming the first few
    for (const n of ['e', 'd', 'c', 'b', 'a']) writeFileSync(join(d, `${n}.yaml`), GOOD);
    await w.untilRuns(4);
    assert.match(w.run(4), /changed: a\.yaml, b\.yaml, c\.yaml and 2 more\n7 files, 7 Tekton documents: 0 errors/);

    // a folder moved out
    renameSync(join(d, 'sub'), join(root, 'moved-out'));
    await w.untilRuns(5);
    assert.match(w.run(5), /changed: sub\n6 files, 6 Tekton documents: 0 errors/);

    assert.equal(await w.stop(), 0, 'Ctrl-C ends with the last run\'s exit code');
  } finally {
    w.child.kill('SIGKILL');
  }
});

test('a watched file saved the way editors save (a new file renamed over it); its neighbours are not watched', async () => {
  const d = folder('single');
  writeFileSync(join(d, 'task.yaml'), GOOD);
  writeFileSync(join(d, 'other.yaml'), GOOD);
  const w = new Watching(['task.yaml'], d);
  try {
    await w.untilRuns(1);
    assert.match(w.run(1), /^1 file, 1 Tekton document: 0 errors, 0 warnings/);

    writeFileSync(join(d, 'other.yaml'), BROKEN); // not watched
    writeFileSync(join(d, '.task.yaml.swp'), BROKEN);
    renameSync(join(d, '.task.yaml.swp'), join(d, 'task.yaml'));
    await w.untilRuns(2);
    assert.match(w.run(2), /changed: task\.yaml\n1 file, 0 Tekton documents: 1 error, 0 warnings/);
    assert.match(w.stdout, /^task\.yaml:5:1: /);

    // an error run, then Ctrl-C: the exit code is that run's
    assert.equal(await w.stop(), 1);
  } finally {
    w.child.kill('SIGKILL');
  }
});

test('a watched folder: saves that replace the file (temp file renamed over it, vim backups, sed -i) each start one run naming it', async () => {
  const d = folder('saves');
  writeFileSync(join(d, 'task.yaml'), GOOD);
  const w = new Watching(['.'], d);
  try {
    await w.untilRuns(1);
    let runs = 1;
    const saved = async (how: string, save: (text: string) => void) => {
      const text = runs % 2 ? BROKEN : GOOD;
      save(text);
      await w.untilRuns(++runs);
      assert.match(w.run(runs), new RegExp(`changed: task\\.yaml\\n1 file, ${text === GOOD ? '1 Tekton document: 0 errors' : '0 Tekton documents: 1 error'}`), how);
    };
    for (const temp of ['.tmp1', 'x.swp', 'task.yaml.tmp', 'sedSO31nc']) {
      await saved(`renamed from ${temp}`, (text) => {
        writeFileSync(join(d, temp), text);
        renameSync(join(d, temp), join(d, 'task.yaml'));
      });
    }
    await saved('vim: the old file moved to a backup, a new one written, the backup removed', (text) => {
      renameSync(join(d, 'task.yaml'), join(d, 'task.yaml~'));
      writeFileSync(join(d, 'task.yaml'), text);
      rmSync(join(d, 'task.yaml~'));
    });
    await saved('written in place after all that', (text) => writeFileSync(join(d, 'task.yaml'), text));
    assert.equal(await w.stop(), runs % 2 ? 0 : 1);
  } finally {
    w.child.kill('SIGKILL');
  }
});

test('a watched folder: a subfolder removed and made again is watched anew; folders that come and go crash nothing; links to nothing are no input', async () => {
  const d = folder('churn');
  mkdirSync(join(d, 'a'));
  writeFileSync(join(d, 'a', 'task.yaml'), GOOD);
  const w = new Watching(['.'], d);
  try {
    await w.untilRuns(1);
    // in one go: the folder replaced by another of the same name
    rmSync(join(d, 'a'), { recursive: true });
    mkdirSync(join(d, 'a'));
    writeFileSync(join(d, 'a', 'task.yaml'), GOOD);
    await w.untilRuns(2);
    writeFileSync(join(d, 'a', 'task.yaml'), BROKEN);
    await w.untilRuns(3);
    assert.match(w.run(3), /changed: a\/task\.yaml\n1 file, 0 Tekton documents: 1 error/);

    // temporary folders made and removed at once, many times
    for (let i = 0; i < 50; i++) {
      const tmp = join(d, `.tmp-${i}`);
      mkdirSync(tmp);
      writeFileSync(join(tmp, 'x.yaml'), GOOD);
      rmSync(tmp, { recursive: true });
    }
    // an editor's lock file (a link to nothing), made and removed: no input, no run
    symlinkSync('user@host.1:2', join(d, '.#task.yaml'));
    rmSync(join(d, '.#task.yaml'));
    await new Promise((r) => setTimeout(r, 400));
    writeFileSync(join(d, 'a', 'task.yaml'), GOOD);
    await w.untilRuns(w.runs + 1);
    assert.match(w.run(w.runs), /changed: a\/task\.yaml\n1 file, 1 Tekton document: 0 errors/);
    assert.doesNotMatch(w.stderr, /\.#task\.yaml|Error|    at /);
    assert.equal(await w.stop(), 0);
  } finally {
    w.child.kill('SIGKILL');
  }
});

test('-o json in watch mode: one JSON object per line, one line per run; SIGTERM ends it too', async () => {
  const d = folder('json');
  writeFileSync(join(d, 'task.yaml'), GOOD.replace('alpine:3.20', 'alpine'));
  const w = new Watching(['-o', 'json', '.'], d);
  try {
    await w.untilRuns(1);
    writeFileSync(join(d, 'task.yaml'), GOOD);
    await w.untilRuns(2);
    const lines = w.stdout.split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, 2, w.stdout);
    const [first, second] = lines.map((l) => JSON.parse(l));
    assert.equal(first.warnings, 1);
    assert.equal(first.diagnostics[0].rule, 'image-unpinned');
    assert.equal(second.warnings, 0);
    assert.deepEqual(second.diagnostics, []);
    assert.equal(await w.stop('SIGTERM'), 0);
  } finally {
    w.child.kill('SIGKILL');
  }
});

test('the config file is watched too: a change is read before the next run, a wrong one said and the settings before it kept', async () => {
  const d = folder('configured');
  mkdirSync(join(d, '.git'));
  writeFileSync(join(d, '.tektiterc.yaml'), 'rules:\n  image-unpinned: off\n');
  writeFileSync(join(d, 'task.yaml'), GOOD.replace('alpine:3.20', 'alpine'));
  const w = new Watching(['task.yaml'], d);
  try {
    await w.untilRuns(1);
    assert.match(w.run(1), /^1 file, 1 Tekton document: 0 errors, 0 warnings/);
    writeFileSync(join(d, '.tektiterc.yaml'), 'rules:\n  image-unpinned: error\n');
    await w.untilRuns(2);
    assert.match(w.run(2), /changed: \.tektiterc\.yaml\n1 file, 1 Tekton document: 1 error, 0 warnings/);
    writeFileSync(join(d, '.tektiterc.yaml'), 'rules:\n  image-unpinned: of\n');
    await w.untilRuns(3);
    assert.match(w.run(3), /changed: \.tektiterc\.yaml\ntektite: validate: config: \.tektiterc\.yaml:2:19: rules\.image-unpinned: must be off, warning or error, not "of"\n$/);
    writeFileSync(join(d, 'task.yaml'), GOOD.replace('alpine:3.20', 'alpine') + '# edited\n');
    await w.untilRuns(4);
    assert.match(w.run(4), /changed: task\.yaml\n1 file, 1 Tekton document: 1 error, 0 warnings/, 'the settings before the wrong config');
    rmSync(join(d, '.tektiterc.yaml'));
    await w.untilRuns(5);
    assert.match(w.run(5), /changed: \.tektiterc\.yaml\ntektite: validate: \.tektiterc\.yaml is gone: no config file now\n1 file, 1 Tekton document: 0 errors, 1 warning/);
    assert.equal(await w.stop(), 0);
  } finally {
    w.child.kill('SIGKILL');
  }
});

test('the feature-flags file the config names is watched, the new one when the config names another', async () => {
  const d = folder('flags');
  mkdirSync(join(d, '.git'));
  const flags = (on: boolean) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: feature-flags\ndata:\n  enable-param-enum: "${on}"\n`;
  writeFileSync(join(d, 'ff1.yaml'), flags(false));
  writeFileSync(join(d, 'ff2.yaml'), flags(true));
  writeFileSync(join(d, '.tektiterc.yaml'), 'feature-flags: ff1.yaml\n');
  writeFileSync(join(d, 'task.yaml'), GOOD.replace('spec:\n', 'spec:\n  params:\n    - name: env\n      enum: [a, b]\n').replace('echo hello', 'echo hello $(params.env)'));
  const w = new Watching(['task.yaml'], d);
  try {
    await w.untilRuns(1);
    assert.match(w.run(1), /1 error/);
    writeFileSync(join(d, '.tektiterc.yaml'), 'feature-flags: ff2.yaml\n');
    await w.untilRuns(2);
    assert.match(w.run(2), /changed: \.tektiterc\.yaml\n1 file, 1 Tekton document: 0 errors/);
    writeFileSync(join(d, 'ff2.yaml'), flags(false));
    await w.untilRuns(3);
    assert.match(w.run(3), /changed: ff2\.yaml\n1 file, 1 Tekton document: 1 error/);
    assert.equal(await w.stop(), 1);
  } finally {
    w.child.kill('SIGKILL');
  }
});

test('a reader that goes away (| head) ends the watch after its next run', async () => {
  const d = folder('piped');
  writeFileSync(join(d, 'task.yaml'), GOOD.replace('alpine:3.20', 'alpine'));
  const child = spawn('sh', ['-c', `"${process.execPath}" "${tektiteBin}" validate --watch task.yaml | head -c 10 >/dev/null`], { cwd: d, stdio: 'ignore' });
  const ended = new Promise((done) => child.on('exit', done));
  try {
    await new Promise((r) => setTimeout(r, 1500));
    writeFileSync(join(d, 'task.yaml'), GOOD.replace('alpine:3.20', 'busybox'));
    const code = await Promise.race([ended, new Promise((r) => setTimeout(() => r('still running'), 20_000))]);
    assert.equal(code, 0);
  } finally {
    child.kill('SIGKILL');
  }
});

test('a watched folder removed: exit 2 saying so, no process left behind', async () => {
  const d = folder('doomed');
  writeFileSync(join(d, 'task.yaml'), GOOD);
  const w = new Watching([d], root);
  try {
    await w.untilRuns(1);
    rmSync(d, { recursive: true });
    const code = await Promise.race([w.exited, new Promise((r) => setTimeout(() => r('still running'), 20_000))]);
    assert.equal(code, 2, w.stderr);
    assert.match(w.stderr, new RegExp(`tektite: validate: --watch: ${d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} was removed\n$`));
  } finally {
    w.child.kill('SIGKILL');
  }
});

test('--watch with stdin or a missing path is bad usage: exit 2 at once', () => {
  const stdin = spawnSync(process.execPath, [tektiteBin, 'validate', '--watch', '-'], { cwd: root, input: GOOD, encoding: 'utf8', timeout: 30_000 });
  assert.equal(stdin.status, 2);
  assert.equal(stdin.stderr, 'tektite: validate: --watch cannot watch stdin (-): give files or folders\n');
  const missing = spawnSync(process.execPath, [tektiteBin, 'validate', '-w', 'nowhere.yaml'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, 'tektite: validate: --watch: cannot watch nowhere.yaml: no such file or directory\n');
});
