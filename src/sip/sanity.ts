// The sanity stage (after Kamailio's sanity module): what must hold before any business logic looks at a message.
// It parses, through the message's cached accessors, the headers that identify a transaction and route a response,
// so a message it accepts has every one of them well-formed; the firewall then reads them at no further cost.

import { type SipParseError, sipError } from './errors.js';
import { H, canonicalName } from './header-names.js';
import { type SipMessage, contextOf } from './message.js';
import { KNOWN_METHODS_SET } from './methods.js';

/** Singular headers checked for repetition (RFC 3261 §7.3.1; RFC 4475 §3.3.8). Content-Length is checked while framing. */
const SINGLE = [H.From, H.To, H.CallId, H.CSeq, H.MaxForwards, H.ContentType, H.Expires];
/** Headers every request and response needs (RFC 3261 §8.1.1). Max-Forwards is not among them: see docs/sip.md. */
const REQUIRED = [H.Via, H.From, H.To, H.CallId, H.CSeq];
const mask = (ids: number[]): number => ids.reduce((m, id) => m | (1 << id), 0);
const SINGLE_MASK = mask(SINGLE);
const REQUIRED_MASK = mask(REQUIRED);

function bad(msg: SipMessage, id: number, fallback: string): SipParseError {
  const name = canonicalName(id);
  const e = msg.headerError(name);
  const reason = e?.reason ?? fallback;
  if (reason === 'URI too long') {
    return sipError('URI_TOO_LONG', `URI in ${name} too long`, msg.isRequest, { status: 400, header: name });
  }
  return sipError('BAD_HEADER', `${name}: ${reason}`, msg.isRequest, { header: name });
}

let seenOut = 0;
let dupOut = 0;

/** Presence and repetition masks of the message into seenOut/dupOut (from the parser, or recomputed after edits). */
function masks(msg: SipMessage): void {
  if (msg.seenMask !== -1 && !msg.edited) {
    seenOut = msg.seenMask;
    dupOut = msg.dupMask;
    return;
  }
  let seen = 0;
  let dup = 0;
  const n = msg.headerCount;
  for (let i = 0; i < n; i++) {
    const id = msg.headerIdAt(i);
    if (id >= 31) continue;
    dup |= seen & (1 << id);
    seen |= 1 << id;
  }
  seenOut = seen;
  dupOut = dup;
}

/**
 * Checks a parsed message; returns the first problem or undefined. Requests: singular headers not repeated,
 * Via/From/To/Call-ID/CSeq present and well-formed (for Via: the top value, the one responses are routed by; the
 * others are parsed when `via()` is called), Via count within `maxVia`, top Via SIP/2.0, CSeq method equal
 * to the request method (else 400, or 501 for an unknown method), Max-Forwards 0-255, Request-URI well-formed with a
 * sip/sips/tel scheme (else 416) and no headers component, when present Expires and Date (GMT only) well-formed,
 * and in a REGISTER the Contact. Responses: the same header checks; every failure has status 0 (a response is dropped).
 */
export function sanityCheck(msg: SipMessage): SipParseError | undefined {
  const isReq = msg.isRequest;
  masks(msg);
  const seen = seenOut;
  const dup = dupOut;
  if ((dup & SINGLE_MASK) !== 0) {
    const id = SINGLE.find((x) => (dup & (1 << x)) !== 0)!;
    const name = canonicalName(id);
    return sipError('DUPLICATE_HEADER', `more than one ${name}`, isReq, { header: name });
  }
  if ((seen & REQUIRED_MASK) !== REQUIRED_MASK) {
    const missing = REQUIRED.filter((id) => (seen & (1 << id)) === 0).map(canonicalName);
    return sipError('MISSING_HEADER', `missing ${missing.join(', ')}`, isReq, { header: missing[0]! });
  }
  const top = msg.topVia();
  if (top === undefined) return bad(msg, H.Via, 'bad Via');
  if (top.protocol !== 'SIP' || top.version !== '2.0') {
    return sipError('BAD_HEADER', 'Via: not SIP/2.0', isReq, { header: 'Via' });
  }
  if (!msg.viaCountBelow(msg.limits.maxVia) && msg.viaCount() > msg.limits.maxVia) {
    return sipError('TOO_MANY_VIA', `more than ${msg.limits.maxVia} Via values`, isReq, { header: 'Via' });
  }
  const cseq = msg.cseq();
  if (cseq === undefined) return bad(msg, H.CSeq, 'bad CSeq');
  if (isReq && cseq.method !== msg.method) {
    const status = KNOWN_METHODS_SET.has(msg.method) ? 400 : 501;
    return sipError('CSEQ_MISMATCH', 'CSeq method differs from the request method', true, { status, header: 'CSeq' });
  }
  if (msg.from() === undefined) return bad(msg, H.From, 'bad From');
  if (msg.to() === undefined) return bad(msg, H.To, 'bad To');
  if (msg.callId() === undefined) return bad(msg, H.CallId, 'bad Call-ID');
  if (seen & (1 << H.MaxForwards) && msg.maxForwards() === undefined)
    return bad(msg, H.MaxForwards, 'bad Max-Forwards');
  if (isReq) {
    const uri = msg.uri();
    if (uri === undefined) {
      return sipError('BAD_REQUEST_URI', 'malformed Request-URI', true);
    }
    if (uri.kind === 'other') {
      return sipError('UNSUPPORTED_URI_SCHEME', `unsupported URI scheme ${uri.scheme}`, true);
    }
    if (uri.kind === 'sip' && uri.hasHeaders) {
      return sipError('BAD_REQUEST_URI', 'headers component in Request-URI', true);
    }
    // Contact is what a REGISTER is about (the binding): checked there. In other requests it is the remote target,
    // which the firewall forwards untouched and the callee parses; it is parsed (and reported) when read.
    if (seen & (1 << H.Contact) && msg.method === 'REGISTER' && msg.contact() === undefined) {
      return bad(msg, H.Contact, 'bad Contact');
    }
  }
  if (seen & (1 << H.Expires) && msg.expires() === undefined) return bad(msg, H.Expires, 'bad Expires');
  if (seen & (1 << H.Date) && msg.date() === undefined) return bad(msg, H.Date, 'bad Date');
  return undefined;
}

/**
 * For a proxy about to forward a request: Max-Forwards 0 is refused with 483 Too Many Hops (RFC 3261 §16.3 step 2).
 * Returns undefined when the request may be forwarded (absent Max-Forwards included: the proxy adds 70).
 */
export function checkMaxForwards(msg: SipMessage): SipParseError | undefined {
  if (!msg.isRequest || msg.maxForwards() !== 0) return undefined;
  const err = sipError('TOO_MANY_HOPS', 'Max-Forwards is 0', true, { header: 'Max-Forwards' });
  err.request = contextOf(msg);
  return err;
}
