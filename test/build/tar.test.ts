// The deterministic tar writer, read back by GNU tar (an independent reader).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { listTar, packTar, type TarEntry } from '../../src/build/tar.js';

const longDir = `${'d'.repeat(120)}/${'e'.repeat(60)}`;
const entries: TarEntry[] = [
  { type: 'file', path: 'tektite/plugin.mjs', mode: 0o644, data: Buffer.from('console.log(1)\n') },
  { type: 'dir', path: 'tektite', mode: 0o755 },
  { type: 'symlink', path: 'tektite/node', target: '/nodejs/bin/node' },
  { type: 'file', path: `${longDir}/${'f'.repeat(120)}.txt`, mode: 0o600, data: Buffer.alloc(1000, 7) },
  { type: 'symlink', path: 'long-link', target: `/${'t'.repeat(150)}` },
  { type: 'file', path: 'ünïcode/名前.txt', mode: 0o644, data: Buffer.from('x') },
];

test('same entries in any order give the same bytes; time stamps are the given epoch', () => {
  const a = packTar(entries, 0);
  const b = packTar([...entries].reverse(), 0);
  assert.ok(a.equals(b));
  assert.ok(!a.equals(packTar(entries, 1700000000)));
  assert.throws(() => packTar([...entries, { type: 'dir', path: 'tektite/', mode: 0o755 }], 0), /duplicate entry tektite/);
});

test('GNU tar reads names (long ones through PAX), modes, owners, link targets and contents', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tektite-tar-'));
  try {
    const file = join(dir, 'layer.tar');
    writeFileSync(file, packTar(entries, 1700000000));
    const listing = execFileSync('tar', ['--numeric-owner', '--full-time', '-tvf', file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    assert.match(listing, /^drwxr-xr-x 0\/0 +0 2023-11-14 22:13:20 tektite\/$/m);
    assert.match(listing, /^-rw-r--r-- 0\/0 +15 2023-11-14 22:13:20 tektite\/plugin\.mjs$/m);
    assert.match(listing, /^lrwxrwxrwx 0\/0 +0 2023-11-14 22:13:20 tektite\/node -> \/nodejs\/bin\/node$/m);
    assert.ok(listing.includes(`-rw------- 0/0            1000 2023-11-14 22:13:20 ${longDir}/${'f'.repeat(120)}.txt`), listing);
    assert.ok(listing.includes(`long-link -> /${'t'.repeat(150)}`));
    assert.ok(listing.includes('ünïcode/名前.txt'));
    const content = execFileSync('tar', ['-xOf', file, 'tektite/plugin.mjs'], { encoding: 'utf8' });
    assert.equal(content, 'console.log(1)\n');
    const names = listTar(packTar(entries, 0)).map((e) => e.path);
    assert.deepEqual(names, [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
    assert.ok(names.includes(`${longDir}/${'f'.repeat(120)}.txt`));
    assert.equal(listTar(packTar(entries, 0)).find((e) => e.path === 'long-link')?.target, `/${'t'.repeat(150)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
