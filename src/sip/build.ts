// Building messages: responses to a request (RFC 3261 §8.2.6), error responses from what a refused request let us
// read, and requests from parts (CANCEL and non-2xx ACK per §9.1 and §17.1.1.3). Output is always re-parsed, so
// what we send obeys the same grammar we demand from others.

import { type ErrorContext, type SipParseError, reasonPhrase } from './errors.js';
import { normalizeHeaderName } from './header-names.js';
import { type SipLimits, resolveLimits } from './limits.js';
import { type SipMessage, contextOf } from './message.js';
import { parseMessage } from './parse.js';
import { TOKEN } from './chars.js';
import { type Via, parseViaList, quote } from './values.js';

/** Extra headers: ordered pairs, or a record (an array value gives one field per element). */
export type HeaderInput =
  ReadonlyArray<readonly [string, string]> | Readonly<Record<string, string | number | readonly string[]>>;

/** Address a request came from, as the transport saw it. */
export interface SourceAddress {
  address: string;
  port: number;
}

/** Options of `createResponse`. */
export interface ResponseOptions {
  /** Tag to add to To when the request's To has none (not added to 100 Trying, RFC 3261 §8.2.6.2). */
  toTag?: string;
  /**
   * Where the request came from: adds `received` to the top Via when its host differs (RFC 3261 §18.2.1) and fills
   * in `rport` when the request asked for it (RFC 3581). The transport passes it; without it the Via is copied as is.
   */
  source?: SourceAddress;
  /** Extra headers, after the copied ones. */
  headers?: HeaderInput;
  /** Body; Content-Length is always written. */
  body?: Buffer | string;
  /** Content-Type of the body. */
  contentType?: string;
  /** Limits for re-parsing the result (default: generous ones, see `BUILD_LIMITS`). */
  limits?: Partial<SipLimits>;
}

/**
 * Limits for re-parsing what we build: the point is to check the grammar of our output, not to refuse it for a size
 * the peer chose (a response must copy every Via of its request, however many).
 */
export const BUILD_LIMITS: Readonly<SipLimits> = resolveLimits({
  maxMessageSize: 1 << 24,
  maxBodySize: 1 << 24,
  maxHeaders: 1 << 20,
  maxLineLength: 1 << 24,
  maxUriLength: 1 << 24,
  maxVia: 1 << 20,
});

function assertText(what: string, v: string): void {
  if (/[\r\n]/.test(v)) throw new RangeError(`${what} may not contain CR or LF`);
}

function headerLines(h: HeaderInput | undefined): string {
  if (!h) return '';
  let out = '';
  const add = (name: string, value: string): void => {
    if (name === '' || [...name].some((c) => c.charCodeAt(0) > 255 || TOKEN[c.charCodeAt(0)] === 0)) {
      throw new RangeError(`invalid SIP header name: ${JSON.stringify(name)}`);
    }
    assertText('a header value', value);
    out += `${normalizeHeaderName(name)}: ${value}\r\n`;
  };
  if (Array.isArray(h)) for (const [n, v] of h as ReadonlyArray<readonly [string, string]>) add(n, v);
  else {
    for (const [n, v] of Object.entries(h as Record<string, string | number | readonly string[]>)) {
      if (Array.isArray(v)) for (const x of v as readonly string[]) add(n, x);
      else add(n, String(v));
    }
  }
  return out;
}

function bodyBuffer(body: Buffer | string | undefined): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/** The top Via rewritten with `received` / `rport` for `src`, or unchanged when neither applies. */
export function viaWithSource(v: Via, src: SourceAddress): string {
  const fillRport = v.rport !== undefined;
  const needReceived = v.hostname !== src.address || fillRport;
  if (!needReceived) return v.raw;
  let params = '';
  for (const [n, val] of v.paramList()) {
    const lower = n.toLowerCase();
    if (lower === 'received') continue;
    if (lower === 'rport') params += `;rport=${src.port}`;
    else params += val === null ? `;${n}` : `;${n}=${val}`;
  }
  params += `;received=${src.address}`;
  return v.sentProtocolAndBy + params;
}

/** Via field values for a response: every value of the request, the top one rewritten for `source`. */
function responseVias(vias: string[], source: SourceAddress | undefined): string[] {
  if (!source || vias.length === 0) return vias;
  const parsed: Via[] = [];
  if (parseViaList(vias[0]!, parsed) !== undefined || parsed.length === 0) return vias;
  const top = viaWithSource(parsed[0]!, source);
  const restOfFirst = parsed.slice(1).map((x) => x.raw);
  return [top, ...restOfFirst, ...vias.slice(1)];
}

function toWithTag(to: string, tag: string | undefined, hasTag: boolean): string {
  if (tag === undefined || hasTag) return to;
  assertText('a To tag', tag);
  return `${to};tag=${tag}`;
}

function responseText(
  ctx: ErrorContext,
  status: number,
  reason: string,
  toHasTag: boolean,
  opts: ResponseOptions & { extra?: string },
): { head: string; body: Buffer } {
  assertText('a reason phrase', reason);
  const body = bodyBuffer(opts.body);
  let head = `SIP/2.0 ${status} ${reason}\r\n`;
  for (const v of responseVias(ctx.via, opts.source)) head += `Via: ${v}\r\n`;
  if (ctx.from !== undefined) head += `From: ${ctx.from}\r\n`;
  if (ctx.to !== undefined) head += `To: ${toWithTag(ctx.to, status === 100 ? undefined : opts.toTag, toHasTag)}\r\n`;
  if (ctx.callId !== undefined) head += `Call-ID: ${ctx.callId}\r\n`;
  head += `CSeq: ${ctx.cseq}\r\n`;
  if (status === 100 && ctx.timestamp !== undefined) head += `Timestamp: ${ctx.timestamp}\r\n`;
  head += opts.extra ?? '';
  head += headerLines(opts.headers);
  if (opts.contentType !== undefined) {
    assertText('a Content-Type', opts.contentType);
    head += `Content-Type: ${opts.contentType}\r\n`;
  }
  head += `Content-Length: ${body.length}\r\n\r\n`;
  return { head, body };
}

/**
 * A response to `request` (RFC 3261 §8.2.6): copies every Via, From, To, Call-ID and CSeq (and Timestamp for 100),
 * adds `options.toTag` to a To without tag, then extra headers, Content-Type and Content-Length. `reason` defaults to
 * the standard phrase. Throws RangeError on CR/LF in the given strings (a programming error, not bad input).
 */
export function createResponse(
  request: SipMessage,
  status: number,
  reason?: string,
  options: ResponseOptions = {},
): SipMessage {
  if (!request.isRequest) throw new RangeError('createResponse needs a request');
  if (!Number.isInteger(status) || status < 100 || status > 699) throw new RangeError(`bad status ${status}`);
  const ctx = contextOf(request);
  if (ctx.from === undefined || ctx.to === undefined || ctx.callId === undefined || ctx.cseq === undefined) {
    throw new RangeError('the request lacks From, To, Call-ID or CSeq');
  }
  const toHasTag = request.to()?.tag !== undefined;
  const { head, body } = responseText(ctx, status, reason ?? reasonPhrase(status), toHasTag, options);
  const r = parseMessage(Buffer.concat([Buffer.from(head, 'utf8'), body]), {
    sanity: false,
    limits: options.limits ?? BUILD_LIMITS,
  });
  if (!r.ok) throw new RangeError(`cannot build the response: ${r.error.detail}`);
  return r.message;
}

/** Options of `createErrorResponse`. */
export interface ErrorResponseOptions {
  /** warn-agent of the Warning header (default 'tollguard'); '' for no Warning. */
  agent?: string;
  toTag?: string;
  source?: SourceAddress;
}

/**
 * The bytes of the response a refusal calls for (`error.status`, with `Warning: 399 agent "detail"`), built from what
 * could be read of the request; undefined when no response is possible (status 0, or no Via or CSeq: the transport
 * then just drops the message). From, To and Call-ID are copied when present; when the request lacked them (the
 * very reason for a 400, RFC 4475 §3.3.1) the answer still reaches the client, which matches it by Via branch and
 * CSeq (RFC 3261 §17.1.3) and stops retransmitting.
 */
export function createErrorResponse(error: SipParseError, options: ErrorResponseOptions = {}): Buffer | undefined {
  const ctx = error.request;
  if (error.status === 0 || !ctx || ctx.via.length === 0 || ctx.cseq === undefined) return undefined;
  const to = ctx.to ?? '';
  const agent = options.agent ?? 'tollguard';
  const detail = error.detail.replace(/[^\x20-\x7e]/g, '?');
  const extra = agent && /^[A-Za-z0-9.\-_:[\]]+$/.test(agent) ? `Warning: 399 ${agent} ${quote(detail)}\r\n` : '';
  const toHasTag = /;\s*tag\s*=/i.test(to);
  try {
    const { head, body } = responseText(ctx, error.status, error.reason, toHasTag, {
      ...options,
      extra,
    });
    return Buffer.concat([Buffer.from(head, 'utf8'), body]);
  } catch {
    return undefined;
  }
}

/** Parts of a request for `buildRequest`. */
export interface RequestParts {
  method: string;
  /** Request-URI. */
  uri: string;
  /** Via values, top first (the transport's own Via with a fresh branch). */
  via: string | readonly string[];
  from: string;
  to: string;
  callId: string;
  /** CSeq number; the CSeq method is `method`. */
  cseq: number;
  /** Default 70. */
  maxForwards?: number;
  /** Route values, in order. */
  route?: readonly string[];
  contact?: string;
  headers?: HeaderInput;
  body?: Buffer | string;
  contentType?: string;
  /** Limits for checking the result (default `BUILD_LIMITS`). */
  limits?: Partial<SipLimits>;
}

/**
 * A request from parts, checked by the full parser and sanity stage. Throws RangeError when the parts do not make a
 * valid request (a programming error).
 */
export function buildRequest(parts: RequestParts): SipMessage {
  const body = bodyBuffer(parts.body);
  const vias = typeof parts.via === 'string' ? [parts.via] : parts.via;
  for (const s of [parts.method, parts.uri, parts.from, parts.to, parts.callId, ...vias, ...(parts.route ?? [])]) {
    assertText('a request part', s);
  }
  let head = `${parts.method} ${parts.uri} SIP/2.0\r\n`;
  for (const v of vias) head += `Via: ${v}\r\n`;
  head += `Max-Forwards: ${parts.maxForwards ?? 70}\r\n`;
  for (const r of parts.route ?? []) head += `Route: ${r}\r\n`;
  head += `From: ${parts.from}\r\nTo: ${parts.to}\r\nCall-ID: ${parts.callId}\r\nCSeq: ${parts.cseq} ${parts.method}\r\n`;
  if (parts.contact !== undefined) {
    assertText('a Contact', parts.contact);
    head += `Contact: ${parts.contact}\r\n`;
  }
  head += headerLines(parts.headers);
  if (parts.contentType !== undefined) {
    assertText('a Content-Type', parts.contentType);
    head += `Content-Type: ${parts.contentType}\r\n`;
  }
  head += `Content-Length: ${body.length}\r\n\r\n`;
  const r = parseMessage(Buffer.concat([Buffer.from(head, 'utf8'), body]), { limits: parts.limits ?? BUILD_LIMITS });
  if (!r.ok) throw new RangeError(`cannot build the request: ${r.error.detail}`);
  return r.message;
}

/**
 * CANCEL for a pending request (RFC 3261 §9.1): same Request-URI, Call-ID, From, To and CSeq number, the request's
 * top Via only, its Route set, no body.
 */
export function buildCancel(request: SipMessage): SipMessage {
  return buildFrom(request, 'CANCEL', request.header('To') ?? '');
}

/**
 * ACK for a non-2xx final response to an INVITE (RFC 3261 §17.1.1.3): the INVITE's Request-URI, Call-ID, From,
 * top Via and Route set, the response's To (with its tag), CSeq number of the INVITE. (The ACK of a 2xx belongs to
 * the dialog: build it with `buildRequest`.)
 */
export function buildAck(invite: SipMessage, response: SipMessage): SipMessage {
  return buildFrom(invite, 'ACK', response.header('To') ?? invite.header('To') ?? '');
}

function buildFrom(request: SipMessage, method: string, to: string): SipMessage {
  const top = request.topVia();
  const cseq = request.cseq();
  if (!request.isRequest || top === undefined || cseq === undefined) {
    throw new RangeError(`${method} needs a valid request`);
  }
  return buildRequest({
    method,
    uri: request.requestUri,
    via: top.raw,
    route: request.headers('Route'),
    from: request.header('From') ?? '',
    to,
    callId: request.callId() ?? '',
    cseq: cseq.seq,
  });
}
