// Writing a command's output straight to file descriptors 1 and 2. process.stdout/stderr are
// streams whose first use loads node's stream machinery (~5 ms of a ~60 ms `tektite validate`);
// a command that prints once at the end does not need them.
import { writeSync } from 'node:fs';

/** Whether stdout's reader has gone (EPIPE): a command that runs on (`validate --watch`) can stop. */
export let outputClosed = false;

/**
 * Writes all of `text` to stdout (1) or stderr (2). A closed reader (EPIPE: `| head`) ends the
 * output quietly; a non-blocking descriptor that is full (EAGAIN) hands the rest to the stream.
 */
export function print(fd: 1 | 2, text: string): void {
  const buf = Buffer.from(text);
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') {
        if (fd === 1) outputClosed = true;
        return;
      }
      if (code !== 'EAGAIN') throw e;
      const stream = fd === 1 ? process.stdout : process.stderr;
      stream.on('error', () => {}); // a reader that stops later: the same quiet end as EPIPE above
      stream.write(buf.subarray(off));
      return;
    }
  }
}

/** Names for a one-line message: all of them, or the first three and how many more. */
export function fewOf(names: readonly string[]): string {
  return names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
}
