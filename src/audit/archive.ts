// Unpacks an uploaded PBX configuration archive (.tar.gz, .tar or .zip of /etc/asterisk or /etc/freeswitch) into a
// folder the audit can read, safely: an entry that climbs out (`..`), a name that is not a plain path, too many
// entries or too many bytes refuse the archive while it is read (a gzip or zip bomb stops at the limit, not after).
// Nothing but folders and regular files is ever created: a link whose target is a file of the archive becomes a copy
// of it (FreePBX dumps link their generated files), any other link, device or FIFO is skipped with a note. Node's
// zlib inflates; the tar and zip structures are read here (small formats, and only their plain-file subset is needed).
import { createGunzip, inflateRawSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TollguardError } from '../errors.js';

export interface UnpackLimits {
  /** Entries of any kind (files, folders, links). */
  maxEntries: number;
  /** Bytes of all files together, once unpacked. */
  maxTotalBytes: number;
  /** Bytes of one file. */
  maxFileBytes: number;
  /** Folders deep. */
  maxDepth: number;
}

export const DEFAULT_UNPACK_LIMITS: UnpackLimits = {
  maxEntries: 10_000,
  maxTotalBytes: 100 * 1024 * 1024,
  maxFileBytes: 16 * 1024 * 1024,
  maxDepth: 32,
};

export type ArchiveFormat = 'tar.gz' | 'tar' | 'zip';

export interface Unpacked {
  format: ArchiveFormat;
  /** Regular files written (link copies included) and their bytes. */
  files: number;
  bytes: number;
  /** Entries not unpacked, and why (the first 50; `skippedCount` counts them all). */
  skipped: Array<{ name: string; why: string }>;
  skippedCount: number;
}

const MAX_SKIPPED_LISTED = 50;
/** Longest pax or GNU long-name record read (they only carry names). */
const MAX_META_BYTES = 64 * 1024;
/** Links followed to reach a file (a link to a link…). */
const MAX_LINK_HOPS = 8;

function bad(message: string): TollguardError {
  return new TollguardError('TG_ERR_ARCHIVE', message);
}

function tooLarge(message: string): TollguardError {
  return new TollguardError('TG_ERR_TOO_LARGE', message);
}

/** What the archive is, from its first bytes. */
export function archiveFormat(data: Buffer): ArchiveFormat | undefined {
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) return 'tar.gz';
  if (data.length >= 4 && data.readUInt32LE(0) === 0x04034b50) return 'zip';
  if (data.length >= 22 && data.readUInt32LE(0) === 0x06054b50) return 'zip'; // an empty zip
  if (data.length >= 512 && data.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  return undefined;
}

/**
 * The entry's path inside the archive as plain segments joined by `/`, or undefined for the archive's own root
 * (`./`). Leading slashes are dropped as tar drops them; `..`, a drive letter or a NUL refuse the archive.
 */
export function safeEntryName(raw: string, maxDepth: number): string | undefined {
  if (raw.includes('\0')) throw bad(`entry ${JSON.stringify(raw.replace(/\0/g, '\\0'))}: a NUL in its name`);
  const name = raw.replace(/\\/g, '/');
  if (/^[A-Za-z]:/.test(name)) throw bad(`entry ${JSON.stringify(raw)}: a drive letter in its name`);
  const segments = name.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw bad(`entry ${JSON.stringify(raw)} climbs out of the archive (..)`);
  if (segments.length === 0) return undefined;
  if (segments.length > maxDepth) throw bad(`entry ${JSON.stringify(raw)} is more than ${maxDepth} folders deep`);
  if (segments.some((s) => Buffer.byteLength(s) > 255)) throw bad(`entry ${JSON.stringify(raw)}: a name too long`);
  return segments.join('/');
}

type Entry =
  | { kind: 'file'; name: string; data: Buffer }
  | { kind: 'dir'; name: string }
  | { kind: 'symlink'; name: string; target: string }
  | { kind: 'hardlink'; name: string; target: string }
  | { kind: 'other'; name: string; why: string };

/** Writes entries under `root`, counting against the limits; links are resolved once every file is written. */
class SafeTree {
  private entries = 0;
  files = 0;
  bytes = 0;
  readonly skipped: Array<{ name: string; why: string }> = [];
  skippedCount = 0;
  /** Archive path → kind, of what was written. */
  private readonly written = new Map<string, 'file' | 'dir'>();
  private readonly links: Array<{ name: string; target: string; hard: boolean }> = [];

  constructor(
    private readonly root: string,
    private readonly limits: UnpackLimits,
  ) {}

  skip(name: string, why: string): void {
    this.skippedCount++;
    if (this.skipped.length < MAX_SKIPPED_LISTED) this.skipped.push({ name, why });
  }

  /** Counts an entry and its bytes before anything is written or inflated further. */
  reserve(bytes: number, name: string): void {
    if (++this.entries > this.limits.maxEntries) {
      throw tooLarge(`the archive holds more than ${this.limits.maxEntries} entries`);
    }
    if (bytes > this.limits.maxFileBytes) {
      throw tooLarge(`${name} is larger than ${this.limits.maxFileBytes} bytes`);
    }
    if (this.bytes + bytes > this.limits.maxTotalBytes) {
      throw tooLarge(`the archive unpacks to more than ${this.limits.maxTotalBytes} bytes`);
    }
  }

  /** Bytes one more file may hold (for an inflater's output limit). */
  room(): number {
    return Math.min(this.limits.maxFileBytes, this.limits.maxTotalBytes - this.bytes);
  }

  add(e: Entry, rawName: string): void {
    if (e.kind === 'other') return this.skip(rawName, e.why);
    if (e.kind === 'symlink' || e.kind === 'hardlink') {
      this.reserve(0, e.name);
      this.links.push({ name: e.name, target: e.target, hard: e.kind === 'hardlink' });
      return;
    }
    if (e.kind === 'dir') {
      this.reserve(0, e.name);
      this.mkdir(e.name);
      return;
    }
    this.reserve(e.data.length, e.name);
    this.writeFile(e.name, e.data);
  }

  private abs(name: string): string {
    const p = path.join(this.root, ...name.split('/'));
    if (!p.startsWith(this.root + path.sep)) throw bad(`entry ${name} climbs out of the archive`);
    return p;
  }

  private mkdir(name: string): void {
    if (this.written.get(name) === 'file') throw bad(`${name} is both a file and a folder in the archive`);
    try {
      mkdirSync(this.abs(name), { recursive: true, mode: 0o700 });
    } catch (err) {
      throw bad(`${name}: cannot be made a folder (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    this.written.set(name, 'dir');
  }

  private writeFile(name: string, data: Buffer): void {
    if (this.written.get(name) === 'dir') throw bad(`${name} is both a folder and a file in the archive`);
    const slash = name.lastIndexOf('/');
    if (slash > 0) this.mkdir(name.slice(0, slash));
    try {
      // Never a link on the way (none is ever made), so this writes where it says; a later entry of the same name
      // replaces it, as tar does.
      writeFileSync(this.abs(name), data, { mode: 0o600 });
    } catch (err) {
      throw bad(`${name}: cannot be written (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (!this.written.has(name)) this.files++;
    this.written.set(name, 'file');
    this.bytes += data.length;
  }

  /** Links whose target is a file of the archive become copies of it; the others are skipped. */
  finish(): void {
    const byName = new Map(this.links.map((l) => [l.name, l]));
    for (const l of this.links) {
      if (this.written.has(l.name)) {
        this.skip(l.name, 'a link where the archive already holds a file or folder');
        continue;
      }
      let target: string | undefined;
      let at: { name: string; target: string; hard: boolean } | undefined = l;
      for (let hop = 0; at && hop < MAX_LINK_HOPS; hop++) {
        target = linkTarget(at, this.limits.maxDepth);
        at = target === undefined || this.written.has(target) ? undefined : byName.get(target);
      }
      if (at) {
        this.skip(l.name, `a chain of more than ${MAX_LINK_HOPS} links`);
        continue;
      }
      const kind = target === undefined ? undefined : this.written.get(target);
      if (kind !== 'file') {
        this.skip(
          l.name,
          kind === 'dir'
            ? `a link to the folder ${target}, not followed (archive with tar -h to include it)`
            : `a link to ${l.target}, outside the archive (archive with tar -h to include the file)`,
        );
        continue;
      }
      const data = readFileSync(this.abs(target!));
      this.reserve(data.length, l.name);
      this.writeFile(l.name, data);
    }
  }
}

/** Where a link points, as an archive path; undefined when outside the archive. */
function linkTarget(l: { name: string; target: string; hard: boolean }, maxDepth: number): string | undefined {
  let t = l.target.replace(/\\/g, '/');
  if (t.includes('\0')) return undefined;
  // A hard link names an archive path; an absolute symlink names the system's path, which the archive holds when it
  // was made with full names (tar -czf x.tgz /etc/asterisk keeps etc/asterisk/…).
  if (!l.hard && !t.startsWith('/')) {
    const dir = l.name.includes('/') ? l.name.slice(0, l.name.lastIndexOf('/')) : '';
    t = path.posix.normalize(`${dir}/${t}`);
    if (t.startsWith('../') || t === '..') return undefined;
  }
  try {
    return safeEntryName(t, maxDepth);
  } catch {
    return undefined;
  }
}

// --- tar -------------------------------------------------------------------------------------------------------

function tarString(h: Buffer, start: number, len: number): string {
  const b = h.subarray(start, start + len);
  const nul = b.indexOf(0);
  return (nul < 0 ? b : b.subarray(0, nul)).toString('utf8');
}

function tarNumber(h: Buffer, start: number, len: number, what: string): number {
  const b = h.subarray(start, start + len);
  if (b[0]! & 0x80) {
    // base-256 (GNU, for sizes over 8 GiB): far over any limit
    let n = b[0]! & 0x7f;
    for (let i = 1; i < b.length; i++) n = n * 256 + b[i]!;
    return n;
  }
  const text = tarString(h, start, len).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw bad(`not a tar archive (${what} ${JSON.stringify(text)})`);
  return parseInt(text, 8);
}

function checksumOk(h: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  return tarNumber(h, 148, 8, 'checksum') === sum;
}

/** pax extended header records: `LEN key=value\n`. */
function paxRecords(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let off = 0;
  while (off < data.length) {
    const sp = data.indexOf(0x20, off);
    if (sp < 0) break;
    const len = parseInt(data.subarray(off, sp).toString('latin1'), 10);
    if (!(len > 0) || off + len > data.length) break;
    const rec = data.subarray(sp + 1, off + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    off += len;
  }
  return out;
}

/** Reads a tar stream chunk by chunk, handing each entry to `sink` as soon as it is whole. */
class TarReader {
  private head: Buffer = Buffer.alloc(0);
  private data?: {
    type: string;
    name: string;
    linkname: string;
    size: number;
    got: number;
    keep: boolean;
    chunks: Buffer[];
  };
  private pad = 0;
  private done = false;
  private count = 0;
  /** Name and link name given by a pax or GNU long-name entry, for the next entry. */
  private nextName?: string;
  private nextLink?: string;

  constructor(
    private readonly tree: SafeTree,
    private readonly limits: UnpackLimits,
  ) {}

  feed(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length && !this.done) {
      if (this.pad > 0) {
        const n = Math.min(this.pad, chunk.length - off);
        this.pad -= n;
        off += n;
        continue;
      }
      if (this.data) {
        const d = this.data;
        const n = Math.min(d.size - d.got, chunk.length - off);
        if (d.keep) d.chunks.push(chunk.subarray(off, off + n));
        d.got += n;
        off += n;
        if (d.got === d.size) this.entryDone();
        continue;
      }
      const n = Math.min(512 - this.head.length, chunk.length - off);
      this.head =
        this.head.length === 0
          ? chunk.subarray(off, off + n)
          : Buffer.concat([this.head, chunk.subarray(off, off + n)]);
      off += n;
      if (this.head.length === 512) {
        const h = Buffer.from(this.head);
        this.head = Buffer.alloc(0);
        this.header(h);
      }
    }
  }

  end(): void {
    if (this.done) return;
    if (this.data || this.head.length > 0) throw bad('the tar archive is cut short');
    if (this.count === 0) throw bad('not a tar archive (no entry)');
  }

  private header(h: Buffer): void {
    if (h.every((b) => b === 0)) {
      this.done = true; // the end-of-archive blocks
      return;
    }
    if (!checksumOk(h)) throw bad(`not a tar archive (bad header checksum at entry ${this.count + 1})`);
    this.count++;
    // POSIX ustar keeps a name prefix at 345; old GNU headers (`ustar  `) keep times there.
    const prefix = h.subarray(257, 263).toString('latin1') === 'ustar\0' ? tarString(h, 345, 155) : '';
    const base = tarString(h, 0, 100);
    const type = String.fromCharCode(h[156]!) || '0';
    const size = tarNumber(h, 124, 12, 'size');
    const name = this.nextName ?? (prefix ? `${prefix}/${base}` : base);
    const linkname = this.nextLink ?? tarString(h, 157, 100);
    const meta = type === 'x' || type === 'L' || type === 'K';
    if (!meta && type !== 'g') {
      this.nextName = undefined;
      this.nextLink = undefined;
    }
    const file = type === '0' || type === '\0' || type === '7';
    if (meta && size > MAX_META_BYTES) throw bad(`a tar ${type} header of ${size} bytes`);
    if (file && size > this.limits.maxFileBytes)
      throw tooLarge(`${name} is larger than ${this.limits.maxFileBytes} bytes`);
    this.data = { type, name, linkname, size, got: 0, keep: file || meta, chunks: [] };
    if (size === 0) this.entryDone();
  }

  private entryDone(): void {
    const d = this.data!;
    this.data = undefined;
    this.pad = (512 - (d.size % 512)) % 512;
    const body = d.keep ? Buffer.concat(d.chunks) : Buffer.alloc(0);
    if (d.type === 'x') {
      const rec = paxRecords(body);
      if (rec.has('path')) this.nextName = rec.get('path');
      if (rec.has('linkpath')) this.nextLink = rec.get('linkpath');
      return;
    }
    if (d.type === 'L' || d.type === 'K') {
      const nul = body.indexOf(0);
      const text = (nul < 0 ? body : body.subarray(0, nul)).toString('utf8');
      if (d.type === 'L') this.nextName = text;
      else this.nextLink = text;
      return;
    }
    if (d.type === 'g') return;
    const name = safeEntryName(d.name, this.limits.maxDepth);
    if (name === undefined) return;
    switch (d.type) {
      case '0':
      case '\0':
      case '7':
        return this.tree.add({ kind: 'file', name, data: body }, d.name);
      case '5':
        return this.tree.add({ kind: 'dir', name }, d.name);
      case '1':
        return this.tree.add({ kind: 'hardlink', name, target: d.linkname }, d.name);
      case '2':
        return this.tree.add({ kind: 'symlink', name, target: d.linkname }, d.name);
      default:
        return this.tree.add({ kind: 'other', name, why: `a tar entry of type ${JSON.stringify(d.type)}` }, d.name);
    }
  }
}

async function unpackTar(data: Buffer, gzipped: boolean, tree: SafeTree, limits: UnpackLimits): Promise<void> {
  const reader = new TarReader(tree, limits);
  if (!gzipped) {
    reader.feed(data);
    reader.end();
    return;
  }
  const gunzip = createGunzip();
  const input = Readable.from([data]).pipe(gunzip);
  // The tar stream is at most the files, a 512-byte header each and their padding: a bomb stops here.
  const maxTar = limits.maxTotalBytes + (limits.maxEntries + 2) * 1024 + 2 * 512;
  let seen = 0;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      seen += chunk.length;
      if (seen > maxTar) throw tooLarge(`the archive unpacks to more than ${limits.maxTotalBytes} bytes`);
      reader.feed(chunk);
    }
  } catch (err) {
    input.destroy();
    if (err instanceof TollguardError) throw err;
    throw bad(`the gzip data cannot be read: ${(err as Error).message}`);
  }
  reader.end();
}

// --- zip -------------------------------------------------------------------------------------------------------

function unpackZip(data: Buffer, tree: SafeTree, limits: UnpackLimits): void {
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (data.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad('not a zip archive (no central directory)');
  const total = data.readUInt16LE(eocd + 10);
  const cdSize = data.readUInt32LE(eocd + 12);
  const cdOffset = data.readUInt32LE(eocd + 16);
  if (total === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) {
    throw bad('ZIP64 archives are not read; send a .tar.gz');
  }
  if (data.readUInt16LE(eocd + 4) !== 0 || data.readUInt16LE(eocd + 6) !== 0) throw bad('a zip split over disks');
  if (cdOffset + cdSize > eocd) throw bad('not a zip archive (its directory lies outside it)');
  if (total > limits.maxEntries) throw tooLarge(`the archive holds more than ${limits.maxEntries} entries`);
  let off = cdOffset;
  for (let i = 0; i < total; i++) {
    if (off + 46 > eocd || data.readUInt32LE(off) !== 0x02014b50) throw bad(`zip directory entry ${i + 1} is broken`);
    const madeBy = data.readUInt16LE(off + 4) >> 8;
    const flags = data.readUInt16LE(off + 8);
    const method = data.readUInt16LE(off + 10);
    const compSize = data.readUInt32LE(off + 20);
    const size = data.readUInt32LE(off + 24);
    const nameLen = data.readUInt16LE(off + 28);
    const extraLen = data.readUInt16LE(off + 30);
    const commentLen = data.readUInt16LE(off + 32);
    const attrs = data.readUInt32LE(off + 38);
    const local = data.readUInt32LE(off + 42);
    const rawName = data.subarray(off + 46, off + 46 + nameLen).toString(flags & 0x800 ? 'utf8' : 'latin1');
    off += 46 + nameLen + extraLen + commentLen;
    const name = safeEntryName(rawName, limits.maxDepth);
    if (name === undefined) continue;
    // Unix hosts keep the file's mode in the high half of the external attributes.
    const mode = madeBy === 3 ? (attrs >>> 16) & 0o170000 : 0;
    const isDir = rawName.endsWith('/') || mode === 0o040000 || (madeBy !== 3 && (attrs & 0x10) !== 0);
    if (isDir) {
      tree.add({ kind: 'dir', name }, rawName);
      continue;
    }
    if (mode !== 0 && mode !== 0o100000 && mode !== 0o120000) {
      tree.add({ kind: 'other', name, why: 'a zip entry that is not a file, folder or link' }, rawName);
      continue;
    }
    if (flags & 0x1) {
      tree.add({ kind: 'other', name, why: 'encrypted' }, rawName);
      continue;
    }
    if (method !== 0 && method !== 8) {
      tree.add({ kind: 'other', name, why: `compression method ${method} is not read` }, rawName);
      continue;
    }
    if (size > limits.maxFileBytes) throw tooLarge(`${name} is larger than ${limits.maxFileBytes} bytes`);
    if (local + 30 > data.length || data.readUInt32LE(local) !== 0x04034b50) throw bad(`${rawName}: no local header`);
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    if (start + compSize > data.length) throw bad(`${rawName}: its data lies outside the archive`);
    const raw = data.subarray(start, start + compSize);
    let body: Buffer;
    if (method === 0) body = raw;
    else {
      // The declared size may lie: the inflater stops at what the limits leave.
      const room = tree.room();
      try {
        body = inflateRawSync(raw, { maxOutputLength: Math.max(1, room + 1) });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
          throw tooLarge(`${name} unpacks to more than ${room} bytes`);
        }
        throw bad(`${rawName}: cannot be inflated (${(err as Error).message})`);
      }
      if (body.length > room) throw tooLarge(`${name} unpacks to more than ${room} bytes`);
    }
    if (mode === 0o120000) {
      tree.add({ kind: 'symlink', name, target: body.toString('utf8') }, rawName);
      continue;
    }
    tree.add({ kind: 'file', name, data: body }, rawName);
  }
}

/**
 * Unpacks `data` into the folder `into` (which must exist and be empty, e.g. from mkdtemp). Throws a
 * `TG_ERR_ARCHIVE` error for an archive that is not one or is unsafe, `TG_ERR_TOO_LARGE` past a limit; the caller
 * removes the folder either way.
 */
export async function unpackArchive(
  data: Buffer,
  into: string,
  limits: UnpackLimits = DEFAULT_UNPACK_LIMITS,
): Promise<Unpacked> {
  const format = archiveFormat(data);
  if (!format) throw bad('not a .tar.gz, .tar or .zip archive');
  const root = path.resolve(into);
  if (!statSync(root).isDirectory()) throw new Error(`${root} is not a folder`);
  const tree = new SafeTree(root, limits);
  if (format === 'zip') unpackZip(data, tree, limits);
  else await unpackTar(data, format === 'tar.gz', tree, limits);
  tree.finish();
  return { format, files: tree.files, bytes: tree.bytes, skipped: tree.skipped, skippedCount: tree.skippedCount };
}
