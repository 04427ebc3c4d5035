// SIP transports over real loopback sockets: UDP datagrams, TCP streams cut into messages (partial, pipelined,
// keep-alive pings), a broken stream answered and closed, TLS with a certificate made for the test, and IPv6.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SipTransports } from '../../../src/sip/transport/transports.js';
import type { InboundMessage } from '../../../src/sip/transport/endpoint.js';

function options(n: number, extra = ''): string {
  const body = 'x'.repeat(n);
  return (
    `OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-${n}\r\nFrom: <sip:a@x>;tag=1\r\n` +
    `To: <sip:b@x>\r\nCall-ID: c${n}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n${extra}Content-Length: ${n}\r\n\r\n${body}`
  );
}

async function started(
  listen: { transport: 'udp' | 'tcp' | 'tls'; host: string; port: number }[],
  tlsOpts?: { cert: Buffer; key: Buffer },
) {
  const got: InboundMessage[] = [];
  const errors: string[] = [];
  const t = new SipTransports({
    listen,
    tls: tlsOpts,
    onMessage: (m) => got.push(m),
    onTransportError: (_s, r) => errors.push(r),
  });
  await t.start();
  after(() => t.close());
  return { t, got, errors };
}

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('UDP: a datagram arrives with its source; send reaches a peer', async () => {
  const { t, got } = await started([{ transport: 'udp', host: '127.0.0.1', port: 0 }]);
  const local = t.localEndpoints[0]!;
  const peer = dgram.createSocket('udp4');
  await new Promise<void>((r) => peer.bind(0, '127.0.0.2', () => r()));
  const echo = new Promise<string>((r) => peer.once('message', (m) => r(m.toString())));
  peer.send(options(0), local.port, '127.0.0.1');
  await until(() => got.length === 1);
  assert.deepEqual([got[0]!.source.address, got[0]!.source.transport], ['127.0.0.2', 'udp']);
  t.send(got[0]!.source, Buffer.from('hello'));
  assert.equal(await echo, 'hello');
  peer.close();
});

test('TCP: partial and pipelined messages are framed, a ping is answered, replies reuse the connection', async () => {
  const { t, got } = await started([{ transport: 'tcp', host: '127.0.0.1', port: 0 }]);
  const local = t.localEndpoints[0]!;
  const sock = net.connect(local.port, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  let received = '';
  sock.on('data', (d) => (received += d.toString()));
  const stream = options(3) + options(5) + '\r\n\r\n';
  // One byte at a time for the first message, then the rest in one piece.
  for (let i = 0; i < 40; i++) sock.write(stream[i]!);
  sock.write(stream.slice(40));
  await until(() => got.length === 2 && received === '\r\n');
  assert.deepEqual(
    got.map((m) => m.data.toString().endsWith('xxx') || m.data.toString().endsWith('xxxxx')),
    [true, true],
  );
  t.send(got[0]!.source, Buffer.from('SIP/2.0 200 OK\r\n'));
  await until(() => received.includes('200 OK'));
  sock.destroy();
});

test('TCP: a message without Content-Length breaks framing: answered 400 and closed', async () => {
  const { t, errors } = await started([{ transport: 'tcp', host: '127.0.0.1', port: 0 }]);
  const sock = net.connect(t.localEndpoints[0]!.port, '127.0.0.1');
  let received = '';
  sock.on('data', (d) => (received += d.toString()));
  const closed = new Promise((r) => sock.once('close', r));
  sock.write(options(0).replace('Content-Length: 0\r\n', ''));
  await closed;
  assert.match(received, /^SIP\/2\.0 400 /);
  assert.equal(errors.length, 1);
});

test('TLS: a certificate from the configuration; a TLS client is framed like TCP', async (ctx) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tg-tls-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const r = spawnSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-keyout',
    path.join(dir, 'key.pem'),
    '-out',
    path.join(dir, 'cert.pem'),
  ]);
  if (r.status !== 0) return ctx.skip('openssl cannot make a test certificate');
  const cert = readFileSync(path.join(dir, 'cert.pem'));
  const key = readFileSync(path.join(dir, 'key.pem'));
  const { t, got } = await started([{ transport: 'tls', host: '127.0.0.1', port: 0 }], { cert, key });
  const sock = tls.connect({ port: t.localEndpoints[0]!.port, host: '127.0.0.1', ca: cert, servername: 'localhost' });
  await new Promise((res) => sock.once('secureConnect', res));
  sock.write(options(4));
  await until(() => got.length === 1);
  assert.equal(got[0]!.source.transport, 'tls');
  sock.destroy();
});

test('IPv6 UDP on ::1', async () => {
  const { t, got } = await started([{ transport: 'udp', host: '::1', port: 0 }]);
  const peer = dgram.createSocket('udp6');
  await new Promise<void>((r) => peer.bind(0, '::1', () => r()));
  peer.send(options(1), t.localEndpoints[0]!.port, '::1');
  await until(() => got.length === 1);
  assert.equal(got[0]!.source.address, '::1');
  peer.close();
});

test('UDP: datagrams from one peer share one source endpoint; another port of the same address is another', async () => {
  const { t, got } = await started([{ transport: 'udp', host: '127.0.0.1', port: 0 }]);
  const local = t.localEndpoints[0]!;
  const bind = async () => {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.2', () => r()));
    after(() => s.close());
    return s;
  };
  const [a, b] = [await bind(), await bind()];
  a.send(options(1), local.port, '127.0.0.1');
  await until(() => got.length === 1);
  a.send(options(2), local.port, '127.0.0.1');
  await until(() => got.length === 2);
  b.send(options(3), local.port, '127.0.0.1');
  await until(() => got.length === 3);
  a.send(options(4), local.port, '127.0.0.1');
  await until(() => got.length === 4);
  const [s1, s2, s3, s4] = got.map((m) => m.source);
  assert.equal(s1, s2, 'one object for one peer');
  assert.notEqual(s3, s1);
  assert.deepEqual([s3!.port, s4!.port], [b.address().port, a.address().port]);
  assert.deepEqual(s4, s1);
});
