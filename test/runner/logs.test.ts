// Step output streaming: `[step] ` prefixes on line starts only, raw bytes to the log file,
// back-pressure, and a closed console that must not stall a step.
import assert from 'node:assert/strict';
import { PassThrough, Readable, Writable } from 'node:stream';
import { it } from 'node:test';
import { pumpStream } from '../../src/runner/logs.js';

const collect = () => {
  const chunks: Buffer[] = [];
  const w = new PassThrough();
  w.on('data', (c: Buffer) => chunks.push(c));
  return { w, text: () => Buffer.concat(chunks).toString('utf8') };
};

it('prefixes each line once, across chunk boundaries, and ends a last partial line', async () => {
  const file = collect();
  const con = collect();
  await pumpStream(Readable.from([Buffer.from('a\nb'), Buffer.from('c\n\nd')]), file.w, { console: con.w, colour: false }, 'st', 0);
  assert.equal(con.text(), '[st] a\n[st] bc\n[st] \n[st] d\n');
  assert.equal(file.text(), 'a\nbc\n\nd');
});

it('colours the prefix when asked', async () => {
  const con = collect();
  await pumpStream(Readable.from([Buffer.from('x\n')]), collect().w, { console: con.w, colour: true }, 'st', 1);
  assert.equal(con.text(), '\x1b[33m[st]\x1b[0m x\n');
});

it('keeps going when the console is closed (tektite run … | head)', async () => {
  const con = new Writable({ write: (_c, _e, cb) => cb(new Error('EPIPE')) });
  con.on('error', () => {});
  con.destroy();
  const file = collect();
  const big = Array.from({ length: 200 }, () => Buffer.alloc(64 * 1024, 0x61));
  await pumpStream(Readable.from(big), file.w, { console: con, colour: false }, 'st', 0);
  assert.equal(file.text().length, 200 * 64 * 1024);
});

it('pauses the step\'s pipe while the console is full, and resumes on drain', async () => {
  let release: (() => void) | undefined;
  const blocked = new Writable({ highWaterMark: 1, write: (_c, _e, cb) => (release = cb) });
  const src = new PassThrough();
  const done = pumpStream(src, collect().w, { console: blocked, colour: false }, 'st', 0);
  src.write('first line\n');
  await new Promise((r) => setImmediate(r));
  assert.equal(src.isPaused(), true, 'the pipe keeps flowing into a full console');
  release!();
  await new Promise((r) => setImmediate(r));
  assert.equal(src.isPaused(), false);
  src.end();
  await done;
});
