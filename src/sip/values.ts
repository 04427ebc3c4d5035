// Typed header values: name-addr (From, To, Contact, Route, Diversion, …), Via, CSeq, credentials and challenges,
// media types, Reason, token lists. Each parser takes the unfolded value text and returns the value or a reason
// string; it never throws. Parameters are validated in the same pass but turned into maps only when read.

import { GENVALUE, HT, SP, TOKEN, WORD, allIn, eqLower, scanIn, skipWs, trimEnd } from './chars.js';
import { type HostType, type Params, type Uri, lastHostType, parseUriText, scanHost } from './uri.js';

const EMPTY_PARAMS: Params = new Map();

/** @internal Offsets of the parameters found by the last `scanParams`: name start/end, value start/end (-1: none). */
const P: number[] = [];

/** Index after a quoted string starting at `i` (which holds the opening quote), or -1 if it does not close. */
export function scanQuoted(s: string, i: number, end: number): number {
  i++;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      if (i + 1 >= end) return -1;
      i += 2;
      continue;
    }
    i++;
  }
  return -1;
}

/** The content of the quoted string `s[start..end)` (quotes included) with quoted-pairs resolved. */
export function unquote(s: string, start: number, end: number): string {
  const inner = s.slice(start + 1, end - 1);
  if (inner.indexOf('\\') < 0) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i]!;
    if (ch === '\\' && i + 1 < inner.length) {
      out += inner[i + 1];
      i++;
    } else out += ch;
  }
  return out;
}

/** Quotes `text` as a SIP quoted-string, escaping `"` and `\`. */
export function quote(text: string): string {
  return '"' + text.replace(/["\\]/g, (c) => '\\' + c) + '"';
}

/**
 * Splits a list value on the commas outside quoted strings and angle brackets. Returns flat [start, end) pairs with
 * white space trimmed (empty elements kept as start === end), or a reason string when a quote or bracket is left open.
 */
export function splitList(s: string, start = 0, end = s.length): number[] | string {
  const out: number[] = [];
  let elStart = start;
  let i = start;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 0x22) {
      const q = scanQuoted(s, i, end);
      if (q < 0) return 'unterminated quoted string';
      i = q;
      continue;
    }
    if (c === 0x3c) {
      const gt = s.indexOf('>', i + 1);
      if (gt < 0 || gt >= end) return 'unterminated <';
      i = gt + 1;
      continue;
    }
    if (c === 0x2c) {
      const a = skipWs(s, elStart, i);
      out.push(a, trimEnd(s, a, i));
      elStart = i + 1;
    }
    i++;
  }
  const a = skipWs(s, elStart, end);
  out.push(a, trimEnd(s, a, end));
  return out;
}

/**
 * @internal Scans `*( SEMI generic-param )` from `i`: `;` name [ `=` (token / host / quoted-string) ], white space
 * allowed around `;` and `=`. Fills `P` with offsets; returns the index after the last parameter (trailing white
 * space skipped) or -1 when a parameter is malformed.
 */
function scanParams(s: string, i: number, end: number): number {
  P.length = 0;
  i = skipWs(s, i, end);
  while (i < end && s.charCodeAt(i) === 0x3b) {
    const ns = skipWs(s, i + 1, end);
    const ne = scanIn(TOKEN, s, ns, end);
    if (ne === ns) return -1;
    let j = skipWs(s, ne, end);
    let vs = -1;
    let ve = -1;
    if (j < end && s.charCodeAt(j) === 0x3d) {
      vs = skipWs(s, j + 1, end);
      if (vs < end && s.charCodeAt(vs) === 0x22) {
        ve = scanQuoted(s, vs, end);
        if (ve < 0) return -1;
      } else {
        ve = scanIn(GENVALUE, s, vs, end);
        if (ve === vs) return -1;
      }
      j = skipWs(s, ve, end);
    }
    P.push(ns, ne, vs, ve);
    i = j;
  }
  return i;
}

/** @internal The value of parameter `k` of the last scan: unquoted, `null` when it has none. */
function paramValue(s: string, k: number): string | null {
  const vs = P[k + 2]!;
  if (vs < 0) return null;
  const ve = P[k + 3]!;
  return s.charCodeAt(vs) === 0x22 ? unquote(s, vs, ve) : s.slice(vs, ve);
}

/** @internal Builds the parameter map of `s[start..end)` (already validated by `scanParams`). */
function paramsOf(s: string, start: number, end: number): Params {
  if (start >= end) return EMPTY_PARAMS;
  const m = new Map<string, string | null>();
  if (scanParams(s, start, end) < 0) return m;
  for (let k = 0; k < P.length; k += 4) m.set(s.slice(P[k], P[k + 1]).toLowerCase(), paramValue(s, k));
  return m;
}

/** Ordered `[name as written, value]` pairs of the parameters in `s[start..end)` (validated text). */
function paramListOf(s: string, start: number, end: number): Array<[string, string | null]> {
  const out: Array<[string, string | null]> = [];
  if (start >= end || scanParams(s, start, end) < 0) return out;
  for (let k = 0; k < P.length; k += 4) {
    const vs = P[k + 2]!;
    out.push([s.slice(P[k], P[k + 1]), vs < 0 ? null : s.slice(vs, P[k + 3])]);
  }
  return out;
}

/**
 * A name-addr or addr-spec with its header parameters: From, To, Contact, Route, Record-Route, Diversion,
 * History-Info, P-Asserted-Identity, Referred-By, Refer-To.
 */
export class NameAddr {
  private pCache: Params | undefined;
  constructor(
    /** The value as written (one list element). */
    readonly raw: string,
    /** Display name: unquoted and unescaped, or the tokens as written; undefined when absent. */
    readonly displayName: string | undefined,
    readonly uri: Uri,
    /** True when the URI was written in angle brackets. */
    readonly bracketed: boolean,
    /** The `tag` parameter (From, To). */
    readonly tag: string | undefined,
    /** @internal where the header parameters start and end in `raw`. */
    private readonly pStart: number,
    private readonly pEnd: number,
  ) {}

  /** Header parameters (after the URI): names lower-case, quoted values unquoted, `null` when valueless. */
  get params(): Params {
    return (this.pCache ??= paramsOf(this.raw, this.pStart, this.pEnd));
  }

  /** The header parameters in order, names and values as written (quotes kept). */
  paramList(): Array<[string, string | null]> {
    return paramListOf(this.raw, this.pStart, this.pEnd);
  }

  /** The parameters as written (`;tag=1;q=0.5`), empty when none. */
  get paramText(): string {
    return this.raw.slice(this.pStart, this.pEnd);
  }

  toString(): string {
    return this.raw;
  }
}

/**
 * Parses one name-addr / addr-spec element `s[start..end)` with its parameters. `maxUri` bounds the URI length
 * (reason 'URI too long'). An addr-spec without brackets ends at the first `;` or white space and may not hold `?`
 * (RFC 3261 §20); white space is not allowed inside the brackets (RFC 4475 §3.1.2.14).
 */
export function parseNameAddr(s: string, start: number, end: number, maxUri = Infinity): NameAddr | string {
  let i = skipWs(s, start, end);
  end = trimEnd(s, i, end);
  if (i >= end) return 'empty value';
  start = i;
  let display: string | undefined;
  let bracketed = false;
  let uriStart: number;
  let uriEnd: number;
  const c = s.charCodeAt(i);
  if (c === 0x22) {
    const q = scanQuoted(s, i, end);
    if (q < 0) return 'unterminated quoted display name';
    display = unquote(s, i, q);
    i = skipWs(s, q, end);
    if (i >= end || s.charCodeAt(i) !== 0x3c) return 'expected < after display name';
    bracketed = true;
  } else if (c === 0x3c) {
    bracketed = true;
  } else {
    // Either display-name tokens then "<", or an addr-spec (its scheme is a token followed by ":").
    let j = i;
    for (;;) {
      const te = scanIn(TOKEN, s, j, end);
      if (te === j) {
        if (j < end && s.charCodeAt(j) === 0x3c && j > i) {
          display = s.slice(i, trimEnd(s, i, j));
          i = j;
          bracketed = true;
          break;
        }
        return 'bad display name';
      }
      if (j === i && te < end && s.charCodeAt(te) === 0x3a) break; // addr-spec
      j = skipWs(s, te, end);
      if (j >= end) return 'bad display name';
      if (s.charCodeAt(j) === 0x3c) {
        display = s.slice(i, te === j ? te : trimEnd(s, i, j));
        i = j;
        bracketed = true;
        break;
      }
      if (j === te) return 'bad display name';
    }
  }
  if (bracketed) {
    const gt = s.indexOf('>', i + 1);
    if (gt < 0 || gt >= end) return 'unterminated <';
    uriStart = i + 1;
    uriEnd = gt;
    i = gt + 1;
  } else {
    uriStart = i;
    let k = i;
    while (k < end) {
      const ch = s.charCodeAt(k);
      if (ch === 0x3b || ch === SP || ch === HT) break;
      if (ch === 0x3f || ch === 0x2c) return 'URI with ? or , not in <>';
      k++;
    }
    uriEnd = k;
    i = k;
  }
  if (uriEnd - uriStart > maxUri) return 'URI too long';
  const uri = parseUriText(s.slice(uriStart, uriEnd));
  if (typeof uri === 'string') return uri;
  const pStart = i;
  const pe = scanParams(s, i, end);
  if (pe !== end) return 'bad header parameter';
  let tag: string | undefined;
  for (let k = 0; k < P.length; k += 4) {
    if (eqLower(s, P[k]!, P[k + 1]!, 'tag')) {
      const v = paramValue(s, k);
      if (v === null) return 'tag without value';
      tag = v;
    }
  }
  const raw = start === 0 && end === s.length ? s : s.slice(start, end);
  const shift = start;
  return new NameAddr(raw, display, uri, bracketed, tag, pStart - shift, end - shift);
}

/** Parses a list of name-addr values (Contact, Route, Diversion, …); empty elements are an error. */
export function parseNameAddrList(s: string, maxUri = Infinity): NameAddr[] | string {
  const parts = splitList(s);
  if (typeof parts === 'string') return parts;
  const out: NameAddr[] = [];
  for (let k = 0; k < parts.length; k += 2) {
    const a = parts[k]!;
    const b = parts[k + 1]!;
    if (a === b) return 'empty list element';
    const na = parseNameAddr(s, a, b, maxUri);
    if (typeof na === 'string') return na;
    out.push(na);
  }
  return out;
}

/** One Via value. */
export class Via {
  private pCache: Params | undefined;
  constructor(
    /** The value as written (one list element). */
    readonly raw: string,
    /** Protocol name, upper-case ('SIP'). */
    readonly protocol: string,
    /** Protocol version ('2.0'). */
    readonly version: string,
    /** Transport, upper-case ('UDP', 'TCP', 'TLS', 'SCTP', 'WS', or any token). */
    readonly transport: string,
    /** sent-by host as written (an IPv6 reference keeps its brackets). */
    readonly host: string,
    readonly hostType: HostType,
    readonly port: number | undefined,
    /** The branch parameter (transaction id; `z9hG4bK…` for RFC 3261 peers). */
    readonly branch: string | undefined,
    /** The received parameter (RFC 3261 §18.2.1). */
    readonly received: string | undefined,
    /** rport (RFC 3581): `true` when present without value, the port when filled in, undefined when absent. */
    readonly rport: number | true | undefined,
    /** @internal */
    private readonly pStart: number,
  ) {}

  /** Every parameter: names lower-case, quoted values unquoted, `null` when valueless. */
  get params(): Params {
    return (this.pCache ??= paramsOf(this.raw, this.pStart, this.raw.length));
  }

  /** The parameters in order, names and values as written. */
  paramList(): Array<[string, string | null]> {
    return paramListOf(this.raw, this.pStart, this.raw.length);
  }

  /** `protocol/version/transport host[:port]`, without parameters. */
  get sentProtocolAndBy(): string {
    const hp = this.port === undefined ? this.host : `${this.host}:${this.port}`;
    return `${this.protocol}/${this.version}/${this.transport} ${hp}`;
  }

  toString(): string {
    return this.raw;
  }
}

function scanToken(s: string, i: number, end: number): number {
  return scanIn(TOKEN, s, i, end);
}

/** Parses one Via value `s[start..end)`. */
export function parseViaValue(s: string, start: number, end: number): Via | string {
  let i = skipWs(s, start, end);
  end = trimEnd(s, i, end);
  start = i;
  const pn = i;
  i = scanToken(s, i, end);
  if (i === pn) return 'bad Via protocol';
  const protocol = s.slice(pn, i).toUpperCase();
  i = skipWs(s, i, end);
  if (s.charCodeAt(i) !== 0x2f) return 'bad Via protocol';
  i = skipWs(s, i + 1, end);
  const vs = i;
  i = scanToken(s, i, end);
  if (i === vs) return 'bad Via version';
  const version = s.slice(vs, i);
  i = skipWs(s, i, end);
  if (s.charCodeAt(i) !== 0x2f) return 'bad Via transport';
  i = skipWs(s, i + 1, end);
  const ts = i;
  i = scanToken(s, i, end);
  if (i === ts) return 'bad Via transport';
  const transport = s.slice(ts, i).toUpperCase();
  const hs = skipWs(s, i, end);
  if (hs === i) return 'no white space before Via sent-by';
  const he = scanHost(s, hs, end);
  if (he < 0) return 'bad Via host';
  const hostType = lastHostType;
  const host = s.slice(hs, he);
  i = skipWs(s, he, end);
  let port: number | undefined;
  if (i < end && s.charCodeAt(i) === 0x3a) {
    i = skipWs(s, i + 1, end);
    let v = 0;
    const p = i;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      v = v * 10 + (c - 0x30);
      if (v > 65535) return 'bad Via port';
      i++;
    }
    if (i === p) return 'bad Via port';
    port = v;
  }
  const pStart = i;
  const pe = scanParams(s, i, end);
  if (pe !== end) return 'bad Via parameter';
  let branch: string | undefined;
  let received: string | undefined;
  let rport: number | true | undefined;
  for (let k = 0; k < P.length; k += 4) {
    const ns = P[k]!;
    const ne = P[k + 1]!;
    const len = ne - ns;
    if (len === 6 && eqLower(s, ns, ne, 'branch')) {
      const v = paramValue(s, k);
      if (v === null) return 'branch without value';
      branch = v;
    } else if (len === 8 && eqLower(s, ns, ne, 'received')) {
      const v = paramValue(s, k);
      if (v === null) return 'received without value';
      received = v;
    } else if (len === 5 && eqLower(s, ns, ne, 'rport')) {
      const v = paramValue(s, k);
      if (v === null) rport = true;
      else {
        if (!/^[0-9]{1,5}$/.test(v) || Number(v) > 65535) return 'bad rport';
        rport = Number(v);
      }
    } else if (len === 3 && eqLower(s, ns, ne, 'ttl')) {
      const v = paramValue(s, k);
      if (v === null || !/^[0-9]{1,3}$/.test(v) || Number(v) > 255) return 'bad ttl';
    }
  }
  const raw = s.slice(start, end);
  return new Via(raw, protocol, version, transport, host, hostType, port, branch, received, rport, pStart - start);
}

/** Parses a Via header field value (one or more comma-separated values); appends to `out`. */
export function parseViaList(s: string, out: Via[]): string | undefined {
  const parts = splitList(s);
  if (typeof parts === 'string') return parts;
  for (let k = 0; k < parts.length; k += 2) {
    const a = parts[k]!;
    const b = parts[k + 1]!;
    if (a === b) return 'empty Via value';
    const v = parseViaValue(s, a, b);
    if (typeof v === 'string') return v;
    out.push(v);
  }
  return undefined;
}

/** CSeq: sequence number and method. */
export interface CSeq {
  seq: number;
  method: string;
}

/** Parses digits of `s[start..end)` (leading zeros allowed) up to `max`; -1 when not digits or above `max`. */
export function parseBoundedInt(s: string, start: number, end: number, max: number): number {
  if (start >= end) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + (c - 0x30);
    if (v > max) return -1;
  }
  return v;
}

const U32 = 4294967295;

/** Parses a CSeq value (`1*DIGIT LWS Method`), the number at most 2^32-1 (RFC 3261 §8.1.1.5). */
export function parseCSeq(s: string): CSeq | string {
  let i = skipWs(s, 0, s.length);
  const end = trimEnd(s, i, s.length);
  const ds = i;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    i++;
  }
  const seq = parseBoundedInt(s, ds, i, U32);
  if (seq < 0) return i === ds ? 'bad CSeq number' : 'CSeq number too large';
  const ms = skipWs(s, i, end);
  if (ms === i) return 'bad CSeq';
  const me = scanToken(s, ms, end);
  if (me === ms || me !== end) return 'bad CSeq method';
  return { seq, method: s.slice(ms, me) };
}

/** Parses a whole-value unsigned integer (Max-Forwards ≤ 255, Expires ≤ 2^32-1, …); -1 when invalid. */
export function parseUIntValue(s: string, max: number): number {
  const a = skipWs(s, 0, s.length);
  return parseBoundedInt(s, a, trimEnd(s, a, s.length), max);
}

/** Parses Call-ID: `word [ "@" word ]`; returns the trimmed value or undefined. */
export function parseCallId(s: string): string | undefined {
  const a = skipWs(s, 0, s.length);
  const b = trimEnd(s, a, s.length);
  if (a >= b) return undefined;
  const at = s.indexOf('@', a);
  if (at >= 0 && at < b) {
    if (!allIn(WORD, s, a, at) || !allIn(WORD, s, at + 1, b)) return undefined;
  } else if (!allIn(WORD, s, a, b)) return undefined;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Authorization / Proxy-Authorization credentials, or WWW-Authenticate / Proxy-Authenticate challenge. */
export interface AuthValue {
  /** Scheme as written ('Digest'). */
  scheme: string;
  /** Parameters: names lower-case, quoted values unquoted and unescaped. */
  params: Params;
  /** What follows the scheme when it is not a parameter list (token68, RFC 7235). */
  token68?: string;
  raw: string;
}

/** Parses credentials or a challenge: `scheme LWS auth-param *(COMMA auth-param)`. */
export function parseAuth(s: string): AuthValue | string {
  let i = skipWs(s, 0, s.length);
  const end = trimEnd(s, i, s.length);
  const ss = i;
  i = scanToken(s, i, end);
  if (i === ss) return 'bad auth scheme';
  const scheme = s.slice(ss, i);
  const raw = s.slice(ss, end);
  const params = new Map<string, string | null>();
  const rest = skipWs(s, i, end);
  if (rest === end) return { scheme, params, raw };
  if (rest === i) return 'bad auth scheme';
  i = rest;
  const first = i;
  for (;;) {
    const ns = i;
    const ne = scanToken(s, ns, end);
    let j = skipWs(s, ne, end);
    if (ne === ns || j >= end || s.charCodeAt(j) !== 0x3d) {
      if (ns === first) {
        const t = s.slice(first, end);
        if (/^[A-Za-z0-9\-._~+/]+=*$/.test(t)) return { scheme, params, token68: t, raw };
      }
      return 'bad auth parameter';
    }
    j = skipWs(s, j + 1, end);
    let value: string;
    if (j < end && s.charCodeAt(j) === 0x22) {
      const q = scanQuoted(s, j, end);
      if (q < 0) return 'unterminated quoted auth parameter';
      value = unquote(s, j, q);
      j = q;
    } else {
      const vs = j;
      while (j < end) {
        const c = s.charCodeAt(j);
        if (c === 0x2c || c === SP || c === HT || c === 0x22) break;
        j++;
      }
      if (j === vs) return 'empty auth parameter';
      value = s.slice(vs, j);
    }
    params.set(s.slice(ns, ne).toLowerCase(), value);
    j = skipWs(s, j, end);
    if (j >= end) break;
    if (s.charCodeAt(j) !== 0x2c) return 'bad auth parameter list';
    i = skipWs(s, j + 1, end);
    if (i >= end) return 'trailing comma in auth parameters';
  }
  return { scheme, params, raw };
}

/** A media type (Content-Type). */
export interface MediaType {
  /** `type/subtype` in lower case ('application/sdp'). */
  mediaType: string;
  type: string;
  subtype: string;
  /** Parameters (`boundary`, `charset`): names lower-case, values unquoted. */
  params: Params;
  raw: string;
}

/** Parses `type "/" subtype *( SEMI m-parameter )`. */
export function parseMediaType(s: string): MediaType | string {
  let i = skipWs(s, 0, s.length);
  const end = trimEnd(s, i, s.length);
  const ts = i;
  i = scanToken(s, i, end);
  if (i === ts) return 'bad media type';
  const type = s.slice(ts, i).toLowerCase();
  i = skipWs(s, i, end);
  if (s.charCodeAt(i) !== 0x2f) return 'bad media type';
  i = skipWs(s, i + 1, end);
  const ss = i;
  i = scanToken(s, i, end);
  if (i === ss) return 'bad media subtype';
  const subtype = s.slice(ss, i).toLowerCase();
  const ps = i;
  if (scanParams(s, i, end) !== end) return 'bad media type parameter';
  return { mediaType: `${type}/${subtype}`, type, subtype, params: paramsOf(s, ps, end), raw: s.slice(0, end) };
}

/** One Reason value (RFC 3326): `SIP ;cause=200 ;text="Call completed elsewhere"`. */
export interface ReasonValue {
  /** Protocol as written ('SIP', 'Q.850'). */
  protocol: string;
  cause: number | undefined;
  text: string | undefined;
  params: Params;
  raw: string;
}

/** Parses a Reason header field value (a list). */
export function parseReasonList(s: string): ReasonValue[] | string {
  const parts = splitList(s);
  if (typeof parts === 'string') return parts;
  const out: ReasonValue[] = [];
  for (let k = 0; k < parts.length; k += 2) {
    const a = parts[k]!;
    const b = parts[k + 1]!;
    const pe = scanToken(s, a, b);
    if (pe === a) return 'bad Reason protocol';
    if (scanParams(s, pe, b) !== b) return 'bad Reason parameter';
    const params = paramsOf(s, pe, b);
    const cause = params.get('cause');
    const causeNum = cause == null ? undefined : parseBoundedInt(cause, 0, cause.length, 65535);
    if (causeNum === -1) return 'bad Reason cause';
    const text = params.get('text');
    out.push({ protocol: s.slice(a, pe), cause: causeNum, text: text ?? undefined, params, raw: s.slice(a, b) });
  }
  return out;
}

/** Parses a comma-separated token list (Supported, Require, Allow, …); an empty value is an empty list. */
export function parseTokenList(s: string): string[] | string {
  const out: string[] = [];
  const a = skipWs(s, 0, s.length);
  if (a === s.length) return out;
  const parts = splitList(s);
  if (typeof parts === 'string') return parts;
  for (let k = 0; k < parts.length; k += 2) {
    const x = parts[k]!;
    const y = parts[k + 1]!;
    if (!allIn(TOKEN, s, x, y)) return 'bad token in list';
    out.push(s.slice(x, y));
  }
  return out;
}

const DATE_RE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (0[1-9]|[12][0-9]|3[01]) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9] GMT$/;

/** Parses an RFC 1123 date with the only zone SIP allows, GMT (RFC 3261 §20.17); undefined when malformed. */
export function parseSipDate(s: string): Date | undefined {
  const t = s.trim();
  if (!DATE_RE.test(t)) return undefined;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
