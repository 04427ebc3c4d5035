// Header names the SIP layer knows: canonical spelling, compact form (RFC 3261 §7.3.3 and the extensions' forms in
// the IANA registry), whether a message may carry the header once only, and a small integer id so the index pass
// classifies each header line by its bytes without building a string.

/** Ids of the known headers; 0 is "any other header". */
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
  ContentEncoding: 10,
  Subject: 11,
  Supported: 12,
  Route: 13,
  RecordRoute: 14,
  UserAgent: 15,
  Server: 16,
  Diversion: 17,
  HistoryInfo: 18,
  PAssertedIdentity: 19,
  PPreferredIdentity: 20,
  ReferredBy: 21,
  ReferTo: 22,
  Authorization: 23,
  ProxyAuthorization: 24,
  WwwAuthenticate: 25,
  ProxyAuthenticate: 26,
  Reason: 27,
  Expires: 28,
  Require: 29,
  ProxyRequire: 30,
  Unsupported: 31,
  Allow: 32,
  AllowEvents: 33,
  Event: 34,
  Accept: 35,
  Date: 36,
  Timestamp: 37,
  Warning: 38,
  RetryAfter: 39,
  MinExpires: 40,
  AcceptContact: 41,
  RejectContact: 42,
  RequestDisposition: 43,
  Identity: 44,
  IdentityInfo: 45,
  SessionExpires: 46,
  MinSE: 47,
  Privacy: 48,
  PPreferredService: 49,
  Path: 50,
  ServiceRoute: 51,
  RSeq: 52,
  RAck: 53,
  Replaces: 54,
  ContentDisposition: 55,
  MimeVersion: 56,
  Organization: 57,
  CallInfo: 58,
  AlertInfo: 59,
  ErrorInfo: 60,
  InReplyTo: 61,
  ReplyTo: 62,
  Priority: 63,
  SubscriptionState: 64,
  AcceptEncoding: 65,
  AcceptLanguage: 66,
  ContentLanguage: 67,
  PChargingVector: 68,
  PAccessNetworkInfo: 69,
  RemotePartyId: 70,
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
/** Candidates by (length << 7 | lower-case first byte): the byte path compares only these. */
const BY_SHAPE: (Array<{ id: number; bytes: Uint8Array }> | undefined)[] = [];

function addShape(lower: string, id: number): void {
  const key = (lower.length << 7) | lower.charCodeAt(0);
  (BY_SHAPE[key] ??= []).push({ id, bytes: Buffer.from(lower, 'latin1') });
}

for (const k of KNOWN) {
  NAMES[k.id] = k.name;
  if (k.list) LISTS[k.id] = 1;
  if (k.single) SINGLES[k.id] = 1;
  BY_LOWER.set(k.name.toLowerCase(), k.id);
  addShape(k.name.toLowerCase(), k.id);
  if (k.compact) {
    BY_LOWER.set(k.compact, k.id);
    addShape(k.compact, k.id);
  }
}

/** Number of known ids (ids are 1..KNOWN_COUNT). */
export const KNOWN_COUNT = KNOWN.length;

/** Id of a header name (any case, long or compact form); 0 when unknown. */
export function headerId(name: string): number {
  return BY_LOWER.get(name.toLowerCase()) ?? 0;
}

/** Id of the header name held in `buf[start..end)` (token bytes), without building a string; 0 when unknown. */
export function headerIdFromBytes(buf: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len > 40) return 0;
  let first = buf[start]!;
  if (first >= 0x41 && first <= 0x5a) first += 0x20;
  const cands = BY_SHAPE[(len << 7) | first];
  if (cands === undefined) return 0;
  outer: for (let k = 0; k < cands.length; k++) {
    const c = cands[k]!;
    const bytes = c.bytes;
    for (let i = 1; i < len; i++) {
      let b = buf[start + i]!;
      if (b >= 0x41 && b <= 0x5a) b += 0x20;
      if (b !== bytes[i]) continue outer;
    }
    return c.id;
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
