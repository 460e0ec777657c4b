// A stand-in for the image's /bin/sh: a link named `sh` to the host program that behaves like it
// (busybox ash for Alpine/busybox images, bash for UBI), so `#!/bin/sh` scripts meet the same
// dialect as on a cluster. Debian's dash stays for everything else.
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { SHELL_PROGRAMS, type ShellFamily } from './images.js';

/** The link lives in `scratch` (the run's scratch folder: a short path without spaces, fit for a `#!` line). */
export function shellStandIn(family: ShellFamily, scratch: string): string | undefined {
  if (family === 'host') return undefined;
  const program = SHELL_PROGRAMS[family].find((p) => existsSync(p));
  if (!program) return undefined;
  const dir = join(scratch, 'image-tools', family);
  const link = join(dir, 'sh');
  if (!existsSync(link)) {
    mkdirSync(dir, { recursive: true });
    symlinkSync(program, link);
  }
  return link;
}
