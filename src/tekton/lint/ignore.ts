// `# tektite-ignore` comments: a lint finding is dropped when its line ends with such a comment,
// or the line above holds nothing else and is not indented deeper than the finding's line.
// `# tektite-ignore: rule-a, rule-b` names the rules; a bare one covers every lint rule. The
// comment may be YAML's or, inside a script, the shell's. Tekton's own errors cannot be
// ignored: Tekton would reject the document all the same.
import type { Diagnostic } from '../diagnostics.js';
import { LINT_RULES } from './index.js';

const TRAILING = /#\s*tektite-ignore(?::\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*))?\s*$/;
const ALONE = /^( *)#\s*tektite-ignore(?::\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*))?\s*$/;

function covers(rules: string | undefined, rule: string): boolean {
  return rules === undefined || rules.split(',').some((r) => r.trim() === rule);
}

const indentOf = (line: string): number => line.length - line.trimStart().length;

/** The findings of one file that no `# tektite-ignore` comment in `text` covers, and how many were dropped. */
export function dropIgnored(ds: readonly Diagnostic[], text: string): { kept: Diagnostic[]; ignored: number } {
  if (!text.includes('tektite-ignore')) return { kept: [...ds], ignored: 0 };
  const lines = text.split('\n');
  const kept = ds.filter((d) => {
    if (d.rule === undefined || !Object.hasOwn(LINT_RULES, d.rule) || d.pos === undefined) return true;
    const here = lines[d.pos.line - 1] ?? '';
    const trailing = TRAILING.exec(here);
    if (trailing && covers(trailing[1], d.rule)) return false;
    // A comment line counts for the line below when it is not indented deeper: one indented
    // deeper is the last line of a block scalar (a script's own comment) above a YAML key.
    const alone = d.pos.line >= 2 ? ALONE.exec(lines[d.pos.line - 2]!) : null;
    return !(alone && alone[1]!.length <= indentOf(here) && covers(alone[2], d.rule));
  });
  return { kept, ignored: ds.length - kept.length };
}
