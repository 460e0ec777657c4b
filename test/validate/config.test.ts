// `.tektiterc.yaml`: `tektite validate` run as a child process in a throwaway repository, its
// settings found from a subfolder, overridden from the command line, and refused when wrong.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tektiteBin } from '../helpers/paths.js';

/** A Task with one lint finding (an image without tag: `image-unpinned`) and no error. */
const UNPINNED = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: hello\nspec:\n  steps:\n    - name: say\n      image: alpine\n      script: echo hello\n';
/** A param with `enum`: an error unless the enable-param-enum feature flag is on. */
const ENUM = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: e\nspec:\n  params:\n    - name: env\n      enum: [dev, prod]\n  steps:\n    - name: s\n      image: alpine:3.20\n      args: [$(params.env)]\n      script: echo\n';
const BROKEN = 'apiVersion: tekton.dev/v1\nkind: Task\nspec:\n  steps: [\n';

let root: string;

function tektite(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [tektiteBin, 'validate', ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh repository (a `.git` folder ends the search for a config) holding `files`. */
function repo(name: string, files: Record<string, string>): string {
  const top = join(root, name);
  mkdirSync(join(top, '.git'), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(top, path, '..'), { recursive: true });
    writeFileSync(join(top, path), text);
  }
  return top;
}

before(() => {
  root = mkdtempSync(join(tmpdir(), 'tektite-config-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

test('found from a subfolder: rule levels apply, ignored folders are not read unless named, the config itself is not input', () => {
  const top = repo('found', {
    '.tektiterc.yaml': '# lint settings for this repository\nrules:\n  image-unpinned: off   # our registry has no tags\nignore:\n  - tekton/vendor\n',
    'tekton/task.yaml': UNPINNED,
    'tekton/vendor/broken.yaml': BROKEN,
    'tekton/.tektiterc.yaml': 'rules: {}\n', // a config in a walked folder is not a Tekton file
    'docs/readme.txt': '',
  });
  const sub = join(top, 'docs');
  let r = tektite(sub, ['-v', '../tekton']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'using ../.tektiterc.yaml\n1 file, 1 Tekton document: 0 errors, 0 warnings\n');

  // an ignored folder named on the command line is validated
  r = tektite(sub, ['../tekton/vendor']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^\.\.\/tekton\/vendor\/broken\.yaml:5:1: .+\[yaml-syntax\]\n$/);

  // --no-config: the defaults, every file
  r = tektite(sub, ['--no-config', '../tekton']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^2 files, 1 Tekton document: 1 error, 1 warning\n$/);
  assert.match(r.stdout, /warning: image "alpine" has no tag or digest/);
});

test('the command line wins over the config: --rule over rules, --max-warnings over max-warnings; strict applies', () => {
  const top = repo('override', {
    '.tektiterc.yaml': 'rules:\n  image-unpinned: error\nmax-warnings: 0\n',
    'task.yaml': UNPINNED,
  });
  let r = tektite(top, ['task.yaml']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^task\.yaml:8:14: image "alpine" has no tag or digest .*\[image-unpinned\]\n/);
  r = tektite(top, ['--rule', 'image-unpinned=warning', 'task.yaml']);
  assert.equal(r.code, 1, 'max-warnings 0 from the config');
  assert.match(r.stderr, /1 warning, more than max-warnings 0 in \.tektiterc\.yaml\n$/);
  r = tektite(top, ['--rule', 'image-unpinned=warning', '--max-warnings', '1', 'task.yaml']);
  assert.equal(r.code, 0, r.stderr);

  writeFileSync(join(top, '.tektiterc.json'), '{"strict": true}');
  r = tektite(top, ['--config', '.tektiterc.json', 'task.yaml']);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^task\.yaml:8:14: image "alpine"/);
  assert.doesNotMatch(r.stdout, /warning:/);
  r = tektite(top, ['--config', '.tektiterc.json', '--no-strict', '--max-warnings', '1', 'task.yaml']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^task\.yaml:8:14: warning: image "alpine"/);
});

test('feature flags: enable, api-fields, and a feature-flags file relative to the config', () => {
  const top = repo('flags', {
    'tekton/task.yaml': ENUM,
    'cluster/flags.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: feature-flags\ndata:\n  enable-param-enum: "true"\n',
  });
  const sub = join(top, 'tekton');
  assert.equal(tektite(sub, ['task.yaml']).code, 1, 'enum is refused by default');
  writeFileSync(join(top, '.tektiterc.yaml'), 'enable: [enable-param-enum]\n');
  assert.equal(tektite(sub, ['task.yaml']).code, 0);
  writeFileSync(join(top, '.tektiterc.yaml'), 'feature-flags: cluster/flags.yaml\n');
  const r = tektite(sub, ['task.yaml']);
  assert.equal(r.code, 0, r.stderr);
  // api-fields from the config, then from the command line
  writeFileSync(join(top, '.tektiterc.yaml'), 'enable: [enable-param-enum]\napi-fields: stable\n');
  writeFileSync(join(sub, 'alpha.yaml'), ENUM.replace('      script: echo\n', '      script: echo\n      stdoutConfig:\n        path: /tmp/out\n'));
  assert.equal(tektite(sub, ['alpha.yaml']).code, 1);
  assert.equal(tektite(sub, ['--api-fields', 'alpha', 'alpha.yaml']).code, 0);
});

test('the search for a config stops at the top of the git repository', () => {
  const outer = join(root, 'outer');
  mkdirSync(outer);
  writeFileSync(join(outer, '.tektiterc.yaml'), 'rules:\n  image-unpinned: off\n');
  mkdirSync(join(outer, 'inner', '.git'), { recursive: true });
  writeFileSync(join(outer, 'inner', 'task.yaml'), UNPINNED);
  const r = tektite(join(outer, 'inner'), ['-v', 'task.yaml']);
  assert.equal(r.code, 0);
  assert.equal(r.stderr, '1 file, 1 Tekton document: 0 errors, 1 warning\n');
});

test('a wrong config is bad usage (exit 2) with its place and what is wrong', () => {
  const top = repo('wrong', { 'task.yaml': UNPINNED });
  const cases: [string, string][] = [
    ['strict: true\nrulez: {}\n', '.tektiterc.yaml:2:1: rulez: unknown setting (known: strict, rules, max-warnings, api-fields, enable, feature-flags, ignore)'],
    ['rules:\n  image-unpinned: of\n', '.tektiterc.yaml:2:19: rules.image-unpinned: must be off, warning or error, not "of"'],
    ['rules:\n  image-unpin: off\n', '.tektiterc.yaml:2:3: rules.image-unpin: unknown lint rule (known: '],
    ['enable:\n  - enable-param-enum\n  - param-enum\n', '.tektiterc.yaml:3:5: enable[1]: unknown feature flag "param-enum" (known: enable-param-enum, '],
    ['max-warnings: -1\n', '.tektiterc.yaml:1:15: max-warnings: must be a whole number, not -1'],
    ['strict: "true"\n', '.tektiterc.yaml:1:9: strict: must be true or false, not "true"'],
    ['ignore: vendor\n', '.tektiterc.yaml:1:9: ignore: a list of paths that folder walks pass over (relative to the config\'s folder), not "vendor"'],
    ['- strict\n', '.tektiterc.yaml:1:1: a config is a map of settings (strict, rules, '],
    ['strict: true\n---\nstrict: false\n', '.tektiterc.yaml:3:1: a config file holds one document'],
    ['rules: [\n', '.tektiterc.yaml:2:1: '],
    ['feature-flags: nowhere.yaml\n', '.tektiterc.yaml:1:16: feature-flags: cannot read nowhere.yaml: no such file or directory'],
    ['feature-flags: .\n', '.tektiterc.yaml:1:16: feature-flags: cannot read .: is a directory'],
    ['strict: true\nstrict: false\n', '.tektiterc.yaml:2:1: key "strict" is already in this map (line 1)'],
    ['rules:\n  image-unpinned: on\n', '.tektiterc.yaml:2:19: rules.image-unpinned: must be off, warning or error, not true (a bare on or yes is the boolean true in YAML 1.1'],
  ];
  for (const [text, message] of cases) {
    writeFileSync(join(top, '.tektiterc.yaml'), text);
    const r = tektite(top, ['task.yaml']);
    assert.equal(r.code, 2, text);
    assert.ok(r.stderr.startsWith(`tektite: validate: config: ${message}`), `${text}\n${r.stderr}`);
    assert.equal(r.stdout, '');
  }
  // an empty config is all defaults
  writeFileSync(join(top, '.tektiterc.yaml'), '# nothing set yet\n');
  assert.equal(tektite(top, ['task.yaml']).code, 0);

  let r = tektite(top, ['--config', 'missing.yaml', 'task.yaml']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'tektite: validate: config: cannot read missing.yaml: no such file or directory\n');
  r = tektite(top, ['--config', '.tektiterc.yaml', '--no-config', 'task.yaml']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--config and --no-config exclude each other/);
  r = tektite(top, ['--config', '-', 'task.yaml']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'tektite: validate: --config takes a file, not - (stdin is for input)\n');
  mkdirSync(join(top, 'cfgdir'));
  r = tektite(top, ['--config', 'cfgdir', 'task.yaml']);
  assert.equal(r.stderr, 'tektite: validate: config: cannot read cfgdir: is a directory\n');
  // two config files in one folder: which one holds the settings?
  writeFileSync(join(top, '.tektiterc.json'), '{}');
  r = tektite(top, ['task.yaml']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'tektite: validate: config: .tektiterc.yaml and .tektiterc.json are both there: keep one\n');
});
