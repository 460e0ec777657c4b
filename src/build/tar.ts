// A deterministic tar writer: the same entries always give the same bytes. Entries are sorted
// by path, owners are 0:0, names are empty, and every time stamp is the one given (ustar,
// with a PAX header only for paths too long for ustar's name/prefix split).

export type TarEntry =
  | { type: 'file'; path: string; mode: number; data: Buffer }
  | { type: 'dir'; path: string; mode: number }
  | { type: 'symlink'; path: string; target: string };

const BLOCK = 512;

/** The header of one entry whose body (for files) has `size` bytes. */
export function tarHeader(entry: TarEntry, size: number, mtime: number): Buffer {
  const name = entry.type === 'dir' ? `${trimSlashes(entry.path)}/` : trimSlashes(entry.path);
  const split = splitUstarName(name);
  const linkname = entry.type === 'symlink' ? entry.target : '';
  const needsPax = split === undefined || Buffer.byteLength(linkname) > 100;
  const header = ustarHeader({
    name: split?.name ?? name.slice(0, 99),
    prefix: split?.prefix ?? '',
    mode: entry.type === 'symlink' ? 0o777 : entry.mode,
    size: entry.type === 'file' ? size : 0,
    mtime,
    typeflag: entry.type === 'file' ? '0' : entry.type === 'dir' ? '5' : '2',
    linkname: needsPax ? linkname.slice(0, 99) : linkname,
  });
  if (!needsPax) return header;
  const records = paxRecord('path', name) + (entry.type === 'symlink' ? paxRecord('linkpath', linkname) : '');
  const body = Buffer.from(records, 'utf8');
  const paxHeader = ustarHeader({ name: 'PaxHeader', prefix: '', mode: 0o644, size: body.length, mtime, typeflag: 'x', linkname: '' });
  return Buffer.concat([paxHeader, body, tarPadding(body.length), header]);
}

/** Zero bytes that round a body of `size` bytes up to a whole block. */
export function tarPadding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** The two zero blocks that end an archive. */
export function tarEnd(): Buffer {
  return Buffer.alloc(2 * BLOCK);
}

/** A whole archive in memory: entries sorted by path, parents before children. */
export function packTar(entries: TarEntry[], mtime: number): Buffer {
  const parts: Buffer[] = [];
  for (const e of sortEntries(entries)) {
    const size = e.type === 'file' ? e.data.length : 0;
    parts.push(tarHeader(e, size, mtime));
    if (e.type === 'file') parts.push(e.data, tarPadding(size));
  }
  parts.push(tarEnd());
  return Buffer.concat(parts);
}

export function sortEntries(entries: TarEntry[]): TarEntry[] {
  const seen = new Set<string>();
  for (const e of entries) {
    const p = trimSlashes(e.path);
    if (seen.has(p)) throw new Error(`tar: duplicate entry ${p}`);
    seen.add(p);
  }
  return [...entries].sort((a, b) => compareBytes(trimSlashes(a.path), trimSlashes(b.path)));
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function trimSlashes(p: string): string {
  return p.replace(/^\/+|\/+$/g, '');
}

type UstarFields = { name: string; prefix: string; mode: number; size: number; mtime: number; typeflag: string; linkname: string };

function ustarHeader(f: UstarFields): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(f.name, 0, 100, 'utf8');
  writeOctal(h, f.mode & 0o7777, 100, 8);
  writeOctal(h, 0, 108, 8); // uid
  writeOctal(h, 0, 116, 8); // gid
  writeSize(h, f.size);
  writeOctal(h, f.mtime, 136, 12);
  h.fill(0x20, 148, 156); // checksum is computed with spaces in its own field
  h.write(f.typeflag, 156, 1, 'ascii');
  h.write(f.linkname, 157, 100, 'utf8');
  h.write('ustar\u0000', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  writeOctal(h, 0, 329, 8); // devmajor
  writeOctal(h, 0, 337, 8); // devminor
  h.write(f.prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return h;
}

function writeOctal(h: Buffer, value: number, offset: number, length: number): void {
  h.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'ascii');
}

// Sizes of 8 GiB and more do not fit 11 octal digits: GNU's base-256 form, which every reader takes.
function writeSize(h: Buffer, size: number): void {
  if (size < 0o77777777777) return writeOctal(h, size, 124, 12);
  h[124] = 0x80;
  let v = BigInt(size);
  for (let i = 135; i > 124; i--) {
    h[i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

function splitUstarName(name: string): { name: string; prefix: string } | undefined {
  if (Buffer.byteLength(name) <= 100) return { name, prefix: '' };
  for (let i = name.indexOf('/'); i !== -1; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest !== '') return { name: rest, prefix };
  }
  return undefined;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body);
  let total = len + String(len).length;
  if (String(total).length !== String(len).length) total = len + String(total).length;
  return `${total}${body}`;
}

/** Reads the entry names and link targets of an uncompressed tar (bodies are skipped). */
export function listTar(tar: Buffer): { path: string; type: string; target: string }[] {
  const out: { path: string; type: string; target: string }[] = [];
  let offset = 0;
  let paxPath: string | undefined;
  let paxLink: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const h = tar.subarray(offset, offset + BLOCK);
    if (h.every((b) => b === 0)) break;
    const size = readSize(h);
    const type = String.fromCharCode(h[156] || 0x30);
    const bodyStart = offset + BLOCK;
    offset = bodyStart + size + ((BLOCK - (size % BLOCK)) % BLOCK);
    if (type === 'x') {
      const pax = parsePax(tar.subarray(bodyStart, bodyStart + size).toString('utf8'));
      paxPath = pax.path;
      paxLink = pax.linkpath;
      continue;
    }
    if (type === 'L') {
      paxPath = cString(tar.subarray(bodyStart, bodyStart + size));
      continue;
    }
    const prefix = cString(h.subarray(345, 500));
    const name = cString(h.subarray(0, 100));
    const path = trimSlashes(paxPath ?? (prefix ? `${prefix}/${name}` : name)).replace(/^\.\//, '');
    out.push({ path, type, target: paxLink ?? cString(h.subarray(157, 257)) });
    paxPath = undefined;
    paxLink = undefined;
  }
  return out;
}

function readSize(h: Buffer): number {
  if ((h[124] ?? 0) & 0x80) {
    let v = 0n;
    for (let i = 125; i < 136; i++) v = (v << 8n) | BigInt(h[i] ?? 0);
    return Number(v);
  }
  return parseInt(cString(h.subarray(124, 136)).trim() || '0', 8);
}

function cString(b: Buffer): string {
  const end = b.indexOf(0);
  return b.subarray(0, end === -1 ? b.length : end).toString('utf8');
}

function parsePax(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\d+ ([^=]+)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}
