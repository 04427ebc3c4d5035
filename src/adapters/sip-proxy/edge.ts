// What the edge guard is told of a SIP request: the SIP layer's message turned into the guard's plain facts.
import type { SipMessage } from '../../sip/message.js';
import type { EdgeRequest } from '../../edge/guard.js';

/** Compact forms of the headers every request carries (RFC 3261 §7.3.3): a scanner's `-c` writes them all so. */
const COMPACT_CORE = ['v', 'f', 't', 'i'];

export function edgeRequestOf(req: SipMessage, source: string, time: number): EdgeRequest {
  const credentials = req.authorization()?.[0] ?? req.proxyAuthorization()?.[0];
  const authUser = credentials?.params.get('username') ?? undefined;
  const to = req.to()?.uri;
  const e: EdgeRequest = {
    time,
    source,
    method: req.method,
    userAgent: req.userAgent(),
    fromTag: req.from()?.tag,
    toUser: to && to.kind === 'sip' ? to.user : undefined,
    authUser: authUser ?? undefined,
  };
  if (e.userAgent === undefined) {
    // Only asked when there is no User-Agent: reading every header name costs more than the typed accessors.
    const names = new Set(req.entries().map(([n]) => n));
    e.compactForm = COMPACT_CORE.every((c) => names.has(c));
  }
  return e;
}
