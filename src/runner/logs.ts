// Step output: every chunk goes, unbuffered beyond one partial line, to the step's log file and to
// the console as `[step] line` (tkn's form). Back-pressure pauses the step's pipes, so a step
// printing gigabytes keeps the runner's memory flat.
import type { Readable, Writable } from 'node:stream';

const COLOURS = [36, 33, 32, 35, 34, 31];

export interface LogTarget {
  /** Where prefixed lines go (the console); undefined = nowhere. */
  console?: Writable;
  colour: boolean;
}

/** Copies one child stream into the log file and the console; resolves when the stream ends. */
export function pumpStream(src: Readable, file: Writable, target: LogTarget, stepName: string, stepIndex: number): Promise<void> {
  const prefix = target.colour
    ? Buffer.from(`\x1b[${COLOURS[stepIndex % COLOURS.length]}m[${stepName}]\x1b[0m `)
    : Buffer.from(`[${stepName}] `);
  let carry: Buffer = Buffer.alloc(0);
  let atLineStart = true;
  const out = target.console;
  return new Promise((resolve) => {
    // Wait for the slow side; a destroyed console (EPIPE: `| head`) must not stall the step.
    const waiting = new Set<Writable>();
    const waitFor = (w: Writable) => {
      if (w.destroyed || waiting.has(w)) return;
      waiting.add(w);
      src.pause();
      const go = () => {
        w.off('drain', go);
        w.off('close', go);
        waiting.delete(w);
        if (waiting.size === 0) src.resume();
      };
      w.once('drain', go);
      w.once('close', go);
    };
    const live = () => out !== undefined && !out.destroyed;
    src.on('data', (chunk: Buffer) => {
      if (!file.write(chunk)) waitFor(file);
      if (!out || !live()) return;
      const parts: Buffer[] = [];
      let start = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
        if (atLineStart) parts.push(prefix);
        parts.push(carry.length ? Buffer.concat([carry, chunk.subarray(start, nl + 1)]) : chunk.subarray(start, nl + 1));
        carry = Buffer.alloc(0);
        atLineStart = true;
        start = nl + 1;
      }
      if (start < chunk.length) carry = Buffer.concat([carry, chunk.subarray(start)]);
      // A very long line without newline: flush it rather than hold it.
      if (carry.length > 64 * 1024) {
        if (atLineStart) parts.push(prefix);
        parts.push(carry);
        carry = Buffer.alloc(0);
        atLineStart = false;
      }
      if (parts.length && live() && !out.write(Buffer.concat(parts))) waitFor(out);
    });
    src.on('end', () => {
      if (!live()) resolve();
      else if (out && carry.length) out.write(Buffer.concat([atLineStart ? prefix : Buffer.alloc(0), carry, Buffer.from('\n')]));
      else if (out && !atLineStart) out.write('\n');
      resolve();
    });
    src.on('error', () => resolve());
  });
}
