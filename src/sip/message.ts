// A SIP message as an index over the bytes it arrived in (Kamailio's model): the parser records where each header's
// name and value lie; a value is decoded, unfolded and parsed only when someone asks for it, then cached. Edits are
// kept beside the original bytes, so an untouched message serializes to exactly the bytes received and an edited one
// copies every untouched line verbatim.

import { isAscii } from 'node:buffer';
import { latin1, utf8 } from './bytes.js';
import { LOWER, TOKEN } from './chars.js';
import { H, HOT_IDS, canonicalName, headerId, isListHeader } from './header-names.js';
import type { ErrorContext } from './errors.js';
import { DEFAULT_LIMITS, type SipLimits } from './limits.js';
import { type Uri, parseUriAt, parseUriText } from './uri.js';
import { Src, srcOf } from './src.js';
import {
  type AuthValue,
  type CSeq,
  type MediaType,
  type NameAddr,
  type ReasonValue,
  type Via,
  callIdAt,
  cseqAt,
  nameAddrAt,
  nameAddrListAt,
  parseAuth,
  parseMediaType,
  parseReasonList,
  parseSipDate,
  parseTokenList,
  parseUIntValue,
  splitList,
  uintAt,
  viaAt,
  viaListAt,
} from './values.js';

/**
 * @internal Index layout: per header line, STRIDE numbers. The name ends at the first non-token byte after its start,
 * and a line ends where the next one starts (the last one at `hdrEnd`): neither is stored, the index stays small.
 */
export const STRIDE = 4;
/** @internal Offsets within a stride. */
export const I_ID = 0; // header id | FOLDED
export const I_NS = 1; // name start = line start
export const I_VS = 2; // value start
export const I_VE = 3; // value end
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

/** Text of the field the typed parsers read (see `SipMessage.field`): source and byte range. */
const F = { s: srcOf(''), a: 0, b: 0 };

/** Cached value of `Contact: *`. */
const STAR: NameAddr[] = [];

/** A fold: the white space around a CRLF that is followed by white space reads as one SP (RFC 3261 §7.3.1). */
const FOLD_RE = /[ \t]*\r\n[ \t]+/g;
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
  /** @internal Request-URI byte range in `buf` (0, 0 for a response), and its text once decoded or replaced. */
  private readonly us: number;
  private readonly ue: number;
  private ruri: string | undefined;
  /** Response status code; 0 for a request. */
  readonly status: number;
  /** Response reason phrase (UTF-8, may be empty); '' for a request. */
  readonly reason: string;

  /** The bytes received; every offset below (and in the index) points into it. */
  private readonly buf: Buffer;
  private readonly start: number;
  private readonly end: number;
  private readonly slEnd: number;
  private readonly idx: number[];
  /** End of the last header line (where the empty line starts, or the end of a datagram that has none). */
  private readonly hdrEnd: number;
  private readonly bodyStart: number;
  private readonly bodyEnd: number;
  /** Limits the message was parsed with (bound URI lengths in typed accessors). */
  readonly limits: Readonly<SipLimits>;
  /** Number of header lines in the index. */
  private readonly nLines: number;
  /** Total length of the Via field values plus one per field, from the parser (-1: unknown). */
  private readonly viaBytes: number;
  /** @internal Bit masks (ids < 31) of the headers present, and of those present more than once. */
  readonly seenMask: number;
  readonly dupMask: number;
  /**
   * From the parser, one array for the hot ids (below HOT_IDS): `[id]` the first line of that header (-1: none), which
   * lets lookups skip the scan; `[HOT_IDS + id]` its cached typed value (slot HOT_IDS holds the Request-URI).
   */
  private readonly hot: unknown[];
  private rawCache: Buffer | undefined;
  private topCache: Via | Bad | null | undefined;
  /** The received bytes with their text for typed parsing (from the parser for an ASCII message, else on first use). */
  private src: Src | undefined;
  private more: Map<number, unknown> | undefined;
  private edits: Edits | undefined;

  /** @internal Use `parseMessage` or the builders. */
  constructor(
    buf: Buffer,
    start: number,
    end: number,
    slEnd: number,
    isRequest: boolean,
    method: string,
    us: number,
    ue: number,
    status: number,
    reason: string,
    idx: number[],
    hdrEnd: number,
    bodyStart: number,
    bodyEnd: number,
    limits: Readonly<SipLimits> = DEFAULT_LIMITS,
    seenMask = -1,
    dupMask = -1,
    hot?: unknown[],
    viaBytes = -1,
    text?: string | null,
  ) {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.slEnd = slEnd;
    this.isRequest = isRequest;
    this.method = method;
    this.us = us;
    this.ue = ue;
    this.ruri = undefined;
    this.status = status;
    this.reason = reason;
    this.idx = idx;
    this.nLines = (idx.length / STRIDE) | 0;
    this.hdrEnd = hdrEnd;
    this.bodyStart = bodyStart;
    this.bodyEnd = bodyEnd;
    this.limits = limits;
    this.seenMask = seenMask;
    this.dupMask = dupMask;
    this.hot = hot ?? newHot();
    this.viaBytes = viaBytes;
    this.rawCache = undefined;
    this.topCache = undefined;
    // The parser's text, when it made one, covers the start line and header section (perhaps the body too).
    this.src = text == null ? undefined : new Src(buf, text, start);
    this.more = undefined;
    this.edits = undefined;
  }

  // ---------------------------------------------------------------- raw access

  /** Request-URI as written (after `setRequestUri`, the new one); '' for a response. */
  get requestUri(): string {
    if (this.ruri === undefined) {
      const t = this.source().t;
      this.ruri = t !== null ? t.slice(this.us - this.start, this.ue - this.start) : latin1(this.buf, this.us, this.ue);
    }
    return this.ruri;
  }

  /**
   * The received bytes with the message's text for typed parsing, made on first use: the start line and header
   * section decoded once as Latin-1 when they are all ASCII (the usual case), so every string a parsed value needs is
   * a slice of it; else strings are decoded from the bytes as UTF-8.
   */
  private source(): Src {
    let src = this.src;
    if (src === undefined) {
      // isAscii over the whole buffer first: it avoids creating a subarray (costly) and bodies are usually ASCII too.
      const ascii = isAscii(this.buf) || isAscii(this.buf.subarray(this.start, this.bodyStart));
      src = this.src = new Src(this.buf, ascii ? latin1(this.buf, this.start, this.bodyStart) : null, this.start);
    }
    return src;
  }

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
    return this.edits ? this.edits.lines.length : this.nLines;
  }

  private lineId(i: number): number {
    return this.edits ? this.edits.lines[i]!.id : this.idx[i * STRIDE]! & ID_MASK;
  }

  /** Decoded (UTF-8), unfolded value of original line `o`: only the headers someone reads are ever decoded. */
  private origValue(o: number): string {
    const b = o * STRIDE;
    const idx = this.idx;
    const v = utf8(this.buf, idx[b + I_VS]!, idx[b + I_VE]!);
    return (idx[b]! & FOLDED) === 0 ? v : v.replace(FOLD_RE, ' ');
  }

  /**
   * Points F (s, a, b) at the bytes of line `i` for the typed parsers: the received buffer itself (with the header section
   * decoded once as Latin-1 when it is all ASCII, so strings are cut by slicing), or for folded and edited values a
   * source of their own.
   */
  private field(i: number): void {
    if (this.edits) {
      const l = this.edits.lines[i]!;
      if (l.orig < 0) {
        F.s = srcOf(l.value);
        F.a = 0;
        F.b = F.s.b.length;
        return;
      }
      i = l.orig;
    }
    const b = i * STRIDE;
    const idx = this.idx;
    if ((idx[b]! & FOLDED) !== 0) {
      F.s = srcOf(this.origValue(i));
      F.a = 0;
      F.b = F.s.b.length;
      return;
    }
    F.s = this.source();
    F.a = idx[b + I_VS]!;
    F.b = idx[b + I_VE]!;
  }

  /** Index of the first line with id `id` at or after line `from`, or -1. */
  private nextLine(id: number, from: number): number {
    const n = this.lineCount;
    if (!this.edits) {
      if (id < HOT_IDS) {
        const f = this.hot[id] as number;
        if (from <= f) return f;
        if (f < 0 || (this.dupMask !== -1 && (this.dupMask & (1 << id)) === 0)) return -1;
      }
      const idx = this.idx;
      for (let i = from, b = from * STRIDE; i < n; i++, b += STRIDE) if ((idx[b]! & ID_MASK) === id) return i;
      return -1;
    }
    for (let i = from; i < n; i++) if (this.lineId(i) === id) return i;
    return -1;
  }

  /** End of the header name starting at `ns` (names are tokens: validated by the parser). */
  private nameEnd(ns: number): number {
    const buf = this.buf;
    let i = ns;
    while (TOKEN[buf[i]!] === 1) i++;
    return i;
  }

  /** End of original line `o`, after the CRLF of its last continuation line. */
  private lineEnd(o: number): number {
    return o + 1 < this.nLines ? this.idx[(o + 1) * STRIDE + I_NS]! : this.hdrEnd;
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
    const ns = this.idx[b + I_NS]!;
    return latin1(this.buf, ns, this.nameEnd(ns));
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
    const ne = this.nameEnd(ns);
    if (ne - ns !== k.lower.length) return false;
    for (let j = 0; j < k.lower.length; j++) if (LOWER[this.buf[ns + j]!] !== k.lower.charCodeAt(j)) return false;
    return true;
  }

  /** Values of every line with id `id` (fast path for known headers). */
  private valuesById(id: number): string[] {
    const out: string[] = [];
    const n = this.lineCount;
    if (!this.edits) {
      let i = 0;
      if (id < HOT_IDS) {
        i = this.hot[id] as number;
        if (i < 0) return out;
        if (this.dupMask !== -1 && (this.dupMask & (1 << id)) === 0) {
          out.push(this.origValue(i));
          return out;
        }
      }
      const idx = this.idx;
      for (let b = i * STRIDE; i < n; i++, b += STRIDE) if ((idx[b]! & ID_MASK) === id) out.push(this.origValue(i));
      return out;
    }
    for (let i = 0; i < n; i++) if (this.lineId(i) === id) out.push(this.lineValue(i));
    return out;
  }

  private firstById(id: number): string | undefined {
    const n = this.lineCount;
    if (!this.edits) {
      if (id < HOT_IDS) {
        const i = this.hot[id] as number;
        return i < 0 ? undefined : this.origValue(i);
      }
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

  /** Cached typed value of header `id` (parsed by `parseTyped` on first use). */
  private get<T>(id: number): T | undefined {
    let hit: unknown;
    if (id < SLOTS) {
      hit = this.hot[HOT_IDS + id];
    } else hit = this.more?.get(id);
    if (hit !== undefined) return hit === null || hit instanceof Bad ? undefined : (hit as T);
    const v = this.parseTyped(id);
    if (id < SLOTS) this.hot[HOT_IDS + id] = v;
    else (this.more ??= new Map()).set(id, v);
    return v === null || v instanceof Bad ? undefined : (v as T);
  }

  /** Parses every field of header `id` into its typed value: null when absent, a Bad when malformed. */
  private parseTyped(id: number): unknown {
    let i = this.nextLine(id, 0);
    if (i < 0) return null;
    const maxUri = this.limits.maxUriLength;
    let r: unknown;
    this.field(i);
    switch (id) {
      case H.Via: {
        const out: Via[] = [];
        for (;;) {
          const err = viaListAt(F.s, F.a, F.b, out);
          if (err) return new Bad(err);
          i = this.nextLine(id, i + 1);
          if (i < 0) return out;
          this.field(i);
        }
      }
      case H.From:
      case H.To:
      case H.ReferredBy:
      case H.ReferTo:
        r = nameAddrAt(F.s, F.a, F.b, maxUri, false);
        break;
      case H.CallId:
        return callIdAt(F.s, F.a, F.b) ?? new Bad('bad Call-ID');
      case H.CSeq:
        r = cseqAt(F.s, F.a, F.b);
        break;
      case H.MaxForwards:
        return uint(uintAt(F.s.b, F.a, F.b, 255), 'bad Max-Forwards');
      case H.ContentLength:
        return uint(uintAt(F.s.b, F.a, F.b, 0x7fffffff), 'bad Content-Length');
      case H.Expires:
        return uint(uintAt(F.s.b, F.a, F.b, U32), 'bad Expires');
      case H.ContentType:
        r = parseMediaType(F.s.text(F.a, F.b));
        break;
      case H.Contact:
      case H.Route:
      case H.RecordRoute:
      case H.Path:
      case H.Diversion:
      case H.HistoryInfo:
      case H.PAssertedIdentity:
      case H.PPreferredIdentity:
      case H.RemotePartyId: {
        if (id === H.Contact && this.nextLine(id, i + 1) < 0 && F.s.text(F.a, F.b).trim() === '*') return STAR;
        const out: NameAddr[] = [];
        for (;;) {
          const err = nameAddrListAt(F.s, F.a, F.b, maxUri, out);
          if (err !== undefined) return new Bad(err);
          i = this.nextLine(id, i + 1);
          if (i < 0) break;
          this.field(i);
        }
        if (id === H.Contact) {
          for (const c of out) {
            const e = c.params.get('expires');
            if (e !== undefined && (e === null || parseUIntValue(e, U32) < 0)) return new Bad('bad Contact expires');
          }
        }
        return out;
      }
      case H.Authorization:
      case H.ProxyAuthorization:
      case H.WwwAuthenticate:
      case H.ProxyAuthenticate: {
        const out: AuthValue[] = [];
        for (;;) {
          const a = parseAuth(F.s.text(F.a, F.b));
          if (typeof a === 'string') return new Bad(a);
          out.push(a);
          i = this.nextLine(id, i + 1);
          if (i < 0) return out;
          this.field(i);
        }
      }
      case H.Reason: {
        const out: ReasonValue[] = [];
        for (;;) {
          const a = parseReasonList(F.s.text(F.a, F.b));
          if (typeof a === 'string') return new Bad(a);
          for (const x of a) out.push(x);
          i = this.nextLine(id, i + 1);
          if (i < 0) return out;
          this.field(i);
        }
      }
      case H.Supported:
      case H.Require:
      case H.ProxyRequire:
      case H.Unsupported:
      case H.Allow: {
        const out: string[] = [];
        for (;;) {
          const t = parseTokenList(F.s.text(F.a, F.b), 0, undefined, out);
          if (typeof t === 'string') return new Bad(t);
          i = this.nextLine(id, i + 1);
          if (i < 0) return out;
          this.field(i);
        }
      }
      case H.UserAgent:
      case H.Server:
      case H.Subject: {
        let text = F.s.text(F.a, F.b);
        while ((i = this.nextLine(id, i + 1)) >= 0) {
          this.field(i);
          text += ' ' + F.s.text(F.a, F.b);
        }
        return text;
      }
      case H.Date:
        return parseSipDate(F.s.text(F.a, F.b)) ?? new Bad('bad Date');
      default:
        return new Bad('no typed accessor');
    }
    return typeof r === 'string' ? new Bad(r) : r;
  }

  private cached(id: number): unknown {
    return id < SLOTS ? this.hot[HOT_IDS + id] : this.more?.get(id);
  }

  /**
   * Why the typed value of header `name` is unavailable although the header is present (parsing it if not done yet);
   * undefined when it is absent or well-formed. Only for headers with a typed accessor.
   */
  headerError(name: string): HeaderValueError | undefined {
    const id = headerId(name);
    if (!id || !TYPED.has(id)) return undefined;
    this.get(id);
    const hit = this.cached(id);
    return hit instanceof Bad ? { header: canonicalName(id), reason: hit.reason } : undefined;
  }

  /** The Request-URI parsed (any scheme); undefined for a response or when malformed. */
  uri(): Uri | undefined {
    if (!this.isRequest) return undefined;
    let hit = this.hot[HOT_IDS];
    if (hit === undefined) {
      // Parsed from the received bytes unless it was replaced.
      const replaced = this.edits?.startLine !== undefined;
      const r =
        (replaced ? this.requestUri.length : this.ue - this.us) > this.limits.maxUriLength
          ? 'URI too long'
          : replaced
            ? parseUriText(this.requestUri)
            : parseUriAt(this.source(), this.us, this.ue);
      hit = this.hot[HOT_IDS] = typeof r === 'string' ? new Bad(r) : r;
    }
    return hit instanceof Bad ? undefined : (hit as Uri);
  }

  /** Every Via value, top first. */
  via(): Via[] | undefined {
    return this.get(H.Via);
  }

  /**
   * The top Via value: the one a response is routed by and a transaction matched on. Parses only that value when
   * `via()` was not called, which is what the sanity stage checks (as Kamailio's via1 check does).
   */
  topVia(): Via | undefined {
    let top = this.topCache;
    if (top === undefined) {
      const all = this.hot[HOT_IDS + H.Via];
      if (all !== undefined) top = all === null || all instanceof Bad ? all : (all as Via[])[0];
      else {
        const i = this.nextLine(H.Via, 0);
        if (i < 0) top = null;
        else {
          this.field(i);
          const v = viaAt(F.s, F.a, F.b, true);
          top = typeof v === 'string' ? new Bad(v) : v;
        }
      }
      this.topCache = top;
    }
    return top === null || top instanceof Bad ? undefined : top;
  }

  /**
   * True when the Via fields are too short to hold more than `max` values (the shortest Via value,
   * "SIP/2.0/UDP h", has 13 characters): lets the sanity stage skip counting on ordinary messages.
   */
  viaCountBelow(max: number): boolean {
    if (this.edits) return false;
    if (this.viaBytes >= 0) return this.viaBytes < 14 * (max + 1);
    let bytes = 0;
    const idx = this.idx;
    for (let i = this.nextLine(H.Via, 0); i >= 0; i = this.nextLine(H.Via, i + 1)) {
      bytes += idx[i * STRIDE + I_VE]! - idx[i * STRIDE + I_VS]! + 1;
    }
    return bytes < 14 * (max + 1);
  }

  /**
   * How many Via values the message carries (values in every Via field, split on top-level commas), without parsing
   * them: the sanity stage bounds it by `maxVia`.
   */
  viaCount(): number {
    let n = 0;
    for (let i = this.nextLine(H.Via, 0); i >= 0; i = this.nextLine(H.Via, i + 1)) {
      const v = this.lineValue(i);
      if (v.indexOf(',') < 0) n++;
      else {
        const parts = splitList(v);
        n += typeof parts === 'string' ? 1 : parts.length / 2;
      }
    }
    return n;
  }

  /** From: display name, URI, tag, parameters. */
  from(): NameAddr | undefined {
    return this.get(H.From);
  }

  /** To: display name, URI, tag, parameters. */
  to(): NameAddr | undefined {
    return this.get(H.To);
  }

  /** Call-ID. */
  callId(): string | undefined {
    return this.get(H.CallId);
  }

  /** CSeq: number (≤ 2^32-1) and method. */
  cseq(): CSeq | undefined {
    return this.get(H.CSeq);
  }

  /** Max-Forwards (0-255). */
  maxForwards(): number | undefined {
    return this.get(H.MaxForwards);
  }

  /** Content-Length as written (the header; the body is `body`). */
  contentLength(): number | undefined {
    return this.get(H.ContentLength);
  }

  /** Content-Type. */
  contentType(): MediaType | undefined {
    return this.get(H.ContentType);
  }

  /** Contact: the list of addresses, or '*' (REGISTER removing all bindings). */
  contact(): NameAddr[] | '*' | undefined {
    const v = this.get<NameAddr[]>(H.Contact);
    return v === STAR ? '*' : v;
  }

  /** Route values, top first. */
  route(): NameAddr[] | undefined {
    return this.get(H.Route);
  }

  /** Record-Route values, top first. */
  recordRoute(): NameAddr[] | undefined {
    return this.get(H.RecordRoute);
  }

  /** Path values (RFC 3327). */
  path(): NameAddr[] | undefined {
    return this.get(H.Path);
  }

  /** Diversion values (RFC 5806), most recent first: each with `reason`, `counter`, `privacy` parameters. */
  diversion(): NameAddr[] | undefined {
    return this.get(H.Diversion);
  }

  /** History-Info entries (RFC 7044), each with its `index` parameter. */
  historyInfo(): NameAddr[] | undefined {
    return this.get(H.HistoryInfo);
  }

  /** P-Asserted-Identity values (RFC 3325). */
  pAssertedIdentity(): NameAddr[] | undefined {
    return this.get(H.PAssertedIdentity);
  }

  /** P-Preferred-Identity values (RFC 3325). */
  pPreferredIdentity(): NameAddr[] | undefined {
    return this.get(H.PPreferredIdentity);
  }

  /** Remote-Party-ID values (the pre-standard caller identity some trunks still send). */
  remotePartyId(): NameAddr[] | undefined {
    return this.get(H.RemotePartyId);
  }

  /** Referred-By (RFC 3892). */
  referredBy(): NameAddr | undefined {
    return this.get(H.ReferredBy);
  }

  /** Refer-To (RFC 3515). */
  referTo(): NameAddr | undefined {
    return this.get(H.ReferTo);
  }

  /** Authorization credentials, one per field. */
  authorization(): AuthValue[] | undefined {
    return this.get(H.Authorization);
  }

  /** Proxy-Authorization credentials, one per field. */
  proxyAuthorization(): AuthValue[] | undefined {
    return this.get(H.ProxyAuthorization);
  }

  /** WWW-Authenticate challenges, one per field. */
  wwwAuthenticate(): AuthValue[] | undefined {
    return this.get(H.WwwAuthenticate);
  }

  /** Proxy-Authenticate challenges, one per field. */
  proxyAuthenticate(): AuthValue[] | undefined {
    return this.get(H.ProxyAuthenticate);
  }

  /** Reason values (RFC 3326): protocol, cause, text. */
  reasons(): ReasonValue[] | undefined {
    return this.get(H.Reason);
  }

  /** Expires (delta-seconds, ≤ 2^32-1). */
  expires(): number | undefined {
    return this.get(H.Expires);
  }

  /** Supported option tags ([] when the header is present and empty). */
  supported(): string[] | undefined {
    return this.get(H.Supported);
  }

  /** Require option tags. */
  require(): string[] | undefined {
    return this.get(H.Require);
  }

  /** Proxy-Require option tags. */
  proxyRequire(): string[] | undefined {
    return this.get(H.ProxyRequire);
  }

  /** Unsupported option tags. */
  unsupported(): string[] | undefined {
    return this.get(H.Unsupported);
  }

  /** Allow: the methods. */
  allow(): string[] | undefined {
    return this.get(H.Allow);
  }

  /** User-Agent text (UTF-8), fields joined by a space. */
  userAgent(): string | undefined {
    return this.get(H.UserAgent);
  }

  /** Server text (UTF-8). */
  server(): string | undefined {
    return this.get(H.Server);
  }

  /** Subject text. */
  subject(): string | undefined {
    return this.get(H.Subject);
  }

  /** Date (RFC 1123, GMT only). */
  date(): Date | undefined {
    return this.get(H.Date);
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
    if (id === H.Via) this.topCache = undefined;
    if (id < SLOTS) {
      this.hot[HOT_IDS + id] = undefined;
    } else this.more?.delete(id);
  }

  private newLine(name: string, value: string): Line {
    checkName(name);
    checkValue(value);
    const id = headerId(name);
    return { id, name: id ? canonicalName(id) : name, orig: -1, value };
  }

  /**
   * Adds a header field. `where: 'first'` puts it before the first field of the same name (when there is none: at the
   * top, after the Via fields), as a new top Via or Record-Route needs; 'last' (default) after the last one (or at the
   * end).
   * Throws RangeError if the name is not a token or the value holds CR or LF (a programming error, not bad input).
   */
  addHeader(name: string, value: string, where: 'first' | 'last' = 'last'): this {
    const line = this.newLine(name, value);
    const k = keyOf(name);
    const lines = this.materialize().lines;
    let pos = where === 'first' ? -1 : lines.length;
    if (where === 'first') {
      for (let i = 0; i < lines.length; i++)
        if (this.lineIs(i, k)) {
          pos = i;
          break;
        }
      // None yet: on top, but after the Via fields (they conventionally come first).
      if (pos < 0) {
        pos = 0;
        if (line.id !== H.Via) for (let i = 0; i < lines.length; i++) if (lines[i]!.id === H.Via) pos = i + 1;
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
    this.ruri = uri;
    e.startLine = `${this.method} ${uri} SIP/2.0`;
    this.hot[HOT_IDS] = undefined;
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
      parts.push(this.buf.subarray(this.idx[l.orig * STRIDE + I_NS]!, this.lineEnd(l.orig)));
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

/** Typed values of known ids below this number are cached in a small array; slot 0 holds the Request-URI. */
const SLOTS = HOT_IDS;

/** @internal The hot array of a message (see `SipMessage.hot`): no first lines known, nothing cached. */
export function newHot(): unknown[] {
  // prettier-ignore
  return [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined,
    undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined,
    undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined];
}

/** Ids with a typed accessor (for `headerError`). */
const TYPED: ReadonlySet<number> = new Set([
  H.Via,
  H.From,
  H.To,
  H.CallId,
  H.CSeq,
  H.MaxForwards,
  H.ContentLength,
  H.ContentType,
  H.Contact,
  H.Route,
  H.RecordRoute,
  H.Path,
  H.Diversion,
  H.HistoryInfo,
  H.PAssertedIdentity,
  H.PPreferredIdentity,
  H.RemotePartyId,
  H.ReferredBy,
  H.ReferTo,
  H.Authorization,
  H.ProxyAuthorization,
  H.WwwAuthenticate,
  H.ProxyAuthenticate,
  H.Reason,
  H.Expires,
  H.Supported,
  H.Require,
  H.ProxyRequire,
  H.Unsupported,
  H.Allow,
  H.UserAgent,
  H.Server,
  H.Subject,
  H.Date,
]);

function uint(n: number, reason: string): number | Bad {
  return n < 0 ? new Bad(reason) : n;
}

/** What a response needs, from a parsed message. */
export function contextOf(msg: SipMessage): ErrorContext {
  const ctx: ErrorContext = { via: msg.headers('Via') };
  if (msg.isRequest) ctx.method = msg.method;
  const from = msg.header('From');
  const to = msg.header('To');
  const callId = msg.header('Call-ID');
  const cseq = msg.header('CSeq');
  const ts = msg.header('Timestamp');
  if (from !== undefined) ctx.from = from;
  if (to !== undefined) ctx.to = to;
  if (callId !== undefined) ctx.callId = callId;
  if (cseq !== undefined) ctx.cseq = cseq;
  if (ts !== undefined) ctx.timestamp = ts;
  return ctx;
}
