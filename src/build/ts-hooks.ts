// Node module hooks that run TypeScript sources directly (esbuild strips the types; no type
// check): `.ts` files load as ESM, and `./x.js` imports find `./x.ts` (the NodeNext convention).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

type Next<C, R> = (specifier: string, context: C) => Promise<R>;
interface ResolveResult {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}
interface LoadResult {
  format: string;
  source?: string | ArrayBuffer | Uint8Array | null;
  shortCircuit?: boolean;
}

export async function resolve(specifier: string, context: { parentURL?: string }, next: Next<{ parentURL?: string }, ResolveResult>): Promise<ResolveResult> {
  if (context.parentURL?.startsWith('file:') && /^\.{1,2}\/.*\.js$/.test(specifier)) {
    const ts = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (!existsSync(new URL(specifier, context.parentURL)) && existsSync(ts)) return { url: ts.href, format: 'module', shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url: string, context: { format?: string | null }, next: Next<{ format?: string | null }, LoadResult>): Promise<LoadResult> {
  if (!url.startsWith('file:') || !/\.m?ts$/.test(url)) return next(url, context);
  const { transform } = await import('esbuild');
  const file = fileURLToPath(url);
  const { code } = await transform(await readFile(file, 'utf8'), { loader: 'ts', format: 'esm', target: 'node20', sourcemap: 'inline', sourcefile: file });
  return { format: 'module', source: code, shortCircuit: true };
}
