// Archives written byte by byte, for tests that need what no honest tool writes (a `..` entry, a link out, a bomb)
// and for packing fixtures without depending on a tar or zip binary.
import { deflateRawSync, gzipSync } from 'node:zlib';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export type ArchiveEntry =
  | { name: string; data: string | Buffer }
  | { name: string; dir: true }
  | { name: string; symlink: string }
  | { name: string; hardlink: string }
  | { name: string; type: string };

function octal(n: number, len: number): string {
  return n.toString(8).padStart(len - 1, '0') + '\0';
}

function tarHeader(name: string, size: number, type: string, link = ''): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(0o644, 8), 100, 'latin1');
  h.write(octal(0, 8), 108, 'latin1');
  h.write(octal(0, 8), 116, 'latin1');
  h.write(octal(size, 12), 124, 'latin1');
  h.write(octal(0, 12), 136, 'latin1');
  h.write('        ', 148, 'latin1');
  h.write(type, 156, 'latin1');
  h.write(link, 157, 100, 'utf8');
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148, 'latin1');
  return h;
}

function padded(data: Buffer): Buffer {
  const pad = (512 - (data.length % 512)) % 512;
  return Buffer.concat([data, Buffer.alloc(pad)]);
}

/** A ustar archive of the entries, in order (names over 100 bytes get a pax header). */
export function tar(entries: ArchiveEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    let name = e.name;
    if (Buffer.byteLength(name) > 99) {
      const rec = ` path=${name}\n`;
      let len = rec.length;
      len += String(len + String(len).length).length;
      const body = Buffer.from(`${len}${rec}`);
      parts.push(tarHeader('PaxHeader', body.length, 'x'), padded(body));
      name = 'long-name-in-pax';
    }
    if ('data' in e) {
      const data = Buffer.from(e.data);
      parts.push(tarHeader(name, data.length, '0'), padded(data));
    } else if ('dir' in e) parts.push(tarHeader(name.endsWith('/') ? name : `${name}/`, 0, '5'));
    else if ('symlink' in e) parts.push(tarHeader(name, 0, '2', e.symlink));
    else if ('hardlink' in e) parts.push(tarHeader(name, 0, '1', e.hardlink));
    else parts.push(tarHeader(name, 0, e.type));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export function tarGz(entries: ArchiveEntry[]): Buffer {
  return gzipSync(tar(entries));
}

function crc32(data: Buffer): number {
  let c = ~0;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

/** A zip archive (deflated files, Unix modes so links are links). */
export function zip(entries: ArchiveEntry[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const isDir = 'dir' in e;
    const name = Buffer.from(isDir && !e.name.endsWith('/') ? `${e.name}/` : e.name);
    const raw = 'data' in e ? Buffer.from(e.data) : 'symlink' in e ? Buffer.from(e.symlink) : Buffer.alloc(0);
    const comp = raw.length ? deflateRawSync(raw) : raw;
    const method = raw.length ? 8 : 0;
    const mode = isDir ? 0o040755 : 'symlink' in e ? 0o120777 : 0o100644;
    const crc = crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, comp);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE((3 << 8) | 20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x800, 8);
    c.writeUInt16LE(method, 10);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(comp.length, 20);
    c.writeUInt32LE(raw.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE((mode << 16) >>> 0, 38);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += 30 + name.length + comp.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The files under `dir` as entries named `prefix/…` (folders first, then their files, sorted). */
export function entriesOf(dir: string, prefix: string): ArchiveEntry[] {
  const out: ArchiveEntry[] = [{ name: prefix, dir: true }];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const inner = `${prefix}/${name}`;
    if (statSync(full).isDirectory()) out.push(...entriesOf(full, inner));
    else out.push({ name: inner, data: readFileSync(full) });
  }
  return out;
}
