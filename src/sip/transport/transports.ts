// The sockets of the SIP side: UDP, TCP and TLS listeners on IPv4 and IPv6, and the connections a stream transport
// opens or accepts. Delivers raw message bytes with their source; sends bytes to an endpoint. Knows nothing of
// parsing beyond framing a stream, and nothing of calls.
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';
import { isIP } from 'node:net';
import type { Endpoint, InboundMessage, TransportKind } from './endpoint.js';
import { endpointKey } from './endpoint.js';
import { SipStreamFramer, type FramerOptions } from '../framer.js';
import { createErrorResponse } from '../build.js';
import { BoundedCache } from '../../collections/bounded-cache.js';

export interface ListenSpec {
  transport: TransportKind;
  host: string;
  port: number;
}

export interface TransportLimits {
  /** Stream connections open at once, accepted and opened together; beyond it new ones are refused. */
  maxConnections: number;
  /** A stream connection idle this long (ms) is closed. */
  idleTimeoutMs: number;
  /** A connection attempt taking longer (ms) fails. */
  connectTimeoutMs: number;
  /** Bytes queued towards one stream peer before it is considered stuck and closed. */
  maxQueuedBytes: number;
}

export const defaultTransportLimits: TransportLimits = {
  maxConnections: 4096,
  idleTimeoutMs: 120_000,
  connectTimeoutMs: 5_000,
  maxQueuedBytes: 1 << 20,
};

export interface TransportOptions {
  listen: ListenSpec[];
  tls?: { cert: string | Buffer; key: string | Buffer; ca?: string | Buffer; rejectUnauthorized?: boolean };
  limits?: Partial<TransportLimits>;
  /** Limits for framing streams (message size, line length). */
  framing?: FramerOptions;
  onMessage: (message: InboundMessage) => void;
  /** Something a peer did wrong at the transport level (unframeable stream, too many connections). */
  onTransportError?: (source: Endpoint, reason: string) => void;
  /** Wall clock for arrival times; replaceable in tests. */
  now?: () => number;
}

interface StreamConnection {
  socket: net.Socket;
  remote: Endpoint;
  local: Endpoint;
  framer: SipStreamFramer;
}

/**
 * dgram's default lookup runs every send through dns.lookup, which answers even an IP literal a tick later: the
 * send waits for the next turn and allocates on the way. SIP peers are addressed by IP (a name resolves here as
 * before), so a literal is answered at once and the datagram leaves inside `send`.
 */
function lookupLiteralNow(
  host: string,
  options: dns.LookupOptions | number,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  const family = isIP(host);
  if (family !== 0) callback(null, host, family);
  else
    dns.lookup(host, { ...(typeof options === 'number' ? { family: options } : options), all: false }, (err, a, f) =>
      callback(err, a, f),
    );
}

export class SipTransports {
  private readonly limits: TransportLimits;
  private readonly now: () => number;
  private readonly udp = new Map<string, { socket: dgram.Socket; local: Endpoint }>();
  /** The UDP socket that sends to each address family (the first bound of that family). */
  private readonly udpByFamily: { 4?: dgram.Socket; 6?: dgram.Socket } = {};
  private readonly servers: { server: net.Server; local: Endpoint }[] = [];
  /** Open stream connections by remote endpoint: responses and in-dialog requests reuse them (RFC 3261 §18). */
  private readonly connections = new Map<string, StreamConnection>();
  private closed = false;

  constructor(private readonly opts: TransportOptions) {
    this.limits = { ...defaultTransportLimits, ...opts.limits };
    this.now = opts.now ?? Date.now;
  }

  /** Binds every listener; rejects (and closes what was bound) if one cannot be bound. */
  async start(): Promise<void> {
    try {
      for (const spec of this.opts.listen) {
        if (spec.transport === 'udp') await this.bindUdp(spec);
        else await this.bindStream(spec);
      }
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  /** The endpoints actually bound (ports resolved when 0 was asked). */
  get localEndpoints(): Endpoint[] {
    return [...[...this.udp.values()].map((u) => u.local), ...this.servers.map((s) => s.local)];
  }

  /** A bound local endpoint of this transport and address family, for Via and Record-Route. */
  localFor(transport: TransportKind, family: 4 | 6): Endpoint | undefined {
    return (
      this.localEndpoints.find((e) => e.transport === transport && isIP(e.address) === family) ??
      this.localEndpoints.find((e) => e.transport === transport)
    );
  }

  /** Sends bytes; for a stream transport, over the open connection to that peer or a new one. */
  send(to: Endpoint, data: Buffer): void {
    if (this.closed) return;
    if (to.transport === 'udp') {
      const family = to.address.includes(':') ? 6 : 4;
      const sock = this.udpFor(family);
      if (!sock) {
        this.opts.onTransportError?.(to, `no UDP socket for IPv${family}`);
        return;
      }
      sock.send(data, to.port, to.address);
      return;
    }
    const conn = this.connections.get(endpointKey(to)) ?? this.connect(to);
    if (!conn) return;
    if (conn.socket.writableLength > this.limits.maxQueuedBytes) {
      this.opts.onTransportError?.(to, 'peer does not read: send queue over its limit');
      conn.socket.destroy();
      return;
    }
    conn.socket.write(data);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const c of this.connections.values()) c.socket.destroy();
    this.connections.clear();
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.server.close(() => resolve()))));
    this.servers.length = 0;
    await Promise.all(
      [...this.udp.values()].map((u) => new Promise<void>((resolve) => u.socket.close(() => resolve()))),
    );
    this.udp.clear();
    delete this.udpByFamily[4];
    delete this.udpByFamily[6];
  }

  private udpFor(family: 4 | 6): dgram.Socket | undefined {
    // An IPv6 socket bound to '::' also reaches IPv4 peers through mapped addresses; not assumed here.
    return this.udpByFamily[family];
  }

  private bindUdp(spec: ListenSpec): Promise<void> {
    return new Promise((resolve, reject) => {
      const family = isIP(spec.host) === 6 ? 'udp6' : 'udp4';
      const socket = dgram.createSocket({
        type: family,
        recvBufferSize: 4 << 20,
        sendBufferSize: 4 << 20,
        lookup: lookupLiteralNow as unknown as dgram.SocketOptions['lookup'],
      });
      socket.once('error', reject);
      socket.bind(spec.port, spec.host, () => {
        socket.off('error', reject);
        const addr = socket.address();
        const local: Endpoint = { transport: 'udp', address: addr.address, port: addr.port };
        // A send to an unreachable peer reports ICMP errors here: never fatal for the listener.
        socket.on('error', (err) => this.opts.onTransportError?.(local, `udp socket error: ${err.message}`));
        // One Endpoint per peer, not per datagram: the server transactions of an ended call keep their source 32 s,
        // and a trunk or PBX sends from one address and port. Endpoints are never changed once made.
        const peers = new BoundedCache<string, Endpoint>(4096);
        socket.on('message', (data, rinfo) => {
          let source = peers.get(rinfo.address);
          if (source?.port !== rinfo.port) {
            source = peers.set(rinfo.address, { transport: 'udp', address: rinfo.address, port: rinfo.port });
          }
          this.opts.onMessage({ data, source, local, receivedAt: this.now() });
        });
        this.udp.set(endpointKey(local), { socket, local });
        this.udpByFamily[family === 'udp6' ? 6 : 4] ??= socket;
        resolve();
      });
    });
  }

  private bindStream(spec: ListenSpec): Promise<void> {
    return new Promise((resolve, reject) => {
      const onConnection = (socket: net.Socket): void => {
        const remote: Endpoint = {
          transport: spec.transport,
          address: normaliseAddress(socket.remoteAddress ?? ''),
          port: socket.remotePort ?? 0,
        };
        if (this.connections.size >= this.limits.maxConnections) {
          this.opts.onTransportError?.(remote, 'too many connections');
          socket.destroy();
          return;
        }
        this.adopt(socket, remote, local);
      };
      let server: net.Server;
      if (spec.transport === 'tls') {
        if (!this.opts.tls) return reject(new Error('a tls:// listener needs sip.tls.cert and sip.tls.key'));
        server = tls.createServer(
          {
            cert: this.opts.tls.cert,
            key: this.opts.tls.key,
            ca: this.opts.tls.ca,
            requestCert: this.opts.tls.ca !== undefined,
            rejectUnauthorized: false,
          },
          onConnection,
        );
        // A failed handshake is the peer's problem, not the listener's.
        server.on('tlsClientError', (err, socket) =>
          this.opts.onTransportError?.(
            { transport: 'tls', address: normaliseAddress(socket.remoteAddress ?? ''), port: socket.remotePort ?? 0 },
            `tls handshake failed: ${err.message}`,
          ),
        );
      } else {
        server = net.createServer({ noDelay: true }, onConnection);
      }
      let local: Endpoint = { transport: spec.transport, address: spec.host, port: spec.port };
      server.once('error', reject);
      server.listen(spec.port, spec.host, () => {
        server.off('error', reject);
        const addr = server.address() as net.AddressInfo;
        local = { transport: spec.transport, address: addr.address, port: addr.port };
        this.servers.push({ server, local });
        resolve();
      });
    });
  }

  private connect(to: Endpoint): StreamConnection | undefined {
    if (this.connections.size >= this.limits.maxConnections) {
      this.opts.onTransportError?.(to, 'too many connections: cannot open one more');
      return undefined;
    }
    const family = isIP(to.address) === 6 ? 6 : 4;
    const local = this.localFor(to.transport, family) ?? { transport: to.transport, address: '0.0.0.0', port: 0 };
    const socket =
      to.transport === 'tls'
        ? tls.connect({
            host: to.address,
            port: to.port,
            ca: this.opts.tls?.ca,
            cert: this.opts.tls?.cert,
            key: this.opts.tls?.key,
            rejectUnauthorized: this.opts.tls?.rejectUnauthorized ?? true,
            servername: isIP(to.address) ? undefined : to.address,
          })
        : net.connect({ host: to.address, port: to.port, noDelay: true });
    const timer = setTimeout(() => socket.destroy(new Error('connect timeout')), this.limits.connectTimeoutMs);
    socket.once(to.transport === 'tls' ? 'secureConnect' : 'connect', () => clearTimeout(timer));
    socket.once('close', () => clearTimeout(timer));
    return this.adopt(socket, to, local);
  }

  private adopt(socket: net.Socket, remote: Endpoint, local: Endpoint): StreamConnection {
    const key = endpointKey(remote);
    const conn: StreamConnection = { socket, remote, local, framer: new SipStreamFramer(this.opts.framing) };
    this.connections.set(key, conn);
    socket.setTimeout(this.limits.idleTimeoutMs, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      const receivedAt = this.now();
      for (const ev of conn.framer.push(chunk)) {
        if (ev.type === 'message') this.opts.onMessage({ data: ev.data, source: remote, local, receivedAt });
        else if (ev.type === 'ping') socket.write('\r\n');
        else if (ev.type === 'error') {
          // Framing is lost: answer when the request can be answered, then close (RFC 3261 §18.3).
          this.opts.onTransportError?.(remote, `${ev.error.code}: ${ev.error.detail}`);
          const bytes = createErrorResponse(ev.error, { source: remote });
          if (bytes) socket.end(bytes);
          else socket.destroy();
          return;
        }
      }
    });
    socket.on('error', (err) => this.opts.onTransportError?.(remote, `connection error: ${err.message}`));
    socket.on('close', () => {
      if (this.connections.get(key) === conn) this.connections.delete(key);
    });
    return conn;
  }
}

/** `::ffff:127.0.0.1` → `127.0.0.1`: a dual-stack socket reports IPv4 peers as mapped addresses. */
export function normaliseAddress(address: string): string {
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address;
}
