// What tektite knows about well-known step images without pulling them: which /bin/sh they ship
// and which interpreter paths their scripts use. Steps run the host's tools; this table makes the
// host's tools behave like the image's where the difference breaks real Tasks (dash vs ash `==`,
// UBI's /usr/libexec/platform-python).
import { existsSync } from 'node:fs';

export type ShellFamily = 'ash' | 'bash' | 'host';

interface Profile {
  match: RegExp;
  shell: ShellFamily;
  /** Image path -> host program that stands in for it. */
  interpreters?: Record<string, string[]>;
  /** The image's CMD, used when a step has neither command nor script nor args. */
  cmd: string[];
}

const PROFILES: Profile[] = [
  // Alpine- and busybox-based images: /bin/sh is busybox ash (the docker library `bash` image is Alpine-based).
  { match: /(^|\/)(alpine|busybox|bash)([:@]|$)|curlimages\/curl|-alpine|alpine\/|chainguard\/busybox/, shell: 'ash', cmd: ['sh'] },
  // Red Hat UBI / Fedora family: /bin/sh is bash, python lives at /usr/libexec/platform-python.
  {
    match: /registry\.access\.redhat\.com|(^|\/)(ubi\d*[-\w]*|fedora|centos|rockylinux)([:@/]|$)/,
    shell: 'bash',
    cmd: ['/bin/bash'],
    interpreters: { '/usr/libexec/platform-python': ['/usr/bin/python3', '/usr/local/bin/python3'] },
  },
  { match: /(^|\/)(ubuntu|debian|buildpack-deps)([:@]|$)/, shell: 'host', cmd: ['bash'] },
];

export interface ImageTools {
  shell: ShellFamily;
  /** Known CMD of the image, or undefined when tektite does not know the image. */
  cmd: string[] | undefined;
  /** Image path -> host file, for the executor's overlays. */
  overlays: Record<string, string>;
}

/** The shell family and stand-in programs for an image, resolved against this host's files. */
export function imageTools(image: string): ImageTools {
  const p = PROFILES.find((x) => x.match.test(image));
  const overlays: Record<string, string> = {};
  for (const [path, candidates] of Object.entries(p?.interpreters ?? {})) {
    const found = candidates.find((c) => existsSync(c));
    if (found) overlays[path] = found;
  }
  return { shell: p?.shell ?? 'host', cmd: p?.cmd, overlays };
}

/** Host programs that can act as each family's /bin/sh (invoked under the name `sh`). */
export const SHELL_PROGRAMS: Record<Exclude<ShellFamily, 'host'>, string[]> = {
  ash: ['/usr/bin/busybox', '/bin/busybox', '/usr/bin/bash', '/bin/bash'],
  bash: ['/usr/bin/bash', '/bin/bash'],
};
