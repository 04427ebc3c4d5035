// Address strings as a user writes them in the config or on the command line ("127.0.0.2", "127.0.0.3:5060",
// "[::1]:5070", "10.1.0.0/16"), parsed once so the rest of the code works with typed values.
import { isIP } from 'node:net';

/** A host with an optional port, as written after `--pbx` or in `trunk.address`. */
export interface HostPort {
  host: string;
  /** Undefined when not written: the SIP default (5060, or 5061 for TLS) applies. */
  port?: number;
}

/**
 * Parses "host", "host:port", "[v6]" or "[v6]:port"; a bare IPv6 address without brackets has no port.
 * `listen`: port 0 is allowed (the system picks a free port), as for an address to listen on.
 */
export function parseHostPort(text: string, opts: { listen?: boolean } = {}): HostPort | undefined {
  const min = opts.listen ? 0 : 1;
  const s = text.trim();
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0) return undefined;
    const host = s.slice(1, end);
    if (isIP(host) !== 6) return undefined;
    const rest = s.slice(end + 1);
    if (rest === '') return { host };
    if (!rest.startsWith(':')) return undefined;
    const port = parsePort(rest.slice(1), min);
    return port === undefined ? undefined : { host, port };
  }
  if (isIP(s) === 6) return { host: s };
  const colon = s.lastIndexOf(':');
  const host = colon < 0 ? s : s.slice(0, colon);
  if (!isHostName(host)) return undefined;
  if (colon < 0) return { host };
  const port = parsePort(s.slice(colon + 1), min);
  return port === undefined ? undefined : { host, port };
}

function parsePort(text: string, min: number): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= 65535 ? n : undefined;
}

/** An IP literal or a DNS name (RFC 1123 labels). */
export function isHostName(host: string): boolean {
  if (isIP(host)) return true;
  return /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/.test(
    host,
  );
}

/** An address or network a source may match: "192.0.2.7", "192.0.2.0/24", "2001:db8::/32". */
export interface Network {
  family: 4 | 6;
  /** The address as a bigint, masked to the prefix. */
  base: bigint;
  prefix: number;
}

export function parseNetwork(text: string): Network | undefined {
  const [addr, len, extra] = text.trim().split('/');
  if (addr === undefined || extra !== undefined) return undefined;
  const family = isIP(addr);
  if (family !== 4 && family !== 6) return undefined;
  const bits = family === 4 ? 32 : 128;
  let prefix = bits;
  if (len !== undefined) {
    if (!/^\d{1,3}$/.test(len)) return undefined;
    prefix = Number(len);
    if (prefix > bits) return undefined;
  }
  const value = ipToBigInt(addr, family);
  return { family, base: maskTo(value, prefix, bits), prefix };
}

/** True when the IP address lies in the network. IPv4-mapped IPv6 (::ffff:a.b.c.d) matches IPv4 networks. */
export function networkContains(net: Network, ip: string): boolean {
  let addr = ip;
  let family = isIP(addr);
  if (family === 6 && /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(addr)) {
    addr = addr.slice(7);
    family = 4;
  }
  if (family !== net.family) return false;
  const bits = family === 4 ? 32 : 128;
  return maskTo(ipToBigInt(addr, family), net.prefix, bits) === net.base;
}

function maskTo(value: bigint, prefix: number, bits: number): bigint {
  if (prefix === 0) return 0n;
  const shift = BigInt(bits - prefix);
  return (value >> shift) << shift;
}

function ipToBigInt(addr: string, family: 4 | 6): bigint {
  if (family === 4) {
    return addr.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
  }
  let text = addr;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const n = ipToBigInt(v4[1], 4);
    text = text.slice(0, -v4[1].length) + ((n >> 16n) & 0xffffn).toString(16) + ':' + (n & 0xffffn).toString(16);
  }
  const [head = '', tail] = text.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const missing = 8 - headParts.length - tailParts.length;
  const parts = [...headParts, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailParts];
  return parts.reduce((acc, part) => (acc << 16n) | BigInt(parseInt(part, 16)), 0n);
}
