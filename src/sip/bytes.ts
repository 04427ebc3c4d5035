// Fast byte-range decoding. Buffer's own latin1Slice/utf8Slice skip the argument normalisation of toString(), which
// matters when a message decodes a dozen short ranges; they exist on every Node Buffer but are not in the typings.

interface NativeSlices {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
  utf8Write(s: string, offset: number, length: number): number;
}

/** Decodes `buf[start..end)` as Latin-1 (one char per byte): for bytes known to be ASCII. */
export function latin1(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as NativeSlices).latin1Slice(start, end);
}

/** Decodes `buf[start..end)` as UTF-8 (invalid sequences become U+FFFD). */
export function utf8(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as NativeSlices).utf8Slice(start, end);
}

/** Where `detached` copies a value through. */
const scratch = Buffer.allocUnsafeSlow(2048);

/**
 * A copy of `s` that does not keep alive the text it was cut from, in one string of its own. Values read from a
 * message are slices of its decoded header section (V8 keeps the whole section for any slice of 13 characters or
 * more, and for any string concatenated from one): a value kept after the message is gone — a dialog's tags, a
 * transaction's key — would hold ~1 KB of text per message for as long as it lives. An ASCII value goes through
 * bytes and comes back as one flat string; a shorter one is already a copy; anything else is flattened from a fresh
 * concatenation and sliced (two strings, the second sharing the first's characters).
 */
export function detached(s: string): string {
  const n = s.length;
  if (n < 13) return s;
  // As many UTF-8 bytes as characters: every character is ASCII.
  if (n <= scratch.length && Buffer.byteLength(s, 'utf8') === n) {
    const b = scratch as unknown as NativeSlices;
    b.utf8Write(s, 0, n);
    return b.latin1Slice(0, n);
  }
  return (' ' + s).slice(1);
}

/**
 * `b` in memory of its own when it is a slice of a larger block (Node's 8 KB pool, which `Buffer.concat` and
 * `Buffer.from` fill): bytes kept for seconds — a transaction's last response, repeated for 32 s — would otherwise
 * keep the whole block alive, about 3.7 KB a lingering call. Returned as is when it already owns its memory.
 */
export function ownBytes(b: Buffer): Buffer {
  if (b.byteOffset === 0 && b.buffer.byteLength === b.length) return b;
  const own = Buffer.allocUnsafeSlow(b.length);
  b.copy(own);
  return own;
}
