// The BYE the proxy writes itself to cut a call on a party's behalf. Responses, ACK and CANCEL come from the SIP
// layer's builders (src/sip/build.ts).

/** A header value safe to put on one line (no CR, LF or NUL from a peer can leak into our messages). */
export function oneLine(v: string): string {
  return v.replace(/[\r\n\0]+/g, ' ');
}

/** Escapes text for a quoted-string (`text="…"` in Reason, Warning). */
export function quoted(text: string): string {
  return '"' + oneLine(text).replace(/["\\]/g, (c) => '\\' + c) + '"';
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
