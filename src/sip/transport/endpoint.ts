// Where a SIP message comes from or goes to: transport, IP address, port. Sides of the firewall are recognised by
// the address only; the port matters for sending and for RFC 3581 `rport`.
export type TransportKind = 'udp' | 'tcp' | 'tls';

/** Never changed once made: one object stands for a peer in every message and transaction that has it. */
export interface Endpoint {
  readonly transport: TransportKind;
  /** An IP literal (IPv6 without brackets). */
  readonly address: string;
  readonly port: number;
}

/** The bytes of one datagram or one framed stream message, with where it came from. */
export interface InboundMessage {
  data: Buffer;
  source: Endpoint;
  /** The local socket it arrived on (for Via and Record-Route of what the proxy sends back the same way). */
  local: Endpoint;
  /** Arrival time, ms since the epoch (the event time the engine uses). */
  receivedAt: number;
}

export function endpointKey(e: Endpoint): string {
  return `${e.transport}:${e.address}:${e.port}`;
}

/** `udp:[::1]:5060` / `udp:127.0.0.1:5060`, for logs. */
export function formatEndpoint(e: Endpoint): string {
  return e.address.includes(':') ? `${e.transport}:[${e.address}]:${e.port}` : `${e.transport}:${e.address}:${e.port}`;
}

/** The host part for a SIP URI or Via: IPv6 in brackets. */
export function uriHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}
