// The bytes a parsed value lies in, and how to cut text out of them. Parsers scan bytes (cheaper than string
// characters in V8) and record offsets; a value's strings are cut only when read: from the header section decoded
// once as Latin-1 when it is all ASCII (a slice), else decoded from the bytes as UTF-8.

import { isAscii } from 'node:buffer';
import { utf8 } from './bytes.js';

/** @internal Bytes under parse plus their text, if decoded. */
export class Src {
  constructor(
    /** The bytes (offsets used by parsers are indexes into it). */
    readonly b: Buffer,
    /** Text of `b[base..]` when it is all ASCII (one char per byte), else null. */
    readonly t: string | null,
    /** Offset in `b` of `t`'s first character. */
    readonly base: number,
  ) {}

  /** The text of bytes `[a, z)`. */
  text(a: number, z: number): string {
    const t = this.t;
    return t !== null ? t.slice(a - this.base, z - this.base) : utf8(this.b, a, z);
  }
}

/** @internal A source over a string (for the string entry points and edited values). */
export function srcOf(s: string): Src {
  const b = Buffer.from(s, 'utf8');
  return new Src(b, isAscii(b) ? s : null, 0);
}
