// Header names the SIP layer knows: canonical spelling, compact form (RFC 3261 §7.3.3 and the extensions' forms in
// the IANA registry), whether a message may carry the header once only, and a small integer id so the index pass
// classifies each header line by its bytes without building a string.

import { LOWER } from './chars.js';

/**
 * Ids of the known headers; 0 is "any other header". The headers the sanity stage looks at have ids below 31 so the
 * parser can note their presence and repetition in two bit masks; the ones the firewall reads on every call have ids
 * below HOT_IDS, so the parser notes their first line and the message caches their typed values in a small array.
 */
export const H = {
  Other: 0,
  Via: 1,
  From: 2,
  To: 3,
  CallId: 4,
  CSeq: 5,
  MaxForwards: 6,
  Contact: 7,
  ContentLength: 8,
  ContentType: 9,
  Expires: 10,
  Date: 11,
  Route: 12,
  RecordRoute: 13,
  Diversion: 14,
  UserAgent: 15,
  PAssertedIdentity: 16,
  HistoryInfo: 17,
  ReferredBy: 18,
  PPreferredIdentity: 19,
  RemotePartyId: 20,
  Server: 21,
  Supported: 22,
  Require: 23,
  ContentEncoding: 24,
  Subject: 25,
  ReferTo: 26,
  Authorization: 27,
  ProxyAuthorization: 28,
  WwwAuthenticate: 29,
  ProxyAuthenticate: 30,
  Reason: 31,
  ProxyRequire: 32,
  Unsupported: 33,
  Allow: 34,
  AllowEvents: 35,
  Event: 36,
  Accept: 37,
  Timestamp: 38,
  Warning: 39,
  RetryAfter: 40,
  MinExpires: 41,
  AcceptContact: 42,
  RejectContact: 43,
  RequestDisposition: 44,
  Identity: 45,
  IdentityInfo: 46,
  SessionExpires: 47,
  MinSE: 48,
  Privacy: 49,
  PPreferredService: 50,
  Path: 51,
  ServiceRoute: 52,
  RSeq: 53,
  RAck: 54,
  Replaces: 55,
  ContentDisposition: 56,
  MimeVersion: 57,
  Organization: 58,
  CallInfo: 59,
  AlertInfo: 60,
  ErrorInfo: 61,
  InReplyTo: 62,
  ReplyTo: 63,
  Priority: 64,
  SubscriptionState: 65,
  AcceptEncoding: 66,
  AcceptLanguage: 67,
  ContentLanguage: 68,
  PChargingVector: 69,
  PAccessNetworkInfo: 70,
  XAsteriskHangupCause: 71,
} as const;

interface Known {
  id: number;
  name: string;
  compact?: string;
  /** At most one per message (checked by the sanity stage when `checked`). */
  single?: boolean;
  /** The value is a comma-separated list (splitting by `values()` is meaningful). */
  list?: boolean;
}

const KNOWN: Known[] = [
  { id: H.Via, name: 'Via', compact: 'v', list: true },
  { id: H.From, name: 'From', compact: 'f', single: true },
  { id: H.To, name: 'To', compact: 't', single: true },
  { id: H.CallId, name: 'Call-ID', compact: 'i', single: true },
  { id: H.CSeq, name: 'CSeq', single: true },
  { id: H.MaxForwards, name: 'Max-Forwards', single: true },
  { id: H.Contact, name: 'Contact', compact: 'm', list: true },
  { id: H.ContentLength, name: 'Content-Length', compact: 'l', single: true },
  { id: H.ContentType, name: 'Content-Type', compact: 'c', single: true },
  { id: H.ContentEncoding, name: 'Content-Encoding', compact: 'e', list: true },
  { id: H.Subject, name: 'Subject', compact: 's' },
  { id: H.Supported, name: 'Supported', compact: 'k', list: true },
  { id: H.Route, name: 'Route', list: true },
  { id: H.RecordRoute, name: 'Record-Route', list: true },
  { id: H.UserAgent, name: 'User-Agent' },
  { id: H.Server, name: 'Server' },
  { id: H.Diversion, name: 'Diversion', list: true },
  { id: H.HistoryInfo, name: 'History-Info', list: true },
  { id: H.PAssertedIdentity, name: 'P-Asserted-Identity', list: true },
  { id: H.PPreferredIdentity, name: 'P-Preferred-Identity', list: true },
  { id: H.ReferredBy, name: 'Referred-By', compact: 'b' },
  { id: H.ReferTo, name: 'Refer-To', compact: 'r' },
  { id: H.Authorization, name: 'Authorization' },
  { id: H.ProxyAuthorization, name: 'Proxy-Authorization' },
  { id: H.WwwAuthenticate, name: 'WWW-Authenticate' },
  { id: H.ProxyAuthenticate, name: 'Proxy-Authenticate' },
  { id: H.Reason, name: 'Reason', list: true },
  { id: H.Expires, name: 'Expires', single: true },
  { id: H.Require, name: 'Require', list: true },
  { id: H.ProxyRequire, name: 'Proxy-Require', list: true },
  { id: H.Unsupported, name: 'Unsupported', list: true },
  { id: H.Allow, name: 'Allow', list: true },
  { id: H.AllowEvents, name: 'Allow-Events', compact: 'u', list: true },
  { id: H.Event, name: 'Event', compact: 'o' },
  { id: H.Accept, name: 'Accept', list: true },
  { id: H.Date, name: 'Date' },
  { id: H.Timestamp, name: 'Timestamp' },
  { id: H.Warning, name: 'Warning', list: true },
  { id: H.RetryAfter, name: 'Retry-After' },
  { id: H.MinExpires, name: 'Min-Expires' },
  { id: H.AcceptContact, name: 'Accept-Contact', compact: 'a', list: true },
  { id: H.RejectContact, name: 'Reject-Contact', compact: 'j', list: true },
  { id: H.RequestDisposition, name: 'Request-Disposition', compact: 'd', list: true },
  { id: H.Identity, name: 'Identity', compact: 'y' },
  { id: H.IdentityInfo, name: 'Identity-Info', compact: 'n' },
  { id: H.SessionExpires, name: 'Session-Expires', compact: 'x' },
  { id: H.MinSE, name: 'Min-SE' },
  { id: H.Privacy, name: 'Privacy' },
  { id: H.PPreferredService, name: 'P-Preferred-Service' },
  { id: H.Path, name: 'Path', list: true },
  { id: H.ServiceRoute, name: 'Service-Route', list: true },
  { id: H.RSeq, name: 'RSeq' },
  { id: H.RAck, name: 'RAck' },
  { id: H.Replaces, name: 'Replaces' },
  { id: H.ContentDisposition, name: 'Content-Disposition' },
  { id: H.MimeVersion, name: 'MIME-Version' },
  { id: H.Organization, name: 'Organization' },
  { id: H.CallInfo, name: 'Call-Info', list: true },
  { id: H.AlertInfo, name: 'Alert-Info', list: true },
  { id: H.ErrorInfo, name: 'Error-Info', list: true },
  { id: H.InReplyTo, name: 'In-Reply-To', list: true },
  { id: H.ReplyTo, name: 'Reply-To' },
  { id: H.Priority, name: 'Priority' },
  { id: H.SubscriptionState, name: 'Subscription-State' },
  { id: H.AcceptEncoding, name: 'Accept-Encoding', list: true },
  { id: H.AcceptLanguage, name: 'Accept-Language', list: true },
  { id: H.ContentLanguage, name: 'Content-Language', list: true },
  { id: H.PChargingVector, name: 'P-Charging-Vector' },
  { id: H.PAccessNetworkInfo, name: 'P-Access-Network-Info' },
  { id: H.RemotePartyId, name: 'Remote-Party-ID', list: true },
  { id: H.XAsteriskHangupCause, name: 'X-Asterisk-HangupCause' },
];

const NAMES: string[] = [];
const LISTS = new Uint8Array(KNOWN.length + 1);
const SINGLES = new Uint8Array(KNOWN.length + 1);
const BY_LOWER = new Map<string, number>();
/** Header names longer than this are never known ones. */
const MAX_KNOWN_LEN = 32;
/**
 * Dense table by (length << 7 | lower-case first byte): the id of the only known name of that shape, or
 * -(1 + index into SHAPE_LISTS) when several share it, or 0. The byte path then compares one or two candidates.
 */
const SHAPE = new Int16Array((MAX_KNOWN_LEN + 1) << 7);
const SHAPE_LISTS: number[][] = [];
/** Lower-case bytes of each known id's long name, and of its compact form under id + 128. */
const LOWER_BYTES: Uint8Array[] = [];

function addShape(lower: string, id: number, key: number): void {
  const shape = (lower.length << 7) | lower.charCodeAt(0);
  LOWER_BYTES[key] = Buffer.from(lower, 'latin1');
  const cur = SHAPE[shape]!;
  if (cur === 0) SHAPE[shape] = key;
  else if (cur > 0) {
    SHAPE_LISTS.push([cur, key]);
    SHAPE[shape] = -SHAPE_LISTS.length;
  } else SHAPE_LISTS[-cur - 1]!.push(key);
}

for (const k of KNOWN) {
  NAMES[k.id] = k.name;
  if (k.list) LISTS[k.id] = 1;
  if (k.single) SINGLES[k.id] = 1;
  BY_LOWER.set(k.name.toLowerCase(), k.id);
  addShape(k.name.toLowerCase(), k.id, k.id);
  if (k.compact) {
    BY_LOWER.set(k.compact, k.id);
    addShape(k.compact, k.id, k.id + 128);
  }
}

/** Ids below this are the hot ones (see `H`). */
export const HOT_IDS = 24;

/** Number of known ids (ids are 1..KNOWN_COUNT). */
export const KNOWN_COUNT = KNOWN.length;

/** Id of a header name (any case, long or compact form); 0 when unknown. */
export function headerId(name: string): number {
  return BY_LOWER.get(name.toLowerCase()) ?? 0;
}

/** Id of the header name held in `buf[start..end)` (token bytes), without building a string; 0 when unknown. */
export function headerIdFromBytes(buf: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len > MAX_KNOWN_LEN) return 0;
  let first = buf[start]!;
  if (first >= 0x41 && first <= 0x5a) first += 0x20;
  const k = SHAPE[(len << 7) | first]!;
  if (k === 0) return 0;
  if (k > 0) return matches(buf, start, len, k) ? k & 0x7f : 0;
  const list = SHAPE_LISTS[-k - 1]!;
  for (let j = 0; j < list.length; j++) if (matches(buf, start, len, list[j]!)) return list[j]! & 0x7f;
  return 0;
}

function matches(buf: Uint8Array, start: number, len: number, key: number): boolean {
  const bytes = LOWER_BYTES[key]!;
  for (let i = 1; i < len; i++) {
    let b = buf[start + i]!;
    if (b >= 0x41 && b <= 0x5a) b += 0x20;
    if (b !== bytes[i]) return false;
  }
  return true;
}

/**
 * Known names by lower-case first byte, most frequent first: [key, length] pairs where key is the id (long form) or
 * id + 128 (compact form). Lets the parser recognise a header name while reading it, in one pass.
 */
const BY_FIRST: Array<number[] | undefined> = [];
/** Order in which candidates sharing a first letter are tried (headers seen in nearly every message first). */
const FREQUENT = [H.Via, H.From, H.To, H.CallId, H.CSeq, H.MaxForwards, H.Contact, H.ContentLength, H.ContentType];
{
  const keys: number[] = [];
  for (const id of FREQUENT) keys.push(id, id + 128);
  for (const k of KNOWN) keys.push(k.id, k.id + 128);
  const seen = new Set<number>();
  for (const key of keys) {
    const bytes = LOWER_BYTES[key];
    if (!bytes || seen.has(key)) continue;
    seen.add(key);
    const first = bytes[0]!;
    const list = (BY_FIRST[first] ??= []);
    list.push(key, bytes.length);
    if (first >= 0x61 && first <= 0x7a) BY_FIRST[first - 0x20] = list;
  }
}

/** @internal End of the name recognised by the last `knownNameAt` (a const object: cheap to read across modules). */
export const NAME_ST = { end: 0 };

/**
 * @internal Recognises a known header name at `buf[i..]`: its bytes (any case) followed by ":", SP or HT. Returns the
 * id and sets `NAME_ST.end`, or returns 0 (an unknown name, or no name: the caller scans it as a token).
 */
export function knownNameAt(buf: Uint8Array, i: number, len: number): number {
  const list = BY_FIRST[buf[i]!];
  if (list === undefined) return 0;
  outer: for (let k = 0; k < list.length; k += 2) {
    const n = list[k + 1]!;
    const e = i + n;
    if (e >= len) continue;
    const t = buf[e];
    if (t !== 0x3a && t !== 0x20 && t !== 0x09) continue;
    const key = list[k]!;
    const bytes = LOWER_BYTES[key]!;
    for (let j = 1; j < n; j++) if (LOWER[buf[i + j]!] !== bytes[j]) continue outer;
    NAME_ST.end = e;
    return key & 0x7f;
  }
  return 0;
}

/** Canonical (long form) spelling of a known id. */
export function canonicalName(id: number): string {
  return NAMES[id] ?? '';
}

/** The canonical spelling of a header name when known ("v" → "Via", "call-id" → "Call-ID"), else the name as given. */
export function normalizeHeaderName(name: string): string {
  const id = headerId(name);
  return id ? NAMES[id]! : name;
}

/** True when the known header's value is a comma-separated list. */
export function isListHeader(id: number): boolean {
  return LISTS[id] === 1;
}

/** True when the known header may appear once only. */
export function isSingleHeader(id: number): boolean {
  return SINGLES[id] === 1;
}
