// Rules about how a step's `script` gets run (§4.3).
// `sh-bashism`: a script without a shebang runs under Tekton's `#!/bin/sh` preamble (as does one
// starting `#!/bin/sh` or `#!/usr/bin/env sh`). Where /bin/sh is dash (Debian, Ubuntu images)
// bash-only syntax fails or silently misbehaves. Checked constructs: `[[ ]]`, `function name`,
// arrays (`a=(…)`, `${a[i]}`, `declare -a`), `source`, `<<<`, `&>`, `==` inside `[ ]`.
// Comments, quoted text and here-document bodies are not looked at.
// `script-shebang`: a first line that is an interpreter path without `#!` (it runs as a command
// under sh), or a `#!` that is not at the very start (Tekton treats it as a shebang, skips the
// preamble, and the kernel then refuses the file: exec format error).
import type { ContainerSite, Finding } from './finding.js';

const SH_SHEBANG = /^#!\s*(\/bin\/sh|\/usr\/bin\/env\s+sh|\/bin\/dash|\/usr\/bin\/sh)(\s|$)/;

interface Bashism {
  name: string;
  /** Text every match contains: the regex runs only on scripts that have it (most do not). */
  needs: readonly string[];
  test: RegExp;
  /**
   * Its matches hold no character that blanking can make (a space): whatever it finds in the code
   * it finds in the script too, so a script it does not match needs no blanking for it.
   */
  literal?: boolean;
}

// Applied to code with quotes, comments and here-doc bodies blanked out.
const BASHISMS: Bashism[] = [
  { name: '[[ … ]] test', needs: ['[['], test: /(^|[\s;&|(!])\[\[\s/ },
  { name: '`function` keyword', needs: ['function'], test: /(^|[;&|{(]\s*|\n\s*)function\s+[A-Za-z_][\w-]*/ },
  { name: 'array assignment', needs: ['=('], test: /(^|[\s;&|(])[A-Za-z_]\w*\+?=\(/ },
  { name: 'array expansion ${name[…]}', needs: ['${'], test: /\$\{#?[A-Za-z_]\w*\[/, literal: true },
  { name: '`declare`/`typeset` arrays', needs: ['declare', 'typeset', 'local'], test: /(^|[\s;&|])(declare|typeset|local)\s+-[a-zA-Z]*[aA]/ },
  { name: '`source` (POSIX sh has `.`)', needs: ['source'], test: /(^|[;&|(]\s*|\n\s*|\b(?:then|do|else)\s+)source\s+\S/ },
  { name: 'here-string <<<', needs: ['<<<'], test: /<<</ },
  { name: '&> redirection', needs: ['&>'], test: /(^|[^>&0-9])&>/ },
  { name: '== inside [ ]', needs: ['=='], test: /(^|[\s;&|(!])\[\s[^\]\n]*\s==\s[^\]\n]*\s\](?!\])/ },
];

// Where codeOnly may have something to blank or track; text between these is copied as is.
const SPECIAL = /[\\'"#<\n]/g;

/**
 * The script's code with quoted strings, comments and here-document bodies blanked (replaced by
 * spaces, newlines kept), so indexes into it are indexes into the script.
 */
export function codeOnly(script: string): string {
  let out = '';
  let copied = 0; // script[copied..i) is code not yet appended to out
  let i = 0;
  const heredocs: string[] = [];
  const emit = (text: string, next: number) => {
    out += script.slice(copied, i) + text;
    i = copied = next;
  };
  while (i < script.length) {
    SPECIAL.lastIndex = i;
    const m = SPECIAL.exec(script);
    if (!m) break;
    i = m.index;
    const c = script[i]!;
    if (c === '\\') {
      emit(i + 1 < script.length ? '  ' : ' ', i + 2);
      continue;
    }
    if (c === "'" || c === '"') {
      const end = findQuoteEnd(script, i);
      const inner = script.slice(i + 1, end);
      // Inside double quotes ${...} expansions are still code; everything else is text.
      const kept = c === '"' ? inner.replace(/\$\{[^}]*\}|[^$]+|\$/g, (x) => (x.startsWith('${') ? x : ' '.repeat(x.length))) : ' '.repeat(inner.length);
      emit(c + kept + (end < script.length ? c : ''), end + 1);
      continue;
    }
    if (c === '#' && (i === 0 || /[\s;&|(]/.test(script[i - 1]!))) {
      const eol = script.indexOf('\n', i);
      const end = eol === -1 ? script.length : eol;
      emit(' '.repeat(end - i), end);
      continue;
    }
    if (c === '<' && script.startsWith('<<', i) && script[i + 2] !== '<') {
      const h = /^<<-?\s*(['"]?)([A-Za-z_][\w-]*)\1/.exec(script.slice(i));
      if (h) {
        heredocs.push(h[2]!);
        emit(h[0], i + h[0].length);
        continue;
      }
    }
    if (c === '\n' && heredocs.length) {
      emit('\n', i + 1);
      // Skip each pending here-document body up to its terminator line.
      let blanked = '';
      while (heredocs.length) {
        const word = heredocs.shift()!;
        while (i < script.length) {
          const eol = script.indexOf('\n', i);
          const line = script.slice(i, eol === -1 ? script.length : eol);
          i = eol === -1 ? script.length : eol + 1;
          blanked += ' '.repeat(line.length) + (eol === -1 ? '' : '\n');
          if (line.trim() === word) break;
        }
      }
      out += blanked;
      copied = i;
      continue;
    }
    i++;
  }
  return out + script.slice(copied);
}

function findQuoteEnd(s: string, start: number): number {
  const q = s[start]!;
  let i = start + 1;
  while (i < s.length && s[i] !== q) {
    if (q === '"' && s[i] === '\\') i++;
    i++;
  }
  return i;
}

export function runsUnderSh(script: string): boolean {
  const trimmed = script.trim();
  if (!trimmed.startsWith('#!')) return true;
  return SH_SHEBANG.test(trimmed);
}

export function bashisms(script: string): string[] {
  return findBashisms(script).map((b) => b.name);
}

/** Each bash-only construct found, with the index of its first occurrence in the script. */
function findBashisms(script: string): { name: string; index: number }[] {
  if (!runsUnderSh(script)) return [];
  // codeOnly only blanks characters: a needle absent from the script cannot be in its code.
  if (!BASHISMS.some((b) => (b.literal ? b.test.test(script) : b.needs.some((n) => script.includes(n))))) return [];
  const code = codeOnly(script);
  const found: { name: string; index: number }[] = [];
  for (const b of BASHISMS) {
    if (!b.needs.some((n) => code.includes(n))) continue;
    const m = b.test.exec(code);
    if (m) found.push({ name: b.name, index: m.index + (m[1]?.length ?? 0) });
  }
  return found;
}

export function shellRules(site: ContainerSite): Finding[] {
  const script = (site.container as { script?: string }).script;
  if (!script) return [];
  const out: Finding[] = [];
  const path = `${site.path}.script`;
  const raw = [...site.raw, 'script'];
  const found = findBashisms(script);
  if (found.length) {
    const how = script.trim().startsWith('#!') ? 'its shebang is sh' : 'it has no shebang, so Tekton runs it with #!/bin/sh';
    out.push({
      rule: 'sh-bashism',
      message: `script uses bash-only syntax (${found.map((b) => b.name).join(', ')}) but ${how}; it fails where /bin/sh is dash`,
      path,
      raw,
      index: Math.min(...found.map((b) => b.index)),
      details: 'Start the script with #!/usr/bin/env bash (if the image has bash) or use POSIX sh syntax.',
    });
  }
  const firstLine = script.replace(/^\s*\n/, '').split('\n', 1)[0]!.trim();
  if (!script.trim().startsWith('#!') && /^\/(usr\/)?bin\/(env\s+)?[\w.-]+$/.test(firstLine)) {
    out.push({
      rule: 'script-shebang',
      message: `the first line "${firstLine}" looks like an interpreter but lacks #!: sh runs it as a command`,
      path,
      raw,
      index: script.indexOf(firstLine),
      details: `Write #!${firstLine}`,
    });
  } else if (script.trim().startsWith('#!') && !script.startsWith('#!')) {
    out.push({
      rule: 'script-shebang',
      message: 'the script has text before its #! line: Tekton adds no /bin/sh preamble and the kernel cannot run the file (exec format error)',
      path,
      raw,
      details: 'Make #! the very first two characters of the script.',
    });
  }
  return out;
}
