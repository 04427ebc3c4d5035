// SIP, SIPS and tel URIs (RFC 3261 §19.1, RFC 3966), and any other scheme kept opaque (RFC 4475 §3.3.4: isbn:,
// http:, name: in From/To/Contact must parse). Validation is one pass over the bytes recording offsets; the user,
// host, parameter and header strings are cut only when read, so a URI nobody inspects costs its check only.

import { isIPv6 } from 'node:net';
import { latin1 } from './bytes.js';
import { HEX, HNVCHAR, HOSTNAME, PARAMCHAR, PASSWORD, SCHEME, TELCHAR, URIC, USER } from './chars.js';
import { Src, srcOf } from './src.js';

/** URI or header parameters: names in lower case, values %-decoded; `null` for a parameter without value (`;lr`). */
export type Params = ReadonlyMap<string, string | null>;

const EMPTY_PARAMS: Params = new Map();
const EMPTY_HEADERS: ReadonlyMap<string, string> = new Map();

/** What the host of a URI or Via is. */
export type HostType = 'name' | 'ipv4' | 'ipv6';

/**
 * A sip: or sips: URI. `user` and `password` are %-decoded once (never recursively, RFC 4475 §3.1.1.3);
 * `userRaw` keeps the user as written. `host` is as written (an IPv6 reference keeps its brackets).
 */
export class SipUri {
  private pCache: Params | undefined;
  private hCache: ReadonlyMap<string, string> | undefined;

  /**
   * @internal Use `parseUri`. Byte offsets in `src`: the URI `[start, end)`, user `[us, ue)` and password `[ps, pe)`
   * (-1: none), host `[hs, he)`, where ";params" (`pStart`) and "?headers" (`hStart`) begin (-1: none). Strings are
   * cut when read (a slice of the message text: cheaper than keeping them).
   */
  constructor(
    private readonly src: Src,
    private readonly start: number,
    private readonly end: number,
    readonly scheme: 'sip' | 'sips',
    private readonly us: number,
    private readonly ue: number,
    private readonly ps: number,
    private readonly pe: number,
    private readonly hs: number,
    private readonly he: number,
    readonly hostType: HostType,
    /** Port, when written. */
    readonly port: number | undefined,
    private readonly pStart: number,
    private readonly hStart: number,
  ) {}

  get kind(): 'sip' {
    return 'sip';
  }

  /** The URI exactly as written. */
  get raw(): string {
    return this.src.text(this.start, this.end);
  }

  /** User part, %-decoded (may hold any character, NUL included: RFC 4475 §3.1.1.4); undefined when absent. */
  get user(): string | undefined {
    if (this.us < 0) return undefined;
    return percentDecode(this.src.text(this.us, this.ue));
  }

  /** User part as written. */
  get userRaw(): string | undefined {
    return this.us < 0 ? undefined : this.src.text(this.us, this.ue);
  }

  /** Password, %-decoded. */
  get password(): string | undefined {
    return this.ps < 0 ? undefined : percentDecode(this.src.text(this.ps, this.pe));
  }

  /** Host as written: a name, an IPv4 address, or an IPv6 reference in brackets. */
  get host(): string {
    return this.src.text(this.hs, this.he);
  }

  /** URI parameters (`;transport=tcp`, `;lr`, `;user=phone`): names lower-case, values %-decoded. */
  get params(): Params {
    if (this.pCache === undefined) {
      const end = this.hStart < 0 ? this.end : this.hStart;
      this.pCache = this.pStart < 0 ? EMPTY_PARAMS : parseParamText(this.src.text(this.pStart, end), ';');
    }
    return this.pCache;
  }

  /** URI headers (`?Route=%3Csip:x%3E&a=b`): names as written, values %-decoded. */
  get headers(): ReadonlyMap<string, string> {
    if (this.hCache === undefined) {
      if (this.hStart < 0) this.hCache = EMPTY_HEADERS;
      else {
        const m = new Map<string, string>();
        for (const [k, v] of parseParamText(this.src.text(this.hStart, this.end), '&', false)) m.set(k, v ?? '');
        this.hCache = m;
      }
    }
    return this.hCache;
  }

  /** True when the URI has a headers component (`?…`). */
  get hasHeaders(): boolean {
    return this.hStart >= 0;
  }

  /** The host without IPv6 brackets, as a socket wants it. */
  get hostname(): string {
    const h = this.host;
    return this.hostType === 'ipv6' ? h.slice(1, -1) : h;
  }

  toString(): string {
    return this.raw;
  }
}

/** A tel: URI (RFC 3966): `number` %-decoded, visual separators kept. */
export class TelUri {
  private pCache: Params | undefined;
  /** @internal Use `parseUri`. */
  constructor(
    /** The URI as written. */
    readonly raw: string,
    /** The telephone-subscriber part, %-decoded (`+1-201-555-0123`). */
    readonly number: string,
    /** Where ";params" begin in `raw` (-1: none). */
    private readonly pStart: number,
  ) {}

  get kind(): 'tel' {
    return 'tel';
  }

  get scheme(): 'tel' {
    return 'tel';
  }

  /** Parameters (`;phone-context=…`, `;ext=…`). */
  get params(): Params {
    if (this.pCache === undefined) {
      this.pCache = this.pStart < 0 ? EMPTY_PARAMS : parseParamText(this.raw.slice(this.pStart), ';');
    }
    return this.pCache;
  }

  toString(): string {
    return this.raw;
  }
}

/** A URI of any other scheme, kept opaque. */
export class OtherUri {
  /** @internal Use `parseUri`. */
  constructor(
    /** The URI as written. */
    readonly raw: string,
    /** Scheme in lower case. */
    readonly scheme: string,
    /** Everything after the first colon. */
    readonly opaque: string,
  ) {}

  get kind(): 'other' {
    return 'other';
  }

  toString(): string {
    return this.raw;
  }
}

/** Any parsed URI; switch on `kind`. */
export type Uri = SipUri | TelUri | OtherUri;

/** Outcome of `parseUri`. */
export type UriResult = { ok: true; uri: Uri } | { ok: false; reason: string };

/** Parses a URI (any scheme). `maxLength` bounds the text (default: no bound beyond the message limits). */
export function parseUri(text: string, maxLength = Infinity): UriResult {
  if (text.length > maxLength) return { ok: false, reason: 'URI too long' };
  const r = parseUriText(text);
  return typeof r === 'string' ? { ok: false, reason: r } : { ok: true, uri: r };
}

/** @internal Parses `text` (the whole string is the URI); returns the URI or a reason string. */
export function parseUriText(text: string): Uri | string {
  const src = srcOf(text);
  return parseUriAt(src, 0, src.b.length);
}

/**
 * @internal Parses the URI in bytes `[start, end)` of `src`; returns the URI or a reason string. In prefix mode the
 * URI may end before `end` (at the first byte that cannot continue it, e.g. the ">" of a name-addr): `URI_ST.stop` says
 * where.
 */
export function parseUriAt(src: Src, start: number, end: number, prefix = false): Uri | string {
  const b = src.b;
  let colon = start;
  while (colon < end && b[colon] !== 0x3a) colon++;
  if (colon >= end || colon === start) return 'no scheme';
  const c0 = b[start]! | 0x20;
  if (c0 < 0x61 || c0 > 0x7a) return 'bad scheme';
  for (let i = start + 1; i < colon; i++) if (SCHEME[b[i]!] === 0) return 'bad scheme';
  const slen = colon - start;
  if (slen === 3 || slen === 4) {
    const c1 = b[start + 1]! | 0x20;
    const c2 = b[start + 2]! | 0x20;
    if (c0 === 0x73 && c1 === 0x69 && c2 === 0x70) {
      if (slen === 3) return parseSip(src, 'sip', start, colon + 1, end, prefix);
      if ((b[start + 3]! | 0x20) === 0x73) return parseSip(src, 'sips', start, colon + 1, end, prefix);
    } else if (slen === 3 && c0 === 0x74 && c1 === 0x65 && c2 === 0x6c) {
      return parseTel(src, start, colon + 1, end, prefix);
    }
  }
  let i = colon + 1;
  while (i < end && URIC[b[i]!] === 1) i++;
  if (i === colon + 1) return 'empty URI';
  if (i !== end) {
    if (!prefix) return 'bad character in URI';
    end = i;
  }
  URI_ST.stop = end;
  const raw = src.text(start, end);
  return new OtherUri(raw, raw.slice(0, slen).toLowerCase(), raw.slice(slen + 1));
}

/** Index after a run of bytes of table `t` with valid %HH escapes; -1 on a bad escape. */
function scanEscaped(t: Uint8Array, b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i]!;
    if (t[c] === 0) break;
    if (c === 0x25) {
      if (i + 2 >= end || HEX[b[i + 1]!] === 255 || HEX[b[i + 2]!] === 255) return -1;
      i += 3;
      continue;
    }
    i++;
  }
  return i;
}

/**
 * @internal Results parsers leave beside their return value (a const object: cheaper to read across modules than
 * exported variables): the type of the host last scanned by `scanHost`, where the last prefix-mode `parseUriAt`
 * stopped.
 */
export const URI_ST: { hostType: HostType; stop: number } = { hostType: 'name', stop: 0 };

/** 0: not a host character, 1: digit or dot, 2: other host-name character. */
const HOSTCLASS = (() => {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) if (HOSTNAME[c]) t[c] = (c >= 0x30 && c <= 0x39) || c === 0x2e ? 1 : 2;
  return t;
})();

/**
 * @internal Scans a host (name, IPv4, or IPv6 reference in brackets) in bytes from `i`; returns the index after it
 * or -1. Sets `URI_ST.hostType`.
 */
export function scanHost(b: Uint8Array, i: number, end: number): number {
  if (i >= end) return -1;
  if (b[i] === 0x5b) {
    let close = i + 1;
    while (close < end && b[close] !== 0x5d) close++;
    if (close >= end || close - i > 64) return -1;
    if (!isIPv6(latin1(b as Buffer, i + 1, close))) return -1;
    URI_ST.hostType = 'ipv6';
    return close + 1;
  }
  const start = i;
  let digitsAndDots = true;
  while (i < end) {
    const k = HOSTCLASS[b[i]!]!;
    if (k === 0) break;
    if (k === 2) digitsAndDots = false;
    i++;
  }
  if (i === start) return -1;
  const first = b[start];
  if (first === 0x2e || first === 0x2d) return -1;
  if (digitsAndDots) {
    if (!isIPv4(b, start, i)) return -1;
    URI_ST.hostType = 'ipv4';
  } else URI_ST.hostType = 'name';
  return i;
}

/** True when bytes `[start, end)` are a dotted-quad IPv4 address. */
export function isIPv4(b: Uint8Array, start: number, end: number): boolean {
  let parts = 0;
  let i = start;
  while (i < end) {
    let v = 0;
    const p = i;
    while (i < end) {
      const c = b[i]!;
      if (c < 0x30 || c > 0x39) break;
      v = v * 10 + (c - 0x30);
      i++;
    }
    if (i === p || i - p > 3 || v > 255) return false;
    parts++;
    if (i < end) {
      if (b[i] !== 0x2e || parts === 4) return false;
      i++;
      if (i === end) return false;
    }
  }
  return parts === 4;
}

/** True when `s` is a dotted-quad IPv4 address. */
export function isIPv4Text(s: string): boolean {
  const b = Buffer.from(s, 'latin1');
  return isIPv4(b, 0, b.length);
}

function parseSip(
  src: Src,
  scheme: 'sip' | 'sips',
  start: number,
  r: number,
  end: number,
  prefix: boolean,
): SipUri | string {
  const b = src.b;
  let us = -1;
  let ue = -1;
  let ps = -1;
  let pe = -1;
  let h = r;
  // userinfo, if any, ends at "@": scan user characters (then password ones after ":") and see where they stop.
  const u = scanEscaped(USER, b, r, end);
  if (u >= 0 && u < end) {
    if (b[u] === 0x40) {
      if (u === r) return 'empty user';
      us = r;
      ue = u;
      h = u + 1;
    } else if (b[u] === 0x3a) {
      const p = scanEscaped(PASSWORD, b, u + 1, end);
      if (p >= 0 && p < end && b[p] === 0x40) {
        if (u === r) return 'empty user';
        us = r;
        ue = u;
        ps = u + 1;
        pe = p;
        h = p + 1;
      }
    }
  }
  const he = scanHost(b, h, end);
  if (he < 0) return 'bad host';
  const hostType = URI_ST.hostType;
  let i = he;
  let port: number | undefined;
  if (i < end && b[i] === 0x3a) {
    let v = 0;
    const p = ++i;
    while (i < end) {
      const c = b[i]!;
      if (c < 0x30 || c > 0x39) break;
      v = v * 10 + (c - 0x30);
      if (v > 65535) return 'bad port';
      i++;
    }
    if (i === p) return 'bad port';
    port = v;
  }
  let pStart = -1;
  let hStart = -1;
  if (i < end && b[i] === 0x3b) {
    pStart = i;
    while (i < end && b[i] === 0x3b) {
      const ne = scanEscaped(PARAMCHAR, b, i + 1, end);
      if (ne <= i + 1) return 'bad URI parameter';
      i = ne;
      if (i < end && b[i] === 0x3d) {
        const ve = scanEscaped(PARAMCHAR, b, i + 1, end);
        if (ve <= i + 1) return 'bad URI parameter value';
        i = ve;
      }
    }
  }
  if (i < end && b[i] === 0x3f) {
    hStart = i;
    do {
      const ne = scanEscaped(HNVCHAR, b, i + 1, end);
      if (ne <= i + 1 || ne >= end || b[ne] !== 0x3d) return 'bad URI header';
      const ve = scanEscaped(HNVCHAR, b, ne + 1, end);
      if (ve < 0) return 'bad URI header value';
      i = ve;
    } while (i < end && b[i] === 0x26);
  }
  if (i !== end) {
    if (!prefix) return 'bad character in URI';
    end = i;
  }
  URI_ST.stop = end;
  return new SipUri(src, start, end, scheme, us, ue, ps, pe, h, he, hostType, port, pStart, hStart);
}

function parseTel(src: Src, start: number, r: number, end: number, prefix: boolean): TelUri | string {
  const b = src.b;
  const ne = scanEscaped(TELCHAR, b, r, end);
  if (ne <= r) return 'bad telephone number';
  let i = ne;
  const pStart = i < end ? i - start : -1;
  while (i < end && b[i] === 0x3b) {
    const pe = scanEscaped(PARAMCHAR, b, i + 1, end);
    if (pe <= i + 1) return 'bad tel parameter';
    i = pe;
    if (i < end && b[i] === 0x3d) {
      const ve = scanEscaped(PARAMCHAR, b, i + 1, end);
      if (ve <= i + 1) return 'bad tel parameter value';
      i = ve;
    }
  }
  if (i !== end) {
    if (!prefix) return 'bad character in tel URI';
    end = i;
  }
  URI_ST.stop = end;
  return new TelUri(src.text(start, end), percentDecode(src.text(r, ne)), pStart);
}

/**
 * @internal Parses validated `sep`-separated `name[=value]` items of `text` (which starts with a separator) into a
 * map; names lower-cased unless `lowerNames` is false; everything %-decoded once.
 */
export function parseParamText(text: string, sep: ';' | '&', lowerNames = true): Map<string, string | null> {
  const m = new Map<string, string | null>();
  for (const item of text.slice(1).split(sep)) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    const name = percentDecode(eq < 0 ? item : item.slice(0, eq));
    m.set(lowerNames ? name.toLowerCase() : name, eq < 0 ? null : percentDecode(item.slice(eq + 1)));
  }
  return m;
}

/**
 * Decodes %HH escapes once (never recursively). Bytes that form UTF-8 become their characters; a byte sequence that
 * is not UTF-8 is kept byte for byte (each byte as the char of the same code), so nothing is lost. Text without "%"
 * comes back unchanged; a "%" not followed by two hex digits is kept as written.
 */
export function percentDecode(s: string): string {
  if (s.indexOf('%') < 0) return s;
  const src = Buffer.from(s, 'utf8');
  const out = Buffer.allocUnsafe(src.length);
  let n = 0;
  let high = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === 0x25 && i + 2 < src.length) {
      const a = HEX[src[i + 1]!]!;
      const b = HEX[src[i + 2]!]!;
      if (a !== 255 && b !== 255) {
        const v = (a << 4) | b;
        if (v >= 0x80) high = true;
        out[n++] = v;
        i += 2;
        continue;
      }
    }
    if (c >= 0x80) high = true;
    out[n++] = c;
  }
  if (!high) return latin1(out, 0, n);
  try {
    return STRICT_UTF8.decode(out.subarray(0, n));
  } catch {
    return latin1(out, 0, n);
  }
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
