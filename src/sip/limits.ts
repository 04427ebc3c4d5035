// The size and count limits of the SIP layer, in one object. Every limit is enforced while parsing or buffering
// (never after the fact), so a hostile peer cannot make us hold or scan more than these bounds.

/** Limits applied to every message; pass a `Partial<SipLimits>` to override some. */
export interface SipLimits {
  /**
   * Largest message (start line, headers and body), in bytes. Default 65536 (64 KiB): the largest UDP datagram,
   * and far above any legitimate call setup. Over it: `TOO_LARGE`, 513 Message Too Large. The stream framer stops
   * buffering at this size.
   */
  maxMessageSize: number;
  /** Largest body, in bytes. Default 32768: SDP and multipart (SDP + ISUP) fit in a few KiB. Over it: 413. */
  maxBodySize: number;
  /** Most header fields (lines, continuation lines not counted). Default 128. Over it: `TOO_MANY_HEADERS`, 513. */
  maxHeaders: number;
  /**
   * Longest start line or header field, continuation lines included, in bytes. Default 8192.
   * Over it: `HEADER_TOO_LONG`, 513; the stream framer stops at once on a line this long without its CRLF.
   */
  maxLineLength: number;
  /** Longest URI (Request-URI, or the URI of From, To, Contact), in bytes. Default 2048. Over it: 414 (Request-URI) or 400. */
  maxUriLength: number;
  /**
   * Most Via values. Default 70: every hop adds one Via and decrements Max-Forwards from its recommended initial
   * value 70 (RFC 3261 §8.1.1.6), so a request with more has looped or lies. Over it: `TOO_MANY_VIA`, 483 Too Many Hops.
   */
  maxVia: number;
}

/** The defaults, frozen. */
export const DEFAULT_LIMITS: Readonly<SipLimits> = Object.freeze({
  maxMessageSize: 65536,
  maxBodySize: 32768,
  maxHeaders: 128,
  maxLineLength: 8192,
  maxUriLength: 2048,
  maxVia: 70,
});

const resolved = new WeakMap<object, Readonly<SipLimits>>();

/**
 * The full limits for a partial override, cached per override object: build your override once and pass the same
 * object on every call, so parsing does not merge objects per message. Non-positive or non-finite values fall back to
 * the default.
 */
export function resolveLimits(partial?: Partial<SipLimits>): Readonly<SipLimits> {
  if (!partial || partial === DEFAULT_LIMITS) return DEFAULT_LIMITS;
  const hit = resolved.get(partial);
  if (hit) return hit;
  const out = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof SipLimits)[]) {
    const v = partial[key];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) out[key] = Math.floor(v);
  }
  const frozen = Object.freeze(out);
  resolved.set(partial, frozen);
  resolved.set(frozen, frozen);
  return frozen;
}
