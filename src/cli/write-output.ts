// Writing a command's output file whole or not at all: a temp file beside it, then a rename.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes `text` to `file` (creating its folder) so a failure never leaves half a file. */
export async function writeOutput(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tektite-tmp-${process.pid}`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}
