// Rewriting image paths (/tekton/..., /workspace, overlays) into host paths for the host executor.
// A path is rewritten only where it stands as a whole path: not inside a longer word or URL.

export class PathMap {
  private readonly entries: [string, string][];
  private readonly re: RegExp | undefined;

  constructor(map: ReadonlyMap<string, string>) {
    this.entries = [...map].sort((a, b) => b[0].length - a[0].length);
    if (this.entries.length) {
      const alts = this.entries.map(([p]) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
      this.re = new RegExp(`(^|[^A-Za-z0-9_.~/-])(${alts})(?=$|/|[^A-Za-z0-9_.-])`, 'g');
    }
  }

  /** Rewrites every whole-path occurrence of a mapped prefix inside `text`. */
  rewrite(text: string): string {
    if (!this.re) return text;
    return text.replace(this.re, (_m, before: string, path: string) => before + this.lookup(path));
  }

  /** The host path of an absolute image path (longest mapped prefix), or the path itself. */
  resolve(path: string): string {
    for (const [from, to] of this.entries) {
      if (path === from) return to;
      if (path.startsWith(`${from}/`)) return to + path.slice(from.length);
    }
    return path;
  }

  private lookup(path: string): string {
    return this.entries.find(([p]) => p === path)?.[1] ?? path;
  }
}
