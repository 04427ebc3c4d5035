// Typed header values: name-addr (From, To, Contact, Route, Diversion, …), Via, CSeq, Call-ID, credentials and
// challenges, media types, Reason, token lists. Parsers never throw: they return the value or a reason string.
// The hot ones (name-addr, Via, CSeq, Call-ID) scan the received bytes and keep offsets, cutting strings only when a
// field is read; the rarely used ones work on the value's text.

import { GENVALUE, HT, SP, TOKEN, WORD, allIn, scanIn, skipWs, trimEnd } from './chars.js';
import { Src, srcOf } from './src.js';
import { type HostType, type Params, type Uri, URI_ST, parseUriAt, scanHost } from './uri.js';

const EMPTY_PARAMS: Params = new Map();

// ------------------------------------------------------------------------------------------------ text helpers

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
 * Scans `*( SEMI generic-param )` in text from `i`; returns the index after the last parameter (trailing white space
 * skipped) or -1; pushes name/value offsets (value -1 when none) to `out` when given.
 */
function scanParamsText(s: string, i: number, end: number, out?: number[]): number {
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
    out?.push(ns, ne, vs, ve);
    i = j;
  }
  return i;
}

/** The parameter map of the text range (validated by `scanParamsText`). */
function paramsOfText(s: string, start: number, end: number): Params {
  if (start >= end) return EMPTY_PARAMS;
  const o: number[] = [];
  const m = new Map<string, string | null>();
  if (scanParamsText(s, start, end, o) < 0) return m;
  for (let k = 0; k < o.length; k += 4) {
    const vs = o[k + 2]!;
    const ve = o[k + 3]!;
    const v = vs < 0 ? null : s.charCodeAt(vs) === 0x22 ? unquote(s, vs, ve) : s.slice(vs, ve);
    m.set(s.slice(o[k], o[k + 1]).toLowerCase(), v);
  }
  return m;
}

/** Ordered `[name as written, value as written]` pairs of the parameters in the text range. */
function paramListOfText(s: string, start: number, end: number): Array<[string, string | null]> {
  const out: Array<[string, string | null]> = [];
  const o: number[] = [];
  if (start >= end || scanParamsText(s, start, end, o) < 0) return out;
  for (let k = 0; k < o.length; k += 4) {
    const vs = o[k + 2]!;
    out.push([s.slice(o[k], o[k + 1]), vs < 0 ? null : s.slice(vs, o[k + 3])]);
  }
  return out;
}

// ------------------------------------------------------------------------------------------------ byte scanners

/**
 * Offsets of the parameters found by the last `scanParams`: name start/end, value start/end (-1: none), in P[0..ST.pn); ST.lastEnd is where the last list element parsed by `nameAddrAt` / `viaAt` stopped.
 * Reused across calls (never shrunk) so scanning parameters allocates nothing.
 */
const P: number[] = [];
/** Mutable scan state shared by the byte parsers (a const object: no binding checks on the hot path). */
const ST = { pn: 0, lastEnd: 0 };

function skipWsB(b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i];
    if (c !== SP && c !== HT) break;
    i++;
  }
  return i;
}

function trimEndB(b: Uint8Array, start: number, end: number): number {
  while (end > start) {
    const c = b[end - 1];
    if (c !== SP && c !== HT) break;
    end--;
  }
  return end;
}

function scanTokenB(b: Uint8Array, i: number, end: number): number {
  while (i < end && TOKEN[b[i]!] === 1) i++;
  return i;
}

/** Index after a quoted string in bytes starting at `i` (the opening quote), or -1. */
function scanQuotedB(b: Uint8Array, i: number, end: number): number {
  i++;
  while (i < end) {
    const c = b[i];
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

/** Case-insensitive equality of bytes `[start, end)` with `lower` (lower-case ASCII). */
function eqLowerB(b: Uint8Array, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    let c = b[start + i]!;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Scans `*( SEMI generic-param )` in bytes from `i`: `;` name [ `=` (token / host / quoted-string) ], white space
 * allowed around `;` and `=`. Fills `P`; returns the index after the last parameter (trailing white space skipped)
 * or -1 when a parameter is malformed.
 */
function scanParams(b: Uint8Array, i: number, end: number): number {
  ST.pn = 0;
  i = skipWsB(b, i, end);
  while (i < end && b[i] === 0x3b) {
    const ns = skipWsB(b, i + 1, end);
    const ne = scanTokenB(b, ns, end);
    if (ne === ns) return -1;
    let j = skipWsB(b, ne, end);
    let vs = -1;
    let ve = -1;
    if (j < end && b[j] === 0x3d) {
      vs = skipWsB(b, j + 1, end);
      if (vs < end && b[vs] === 0x22) {
        ve = scanQuotedB(b, vs, end);
        if (ve < 0) return -1;
      } else {
        ve = vs;
        while (ve < end && GENVALUE[b[ve]!] === 1) ve++;
        if (ve === vs) return -1;
      }
      j = skipWsB(b, ve, end);
    }
    P[ST.pn] = ns;
    P[ST.pn + 1] = ne;
    P[ST.pn + 2] = vs;
    P[ST.pn + 3] = ve;
    ST.pn += 4;
    i = j;
  }
  return i;
}

/** A parameter value at bytes `[vs, ve)` of `src` as text: unquoted when quoted. */
function paramText(src: Src, vs: number, ve: number): string {
  return src.b[vs] === 0x22 ? unquote(src.text(vs, ve), 0, ve - vs) : src.text(vs, ve);
}

// ------------------------------------------------------------------------------------------------ name-addr

/**
 * A name-addr or addr-spec with its header parameters: From, To, Contact, Route, Record-Route, Diversion,
 * History-Info, P-Asserted-Identity, Referred-By, Refer-To.
 */
export class NameAddr {
  private pCache: Params | undefined;
  /**
   * @internal Use the parsers. Byte offsets in `src`: the value `[start, end)`, the display name `[ds, de)` (-1: none;
   * quotes included when quoted), the tag value `[ts, te)` (-1: none), the header parameters from `pStart` to `end`.
   */
  constructor(
    private readonly src: Src,
    private readonly start: number,
    private readonly end: number,
    private readonly ds: number,
    private readonly de: number,
    readonly uri: Uri,
    /** True when the URI was written in angle brackets. */
    readonly bracketed: boolean,
    private readonly ts: number,
    private readonly te: number,
    private readonly pStart: number,
  ) {}

  /** The value as written (one list element). */
  get raw(): string {
    return this.src.text(this.start, this.end);
  }

  /** Display name: unquoted and unescaped, or the tokens as written; undefined when absent. */
  get displayName(): string | undefined {
    if (this.ds < 0) return undefined;
    const t = this.src.text(this.ds, this.de);
    return this.src.b[this.ds] === 0x22 ? unquote(t, 0, t.length) : t;
  }

  /** The `tag` parameter (From, To). */
  get tag(): string | undefined {
    if (this.ts < 0) return undefined;
    return paramText(this.src, this.ts, this.te);
  }

  /** Header parameters (after the URI): names lower-case, quoted values unquoted, `null` when valueless. */
  get params(): Params {
    if (this.pCache === undefined) {
      const t = this.paramText;
      this.pCache = t === '' ? EMPTY_PARAMS : paramsOfText(t, 0, t.length);
    }
    return this.pCache;
  }

  /** The header parameters in order, names and values as written (quotes kept). */
  paramList(): Array<[string, string | null]> {
    const t = this.paramText;
    return paramListOfText(t, 0, t.length);
  }

  /** The parameters as written (`;tag=1;q=0.5`), empty when none. */
  get paramText(): string {
    return this.pStart >= this.end ? '' : this.src.text(this.pStart, this.end);
  }

  toString(): string {
    return this.raw;
  }
}

/**
 * @internal Parses a name-addr / addr-spec in bytes from `start`. In list mode it stops at a top-level comma (setting
 * `ST.lastEnd`); otherwise the value must end at `end`. An addr-spec without brackets ends at the first `;`, white space
 * (or comma in a list) and may not hold `?` (RFC 3261 §20); white space is not allowed inside the brackets
 * (RFC 4475 §3.1.2.14). `maxUri` bounds the URI length (reason 'URI too long').
 */
export function nameAddrAt(src: Src, start: number, end: number, maxUri: number, list: boolean): NameAddr | string {
  const b = src.b;
  let i = skipWsB(b, start, end);
  end = trimEndB(b, i, end);
  if (i >= end) return 'empty value';
  start = i;
  let ds = -1;
  let de = -1;
  let bracketed = false;
  const c = b[i];
  if (c === 0x22) {
    const q = scanQuotedB(b, i, end);
    if (q < 0) return 'unterminated quoted display name';
    ds = i;
    de = q;
    i = skipWsB(b, q, end);
    if (i >= end || b[i] !== 0x3c) return 'expected < after display name';
    bracketed = true;
  } else if (c === 0x3c) {
    bracketed = true;
  } else {
    // Either display-name tokens then "<", or an addr-spec (its scheme is a token followed by ":").
    let j = i;
    for (;;) {
      const te = scanTokenB(b, j, end);
      if (te === j) {
        if (j < end && b[j] === 0x3c && j > i) {
          ds = i;
          de = trimEndB(b, i, j);
          i = j;
          bracketed = true;
          break;
        }
        return 'bad display name';
      }
      if (j === i && te < end && b[te] === 0x3a) break; // addr-spec
      j = skipWsB(b, te, end);
      if (j >= end) return 'bad display name';
      if (b[j] === 0x3c) {
        ds = i;
        de = te;
        i = j;
        bracketed = true;
        break;
      }
      if (j === te) return 'bad display name';
    }
  }
  let uri: Uri | string;
  if (bracketed) {
    // The URI parser stops at the first byte that cannot continue the URI, which must be the ">".
    if (b[i + 1] === SP || b[i + 1] === HT) return 'white space in <>';
    uri = parseUriAt(src, i + 1, end, true);
    if (typeof uri === 'string') return uri;
    const gt = URI_ST.stop;
    if (gt - i - 1 > maxUri) return 'URI too long';
    if (gt >= end) return 'unterminated <';
    if (b[gt] !== 0x3e) return b[gt] === SP || b[gt] === HT ? 'white space in <>' : 'bad character in URI';
    i = gt + 1;
  } else {
    const uriStart = i;
    let k = i;
    while (k < end) {
      const ch = b[k];
      if (ch === 0x3b || ch === SP || ch === HT || (ch === 0x2c && list)) break;
      if (ch === 0x3f || ch === 0x2c) return 'URI with ? or , not in <>';
      k++;
    }
    if (k - uriStart > maxUri) return 'URI too long';
    uri = parseUriAt(src, uriStart, k);
    if (typeof uri === 'string') return uri;
    i = k;
  }
  const pStart = i;
  const pe = scanParams(b, i, end);
  if (pe !== end && (!list || pe < 0 || b[pe] !== 0x2c)) return 'bad header parameter';
  ST.lastEnd = pe;
  let ts = -1;
  let te = -1;
  for (let k = 0; k < ST.pn; k += 4) {
    if (P[k + 1]! - P[k]! === 3 && eqLowerB(b, P[k]!, P[k + 1]!, 'tag')) {
      ts = P[k + 2]!;
      if (ts < 0) return 'tag without value';
      te = P[k + 3]!;
    }
  }
  const vEnd = trimEndB(b, start, pe);
  return new NameAddr(src, start, vEnd, ds, de, uri, bracketed, ts, te, Math.min(pStart, vEnd));
}

/** @internal Parses a list of name-addr values in bytes `[start, end)`; appends to `out`; empty elements are an error. */
export function nameAddrListAt(
  src: Src,
  start: number,
  end: number,
  maxUri: number,
  out: NameAddr[],
): string | undefined {
  const b = src.b;
  let i = skipWsB(b, start, end);
  for (;;) {
    if (i >= end || b[i] === 0x2c) return 'empty list element';
    const na = nameAddrAt(src, i, end, maxUri, true);
    if (typeof na === 'string') return na;
    out.push(na);
    i = ST.lastEnd;
    if (i >= end) return undefined;
    i = skipWsB(b, i + 1, end); // past the comma
  }
}

/** Parses one name-addr / addr-spec (From, To, …) from text, with its parameters. */
export function parseNameAddr(s: string, start = 0, end = s.length, maxUri = Infinity): NameAddr | string {
  const src = srcOf(s.slice(start, end));
  return nameAddrAt(src, 0, src.b.length, maxUri, false);
}

/** Parses a list of name-addr values (Contact, Route, Diversion, …) from text; empty elements are an error. */
export function parseNameAddrList(s: string, maxUri = Infinity): NameAddr[] | string {
  const src = srcOf(s);
  const out: NameAddr[] = [];
  const err = nameAddrListAt(src, 0, src.b.length, maxUri, out);
  return err ?? out;
}

// ------------------------------------------------------------------------------------------------ Via

/** One Via value. */
export class Via {
  private pCache: Params | undefined;
  /**
   * @internal Use the parsers. Byte offsets in `src`: the value `[start, end)`, the sent-by host `[hs, he)`, the
   * branch and received values `[bs, be)`, `[rs, re)` (-1: none); parameters start at `pStart`.
   */
  constructor(
    private readonly src: Src,
    private readonly start: number,
    private readonly end: number,
    /** Protocol name, upper-case ('SIP'). */
    readonly protocol: string,
    /** Protocol version ('2.0'). */
    readonly version: string,
    /** Transport, upper-case ('UDP', 'TCP', 'TLS', 'SCTP', 'WS', or any token). */
    readonly transport: string,
    private readonly hs: number,
    private readonly he: number,
    readonly hostType: HostType,
    readonly port: number | undefined,
    private readonly bs: number,
    private readonly be: number,
    private readonly rs: number,
    private readonly re: number,
    /** rport (RFC 3581): `true` when present without value, the port when filled in, undefined when absent. */
    readonly rport: number | true | undefined,
    private readonly pStart: number,
  ) {}

  /** The value as written (one list element). */
  get raw(): string {
    return this.src.text(this.start, this.end);
  }

  /** sent-by host as written (an IPv6 reference keeps its brackets). */
  get host(): string {
    return this.src.text(this.hs, this.he);
  }

  /** The sent-by host without IPv6 brackets. */
  get hostname(): string {
    const h = this.host;
    return this.hostType === 'ipv6' ? h.slice(1, -1) : h;
  }

  /** The branch parameter (transaction id; `z9hG4bK…` for RFC 3261 peers). */
  get branch(): string | undefined {
    if (this.bs < 0) return undefined;
    return paramText(this.src, this.bs, this.be);
  }

  /** The received parameter (RFC 3261 §18.2.1). */
  get received(): string | undefined {
    return this.rs < 0 ? undefined : paramText(this.src, this.rs, this.re);
  }

  /** Every parameter: names lower-case, quoted values unquoted, `null` when valueless. */
  get params(): Params {
    if (this.pCache === undefined) {
      const t = this.pStart >= this.end ? '' : this.src.text(this.pStart, this.end);
      this.pCache = t === '' ? EMPTY_PARAMS : paramsOfText(t, 0, t.length);
    }
    return this.pCache;
  }

  /** The parameters in order, names and values as written. */
  paramList(): Array<[string, string | null]> {
    const t = this.pStart >= this.end ? '' : this.src.text(this.pStart, this.end);
    return paramListOfText(t, 0, t.length);
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

const COMMON_UPPER = ['SIP', 'UDP', 'TCP', 'TLS', 'SCTP', 'WS', 'WSS'];

/** Bytes `[a, z)` as an upper-case string, without allocating for the common Via tokens. */
function upperToken(src: Src, a: number, z: number): string {
  const b = src.b;
  outer: for (let k = 0; k < COMMON_UPPER.length; k++) {
    const t = COMMON_UPPER[k]!;
    if (t.length !== z - a) continue;
    for (let i = 0; i < t.length; i++) if ((b[a + i]! & 0xdf) !== t.charCodeAt(i)) continue outer;
    return t;
  }
  return src.text(a, z).toUpperCase();
}

/** Parses a port or rport value: 1*5DIGIT up to 65535, or -1. */
function portValue(b: Uint8Array, i: number, end: number): number {
  if (i >= end || end - i > 5) return -1;
  let v = 0;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + (c - 0x30);
  }
  return v > 65535 ? -1 : v;
}

/**
 * @internal Parses a Via value in bytes from `start`: `protocol / version / transport LWS host [: port] *params`;
 * in list mode stops at a top-level comma (setting `ST.lastEnd`).
 */
export function viaAt(src: Src, start: number, end: number, list: boolean): Via | string {
  const b = src.b;
  let i = skipWsB(b, start, end);
  end = trimEndB(b, i, end);
  start = i;
  const pn = i;
  i = scanTokenB(b, i, end);
  if (i === pn) return 'bad Via protocol';
  const protocol = upperToken(src, pn, i);
  i = skipWsB(b, i, end);
  if (b[i] !== 0x2f) return 'bad Via protocol';
  i = skipWsB(b, i + 1, end);
  const vs = i;
  i = scanTokenB(b, i, end);
  if (i === vs) return 'bad Via version';
  const version = i - vs === 3 && b[vs] === 0x32 && b[vs + 1] === 0x2e && b[vs + 2] === 0x30 ? '2.0' : src.text(vs, i);
  i = skipWsB(b, i, end);
  if (b[i] !== 0x2f) return 'bad Via transport';
  i = skipWsB(b, i + 1, end);
  const ts = i;
  i = scanTokenB(b, i, end);
  if (i === ts) return 'bad Via transport';
  const transport = upperToken(src, ts, i);
  const hs = skipWsB(b, i, end);
  if (hs === i) return 'no white space before Via sent-by';
  const he = scanHost(b, hs, end);
  if (he < 0) return 'bad Via host';
  const hostType = URI_ST.hostType;
  i = skipWsB(b, he, end);
  let port: number | undefined;
  if (i < end && b[i] === 0x3a) {
    i = skipWsB(b, i + 1, end);
    const p = i;
    while (i < end && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
    const v = portValue(b, p, i);
    if (v < 0) return 'bad Via port';
    port = v;
  }
  const pStart = i;
  const pe = scanParams(b, i, end);
  if (pe !== end && (!list || pe < 0 || b[pe] !== 0x2c)) return 'bad Via parameter';
  ST.lastEnd = pe;
  let bs = -1;
  let be = -1;
  let rs = -1;
  let re = -1;
  let rport: number | true | undefined;
  for (let k = 0; k < ST.pn; k += 4) {
    const ns = P[k]!;
    const ne = P[k + 1]!;
    const len = ne - ns;
    if (len === 6 && eqLowerB(b, ns, ne, 'branch')) {
      bs = P[k + 2]!;
      if (bs < 0) return 'branch without value';
      be = P[k + 3]!;
    } else if (len === 8 && eqLowerB(b, ns, ne, 'received')) {
      rs = P[k + 2]!;
      if (rs < 0) return 'received without value';
      re = P[k + 3]!;
    } else if (len === 5 && eqLowerB(b, ns, ne, 'rport')) {
      const v0 = P[k + 2]!;
      if (v0 < 0) rport = true;
      else {
        const v = portValue(b, v0, P[k + 3]!);
        if (v < 0) return 'bad rport';
        rport = v;
      }
    } else if (len === 3 && eqLowerB(b, ns, ne, 'ttl')) {
      const v0 = P[k + 2]!;
      const v = v0 < 0 ? -1 : portValue(b, v0, P[k + 3]!);
      if (v < 0 || v > 255) return 'bad ttl';
    }
  }
  const vEnd = trimEndB(b, start, pe);
  return new Via(
    src,
    start,
    vEnd,
    protocol,
    version,
    transport,
    hs,
    he,
    hostType,
    port,
    bs,
    be,
    rs,
    re,
    rport,
    Math.min(pStart, vEnd),
  );
}

/** @internal Parses a Via field in bytes `[start, end)` (one or more values); appends to `out`. */
export function viaListAt(src: Src, start: number, end: number, out: Via[]): string | undefined {
  const b = src.b;
  let i = skipWsB(b, start, end);
  for (;;) {
    if (i >= end || b[i] === 0x2c) return 'empty Via value';
    const v = viaAt(src, i, end, true);
    if (typeof v === 'string') return v;
    out.push(v);
    i = ST.lastEnd;
    if (i >= end) return undefined;
    i = skipWsB(b, i + 1, end);
  }
}

/** Parses one Via value from text. */
export function parseViaValue(s: string, start = 0, end = s.length): Via | string {
  const src = srcOf(s.slice(start, end));
  return viaAt(src, 0, src.b.length, false);
}

/** Parses a Via header field value (one or more comma-separated values) from text; appends to `out`. */
export function parseViaList(s: string, out: Via[]): string | undefined {
  const src = srcOf(s);
  return viaListAt(src, 0, src.b.length, out);
}

// ------------------------------------------------------------------------------------------------ scalars

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

/** Bytes version of `parseBoundedInt`. */
function boundedIntB(b: Uint8Array, start: number, end: number, max: number): number {
  if (start >= end) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + (c - 0x30);
    if (v > max) return -1;
  }
  return v;
}

const U32 = 4294967295;

/** @internal Parses a CSeq value (`1*DIGIT LWS Method`) in bytes; the number at most 2^32-1 (RFC 3261 §8.1.1.5). */
export function cseqAt(src: Src, start: number, end: number): CSeq | string {
  const b = src.b;
  let i = skipWsB(b, start, end);
  end = trimEndB(b, i, end);
  const ds = i;
  while (i < end && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
  const seq = boundedIntB(b, ds, i, U32);
  if (seq < 0) return i === ds ? 'bad CSeq number' : 'CSeq number too large';
  const ms = skipWsB(b, i, end);
  if (ms === i) return 'bad CSeq';
  const me = scanTokenB(b, ms, end);
  if (me === ms || me !== end) return 'bad CSeq method';
  return { seq, method: methodText(src, ms, me) };
}

const COMMON_METHODS = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'REGISTER', 'OPTIONS', 'PRACK', 'UPDATE', 'INFO', 'REFER'];

/** A method token as a string, without allocating for the common methods. */
function methodText(src: Src, a: number, z: number): string {
  const b = src.b;
  outer: for (let k = 0; k < COMMON_METHODS.length; k++) {
    const m = COMMON_METHODS[k]!;
    if (m.length !== z - a) continue;
    for (let i = 0; i < m.length; i++) if (b[a + i] !== m.charCodeAt(i)) continue outer;
    return m;
  }
  return src.text(a, z);
}

/** Parses a CSeq value from text. */
export function parseCSeq(s: string): CSeq | string {
  const src = srcOf(s);
  return cseqAt(src, 0, src.b.length);
}

/** @internal Parses a whole-value unsigned integer in bytes (Max-Forwards ≤ 255, Expires ≤ 2^32-1, …); -1 when invalid. */
export function uintAt(b: Uint8Array, start: number, end: number, max: number): number {
  const a = skipWsB(b, start, end);
  return boundedIntB(b, a, trimEndB(b, a, end), max);
}

/** Parses a whole-value unsigned integer from text; -1 when invalid. */
export function parseUIntValue(s: string, max: number): number {
  const a = skipWs(s, 0, s.length);
  return parseBoundedInt(s, a, trimEnd(s, a, s.length), max);
}

/** @internal Parses Call-ID (`word [ "@" word ]`) in bytes; returns the trimmed value or undefined. */
export function callIdAt(src: Src, start: number, end: number): string | undefined {
  const b = src.b;
  const a = skipWsB(b, start, end);
  const z = trimEndB(b, a, end);
  if (a >= z) return undefined;
  let at = -1;
  for (let i = a; i < z; i++) {
    const c = b[i]!;
    if (WORD[c] === 1) continue;
    if (c !== 0x40 || at >= 0 || i === a || i === z - 1) return undefined;
    at = i;
  }
  return src.text(a, z);
}

/** Parses Call-ID from text; returns the trimmed value or undefined. */
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

// ------------------------------------------------------------------------------------------------ cold parsers (text)

function scanToken(s: string, i: number, end: number): number {
  return scanIn(TOKEN, s, i, end);
}

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
export function parseAuth(s: string, start = 0, end = s.length): AuthValue | string {
  let i = skipWs(s, start, end);
  end = trimEnd(s, i, end);
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
  const t = s.slice(i, end);
  if (/^[A-Za-z0-9\-._~+/]+=*$/.test(t)) return { scheme, params, token68: t, raw };
  for (;;) {
    const ns = i;
    const ne = scanToken(s, ns, end);
    let j = skipWs(s, ne, end);
    if (ne === ns || j >= end || s.charCodeAt(j) !== 0x3d) return 'bad auth parameter';
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
export function parseMediaType(s: string, start = 0, end = s.length): MediaType | string {
  let i = skipWs(s, start, end);
  end = trimEnd(s, i, end);
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
  if (scanParamsText(s, i, end) !== end) return 'bad media type parameter';
  return { mediaType: `${type}/${subtype}`, type, subtype, params: paramsOfText(s, ps, end), raw: s.slice(ts, end) };
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
export function parseReasonList(s: string, start = 0, end = s.length): ReasonValue[] | string {
  const parts = splitList(s, start, end);
  if (typeof parts === 'string') return parts;
  const out: ReasonValue[] = [];
  for (let k = 0; k < parts.length; k += 2) {
    const a = parts[k]!;
    const b = parts[k + 1]!;
    const pe = scanToken(s, a, b);
    if (pe === a) return 'bad Reason protocol';
    if (scanParamsText(s, pe, b) !== b) return 'bad Reason parameter';
    const params = paramsOfText(s, pe, b);
    const cause = params.get('cause');
    const causeNum = cause == null ? undefined : parseBoundedInt(cause, 0, cause.length, 65535);
    if (causeNum === -1) return 'bad Reason cause';
    const text = params.get('text');
    out.push({ protocol: s.slice(a, pe), cause: causeNum, text: text ?? undefined, params, raw: s.slice(a, b) });
  }
  return out;
}

/** Parses a comma-separated token list (Supported, Require, Allow, …); an empty value is an empty list. */
export function parseTokenList(s: string, start = 0, end = s.length, out: string[] = []): string[] | string {
  const a = skipWs(s, start, end);
  if (a === end) return out;
  const parts = splitList(s, start, end);
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
