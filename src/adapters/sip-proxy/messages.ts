// The requests the proxy writes itself: the ACK of a non-2xx final, CANCEL, and the BYE that cuts a call
// (RFC 3261 §9.1, §17.1.1.3). Responses come from the SIP layer's createResponse.
import type { SipMessage } from '../../sip/message.js';

/** A header value safe to put on one line (no CR, LF or NUL from a peer can leak into our messages). */
export function oneLine(v: string): string {
  return v.replace(/[\r\n\0]+/g, ' ');
}

/** Escapes text for a quoted-string (`text="…"` in Reason, Warning). */
export function quoted(text: string): string {
  return '"' + oneLine(text).replace(/["\\]/g, (c) => '\\' + c) + '"';
}

/** The ACK for a non-2xx final response to `invite` (same branch, hop by hop: RFC 3261 §17.1.1.3). */
export function buildAck(invite: SipMessage, response: SipMessage): Buffer {
  const lines = [`ACK ${invite.requestUri} SIP/2.0`, `Via: ${invite.via()![0]!.raw}`];
  for (const r of invite.headers('Route')) lines.push(`Route: ${r}`);
  lines.push(
    `From: ${invite.header('From')}`,
    `To: ${response.header('To')}`,
    `Call-ID: ${invite.header('Call-ID')}`,
    `CSeq: ${invite.cseq()!.seq} ACK`,
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  );
  return Buffer.from(lines.join('\r\n'));
}

/** CANCEL for a forwarded INVITE: same Request-URI, top Via, Call-ID, From, To and CSeq number (RFC 3261 §9.1). */
export function buildCancel(invite: SipMessage, reasonHeader?: string): Buffer {
  const lines = [`CANCEL ${invite.requestUri} SIP/2.0`, `Via: ${invite.via()![0]!.raw}`];
  for (const r of invite.headers('Route')) lines.push(`Route: ${r}`);
  lines.push(
    `From: ${invite.header('From')}`,
    `To: ${invite.header('To')}`,
    `Call-ID: ${invite.header('Call-ID')}`,
    `CSeq: ${invite.cseq()!.seq} CANCEL`,
    'Max-Forwards: 70',
  );
  if (reasonHeader) lines.push(`Reason: ${reasonHeader}`);
  lines.push('Content-Length: 0', '', '');
  return Buffer.from(lines.join('\r\n'));
}

export interface ByeParts {
  requestUri: string;
  via: string;
  routes: string[];
  from: string;
  to: string;
  callId: string;
  cseq: number;
  reason: string;
}

/** A BYE the proxy sends on a party's behalf to end a call (a cut). */
export function buildBye(p: ByeParts): Buffer {
  const lines = [`BYE ${p.requestUri} SIP/2.0`, `Via: ${p.via}`];
  for (const r of p.routes) lines.push(`Route: ${r}`);
  lines.push(
    'Max-Forwards: 70',
    `From: ${p.from}`,
    `To: ${p.to}`,
    `Call-ID: ${p.callId}`,
    `CSeq: ${p.cseq} BYE`,
    `Reason: ${p.reason}`,
    'User-Agent: Tollguard',
    'Content-Length: 0',
    '',
    '',
  );
  return Buffer.from(lines.join('\r\n'));
}
