// Streaming line reader and CSV field splitter for call records. PBXs write one record per line, so a line is the
// unit: a truncated row (an unterminated quote, a crash mid-write) is one bad line and never swallows the rows after
// it, as a general CSV parser would (csv-parse reads up to the next quote, across lines). Memory stays flat: one
// chunk and one partial line at a time, and a line longer than MAX_LINE is refused as it grows.
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

/** The longest line accepted: a CDR row is a few hundred characters; 64 KiB is generous and bounds memory. */
export const MAX_LINE = 65_536;

export interface LineSink {
  /** One line, without its end of line (LF or CRLF); `line` is 1-based. */
  line(text: string, line: number): void;
  /** A line longer than MAX_LINE: it is skipped whole. */
  tooLong(line: number, start: string): void;
  /** After each chunk: bytes read so far (for a progress indicator). May return a promise to wait on (backpressure). */
  chunk?(bytes: number): void | Promise<void>;
}

/** Reads `input` line by line; resolves with the number of lines once the stream ends. */
export async function readLines(input: Readable, sink: LineSink): Promise<number> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let lineNo = 0;
  let bytes = 0;
  // Set while skipping the rest of an over-long line.
  let skipping = false;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    let pos = 0;
    for (;;) {
      const nl = text.indexOf('\n', pos);
      if (nl < 0) break;
      lineNo++;
      if (skipping) skipping = false;
      else {
        let s = carry.length ? carry + text.slice(pos, nl) : text.slice(pos, nl);
        carry = '';
        if (s.length > MAX_LINE) sink.tooLong(lineNo, s.slice(0, 80));
        else {
          if (s.charCodeAt(s.length - 1) === 13) s = s.slice(0, -1);
          sink.line(s, lineNo);
        }
      }
      pos = nl + 1;
    }
    if (!skipping) {
      carry += text.slice(pos);
      if (carry.length > MAX_LINE) {
        sink.tooLong(lineNo + 1, carry.slice(0, 80));
        carry = '';
        skipping = true;
      }
    }
    const wait = sink.chunk?.(bytes);
    if (wait) await wait;
  }
  carry += decoder.end();
  if (carry.length && !skipping) {
    lineNo++;
    if (carry.charCodeAt(carry.length - 1) === 13) carry = carry.slice(0, -1);
    sink.line(carry, lineNo);
  } else if (skipping) lineNo++;
  return lineNo;
}

const SPACE = 32;

/**
 * Splits one line into fields, the way Asterisk and FreeSWITCH write them: a field is either quoted (the quote
 * character doubled inside: `"""Name"" <100>"`) or bare (numbers, and Asterisk's empty unset dates). Spaces around a
 * quoted field are ignored (FreeSWITCH's `, "${accountcode}"` templates). Fills `out`; returns why the line is not a
 * row, or undefined.
 */
export function splitFields(line: string, out: string[], sep = ',', quote = '"'): string | undefined {
  out.length = 0;
  const n = line.length;
  const sepCode = sep.charCodeAt(0);
  const quoteCode = quote.charCodeAt(0);
  let i = 0;
  for (;;) {
    let j = i;
    while (j < n && line.charCodeAt(j) === SPACE) j++;
    if (j < n && line.charCodeAt(j) === quoteCode) {
      let value = '';
      let seg = j + 1;
      let k = seg;
      for (;;) {
        const q = line.indexOf(quote, k);
        if (q < 0) return `field ${out.length + 1} opens a quote that is never closed (the row is cut short)`;
        if (line.charCodeAt(q + 1) === quoteCode) {
          value += line.slice(seg, q + 1);
          k = seg = q + 2;
          continue;
        }
        value += line.slice(seg, q);
        k = q + 1;
        break;
      }
      while (k < n && line.charCodeAt(k) === SPACE) k++;
      out.push(value);
      if (k >= n) return undefined;
      if (line.charCodeAt(k) !== sepCode) {
        return `unexpected ${JSON.stringify(line[k])} after the closing quote of field ${out.length}`;
      }
      i = k + 1;
    } else {
      const s = line.indexOf(sep, i);
      const raw = s < 0 ? line.slice(i) : line.slice(i, s);
      out.push(
        raw.length && (raw.charCodeAt(0) === SPACE || raw.charCodeAt(raw.length - 1) === SPACE) ? raw.trim() : raw,
      );
      if (s < 0) return undefined;
      i = s + 1;
    }
  }
}
