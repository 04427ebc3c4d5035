// A SIP message as an index over the bytes it arrived in (Kamailio's model): the parser records where each header's
// name and value lie; a value is decoded, unfolded and parsed only when someone asks for it, then cached. Edits are
// kept beside the original bytes, so an untouched message serializes to exactly the bytes received and an edited one
// copies every untouched line verbatim.

import { latin1, utf8 } from './bytes.js';
import { LOWER, TOKEN } from './chars.js';
import { H, canonicalName, headerId, isListHeader } from './header-names.js';
import { DEFAULT_LIMITS, type SipLimits } from './limits.js';
import { type Uri, parseUriText } from './uri.js';
import {
  type AuthValue,
  type CSeq,
  type MediaType,
  type NameAddr,
  type ReasonValue,
  type Via,
  parseAuth,
  parseCSeq,
  parseCallId,
  parseMediaType,
  parseNameAddr,
  parseNameAddrList,
  parseReasonList,
  parseSipDate,
  parseTokenList,
  parseUIntValue,
  parseViaList,
  splitList,
} from './values.js';

/** @internal Index layout: per header line, STRIDE numbers. */
export const STRIDE = 6;
/** @internal Offsets within a stride. */
export const I_ID = 0; // header id | FOLDED
export const I_NS = 1; // name start = line start
export const I_NE = 2; // name end
export const I_VS = 3; // value start
export const I_VE = 4; // value end
export const I_LE = 5; // line end, after the CRLF of the last continuation line
/** @internal Flag in the id slot: the field spans continuation lines. */
export const FOLDED = 0x100;
const ID_MASK = 0xff;

/** A header whose value was present but could not be parsed by its typed accessor. */
export interface HeaderValueError {
  /** Canonical header name. */
  header: string;
  /** What is wrong, in a few words. */
  reason: string;
}

class Bad {
  constructor(readonly reason: string) {}
}

/** Cached value of `Contact: *`. */
const STAR: NameAddr[] = [];

const FOLD_RE = /\r\n[ \t]+/g;
const U32 = 4294967295;

/** @internal A header line after the first edit: an original line (by index) or a new one. */
interface Line {
  id: number;
  /** Name as it will be written (new lines), or '' for original lines. */
  name: string;
  /** Index of the original line in the parse index, -1 for a new line. */
  orig: number;
  /** Value of a new line. */
  value: string;
}

interface Edits {
  lines: Line[];
  startLine: string | undefined;
  body: Buffer | undefined;
}

/** What a header name designates for lookups: a known id, or an unknown name in lower case. */
interface Key {
  id: number;
  lower: string;
}

function keyOf(name: string): Key {
  const id = headerId(name);
  return { id, lower: id ? '' : name.toLowerCase() };
}

function checkName(name: string): void {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c > 255 || TOKEN[c] === 0) throw new RangeError(`invalid SIP header name: ${JSON.stringify(name)}`);
  }
  if (name.length === 0) throw new RangeError('empty SIP header name');
}

function checkValue(value: string): void {
  if (/[\r\n]/.test(value)) throw new RangeError('a SIP header value may not contain CR or LF');
}

/**
 * One SIP request or response. Obtain it from `parseMessage` (validated) or the builders. Reading never throws;
 * typed accessors return undefined when the header is absent or malformed (`headerError` says which). The headers
 * the sanity stage checks (Via, From, To, Call-ID, CSeq, Max-Forwards, Content-Length, Expires, Contact in requests)
 * are guaranteed well-formed on a message that `parseMessage` accepted.
 */
export class SipMessage {
  /** True for a request, false for a response. */
  readonly isRequest: boolean;
  /** Request method as written (case-sensitive); '' for a response. */
  readonly method: string;
  /** Request-URI as written (after `setRequestUri`, the new one); '' for a response. */
  requestUri: string;
  /** Response status code; 0 for a request. */
  readonly status: number;
  /** Response reason phrase (UTF-8, may be empty); '' for a request. */
  readonly reason: string;

  /** @internal */
  private readonly buf: Buffer;
  private readonly start: number;
  private readonly end: number;
  private readonly slEnd: number;
  private readonly idx: number[];
  private readonly bodyStart: number;
  private readonly bodyEnd: number;
  /** Limits the message was parsed with (bound URI lengths in typed accessors). */
  readonly limits: Readonly<SipLimits>;
  private rawCache: Buffer | undefined;
  private cache: Map<number, unknown> | undefined;
  private edits: Edits | undefined;

  /** @internal Use `parseMessage` or the builders. */
  constructor(
    buf: Buffer,
    start: number,
    end: number,
    slEnd: number,
    isRequest: boolean,
    method: string,
    requestUri: string,
    status: number,
    reason: string,
    idx: number[],
    bodyStart: number,
    bodyEnd: number,
    limits: Readonly<SipLimits> = DEFAULT_LIMITS,
  ) {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.slEnd = slEnd;
    this.isRequest = isRequest;
    this.method = method;
    this.requestUri = requestUri;
    this.status = status;
    this.reason = reason;
    this.idx = idx;
    this.bodyStart = bodyStart;
    this.bodyEnd = bodyEnd;
    this.limits = limits;
    this.rawCache = undefined;
    this.cache = undefined;
    this.edits = undefined;
  }

  // ---------------------------------------------------------------- raw access

  /** The bytes this message was parsed from (excluding leading CRLFs and trailing datagram bytes); edits do not change it. */
  get raw(): Buffer {
    if (this.rawCache === undefined) {
      this.rawCache =
        this.start === 0 && this.end === this.buf.length ? this.buf : this.buf.subarray(this.start, this.end);
    }
    return this.rawCache;
  }

  /** The body (after edits, the new one). */
  get body(): Buffer {
    if (this.edits?.body !== undefined) return this.edits.body;
    return this.buf.subarray(this.bodyStart, this.bodyEnd);
  }

  /** The start line as it will be written (without CRLF). */
  get startLine(): string {
    return this.edits?.startLine ?? utf8(this.buf, this.start, this.slEnd);
  }

  /** True once any edit was made (then `toBuffer()` differs from `raw`). */
  get edited(): boolean {
    return this.edits !== undefined;
  }

  // ---------------------------------------------------------------- line layer

  private get lineCount(): number {
    return this.edits ? this.edits.lines.length : this.idx.length / STRIDE;
  }

  private lineId(i: number): number {
    return this.edits ? this.edits.lines[i]!.id : this.idx[i * STRIDE]! & ID_MASK;
  }

  /** Decoded, unfolded value of original line `o`. */
  private origValue(o: number): string {
    const b = o * STRIDE;
    const idx = this.idx;
    const v = utf8(this.buf, idx[b + I_VS]!, idx[b + I_VE]!);
    return (idx[b]! & FOLDED) === 0 ? v : v.replace(FOLD_RE, ' ');
  }

  private lineValue(i: number): string {
    if (this.edits) {
      const l = this.edits.lines[i]!;
      return l.orig < 0 ? l.value : this.origValue(l.orig);
    }
    return this.origValue(i);
  }

  /** Header name of line `i` as written. */
  private lineName(i: number): string {
    if (this.edits) {
      const l = this.edits.lines[i]!;
      if (l.orig < 0) return l.name;
      i = l.orig;
    }
    const b = i * STRIDE;
    return latin1(this.buf, this.idx[b + I_NS]!, this.idx[b + I_NE]!);
  }

  /** True when line `i` is the header `k`. */
  private lineIs(i: number, k: Key): boolean {
    if (k.id) return this.lineId(i) === k.id;
    if (this.lineId(i) !== 0) return false;
    let o = i;
    if (this.edits) {
      const l = this.edits.lines[i]!;
      if (l.orig < 0) return l.name.toLowerCase() === k.lower;
      o = l.orig;
    }
    const b = o * STRIDE;
    const ns = this.idx[b + I_NS]!;
    const ne = this.idx[b + I_NE]!;
    if (ne - ns !== k.lower.length) return false;
    for (let j = 0; j < k.lower.length; j++) if (LOWER[this.buf[ns + j]!] !== k.lower.charCodeAt(j)) return false;
    return true;
  }

  /** Values of every line with id `id` (fast path for known headers). */
  private valuesById(id: number): string[] {
    const out: string[] = [];
    const n = this.lineCount;
    if (!this.edits) {
      const idx = this.idx;
      for (let i = 0, b = 0; i < n; i++, b += STRIDE) if ((idx[b]! & ID_MASK) === id) out.push(this.origValue(i));
      return out;
    }
    for (let i = 0; i < n; i++) if (this.lineId(i) === id) out.push(this.lineValue(i));
    return out;
  }

  private firstById(id: number): string | undefined {
    const n = this.lineCount;
    if (!this.edits) {
      const idx = this.idx;
      for (let i = 0, b = 0; i < n; i++, b += STRIDE) if ((idx[b]! & ID_MASK) === id) return this.origValue(i);
      return undefined;
    }
    for (let i = 0; i < n; i++) if (this.lineId(i) === id) return this.lineValue(i);
    return undefined;
  }

  /** @internal Known-header id of line `i` (0 for other headers). */
  headerIdAt(i: number): number {
    return this.lineId(i);
  }

  /** @internal Number of lines with id `id`. */
  countById(id: number): number {
    let c = 0;
    const n = this.lineCount;
    for (let i = 0; i < n; i++) if (this.lineId(i) === id) c++;
    return c;
  }

  // ---------------------------------------------------------------- generic header access

  /** Value of the first header field `name` (any case, long or compact form), unfolded; undefined when absent. */
  header(name: string): string | undefined {
    const k = keyOf(name);
    if (k.id) return this.firstById(k.id);
    const n = this.lineCount;
    for (let i = 0; i < n; i++) if (this.lineIs(i, k)) return this.lineValue(i);
    return undefined;
  }

  /** Values of every header field `name`, one per field line (not split on commas); [] when absent. */
  headers(name: string): string[] {
    const k = keyOf(name);
    if (k.id) return this.valuesById(k.id);
    const out: string[] = [];
    const n = this.lineCount;
    for (let i = 0; i < n; i++) if (this.lineIs(i, k)) out.push(this.lineValue(i));
    return out;
  }

  /**
   * Every value of a list header (`Via`, `Contact`, `Route`, `Supported`, …) across its field lines, split on the
   * commas that are outside quoted strings and angle brackets, trimmed, empty ones dropped. For a header that is not
   * a list (`Date`, `User-Agent`, `Authorization`), its field values unsplit. Unbalanced quotes: the field unsplit.
   */
  values(name: string): string[] {
    const k = keyOf(name);
    const fields = this.headers(name);
    if (k.id && !isListHeader(k.id)) return fields;
    const out: string[] = [];
    for (const f of fields) {
      const parts = splitList(f);
      if (typeof parts === 'string') {
        out.push(f);
        continue;
      }
      for (let j = 0; j < parts.length; j += 2)
        if (parts[j]! < parts[j + 1]!) out.push(f.slice(parts[j], parts[j + 1]));
    }
    return out;
  }

  /** True when at least one header field `name` is present. */
  has(name: string): boolean {
    const k = keyOf(name);
    const n = this.lineCount;
    for (let i = 0; i < n; i++) if (this.lineIs(i, k)) return true;
    return false;
  }

  /** Every header field in order: [name as written, value unfolded]. */
  entries(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    const n = this.lineCount;
    for (let i = 0; i < n; i++) out.push([this.lineName(i), this.lineValue(i)]);
    return out;
  }

  /** Number of header fields (lines). */
  get headerCount(): number {
    return this.lineCount;
  }

  // ---------------------------------------------------------------- typed access (parsed on first use, cached)

  /** Cached typed value of header `id`; `parse` returns the value or a reason string (never for string-valued T). */
  private get<T>(id: number, parse: (fields: string[]) => T | string, stringValued = false): T | undefined {
    const cache = (this.cache ??= new Map());
    const hit = cache.get(id);
    if (hit !== undefined) return hit === null || hit instanceof Bad ? undefined : (hit as T);
    const fields = this.valuesById(id);
    if (fields.length === 0) {
      cache.set(id, null);
      return undefined;
    }
    const v = parse(fields);
    if (v instanceof Bad || (!stringValued && typeof v === 'string')) {
      cache.set(id, v instanceof Bad ? v : new Bad(v as string));
      return undefined;
    }
    cache.set(id, v);
    return v as T;
  }

  /**
   * Why the typed value of header `name` is unavailable although the header is present (parsing it if not done yet);
   * undefined when it is absent or well-formed. Only for headers with a typed accessor.
   */
  headerError(name: string): HeaderValueError | undefined {
    const id = headerId(name);
    const acc = id ? ACCESSORS[id] : undefined;
    if (!acc) return undefined;
    acc(this);
    const hit = this.cache?.get(id);
    return hit instanceof Bad ? { header: canonicalName(id), reason: hit.reason } : undefined;
  }

  /** The Request-URI parsed (any scheme); undefined for a response or when malformed. */
  uri(): Uri | undefined {
    if (!this.isRequest) return undefined;
    const cache = (this.cache ??= new Map());
    const hit = cache.get(-1);
    if (hit !== undefined) return hit instanceof Bad ? undefined : (hit as Uri);
    const r = this.requestUri.length > this.limits.maxUriLength ? 'URI too long' : parseUriText(this.requestUri);
    cache.set(-1, typeof r === 'string' ? new Bad(r) : r);
    return typeof r === 'string' ? undefined : r;
  }

  /** Every Via value, top first. */
  via(): Via[] | undefined {
    return this.get(H.Via, (fields) => {
      const out: Via[] = [];
      for (const f of fields) {
        const err = parseViaList(f, out);
        if (err) return err;
      }
      return out;
    });
  }

  /** The top Via value. */
  topVia(): Via | undefined {
    return this.via()?.[0];
  }

  /** From: display name, URI, tag, parameters. */
  from(): NameAddr | undefined {
    return this.get(H.From, (f) => single(f, (v) => parseNameAddr(v, 0, v.length, this.limits.maxUriLength)));
  }

  /** To: display name, URI, tag, parameters. */
  to(): NameAddr | undefined {
    return this.get(H.To, (f) => single(f, (v) => parseNameAddr(v, 0, v.length, this.limits.maxUriLength)));
  }

  /** Call-ID. */
  callId(): string | undefined {
    return this.get<string>(H.CallId, (f) => parseCallId(f[0]!) ?? (new Bad('bad Call-ID') as never), true);
  }

  /** CSeq: number (≤ 2^32-1) and method. */
  cseq(): CSeq | undefined {
    return this.get(H.CSeq, (f) => single(f, parseCSeq));
  }

  /** Max-Forwards (0-255). */
  maxForwards(): number | undefined {
    return this.get(H.MaxForwards, (f) => single(f, (v) => uint(v, 255, 'bad Max-Forwards')));
  }

  /** Content-Length as written (the header; the body is `body`). */
  contentLength(): number | undefined {
    return this.get(H.ContentLength, (f) => single(f, (v) => uint(v, 0x7fffffff, 'bad Content-Length')));
  }

  /** Content-Type. */
  contentType(): MediaType | undefined {
    return this.get(H.ContentType, (f) => single(f, parseMediaType));
  }

  /** Contact: the list of addresses, or '*' (REGISTER removing all bindings). */
  contact(): NameAddr[] | '*' | undefined {
    const v = this.get(H.Contact, (fields) => {
      if (fields.length === 1 && fields[0]!.trim() === '*') return STAR;
      const out = nameAddrs(fields, this.limits.maxUriLength);
      if (typeof out === 'string') return out;
      for (const c of out) {
        const e = c.params.get('expires');
        if (e !== undefined && (e === null || parseUIntValue(e, U32) < 0)) return 'bad Contact expires';
      }
      return out;
    });
    return v === STAR ? '*' : v;
  }

  /** Route values, top first. */
  route(): NameAddr[] | undefined {
    return this.get(H.Route, (f) => nameAddrs(f, this.limits.maxUriLength));
  }

  /** Record-Route values, top first. */
  recordRoute(): NameAddr[] | undefined {
    return this.get(H.RecordRoute, (f) => nameAddrs(f, this.limits.maxUriLength));
  }

  /** Path values (RFC 3327). */
  path(): NameAddr[] | undefined {
    return this.get(H.Path, (f) => nameAddrs(f, this.limits.maxUriLength));
  }

  /** Diversion values (RFC 5806), most recent first: each with `reason`, `counter`, `privacy` parameters. */
  diversion(): NameAddr[] | undefined {
    return this.get(H.Diversion, (f) => nameAddrs(f, this.limits.maxUriLength));
  }

  /** History-Info entries (RFC 7044), each with its `index` parameter. */
  historyInfo(): NameAddr[] | undefined {
    return this.get(H.HistoryInfo, (f) => nameAddrs(f, this.limits.maxUriLength));
  }

  /** P-Asserted-Identity values (RFC 3325). */
  pAssertedIdentity(): NameAddr[] | undefined {
    return this.get(H.PAssertedIdentity, (f) => nameAddrs(f, this.limits.maxUriLength));
  }

  /** P-Preferred-Identity values (RFC 3325). */
  pPreferredIdentity(): NameAddr[] | undefined {
    return this.get(H.PPreferredIdentity, (f) => nameAddrs(f, this.limits.maxUriLength));
  }

  /** Remote-Party-ID values (the pre-standard caller identity some trunks still send). */
  remotePartyId(): NameAddr[] | undefined {
    return this.get(H.RemotePartyId, (f) => nameAddrs(f, this.limits.maxUriLength));
  }

  /** Referred-By (RFC 3892). */
  referredBy(): NameAddr | undefined {
    return this.get(H.ReferredBy, (f) => single(f, (v) => parseNameAddr(v, 0, v.length, this.limits.maxUriLength)));
  }

  /** Refer-To (RFC 3515). */
  referTo(): NameAddr | undefined {
    return this.get(H.ReferTo, (f) => single(f, (v) => parseNameAddr(v, 0, v.length, this.limits.maxUriLength)));
  }

  /** Authorization credentials, one per field. */
  authorization(): AuthValue[] | undefined {
    return this.get(H.Authorization, auths);
  }

  /** Proxy-Authorization credentials, one per field. */
  proxyAuthorization(): AuthValue[] | undefined {
    return this.get(H.ProxyAuthorization, auths);
  }

  /** WWW-Authenticate challenges, one per field. */
  wwwAuthenticate(): AuthValue[] | undefined {
    return this.get(H.WwwAuthenticate, auths);
  }

  /** Proxy-Authenticate challenges, one per field. */
  proxyAuthenticate(): AuthValue[] | undefined {
    return this.get(H.ProxyAuthenticate, auths);
  }

  /** Reason values (RFC 3326): protocol, cause, text. */
  reasons(): ReasonValue[] | undefined {
    return this.get(H.Reason, (f) => parseReasonList(f.join(',')));
  }

  /** Expires (delta-seconds, ≤ 2^32-1). */
  expires(): number | undefined {
    return this.get(H.Expires, (f) => single(f, (v) => uint(v, U32, 'bad Expires')));
  }

  /** Supported option tags ([] when the header is present and empty). */
  supported(): string[] | undefined {
    return this.get(H.Supported, tokens);
  }

  /** Require option tags. */
  require(): string[] | undefined {
    return this.get(H.Require, tokens);
  }

  /** Proxy-Require option tags. */
  proxyRequire(): string[] | undefined {
    return this.get(H.ProxyRequire, tokens);
  }

  /** Unsupported option tags. */
  unsupported(): string[] | undefined {
    return this.get(H.Unsupported, tokens);
  }

  /** Allow: the methods. */
  allow(): string[] | undefined {
    return this.get(H.Allow, tokens);
  }

  /** User-Agent text (UTF-8), fields joined by a space. */
  userAgent(): string | undefined {
    return this.get(H.UserAgent, text, true);
  }

  /** Server text (UTF-8). */
  server(): string | undefined {
    return this.get(H.Server, text, true);
  }

  /** Subject text. */
  subject(): string | undefined {
    return this.get(H.Subject, text, true);
  }

  /** Date (RFC 1123, GMT only). */
  date(): Date | undefined {
    return this.get(H.Date, (f) => single(f, (v) => parseSipDate(v) ?? 'bad Date'));
  }

  // ---------------------------------------------------------------- edits

  private materialize(): Edits {
    if (this.edits) return this.edits;
    const n = this.idx.length / STRIDE;
    const lines: Line[] = new Array(n);
    for (let i = 0; i < n; i++) lines[i] = { id: this.idx[i * STRIDE]! & ID_MASK, name: '', orig: i, value: '' };
    this.edits = { lines, startLine: undefined, body: undefined };
    return this.edits;
  }

  private invalidate(id: number): void {
    this.cache?.delete(id);
  }

  private newLine(name: string, value: string): Line {
    checkName(name);
    checkValue(value);
    const id = headerId(name);
    return { id, name: id ? canonicalName(id) : name, orig: -1, value };
  }

  /**
   * Adds a header field. `where: 'first'` puts it before the first field of the same name (or before every header
   * when there is none), as a new top Via or Record-Route needs; 'last' (default) after the last one (or at the end).
   * Throws RangeError if the name is not a token or the value holds CR or LF (a programming error, not bad input).
   */
  addHeader(name: string, value: string, where: 'first' | 'last' = 'last'): this {
    const line = this.newLine(name, value);
    const k = keyOf(name);
    const lines = this.materialize().lines;
    let pos = where === 'first' ? 0 : lines.length;
    if (where === 'first') {
      for (let i = 0; i < lines.length; i++)
        if (this.lineIs(i, k)) {
          pos = i;
          break;
        }
    } else {
      for (let i = lines.length - 1; i >= 0; i--)
        if (this.lineIs(i, k)) {
          pos = i + 1;
          break;
        }
    }
    lines.splice(pos, 0, line);
    this.invalidate(line.id);
    return this;
  }

  /** Adds a Via value on top (a proxy forwarding a request, RFC 3261 §16.6 step 8). */
  prependVia(value: string): this {
    return this.addHeader('Via', value, 'first');
  }

  /** Adds a Record-Route value on top (RFC 3261 §16.6 step 4). */
  prependRecordRoute(value: string): this {
    return this.addHeader('Record-Route', value, 'first');
  }

  /**
   * Replaces every field `name` by one field per given value, at the place of the first one (or at the end when
   * absent). Same errors as `addHeader`.
   */
  setHeader(name: string, value: string | readonly string[]): this {
    const values = typeof value === 'string' ? [value] : value;
    const newLines = values.map((v) => this.newLine(name, v));
    const k = keyOf(name);
    const lines = this.materialize().lines;
    let pos = -1;
    for (let i = lines.length - 1; i >= 0; i--)
      if (this.lineIs(i, k)) {
        lines.splice(i, 1);
        pos = i;
      }
    lines.splice(pos < 0 ? lines.length : pos, 0, ...newLines);
    this.invalidate(k.id);
    return this;
  }

  /** Removes every field `name`; returns how many were removed. */
  removeHeader(name: string): number {
    const k = keyOf(name);
    let n = 0;
    if (!this.has(name)) return 0;
    const lines = this.materialize().lines;
    for (let i = lines.length - 1; i >= 0; i--)
      if (this.lineIs(i, k)) {
        lines.splice(i, 1);
        n++;
      }
    this.invalidate(k.id);
    return n;
  }

  /**
   * Decrements Max-Forwards, or adds `Max-Forwards: 70` when absent (RFC 3261 §16.6 step 3); returns the new value.
   * A value already 0 is left at 0: check `checkMaxForwards` (483) before forwarding.
   */
  decrementMaxForwards(): number {
    const cur = this.maxForwards();
    if (cur === undefined) {
      this.setHeader('Max-Forwards', '70');
      return 70;
    }
    const next = Math.max(0, cur - 1);
    this.setHeader('Max-Forwards', String(next));
    return next;
  }

  /**
   * Removes the first Route value (a loose router that finds its own URI on top, RFC 3261 §16.4), keeping the other
   * values of that field; returns the removed value, undefined when there is no Route.
   */
  removeFirstRoute(): string | undefined {
    const lines = this.materialize().lines;
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.id !== H.Route) continue;
      const v = this.lineValue(i);
      const parts = splitList(v);
      if (typeof parts === 'string' || parts.length <= 2) {
        lines.splice(i, 1);
        this.invalidate(H.Route);
        return typeof parts === 'string' ? v : v.slice(parts[0], parts[1]);
      }
      const first = v.slice(parts[0], parts[1]);
      const rest: string[] = [];
      for (let j = 2; j < parts.length; j += 2) rest.push(v.slice(parts[j], parts[j + 1]));
      lines[i] = { id: H.Route, name: 'Route', orig: -1, value: rest.join(', ') };
      this.invalidate(H.Route);
      return first;
    }
    return undefined;
  }

  /** Replaces the Request-URI (requests only). Throws RangeError on white space or CR/LF in `uri`. */
  setRequestUri(uri: string): this {
    if (!this.isRequest) throw new RangeError('a response has no Request-URI');
    if (uri === '' || /[\s]/.test(uri)) throw new RangeError('invalid Request-URI');
    const e = this.materialize();
    this.requestUri = uri;
    e.startLine = `${this.method} ${uri} SIP/2.0`;
    this.cache?.delete(-1);
    return this;
  }

  /**
   * Replaces the body and sets Content-Length to its size; sets Content-Type when given (removes it when the body is
   * empty and none is given).
   */
  setBody(body: Buffer | string, contentType?: string): this {
    const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this.materialize().body = b;
    this.setHeader('Content-Length', String(b.length));
    if (contentType !== undefined) this.setHeader('Content-Type', contentType);
    else if (b.length === 0) this.removeHeader('Content-Type');
    return this;
  }

  /** Adds Content-Length when absent (a datagram may omit it; a stream needs it, RFC 3261 §18.3). */
  ensureContentLength(): this {
    if (!this.has('Content-Length')) this.setHeader('Content-Length', String(this.body.length));
    return this;
  }

  /** The message as bytes: the received bytes when untouched, else untouched lines verbatim plus the edits. */
  toBuffer(): Buffer {
    const e = this.edits;
    if (!e) return this.raw;
    const parts: Buffer[] = [];
    parts.push(
      e.startLine !== undefined
        ? Buffer.from(e.startLine + '\r\n', 'utf8')
        : this.buf.subarray(this.start, this.slEnd + 2),
    );
    let pending = '';
    for (const l of e.lines) {
      if (l.orig < 0) {
        pending += `${l.name}: ${l.value}\r\n`;
        continue;
      }
      if (pending) {
        parts.push(Buffer.from(pending, 'utf8'));
        pending = '';
      }
      const b = l.orig * STRIDE;
      parts.push(this.buf.subarray(this.idx[b + I_NS]!, this.idx[b + I_LE]!));
    }
    parts.push(Buffer.from(pending + '\r\n', 'utf8'));
    parts.push(this.body);
    return Buffer.concat(parts);
  }

  /** The message as text (UTF-8; a binary body is not meant to be read this way). */
  toString(): string {
    return this.toBuffer().toString('utf8');
  }
}

function single<T>(fields: string[], parse: (v: string) => T | string): T | string {
  return parse(fields[0]!);
}

function uint(v: string, max: number, reason: string): number | string {
  const n = parseUIntValue(v, max);
  return n < 0 ? reason : n;
}

function nameAddrs(fields: string[], maxUri: number): NameAddr[] | string {
  if (fields.length === 1) return parseNameAddrList(fields[0]!, maxUri);
  const out: NameAddr[] = [];
  for (const f of fields) {
    const r = parseNameAddrList(f, maxUri);
    if (typeof r === 'string') return r;
    for (const x of r) out.push(x);
  }
  return out;
}

function auths(fields: string[]): AuthValue[] | string {
  const out: AuthValue[] = [];
  for (const f of fields) {
    const a = parseAuth(f);
    if (typeof a === 'string') return a;
    out.push(a);
  }
  return out;
}

function tokens(fields: string[]): string[] | string {
  const out: string[] = [];
  for (const f of fields) {
    const r = parseTokenList(f);
    if (typeof r === 'string') return r;
    for (const x of r) out.push(x);
  }
  return out;
}

function text(fields: string[]): string {
  return fields.length === 1 ? fields[0]! : fields.join(' ');
}

/** Typed accessor per header id, for `headerError`. */
const ACCESSORS: Partial<Record<number, (m: SipMessage) => unknown>> = {
  [H.Via]: (m) => m.via(),
  [H.From]: (m) => m.from(),
  [H.To]: (m) => m.to(),
  [H.CallId]: (m) => m.callId(),
  [H.CSeq]: (m) => m.cseq(),
  [H.MaxForwards]: (m) => m.maxForwards(),
  [H.ContentLength]: (m) => m.contentLength(),
  [H.ContentType]: (m) => m.contentType(),
  [H.Contact]: (m) => m.contact(),
  [H.Route]: (m) => m.route(),
  [H.RecordRoute]: (m) => m.recordRoute(),
  [H.Path]: (m) => m.path(),
  [H.Diversion]: (m) => m.diversion(),
  [H.HistoryInfo]: (m) => m.historyInfo(),
  [H.PAssertedIdentity]: (m) => m.pAssertedIdentity(),
  [H.PPreferredIdentity]: (m) => m.pPreferredIdentity(),
  [H.RemotePartyId]: (m) => m.remotePartyId(),
  [H.ReferredBy]: (m) => m.referredBy(),
  [H.ReferTo]: (m) => m.referTo(),
  [H.Authorization]: (m) => m.authorization(),
  [H.ProxyAuthorization]: (m) => m.proxyAuthorization(),
  [H.WwwAuthenticate]: (m) => m.wwwAuthenticate(),
  [H.ProxyAuthenticate]: (m) => m.proxyAuthenticate(),
  [H.Reason]: (m) => m.reasons(),
  [H.Expires]: (m) => m.expires(),
  [H.Supported]: (m) => m.supported(),
  [H.Require]: (m) => m.require(),
  [H.ProxyRequire]: (m) => m.proxyRequire(),
  [H.Unsupported]: (m) => m.unsupported(),
  [H.Allow]: (m) => m.allow(),
  [H.Date]: (m) => m.date(),
};
