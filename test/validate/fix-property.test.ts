// `validate --fix` must not change what a script does for ordinary values. Random scripts built
// from common shell forms, each holding param references in every kind of place, are run by the
// real shells before the fix (the values pasted in, as Tekton does) and after it (the values in
// env, as Kubernetes passes them); their output and exit code must be the same.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixScriptReferences } from '../../src/tekton/lint/fix-script-references.js';
import { loadText } from '../../src/tekton/load.js';

const CASES = 250;
const SHELLS = ['dash', 'bash'];

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tektite-fix-property-'));
  // something for unquoted globs to match, the same before and after
  for (const f of ['alpha.txt', 'beta.txt']) writeFileSync(join(dir, f), '');
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** mulberry32: a small seeded generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Ordinary values: words, spaces, paths, flags, globs; none of the shell's own syntax. */
const VALUES = ['x', 'hello world', 'a-b/c.d', '', '  two  spaces ', '1 2 3', '*.txt', '--flag=on', 'user@host:80', '50%', 'A_B+c,d'];

function script(rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const ref = () => pick(['$(params.a)', '$(params.b)', '$(params.a)', '$(inputs.params.b)']);
  // a word holding a reference, in one of the ways scripts write them
  const word = () =>
    pick([
      () => ref(),
      () => `"${ref()}"`,
      () => `'${ref()}'`,
      () => `"pre ${ref()} post"`,
      () => `'pre ${ref()} post'`,
      () => `pre${ref()}post`,
      () => `"${ref()}"_x`,
      () => `${ref()}.txt`,
      () => `"\${HOME:+${ref()}}"`,
      () => `\${UNSET:-${ref()}}`,
      () => `"$(echo ${ref()})"`,
      () => `$(echo "${ref()}")`,
      () => `\`echo ${ref()}\``,
    ])();
  const line = () =>
    pick([
      () => `echo ${word()} ${word()}`,
      () => `printf '[%s]' ${word()}; echo`,
      // quoted: unquoted, a value with spaces made the rest a command (what the fix is for)
      () => `v=${pick([`"${ref()}"`, `'${ref()}'`, `"pre ${ref()} post"`])}; echo "[$v]"`,
      () => `for w in ${word()}; do echo "<$w>"; done`,
      () => `case ${pick([`"${ref()}"`, `'${ref()}'`])} in x) echo is-x;; *) echo other;; esac`,
      () => `[ ${word()} = x ] && echo eq || echo ne`,
      () => `# a comment with ${ref()}`,
      () => `echo ${word()} # and ${ref()}`,
      () => `cat <<EOF\nbody ${ref()} end\n${ref()}\nEOF`,
      () => `cat <<'EOF'\nquoted ${ref()}\nEOF`,
      () => `f() { echo ${word()}; }; f`,
      () => `set -- ${word()}; echo "$#: $*"`,
      () => `echo "n=\${#UNSET}" ${word()} | tr a-z A-Z`,
      () => `echo {1,${ref()}} {1..3}${ref()} ~${ref()}`, // brace expansion (bash), a tilde prefix: left as they are
      () => `echo ${ref()}${ref()} "${ref()}${ref()}"`,
      () => `eval "echo ${ref()}"`,
      () => `sh -c 'echo ${ref()}'`,
      () => `x=1; echo $((x + 1)) ${word()}`,
    ])();
  return Array.from({ length: 1 + Math.floor(rnd() * 4) }, line).join('\n') + '\n';
}

function task(body: string): string {
  const indented = body.split('\n').map((l) => (l ? `        ${l}` : l)).join('\n');
  return `apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: t\nspec:\n  params:\n    - name: a\n    - name: b\n  steps:\n    - name: s\n      image: alpine:3.20\n      script: |\n${indented}`;
}

/** Tekton's substitution of the two params into a text. */
function substitute(text: string, a: string, b: string): string {
  return text.replace(/\$\((?:inputs\.)?params\.a\)/g, a).replace(/\$\((?:inputs\.)?params\.b\)/g, b);
}

function run(shell: string, code: string, env: Record<string, string>) {
  const r = spawnSync(shell, ['-c', code], { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/home/someone', ...env }, encoding: 'utf8', timeout: 10_000 });
  return `${r.status}\n${r.stdout}${r.stderr.replace(/^.*?: (line )?\d+: /gm, '')}`;
}

test(`${CASES} random scripts behave the same before and after --fix, under ${SHELLS.join(' and ')}`, () => {
  const rnd = random(20261204);
  let fixedScripts = 0;
  let occurrences = 0;
  for (let n = 0; n < CASES; n++) {
    const original = script(rnd);
    const a = VALUES[Math.floor(rnd() * VALUES.length)]!;
    const b = VALUES[Math.floor(rnd() * VALUES.length)]!;
    const r = fixScriptReferences(task(original), 'task.yaml', {});
    if (r.fixed === 0) continue;
    fixedScripts++;
    occurrences += r.fixed;
    const step = (loadText(r.text, 'task.yaml').docs[0]!.value as { spec: { steps: { script: string; env?: { name: string; value: string }[] }[] } }).spec.steps[0]!;
    const env = Object.fromEntries((step.env ?? []).map((e) => [e.name, substitute(e.value, a, b)]));
    for (const shell of SHELLS) {
      const before = run(shell, substitute(original, a, b), {});
      const after = run(shell, substitute(step.script, a, b), env);
      assert.equal(after, before, `case ${n} under ${shell}, a=${JSON.stringify(a)} b=${JSON.stringify(b)}\n--- script\n${original}--- fixed\n${step.script}`);
    }
  }
  // not vacuous: most scripts had something to fix
  assert.ok(fixedScripts > CASES / 2, `${fixedScripts} of ${CASES} scripts fixed`);
  assert.ok(occurrences > CASES, `${occurrences} references replaced`);
});
