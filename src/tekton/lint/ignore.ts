// `# tektite-ignore` comments: a lint finding is dropped when its line ends with such a comment,
// or the line above holds nothing else. `# tektite-ignore: rule-a, rule-b` names the rules; a bare
// one covers every lint rule. The comment may be YAML's or, inside a script, the shell's. Tekton's
// own errors cannot be ignored: Tekton would reject the document all the same.
import type { Diagnostic } from '../diagnostics.js';
import { LINT_RULES } from './index.js';

const TRAILING = /#\s*tektite-ignore(?::\s*([a-z-]+(?:\s*,\s*[a-z-]+)*))?\s*$/;
const ALONE = /^\s*#\s*tektite-ignore(?::\s*([a-z-]+(?:\s*,\s*[a-z-]+)*))?\s*$/;

function covers(m: RegExpExecArray | null, rule: string): boolean {
  return !!m && (m[1] === undefined || m[1].split(',').some((r) => r.trim() === rule));
}

/** The findings of one file that no `# tektite-ignore` comment in `text` covers, and how many were dropped. */
export function dropIgnored(ds: readonly Diagnostic[], text: string): { kept: Diagnostic[]; ignored: number } {
  if (!text.includes('tektite-ignore')) return { kept: [...ds], ignored: 0 };
  const lines = text.split('\n');
  const kept = ds.filter((d) => {
    if (d.rule === undefined || !Object.hasOwn(LINT_RULES, d.rule) || d.pos === undefined) return true;
    const here = lines[d.pos.line - 1] ?? '';
    const above = d.pos.line >= 2 ? lines[d.pos.line - 2]! : '';
    return !covers(TRAILING.exec(here), d.rule) && !covers(ALONE.exec(above), d.rule);
  });
  return { kept, ignored: ds.length - kept.length };
}
