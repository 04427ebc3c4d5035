// The entry point for bytes from the network: one pass over the buffer that reads the start line and records where
// each header line's name and value lie (no header value is decoded), enforces every limit as it goes, frames the
// body by Content-Length, then runs the sanity stage. Anything wrong becomes a SipParseError; nothing throws.

import { isAscii } from 'node:buffer';
import { latin1, utf8 } from './bytes.js';
import { CR, HT, LF, SP, TOKEN, COLON } from './chars.js';
import { type ErrorContext, type SipErrorCode, type SipParseError, sipError } from './errors.js';
import { H, HOT_IDS, NAME_ST, headerId, knownNameAt } from './header-names.js';
import { DEFAULT_LIMITS, type SipLimits, resolveLimits } from './limits.js';
import { FOLDED, I_ID, I_VE, I_VS, STRIDE, SipMessage, contextOf, newHot } from './message.js';
import { KNOWN_METHODS } from './methods.js';
import { sanityCheck } from './sanity.js';

/** Transports a message can arrive on. udp, sctp, ws and wss carry whole messages; tcp and tls are byte streams. */
export type SipTransport = 'udp' | 'tcp' | 'tls' | 'sctp' | 'ws' | 'wss';

/** Options of `parseMessage`. */
export interface ParseOptions {
  /** Limits to enforce (defaults: `DEFAULT_LIMITS`). Pass the same object each time: it is resolved once. */
  limits?: Partial<SipLimits>;
  /**
   * Where the bytes came from (default 'udp'). On a message transport a missing Content-Length means "the rest of
   * the datagram" and trailing bytes after the body are ignored (RFC 3261 §18.3); on a stream (tcp, tls) the buffer
   * must be one message as cut by `SipStreamFramer`, and Content-Length is mandatory.
   */
  transport?: SipTransport;
  /** Run the sanity stage (default true). With false only framing, the start line and header lines are checked. */
  sanity?: boolean;
}

/** Outcome of `parseMessage`. */
export type ParseResult = { ok: true; message: SipMessage } | { ok: false; error: SipParseError };

/** Known methods by length, so the common ones are returned as constant strings instead of decoded. */
const METHODS_BY_LEN: Array<Array<[Buffer, string]>> = [];
for (const m of KNOWN_METHODS) (METHODS_BY_LEN[m.length] ??= []).push([Buffer.from(m, 'latin1'), m]);

function methodString(buf: Buffer, s: number, e: number): string {
  const cands = METHODS_BY_LEN[e - s];
  if (cands !== undefined) {
    outer: for (const [bytes, name] of cands) {
      for (let i = 0; i < bytes.length; i++) if (buf[s + i] !== bytes[i]) continue outer;
      return name;
    }
  }
  return latin1(buf, s, e);
}

/** True for "SIP/2.0" (case-insensitive letters) at `buf[s..e)`. */
function isSip20(buf: Buffer, s: number, e: number): boolean {
  return (
    e - s === 7 &&
    (buf[s]! | 0x20) === 0x73 &&
    (buf[s + 1]! | 0x20) === 0x69 &&
    (buf[s + 2]! | 0x20) === 0x70 &&
    buf[s + 3] === 0x2f &&
    buf[s + 4] === 0x32 &&
    buf[s + 5] === 0x2e &&
    buf[s + 6] === 0x30
  );
}

/** True when `buf[s..e)` is "SIP/" 1*DIGIT "." 1*DIGIT (any version). */
function isSipVersion(buf: Buffer, s: number, e: number): boolean {
  return /^SIP\/[0-9]+\.[0-9]+$/i.test(latin1(buf, s, Math.min(e, s + 32)));
}

function startsWithSipSlash(buf: Buffer, p: number): boolean {
  return (
    p + 4 <= buf.length &&
    (buf[p]! | 0x20) === 0x73 &&
    (buf[p + 1]! | 0x20) === 0x69 &&
    (buf[p + 2]! | 0x20) === 0x70 &&
    buf[p + 3] === 0x2f
  );
}

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');
/** Messages up to this size are decoded whole (body included) rather than searched for the end of their headers. */
const TEXT_WHOLE = 4096;

/** Index scratch space reused by every parse (parsing is synchronous, so never shared). */
const SCRATCH: number[] = [];

function isStream(t: SipTransport | undefined): boolean {
  return t === 'tcp' || t === 'tls';
}

/**
 * Parses one SIP message. Never throws: a refusal is `{ ok: false, error }` with the status to answer (0 when no
 * answer is possible) and, for a request, what could be read of it to build that answer (`createErrorResponse`).
 */
export function parseMessage(buf: Buffer, opts?: ParseOptions): ParseResult {
  const limits = opts?.limits ? resolveLimits(opts.limits) : DEFAULT_LIMITS;
  try {
    return parseInner(buf, limits, isStream(opts?.transport), opts?.sanity !== false);
  } catch (e) {
    // Defence in depth: a parser bug must not take the transport down. Counted like any refusal.
    const error = sipError('BAD_HEADER', `internal parser error: ${(e as Error)?.message ?? e}`, false);
    return { ok: false, error };
  }
}

function parseInner(buf: Buffer, limits: Readonly<SipLimits>, stream: boolean, sanity: boolean): ParseResult {
  const len = buf.length;
  let p = 0;
  // RFC 3261 §7.5: CRLFs before the start line are ignored (keep-alives on streams).
  while (p + 1 < len && buf[p] === CR && buf[p + 1] === LF) p += 2;
  if (p >= len) return fail('EMPTY', 'no message (keep-alive)', false, undefined, undefined);

  const isResponse = startsWithSipSlash(buf, p);
  const looksRequest = !isResponse && TOKEN[buf[p]!] === 1;

  if (len - p > limits.maxMessageSize) {
    return failSalvage('TOO_LARGE', `message larger than ${limits.maxMessageSize} bytes`, looksRequest, buf, p, limits);
  }

  // ---- start line
  const cr = buf.indexOf(CR, p);
  if (cr < 0 || buf[cr + 1] !== LF) {
    return fail('BAD_START_LINE', 'start line not ended by CRLF', looksRequest, undefined, { offset: p });
  }
  const lf0 = buf.indexOf(LF, p);
  if (lf0 !== cr + 1) return fail('BAD_START_LINE', 'bare LF in start line', looksRequest, undefined, { offset: lf0 });

  let method = '';
  let uriStart = 0;
  let uriEnd = 0;
  let status = 0;
  let reason = '';
  if (isResponse) {
    if (!isSip20(buf, p, Math.min(cr, p + 7)) || buf[p + 7] !== SP) {
      return fail('BAD_VERSION', 'status line is not SIP/2.0', false, undefined, { offset: p });
    }
    const d = p + 8;
    let code = 0;
    for (let i = d; i < d + 3; i++) {
      const c = buf[i]!;
      if (i >= cr || c < 0x30 || c > 0x39)
        return fail('BAD_START_LINE', 'bad status code', false, undefined, { offset: d });
      code = code * 10 + (c - 0x30);
    }
    if (code < 100 || code > 699)
      return fail('BAD_START_LINE', 'status code out of range', false, undefined, { offset: d });
    if (d + 3 < cr && buf[d + 3] !== SP)
      return fail('BAD_START_LINE', 'bad status code', false, undefined, { offset: d });
    if (cr - p > limits.maxLineLength)
      return fail('HEADER_TOO_LONG', 'status line too long', false, undefined, { offset: p });
    status = code;
    reason = d + 4 <= cr ? utf8(buf, d + 4, cr) : '';
  } else {
    let i = p;
    while (i < cr && TOKEN[buf[i]!] === 1) i++;
    if (i === p || buf[i] !== SP) {
      return failSalvage('BAD_START_LINE', 'bad request line', looksRequest, buf, p, limits);
    }
    method = methodString(buf, p, i);
    const us = i + 1;
    let ue = buf.indexOf(SP, us);
    if (ue < 0 || ue > cr) ue = cr;
    if (ue - us > limits.maxUriLength) {
      return failSalvage(
        'URI_TOO_LONG',
        `Request-URI longer than ${limits.maxUriLength}`,
        true,
        buf,
        p,
        limits,
        method,
      );
    }
    if (ue === us || ue >= cr) {
      const why = ue === us ? 'extra SP in the request line' : 'no SIP-Version in the request line';
      return failSalvage('BAD_START_LINE', why, true, buf, p, limits, method);
    }
    if (!isSip20(buf, ue + 1, cr)) {
      if (isSipVersion(buf, ue + 1, cr)) {
        return failSalvage('BAD_VERSION', 'SIP version not supported', true, buf, p, limits, method);
      }
      const sp = buf.indexOf(SP, ue + 1);
      const why =
        sp < 0 || sp >= cr
          ? 'bad SIP-Version'
          : isSip20(buf, ue + 1, sp)
            ? 'SP after SIP-Version'
            : 'extra SP in the request line (white space in the Request-URI?)';
      return failSalvage('BAD_START_LINE', why, true, buf, p, limits, method);
    }
    if (cr - p > limits.maxLineLength) {
      return failSalvage('HEADER_TOO_LONG', 'request line too long', true, buf, p, limits, method);
    }
    uriStart = us;
    uriEnd = ue;
  }
  const isRequest = !isResponse;

  // ---- header lines: index only (into a reused scratch array, copied to its exact size at the end)
  // A message that is all ASCII (the usual case) is decoded once as Latin-1: line ends are then found by the string
  // search, cheaper than Buffer#indexOf, and typed values are sliced from the same text later. (A large message is
  // decoded up to the end of its header section only.)
  let text: string | null = null;
  if (isAscii(buf)) {
    let textEnd = len;
    if (len - p > TEXT_WHOLE) {
      const blank = buf.indexOf(CRLFCRLF, cr);
      textEnd = blank < 0 ? len : blank + 4;
    }
    text = latin1(buf, p, textEnd);
  }
  const idx = SCRATCH;
  let n = 0;
  const hot = newHot();
  let i = cr + 2;
  let count = 0;
  let viaLines = 0;
  let viaBytes = 0;
  let clLine = -1;
  let clCount = 0;
  let seen = 0;
  let dup = 0;
  let bodyStart: number;
  let hdrEnd: number;
  const maxLine = limits.maxLineLength;
  for (;;) {
    if (i >= len) {
      // A datagram that ends after a complete header line: the datagram boundary ends the headers (RFC 4475's
      // baddn.dat is such a file). A stream message must have its empty line (the framer guarantees it).
      if (stream) return failSalvage('TRUNCATED', 'header section not terminated', isRequest, buf, p, limits, method);
      bodyStart = len;
      hdrEnd = len;
      break;
    }
    const b0 = buf[i]!;
    if (b0 === CR) {
      if (buf[i + 1] !== LF) return failSalvage('BAD_HEADER', 'bare CR', isRequest, buf, p, limits, method, i);
      bodyStart = i + 2;
      hdrEnd = i;
      break;
    }
    if (++count > limits.maxHeaders) {
      return failSalvage(
        'TOO_MANY_HEADERS',
        `more than ${limits.maxHeaders} header fields`,
        isRequest,
        buf,
        p,
        limits,
        method,
      );
    }
    const ns = i;
    // A known name is recognised and validated in one pass; any other is scanned as a token.
    const id = knownNameAt(buf, i, len);
    if (id !== 0) i = NAME_ST.end;
    else while (i < len && TOKEN[buf[i]!] === 1) i++;
    const ne = i;
    if (ne === ns) return failSalvage('BAD_HEADER', 'bad header name', isRequest, buf, p, limits, method, ns);
    while (i < len && (buf[i] === SP || buf[i] === HT)) i++;
    if (buf[i] !== COLON)
      return failSalvage('BAD_HEADER', 'header line without colon', isRequest, buf, p, limits, method, ns);
    i++;
    // Value: up to a CRLF not followed by SP/HT (continuation lines are part of the field).
    let vs = -1;
    let folded = 0;
    let j = i;
    let lineEnd: number;
    for (;;) {
      let lf: number;
      let crp: number;
      if (text !== null) {
        lf = text.indexOf('\n', j - p);
        if (lf >= 0) lf += p;
        crp = text.indexOf('\r', j - p);
        if (crp >= 0) crp += p;
      } else {
        lf = buf.indexOf(LF, j);
        crp = buf.indexOf(CR, j);
      }
      if (lf < 0) {
        return failSalvage('BAD_HEADER', 'header line not ended by CRLF', isRequest, buf, p, limits, method, ns);
      }
      if (buf[lf - 1] !== CR || lf - 1 < j) {
        return failSalvage('BAD_HEADER', 'bare LF', isRequest, buf, p, limits, method, lf);
      }
      if (crp !== lf - 1) return failSalvage('BAD_HEADER', 'bare CR', isRequest, buf, p, limits, method, crp);
      if (vs < 0) {
        // First non-white byte of the value (it may start on a continuation line).
        let k = j;
        while (k < crp && (buf[k] === SP || buf[k] === HT)) k++;
        if (k < crp) vs = k;
      }
      const next = buf[lf + 1];
      if (lf + 1 - ns > maxLine) {
        return failSalvage(
          'HEADER_TOO_LONG',
          `header field longer than ${maxLine}`,
          isRequest,
          buf,
          p,
          limits,
          method,
          ns,
        );
      }
      if (next === SP || next === HT) {
        if (vs >= 0) folded = FOLDED;
        j = lf + 1;
        continue;
      }
      lineEnd = lf + 1;
      break;
    }
    let ve = lineEnd - 2;
    if (vs < 0) vs = ve;
    else {
      for (;;) {
        const c = buf[ve - 1];
        if (ve > vs && (c === SP || c === HT || c === CR || c === LF)) ve--;
        else break;
      }
    }
    if (id < 31) {
      const bit = 1 << id;
      dup |= seen & bit;
      seen |= bit;
    }
    if (id === H.Via) {
      viaBytes += ve - vs + 1;
      if (++viaLines > limits.maxVia) {
        return failSalvage('TOO_MANY_VIA', `more than ${limits.maxVia} Via values`, isRequest, buf, p, limits, method);
      }
    } else if (id === H.ContentLength) {
      clLine = count - 1;
      clCount++;
    }
    if (id < HOT_IDS && hot[id] === -1) hot[id] = count - 1;
    idx[n] = id | folded;
    idx[n + 1] = ns;
    idx[n + 2] = vs;
    idx[n + 3] = ve;
    n += STRIDE;
    i = lineEnd;
  }

  // ---- body
  let bodyEnd: number;
  const rest = len - bodyStart;
  if (clCount > 1) {
    return failSalvage('BAD_CONTENT_LENGTH', 'multiple Content-Length', isRequest, buf, p, limits, method);
  }
  if (clCount === 1) {
    const cl = contentLengthAt(buf, idx, clLine);
    if (cl < 0) return failSalvage('BAD_CONTENT_LENGTH', 'bad Content-Length', isRequest, buf, p, limits, method);
    if (cl > limits.maxBodySize) {
      return failSalvage('BODY_TOO_LARGE', `body larger than ${limits.maxBodySize}`, isRequest, buf, p, limits, method);
    }
    if (cl > rest) {
      if (stream)
        return failSalvage('TRUNCATED', 'body shorter than Content-Length', isRequest, buf, p, limits, method);
      return failSalvage(
        'BAD_CONTENT_LENGTH',
        'Content-Length larger than the datagram',
        isRequest,
        buf,
        p,
        limits,
        method,
      );
    }
    bodyEnd = bodyStart + cl;
  } else {
    if (stream) {
      return failSalvage('MISSING_CONTENT_LENGTH', 'no Content-Length on a stream', isRequest, buf, p, limits, method);
    }
    if (rest > limits.maxBodySize) {
      return failSalvage('BODY_TOO_LARGE', `body larger than ${limits.maxBodySize}`, isRequest, buf, p, limits, method);
    }
    bodyEnd = len;
  }

  const msg = new SipMessage(
    buf,
    p,
    bodyEnd,
    cr,
    isRequest,
    method,
    uriStart,
    uriEnd,
    status,
    reason,
    idx.slice(0, n),
    hdrEnd,
    bodyStart,
    bodyEnd,
    limits,
    seen,
    dup,
    hot,
    viaBytes,
    text,
  );
  if (sanity) {
    const err = sanityCheck(msg);
    if (err) {
      if (isRequest && err.status !== 0) err.request = contextOf(msg);
      return { ok: false, error: err };
    }
  }
  return { ok: true, message: msg };
}

/** Content-Length of index line `line` read from the bytes; -1 when not 1*DIGIT or absurdly large. */
function contentLengthAt(buf: Buffer, idx: number[], line: number): number {
  const b = line * STRIDE;
  const s = idx[b + I_VS]!;
  const e = idx[b + I_VE]!;
  if ((idx[b + I_ID]! & FOLDED) !== 0 || s >= e) return -1;
  let v = 0;
  for (let i = s; i < e; i++) {
    const c = buf[i]!;
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + (c - 0x30);
    if (v > 0x7fffffff) return -1;
  }
  return v;
}

function fail(
  code: SipErrorCode,
  detail: string,
  isRequest: boolean,
  request: ErrorContext | undefined,
  extra?: { offset?: number },
): ParseResult {
  const error = sipError(code, detail, isRequest, extra);
  if (request && error.status !== 0) error.request = request;
  return { ok: false, error };
}

function failSalvage(
  code: SipErrorCode,
  detail: string,
  isRequest: boolean,
  buf: Buffer,
  p: number,
  limits: Readonly<SipLimits>,
  method?: string,
  offset?: number,
): ParseResult {
  const error = sipError(code, detail, isRequest, offset === undefined ? undefined : { offset });
  if (error.status !== 0) error.request = salvage(buf, p, limits, method);
  return { ok: false, error };
}

const SALVAGE_LINE = /^([A-Za-z0-9\-.!%*_+`'~]+)[ \t]*:[ \t]*(.*?)[ \t]*$/;

/**
 * What a response to a refused request needs, read tolerantly from the raw bytes: Via, From, To, Call-ID, CSeq and
 * Timestamp fields, unfolded. Runs only on the error path, over at most `maxMessageSize` bytes.
 * @internal
 */
export function salvage(buf: Buffer, p: number, limits: Readonly<SipLimits>, method?: string): ErrorContext {
  const ctx: ErrorContext = { via: [] };
  if (method) ctx.method = method;
  const end = Math.min(buf.length, p + limits.maxMessageSize);
  let hdrEnd = buf.indexOf('\r\n\r\n', p);
  if (hdrEnd < 0 || hdrEnd > end) hdrEnd = end;
  const lines = utf8(buf, p, hdrEnd).split(/\r?\n|\r/);
  const fields: string[] = [];
  for (let k = 1; k < lines.length && fields.length <= limits.maxHeaders; k++) {
    const l = lines[k]!;
    if ((l.startsWith(' ') || l.startsWith('\t')) && fields.length > 0) fields[fields.length - 1] += ' ' + l.trim();
    else fields.push(l);
  }
  for (const f of fields) {
    const m = SALVAGE_LINE.exec(f);
    if (!m) continue;
    const value = m[2]!;
    if (value.length > limits.maxLineLength) continue;
    switch (headerId(m[1]!)) {
      case H.Via:
        if (ctx.via.length < limits.maxVia) ctx.via.push(value);
        break;
      case H.From:
        ctx.from ??= value;
        break;
      case H.To:
        ctx.to ??= value;
        break;
      case H.CallId:
        ctx.callId ??= value;
        break;
      case H.CSeq:
        ctx.cseq ??= value;
        break;
      case H.Timestamp:
        ctx.timestamp ??= value;
        break;
    }
  }
  return ctx;
}

/** True when `buf` holds only CRLFs: a keep-alive ("\r\n\r\n" ping, RFC 5626), not a message. */
export function isKeepAlive(buf: Buffer): boolean {
  if (buf.length === 0 || buf.length % 2 !== 0) return false;
  for (let i = 0; i < buf.length; i += 2) if (buf[i] !== CR || buf[i + 1] !== LF) return false;
  return true;
}
