// Where tektite is installed: the folder of its package.json. Found by walking up from this
// module, so it holds both for the compiled modules (dist/src/cli) and the CLI bundle (dist/cli).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface OwnPackage {
  name: string;
  version: string;
  devDependencies: Record<string, string>;
}

let found: { root: string; pkg: OwnPackage } | undefined;

function find(): { root: string; pkg: OwnPackage } {
  if (found) return found;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as OwnPackage;
      if (pkg.name === 'tektite') return (found = { root: dir, pkg });
    }
    if (dirname(dir) === dir) throw new Error(`tektite's package.json not found above ${fileURLToPath(import.meta.url)}`);
  }
}

/** The tektite installation's folder (no trailing slash). */
export const packageRoot = (): string => find().root;

/** tektite's own package.json. */
export const ownPackage = (): OwnPackage => find().pkg;
