// Cuts a TCP/TLS byte stream into SIP messages, without sockets: feed it chunks as they arrive, it returns complete
// messages, keep-alives and at most one fatal error. Limits hold while buffering: a header block that never ends
// stops at maxMessageSize, a line that never ends at maxLineLength, a Content-Length over the body limit at once.

import { CR, HT, LF, SP, TOKEN } from './chars.js';
import { type SipErrorCode, type SipParseError, sipError } from './errors.js';
import { DEFAULT_LIMITS, type SipLimits, resolveLimits } from './limits.js';
import { salvage } from './parse.js';

/** What `SipStreamFramer.push` yields. */
export type FrameEvent =
  /** One complete message (start line to end of body): parse it with `parseMessage(data, { transport: 'tcp' })`. */
  | { type: 'message'; data: Buffer }
  /** A "\r\n\r\n" keep-alive ping (RFC 5626 §4.4.1): answer with a single "\r\n". Consecutive pings yield one event. */
  | { type: 'ping' }
  /** A lone "\r\n": the pong answering our own ping (RFC 5626 §4.4.1); nothing to answer. */
  | { type: 'pong' }
  /**
   * Framing is lost (bad or missing Content-Length, a limit exceeded, garbage): answer `error.status` if non-zero
   * (`createErrorResponse`), then close the connection. The framer ignores all further input.
   */
  | { type: 'error'; error: SipParseError };

/** Options of `SipStreamFramer`. */
export interface FramerOptions {
  limits?: Partial<SipLimits>;
}

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');

/**
 * A pure stream framer (one per connection). Messages returned may share memory with the chunk pushed (no copy when a
 * chunk holds whole messages): do not modify a chunk after pushing it.
 *
 * Keep-alives at a message boundary: every "\r\n\r\n" is a ping; a lone "\r\n" is reported as a pong as soon as it is
 * seen, and if the next bytes are "\r\n" the pair is also reported as a ping (a ping split across two reads).
 */
export class SipStreamFramer {
  private readonly limits: Readonly<SipLimits>;
  private store: Buffer = Buffer.alloc(0);
  private len = 0;
  /** Bytes of the current message searched for the end of headers without finding it. */
  private scanned = 0;
  /** Total length of the current message once its headers are read, else -1. */
  private total = -1;
  /** CRLFs seen at the current boundary (0 or 1). */
  private crlfRun = 0;
  private pongSent = false;
  private dead = false;

  constructor(options: FramerOptions = {}) {
    this.limits = options.limits ? resolveLimits(options.limits) : DEFAULT_LIMITS;
  }

  /** Bytes held for an incomplete message. */
  get buffered(): number {
    return this.len;
  }

  /** True after an error: the connection must be closed. */
  get failed(): boolean {
    return this.dead;
  }

  /** Feeds the next chunk of the stream; returns what it completes (possibly nothing). */
  push(chunk: Buffer): FrameEvent[] {
    const events: FrameEvent[] = [];
    if (this.dead || chunk.length === 0) return events;
    if (this.len === 0) {
      // Zero-copy path: cut messages straight out of the chunk, keep only the incomplete tail.
      const pos = this.consume(chunk, 0, events, false);
      if (!this.dead) this.keep(chunk, pos);
      return events;
    }
    this.append(chunk);
    const view = this.store.subarray(0, this.len);
    const pos = this.consume(view, 0, events, true);
    if (this.dead) this.len = 0;
    else if (pos > 0) {
      this.store.copyWithin(0, pos, this.len);
      this.len -= pos;
    }
    return events;
  }

  private keep(chunk: Buffer, pos: number): void {
    const rest = chunk.length - pos;
    if (rest === 0) return;
    this.ensure(rest);
    chunk.copy(this.store, 0, pos);
    this.len = rest;
  }

  private append(chunk: Buffer): void {
    this.ensure(this.len + chunk.length);
    chunk.copy(this.store, this.len);
    this.len += chunk.length;
  }

  private ensure(size: number): void {
    if (this.store.length >= size) return;
    let cap = Math.max(4096, this.store.length * 2);
    while (cap < size) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.store.copy(next, 0, 0, this.len);
    this.store = next;
  }

  private fail(events: FrameEvent[], code: SipErrorCode, detail: string, data: Buffer, pos: number): number {
    const isResponse =
      pos + 4 <= data.length &&
      (data[pos]! | 0x20) === 0x73 &&
      (data[pos + 1]! | 0x20) === 0x69 &&
      (data[pos + 2]! | 0x20) === 0x70 &&
      data[pos + 3] === 0x2f;
    const isRequest = !isResponse && pos < data.length && TOKEN[data[pos]!] === 1;
    const error = sipError(code, detail, isRequest);
    if (error.status !== 0) error.request = salvage(data, pos, this.limits);
    events.push({ type: 'error', error });
    this.dead = true;
    this.len = 0;
    return data.length;
  }

  /** Cuts what it can from `data[pos..]`; returns where the incomplete rest starts. */
  private consume(data: Buffer, pos: number, events: FrameEvent[], copy: boolean): number {
    const end = data.length;
    const limits = this.limits;
    for (;;) {
      if (this.total < 0 && this.scanned === 0) {
        // At a message boundary: CRLF keep-alives.
        while (pos < end && data[pos] === CR) {
          if (pos + 1 >= end) return pos;
          if (data[pos + 1] !== LF) return this.fail(events, 'BAD_START_LINE', 'bare CR between messages', data, pos);
          pos += 2;
          if (++this.crlfRun === 2) {
            if (events.length === 0 || events[events.length - 1]!.type !== 'ping') events.push({ type: 'ping' });
            this.crlfRun = 0;
            this.pongSent = false;
          }
        }
        if (this.crlfRun === 1 && !this.pongSent) {
          events.push({ type: 'pong' });
          this.pongSent = true;
        }
        if (pos >= end) return pos;
        this.crlfRun = 0;
        this.pongSent = false;
      }
      if (this.total < 0) {
        const from = pos + Math.max(0, this.scanned - 3);
        const k = data.indexOf(CRLFCRLF, from);
        if (k < 0) {
          this.scanned = end - pos;
          if (this.scanned > limits.maxMessageSize) {
            return this.fail(events, 'TOO_LARGE', `header section over ${limits.maxMessageSize} bytes`, data, pos);
          }
          const lastLf = end > pos ? data.lastIndexOf(LF, end - 1) : -1;
          const lineStart = lastLf >= pos ? lastLf + 1 : pos;
          if (end - lineStart > limits.maxLineLength) {
            return this.fail(events, 'HEADER_TOO_LONG', `line over ${limits.maxLineLength} bytes`, data, pos);
          }
          return pos;
        }
        const headLen = k + 4 - pos;
        if (headLen > limits.maxMessageSize) {
          return this.fail(events, 'TOO_LARGE', `header section over ${limits.maxMessageSize} bytes`, data, pos);
        }
        const cl = contentLength(data, pos, k + 2);
        if (cl === MISSING)
          return this.fail(events, 'MISSING_CONTENT_LENGTH', 'no Content-Length on a stream', data, pos);
        if (cl === MULTIPLE) return this.fail(events, 'BAD_CONTENT_LENGTH', 'multiple Content-Length', data, pos);
        if (cl < 0) return this.fail(events, 'BAD_CONTENT_LENGTH', 'bad Content-Length', data, pos);
        if (cl > limits.maxBodySize) {
          return this.fail(events, 'BODY_TOO_LARGE', `body larger than ${limits.maxBodySize}`, data, pos);
        }
        if (headLen + cl > limits.maxMessageSize) {
          return this.fail(events, 'TOO_LARGE', `message larger than ${limits.maxMessageSize} bytes`, data, pos);
        }
        this.total = headLen + cl;
      }
      if (end - pos < this.total) return pos;
      const msg = data.subarray(pos, pos + this.total);
      events.push({ type: 'message', data: copy ? Buffer.from(msg) : msg });
      pos += this.total;
      this.total = -1;
      this.scanned = 0;
    }
  }
}

const MISSING = -1;
const BAD = -2;
const MULTIPLE = -3;

/**
 * Content-Length of the header block `data[start..end)` (start line included, ends after the last header's CRLF):
 * the value, MISSING, BAD (not 1*DIGIT, folded) or MULTIPLE. Accepts the compact form `l`.
 */
function contentLength(data: Buffer, start: number, end: number): number {
  let found = MISSING;
  let i = data.indexOf(LF, start) + 1;
  if (i <= 0) return MISSING;
  while (i < end) {
    const lf = data.indexOf(LF, i);
    const lineEnd = lf < 0 || lf > end ? end : lf + 1;
    const ns = i;
    let j = i;
    while (j < lineEnd && TOKEN[data[j]!] === 1) j++;
    const ne = j;
    if (isContentLengthName(data, ns, ne)) {
      if (found !== MISSING) return MULTIPLE;
      while (j < lineEnd && (data[j] === SP || data[j] === HT)) j++;
      if (data[j] !== 0x3a) return BAD;
      j++;
      while (j < lineEnd && (data[j] === SP || data[j] === HT)) j++;
      let v = 0;
      const ds = j;
      while (j < lineEnd) {
        const c = data[j]!;
        if (c < 0x30 || c > 0x39) break;
        v = v * 10 + (c - 0x30);
        if (v > 0x7fffffff) return BAD;
        j++;
      }
      if (j === ds) return BAD;
      while (j < lineEnd && (data[j] === SP || data[j] === HT)) j++;
      if (j !== lineEnd - 2 || data[j] !== CR) return BAD;
      const next = data[lineEnd];
      if (next === SP || next === HT) return BAD;
      found = v;
    }
    i = lineEnd;
  }
  return found === MISSING ? MISSING : found < 0 ? BAD : found;
}

const CL_NAME = 'content-length';

function isContentLengthName(data: Buffer, s: number, e: number): boolean {
  if (e - s === 1) return (data[s]! | 0x20) === 0x6c;
  if (e - s !== CL_NAME.length) return false;
  for (let i = 0; i < CL_NAME.length; i++) {
    let c = data[s + i]!;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== CL_NAME.charCodeAt(i)) return false;
  }
  return true;
}
