// The pieces of git-clone that need no git: flag parsing, redaction, path containment,
// emptying a folder, credential copies, retries, hints, termination message, ssh detection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlagValueError, parseGoBool, parseGoDuration, parseGoUint } from '../../plugins/git-clone/src/go-flags.js';
import { redactCredentials, urlSecrets } from '../../plugins/git-clone/src/redact.js';
import { emptyDir, PathEscapeError, resolveCheckoutDir } from '../../plugins/git-clone/src/checkout-dir.js';
import { copyBasicAuth, copySshDirectory, CredentialsError, sslCaEnv } from '../../plugins/git-clone/src/credentials.js';
import { backoffMs, withRetry } from '../../plugins/git-clone/src/retry.js';
import { friendlyError, GitError, hintFor } from '../../plugins/git-clone/src/git-error.js';
import { writeTerminationMessage } from '../../plugins/git-clone/src/termination.js';
import { isSshUrl, sshCommand } from '../../plugins/git-clone/src/ssh.js';
import { snapshot } from '../../plugins/git-clone/src/rollback.js';
import { parseSettings } from '../../plugins/git-clone/src/settings.js';

function tmp(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'git-clone-unit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('Go bools: exactly strconv.ParseBool spellings', () => {
  for (const v of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.equal(parseGoBool('submodules', v), true);
  for (const v of ['0', 'f', 'F', 'FALSE', 'false', 'False']) assert.equal(parseGoBool('submodules', v), false);
  for (const v of ['', 'yes', 'tRUE', ' true', 'on']) {
    assert.throws(() => parseGoBool('submodules', v), (e: Error) => e instanceof FlagValueError && e.message === `invalid value ${JSON.stringify(v)} for flag -submodules: parse error`);
  }
});

test('Go uints: base prefixes, leading-zero octal, underscores between digits only', () => {
  const ok: Array<[string, number]> = [['0', 0], ['1', 1], ['42', 42], ['010', 8], ['0x1f', 31], ['0X1F', 31], ['0o17', 15], ['0b101', 5], ['1_000', 1000], ['0x_1f', 31]];
  for (const [v, n] of ok) assert.equal(parseGoUint('depth', v), n, v);
  for (const v of ['', '-1', '+1', '1.5', 'abc', '08', '0x', '1_', '_1', '1__0', ' 1']) assert.throws(() => parseGoUint('depth', v), FlagValueError, v);
  assert.throws(() => parseGoUint('depth', '99999999999999999999999'), /out of range/);
});

test('settings: url, revision, refspec parts and submodule paths may not look like options', () => {
  const raw = {
    url: 'file:///repo', revision: '', refspec: '', submodules: 'true', depth: '1', sslVerify: 'true', crtFileName: '', subdirectory: '',
    sparseCheckoutDirectories: '', deleteExisting: 'true', httpProxy: '', httpsProxy: '', noProxy: '', verbose: 'true', userHome: '/h', path: '',
    terminationMessagePath: '', submodulePaths: '', retryMaxAttempts: '1', retryInitial: '1s', retryMax: '10s', retryFactor: '2', userFriendlyErrors: 'true',
  };
  assert.equal(parseSettings(raw).depth, 1);
  assert.deepEqual(parseSettings({ ...raw, refspec: 'refs/a:refs/b +refs/c' }).refspec, 'refs/a:refs/b +refs/c');
  for (const [k, v] of [['url', '-u'], ['url', ' --upload-pack=x'], ['revision', '--upload-pack=x'], ['refspec', 'refs/a --upload-pack=x'], ['submodulePaths', 'a,-b']]) {
    assert.throws(() => parseSettings({ ...raw, [k!]: v }), (e: Error) => e instanceof FlagValueError && e.message.includes(`for flag -${k}: must not start with "-"`), `${k}=${v}`);
  }
});

test('Go durations for the retry flags', () => {
  assert.equal(parseGoDuration('retryInitial', '1s'), 1000);
  assert.equal(parseGoDuration('retryInitial', '1m30s'), 90_000);
  assert.equal(parseGoDuration('retryInitial', '250ms'), 250);
  assert.equal(parseGoDuration('retryInitial', '0'), 0);
  for (const v of ['', '1', 's', '1x', '1s ']) assert.throws(() => parseGoDuration('retryInitial', v), FlagValueError, v);
});

test('credentials in URLs are redacted, and their secret parts known for masking', () => {
  assert.equal(redactCredentials('fetch https://user:p%40ss@host/x.git failed'), 'fetch https://***@host/x.git failed');
  assert.equal(redactCredentials('ssh://git@host:22/x and http://tok@h/y'), 'ssh://***@host:22/x and http://***@h/y');
  assert.equal(redactCredentials('git@github.com:user/project.git'), 'git@github.com:user/project.git');
  assert.deepEqual(urlSecrets('https://user:p%40ss@host/x.git'), ['user:p%40ss', 'p%40ss', 'p@ss']);
  assert.deepEqual(urlSecrets('https://token@host/x.git'), ['token']);
  assert.deepEqual(urlSecrets('/local/repo'), []);
});

test('subdirectory: escapes are errors and nothing is touched', (t) => {
  const root = tmp(t);
  const output = join(root, 'output');
  const outside = join(root, 'outside');
  mkdirSync(output);
  mkdirSync(outside);
  writeFileSync(join(outside, 'precious'), 'keep');
  symlinkSync(outside, join(output, 'link'));
  mkdirSync(join(output, 'real'));
  symlinkSync(outside, join(output, 'real', 'deeper'));
  writeFileSync(join(output, 'file'), 'x');
  const cases: Array<[string, RegExp]> = [
    ['..', /"\.\." segment/],
    ['../..', /"\.\." segment/],
    ['a/../../b', /"\.\." segment/],
    ['/etc', /absolute path/],
    ['link', /symbolic link/],
    ['link/sub', /symbolic link/],
    ['real/deeper/x', /symbolic link/],
    ['file', /not a folder/],
    ['a\0b', /NUL/],
  ];
  for (const [sub, why] of cases) {
    assert.throws(() => resolveCheckoutDir(output, sub), (e: Error) => e instanceof PathEscapeError && why.test(e.message), sub);
  }
  assert.deepEqual(readdirSync(outside), ['precious']);
  assert.deepEqual(readdirSync(output).sort(), ['file', 'link', 'real']);
});

test('subdirectory: inside paths resolve, with the first folder to create', (t) => {
  const output = tmp(t);
  mkdirSync(join(output, 'a'));
  assert.deepEqual(resolveCheckoutDir(output, ''), { root: output, path: output, firstMissing: undefined });
  assert.deepEqual(resolveCheckoutDir(output, './a/'), { root: output, path: join(output, 'a'), firstMissing: undefined });
  assert.deepEqual(resolveCheckoutDir(output, 'a/b/c'), { root: output, path: join(output, 'a/b/c'), firstMissing: join(output, 'a/b') });
});

test('emptyDir removes everything inside, dotfiles too, keeps the folder and never follows symlinks', (t) => {
  const root = tmp(t);
  const dir = join(root, 'checkout');
  const outside = join(root, 'outside');
  mkdirSync(join(dir, 'sub'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'precious'), 'keep');
  for (const f of ['a', '.hidden', '..dots', 'sub/b']) writeFileSync(join(dir, f), f);
  symlinkSync(outside, join(dir, 'link'));
  assert.deepEqual(emptyDir(dir), []);
  assert.deepEqual(readdirSync(dir), []);
  assert.equal(readFileSync(join(outside, 'precious'), 'utf8'), 'keep');
  assert.deepEqual(emptyDir(join(root, 'missing')), []);
});

test('snapshot/restore removes what a failed clone created and restores rewritten .git files', (t) => {
  const root = tmp(t);
  writeFileSync(join(root, 'mine.txt'), 'mine');
  mkdirSync(join(root, '.git', 'info'), { recursive: true });
  writeFileSync(join(root, '.git', 'config'), 'old config');
  const restore = snapshot({ root, path: root, firstMissing: undefined });
  writeFileSync(join(root, '.git', 'config'), 'new config');
  writeFileSync(join(root, '.git', 'FETCH_HEAD'), 'x');
  writeFileSync(join(root, '.git', 'info', 'sparse-checkout'), 'y');
  writeFileSync(join(root, 'checked-out.txt'), 'z');
  restore();
  assert.deepEqual(readdirSync(root).sort(), ['.git', 'mine.txt']);
  assert.equal(readFileSync(join(root, '.git', 'config'), 'utf8'), 'old config');
  assert.equal(existsSync(join(root, '.git', 'FETCH_HEAD')), false);
  assert.equal(existsSync(join(root, '.git', 'info', 'sparse-checkout')), false);

  const created = join(root, 'new', 'deeper');
  const undo = snapshot({ root, path: created, firstMissing: join(root, 'new') });
  mkdirSync(join(created, '.git'), { recursive: true });
  undo();
  assert.equal(existsSync(join(root, 'new')), false);
});

test('basic-auth and ssh-directory are copied with the catalog modes', (t) => {
  const root = tmp(t);
  const home = join(root, 'home');
  const auth = join(root, 'auth');
  const ssh = join(root, 'ssh');
  mkdirSync(home);
  mkdirSync(auth);
  mkdirSync(join(ssh, 'keys'), { recursive: true });
  writeFileSync(join(auth, '.git-credentials'), 'https://u:p@host\n');
  writeFileSync(join(auth, '.gitconfig'), '[credential]\n\thelper = store\n');
  writeFileSync(join(auth, 'ignored'), 'x');
  writeFileSync(join(ssh, 'id_ed25519'), 'key');
  writeFileSync(join(ssh, 'keys', 'other'), 'key2');
  symlinkSync('id_ed25519', join(ssh, 'id_link'));

  copyBasicAuth(auth, home);
  copyBasicAuth(auth, home); // again over the 0400 copies, as a re-used home would have them
  assert.deepEqual(readdirSync(home).sort(), ['.git-credentials', '.gitconfig']);
  for (const f of ['.git-credentials', '.gitconfig']) assert.equal(statSync(join(home, f)).mode & 0o777, 0o400);

  const to = copySshDirectory(ssh, home);
  assert.equal(statSync(to).mode & 0o777, 0o700);
  assert.equal(statSync(join(to, 'id_ed25519')).mode & 0o777, 0o400);
  assert.equal(statSync(join(to, 'keys')).mode & 0o777, 0o700);
  assert.equal(statSync(join(to, 'keys', 'other')).mode & 0o777, 0o400);
  assert.equal(readFileSync(join(to, 'id_link'), 'utf8'), 'key');

  const empty = join(root, 'empty');
  mkdirSync(empty);
  assert.throws(() => copyBasicAuth(empty, home), (e: Error) => e instanceof CredentialsError && /no \.git-credentials/.test(e.message));
  assert.deepEqual(sslCaEnv('/ca', 'ca-bundle.crt'), { GIT_SSL_CAPATH: '/ca', GIT_SSL_CAINFO: '/ca/ca-bundle.crt' });
  assert.deepEqual(sslCaEnv('/ca', ''), { GIT_SSL_CAPATH: '/ca' });
});

test('ssh: keys in a HOME that is not the passwd home are pointed at; accept-new without known_hosts', (t) => {
  const home = tmp(t);
  assert.equal(sshCommand(home, home), 'ssh -o StrictHostKeyChecking=accept-new');
  mkdirSync(join(home, '.ssh'));
  writeFileSync(join(home, '.ssh', 'id_rsa'), 'k');
  writeFileSync(join(home, '.ssh', 'known_hosts'), 'h');
  assert.equal(sshCommand(home, home), undefined);
  assert.equal(
    sshCommand(home, '/home/nonroot'),
    `ssh -o UserKnownHostsFile=${join(home, '.ssh', 'known_hosts')} -o IdentityFile=${join(home, '.ssh', 'id_rsa')}`,
  );
  // git-init's URL vectors
  for (const u of ['git@github.com:user/project.git', 'ssh://host.xz/path', 'host.xz:/path']) assert.equal(isSshUrl(u), true, u);
  for (const u of ['git://host.xz/path', '/path/to/repo.git/', 'file://~/path/to/repo.git/', 'https://host.xz/x.git']) assert.equal(isSshUrl(u), false, u);
});

test('retries: exponential backoff capped at max, attempts counted, last error thrown', async () => {
  const policy = { maxAttempts: 3, initialMs: 1, maxMs: 3, factor: 2 };
  assert.deepEqual([0, 1, 2, 3].map((n) => backoffMs(policy, n)), [1, 2, 3, 3]);
  let calls = 0;
  const waits: number[] = [];
  await assert.rejects(
    withRetry(policy, async () => {
      calls++;
      throw new Error(`fail ${calls}`);
    }, (_e, wait) => waits.push(wait), () => 0.5),
    /fail 3/,
  );
  assert.equal(calls, 3);
  assert.deepEqual(waits, [1.25, 2.5]);
  calls = 0;
  assert.equal(await withRetry(policy, async () => (++calls < 2 ? Promise.reject(new Error('x')) : 'ok'), () => {}, () => 0), 'ok');
  assert.equal(calls, 2);
});

test('friendly errors: one hint by substring, reproduction commands, credentials redacted', () => {
  const e = new GitError(['fetch', 'origin', ''], 128, "fatal: Authentication failed for 'https://u:hunter2@host/x.git/'\n");
  assert.match(e.message, /git fetch origin '' failed with exit code 128/);
  const text = friendlyError(e, { url: 'https://u:hunter2@host/x.git', revision: 'main', depth: 1 });
  assert.doesNotMatch(text, /hunter2/);
  assert.match(text, /Hint: The remote rejected the credentials/);
  assert.match(text, /git remote add origin https:\/\/\*\*\*@host\/x.git/);
  assert.match(text, /git fetch --depth=1 origin main/);
  assert.match(hintFor("fatal: couldn't find remote ref nope") ?? '', /does not exist on the remote/);
  assert.match(hintFor("fatal: transport 'file' not allowed") ?? '', /file:\/\//);
  assert.equal(hintFor('something else entirely'), undefined);
});

test('termination message: merged into an existing array, 4096-byte limit', (t) => {
  const file = join(tmp(t), 'termination');
  writeFileSync(file, JSON.stringify([{ key: 'other', value: '1' }, { key: 'commit', value: 'old' }]));
  writeTerminationMessage(file, [
    { key: 'commit', value: 'abc' },
    { key: 'url', value: 'u' },
  ]);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), [
    { key: 'other', value: '1' },
    { key: 'commit', value: 'abc' },
    { key: 'url', value: 'u' },
  ]);
  assert.throws(() => writeTerminationMessage(file, [{ key: 'url', value: 'x'.repeat(5000) }]), /over the 4096-byte limit/);
});
