// SIP, SIPS and tel URIs (RFC 3261 §19.1, RFC 3966), and any other scheme kept opaque (RFC 4475 §3.3.4: isbn:,
// http:, name: in From/To/Contact must parse). Validation is one pass over the text; parameter and header maps are
// built only when read, so a message whose URIs nobody inspects pays for the check only.

import { HEX, HNVCHAR, HOSTNAME, PARAMCHAR, PASSWORD, SCHEME, TELCHAR, URIC, USER } from './chars.js';
import { isIPv6 } from 'node:net';
import { latin1 } from './bytes.js';

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
  readonly kind = 'sip' as const;
  /** @internal offsets of ";params" and "?headers" in `raw` (-1 when absent). */
  private readonly pStart: number;
  private readonly hStart: number;
  private pCache: Params | undefined;
  private hCache: ReadonlyMap<string, string> | undefined;

  constructor(
    /** The URI exactly as written. */
    readonly raw: string,
    readonly scheme: 'sip' | 'sips',
    /** User part, %-decoded (may hold any character, NUL included: RFC 4475 §3.1.1.4). */
    readonly user: string | undefined,
    /** User part as written. */
    readonly userRaw: string | undefined,
    /** Password, %-decoded. */
    readonly password: string | undefined,
    /** Host as written: a name, an IPv4 address, or an IPv6 reference in brackets. */
    readonly host: string,
    readonly hostType: HostType,
    /** Port, when written. */
    readonly port: number | undefined,
    pStart: number,
    hStart: number,
  ) {
    this.pStart = pStart;
    this.hStart = hStart;
  }

  /** URI parameters (`;transport=tcp`, `;lr`, `;user=phone`): names lower-case, values %-decoded. */
  get params(): Params {
    if (this.pCache === undefined) {
      const end = this.hStart < 0 ? this.raw.length : this.hStart;
      this.pCache = this.pStart < 0 ? EMPTY_PARAMS : parseParamText(this.raw, this.pStart, end, ';');
    }
    return this.pCache;
  }

  /** URI headers (`?Route=%3Csip:x%3E&a=b`): names as written, values %-decoded. */
  get headers(): ReadonlyMap<string, string> {
    if (this.hCache === undefined) {
      if (this.hStart < 0) this.hCache = EMPTY_HEADERS;
      else {
        const m = new Map<string, string>();
        for (const [k, v] of parseParamText(this.raw, this.hStart, this.raw.length, '&', false)) m.set(k, v ?? '');
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
    return this.hostType === 'ipv6' ? this.host.slice(1, -1) : this.host;
  }

  toString(): string {
    return this.raw;
  }
}

/** A tel: URI (RFC 3966): `number` %-decoded, visual separators kept. */
export class TelUri {
  readonly kind = 'tel' as const;
  readonly scheme = 'tel' as const;
  private readonly pStart: number;
  private pCache: Params | undefined;
  constructor(
    readonly raw: string,
    /** The telephone-subscriber part, %-decoded (`+1-201-555-0123`). */
    readonly number: string,
    pStart: number,
  ) {
    this.pStart = pStart;
  }

  /** Parameters (`;phone-context=…`, `;ext=…`). */
  get params(): Params {
    if (this.pCache === undefined) {
      this.pCache = this.pStart < 0 ? EMPTY_PARAMS : parseParamText(this.raw, this.pStart, this.raw.length, ';');
    }
    return this.pCache;
  }

  toString(): string {
    return this.raw;
  }
}

/** A URI of any other scheme, kept opaque. */
export class OtherUri {
  readonly kind = 'other' as const;
  constructor(
    readonly raw: string,
    /** Scheme in lower case. */
    readonly scheme: string,
    /** Everything after the first colon. */
    readonly opaque: string,
  ) {}

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
  const end = text.length;
  const colon = text.indexOf(':');
  if (colon <= 0) return 'no scheme';
  const c0 = text.charCodeAt(0) | 0x20;
  if (c0 < 0x61 || c0 > 0x7a) return 'bad scheme';
  for (let i = 1; i < colon; i++) {
    const c = text.charCodeAt(i);
    if (c > 255 || SCHEME[c] === 0) return 'bad scheme';
  }
  if (colon === 3 && (c0 === 0x73 || c0 === 0x74)) {
    const scheme = text.slice(0, 3).toLowerCase();
    if (scheme === 'sip') return parseSip(text, 'sip', 4, end);
    if (scheme === 'tel') return parseTel(text, 4, end);
  } else if (colon === 4 && c0 === 0x73 && text.slice(0, 4).toLowerCase() === 'sips') {
    return parseSip(text, 'sips', 5, end);
  }
  if (colon + 1 >= end) return 'empty URI';
  for (let i = colon + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c > 255 || URIC[c] === 0) return 'bad character in URI';
  }
  return new OtherUri(text, text.slice(0, colon).toLowerCase(), text.slice(colon + 1));
}

/** Index after a run of chars of table `t` with valid %HH escapes; -1 on a bad escape. */
function scanEscaped(t: Uint8Array, s: string, i: number, end: number): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c > 255 || t[c] === 0) break;
    if (c === 0x25) {
      if (i + 2 >= end) return -1;
      const a = s.charCodeAt(i + 1);
      const b = s.charCodeAt(i + 2);
      if (a > 255 || b > 255 || HEX[a] === 255 || HEX[b] === 255) return -1;
      i += 3;
      continue;
    }
    i++;
  }
  return i;
}

/** @internal Type of the host last scanned by `scanHost` (avoids an allocation per call). */
export let lastHostType: HostType = 'name';

/**
 * @internal Scans a host (name, IPv4, or IPv6 reference in brackets) from `i`; returns the index after it or -1.
 * Sets `lastHostType`.
 */
export function scanHost(s: string, i: number, end: number): number {
  if (i >= end) return -1;
  if (s.charCodeAt(i) === 0x5b) {
    const close = s.indexOf(']', i);
    if (close < 0 || close >= end) return -1;
    if (!isIPv6(s.slice(i + 1, close))) return -1;
    lastHostType = 'ipv6';
    return close + 1;
  }
  const start = i;
  let digitsAndDots = true;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c > 255 || HOSTNAME[c] === 0) break;
    if (c !== 0x2e && (c < 0x30 || c > 0x39)) digitsAndDots = false;
    i++;
  }
  if (i === start) return -1;
  const first = s.charCodeAt(start);
  if (first === 0x2e || first === 0x2d) return -1;
  if (digitsAndDots) {
    if (!isIPv4(s, start, i)) return -1;
    lastHostType = 'ipv4';
  } else lastHostType = 'name';
  return i;
}

/** True when `s[start..end)` is a dotted-quad IPv4 address. */
export function isIPv4(s: string, start: number, end: number): boolean {
  let parts = 0;
  let i = start;
  while (i < end) {
    let v = 0;
    const p = i;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      v = v * 10 + (c - 0x30);
      i++;
    }
    if (i === p || i - p > 3 || v > 255) return false;
    parts++;
    if (i < end) {
      if (s.charCodeAt(i) !== 0x2e || parts === 4) return false;
      i++;
      if (i === end) return false;
    }
  }
  return parts === 4;
}

/** @internal Scans ":port" digits from `i` (after the colon); returns the port or -1. */
function scanPortValue(s: string, i: number, end: number): number {
  let v = 0;
  const p = i;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    v = v * 10 + (c - 0x30);
    if (v > 65535) return -1;
    i++;
  }
  return i === p ? -1 : v;
}

function parseSip(s: string, scheme: 'sip' | 'sips', r: number, end: number): SipUri | string {
  let user: string | undefined;
  let userRaw: string | undefined;
  let password: string | undefined;
  let h = r;
  const at = s.indexOf('@', r);
  if (at >= 0 && at < end) {
    const ue = scanEscaped(USER, s, r, at);
    if (ue < 0) return 'bad escape in user';
    if (ue === r) return 'empty user';
    userRaw = s.slice(r, ue);
    user = percentDecode(userRaw);
    if (ue < at) {
      if (s.charCodeAt(ue) !== 0x3a) return 'bad character in user';
      const pe = scanEscaped(PASSWORD, s, ue + 1, at);
      if (pe !== at) return 'bad character in password';
      password = percentDecode(s.slice(ue + 1, at));
    }
    h = at + 1;
  }
  const he = scanHost(s, h, end);
  if (he < 0) return 'bad host';
  const hostType = lastHostType;
  const host = s.slice(h, he);
  let i = he;
  let port: number | undefined;
  if (i < end && s.charCodeAt(i) === 0x3a) {
    const pe = scanDigitsEnd(s, i + 1, end);
    const v = scanPortValue(s, i + 1, pe);
    if (v < 0) return 'bad port';
    port = v;
    i = pe;
  }
  let pStart = -1;
  let hStart = -1;
  if (i < end && s.charCodeAt(i) === 0x3b) {
    pStart = i;
    while (i < end && s.charCodeAt(i) === 0x3b) {
      const ne = scanEscaped(PARAMCHAR, s, i + 1, end);
      if (ne <= i + 1) return 'bad URI parameter';
      i = ne;
      if (i < end && s.charCodeAt(i) === 0x3d) {
        const ve = scanEscaped(PARAMCHAR, s, i + 1, end);
        if (ve <= i + 1) return 'bad URI parameter value';
        i = ve;
      }
    }
  }
  if (i < end && s.charCodeAt(i) === 0x3f) {
    hStart = i;
    do {
      const ne = scanEscaped(HNVCHAR, s, i + 1, end);
      if (ne <= i + 1 || ne >= end || s.charCodeAt(ne) !== 0x3d) return 'bad URI header';
      const ve = scanEscaped(HNVCHAR, s, ne + 1, end);
      if (ve < 0) return 'bad URI header value';
      i = ve;
    } while (i < end && s.charCodeAt(i) === 0x26);
  }
  if (i !== end) return 'bad character in URI';
  return new SipUri(s, scheme, user, userRaw, password, host, hostType, port, pStart, hStart);
}

function scanDigitsEnd(s: string, i: number, end: number): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    i++;
  }
  return i;
}

function parseTel(s: string, r: number, end: number): TelUri | string {
  const ne = scanEscaped(TELCHAR, s, r, end);
  if (ne <= r) return 'bad telephone number';
  let i = ne;
  const pStart = i < end ? i : -1;
  while (i < end && s.charCodeAt(i) === 0x3b) {
    const pe = scanEscaped(PARAMCHAR, s, i + 1, end);
    if (pe <= i + 1) return 'bad tel parameter';
    i = pe;
    if (i < end && s.charCodeAt(i) === 0x3d) {
      const ve = scanEscaped(PARAMCHAR, s, i + 1, end);
      if (ve <= i + 1) return 'bad tel parameter value';
      i = ve;
    }
  }
  if (i !== end) return 'bad character in tel URI';
  return new TelUri(s, percentDecode(s.slice(r, ne)), pStart);
}

/**
 * @internal Parses validated `sep`-separated `name[=value]` items of `s[start..end)` (the range starts with a
 * separator) into a map; names lower-cased unless `lowerNames` is false; everything %-decoded once.
 */
export function parseParamText(
  s: string,
  start: number,
  end: number,
  sep: string,
  lowerNames = true,
): Map<string, string | null> {
  const m = new Map<string, string | null>();
  const items = s.slice(start + 1, end).split(sep === ';' ? ';' : /[&]/);
  for (const item of items) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    const rawName = eq < 0 ? item : item.slice(0, eq);
    const name = percentDecode(rawName);
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
