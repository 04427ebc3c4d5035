// RFC 3261 §17 transactions over real UDP sockets on loopback, with datagrams lost on purpose by the test peer:
// retransmissions until an answer, ACK of a non-2xx final, absorbed retransmissions, timeouts. Timers are scaled
// down (T1 = 40 ms) so the test runs in seconds.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { parseMessage } from '../../../src/sip/parse.js';
import type { SipMessage } from '../../../src/sip/message.js';
import { TimerWheel } from '../../../src/sip/transaction/timer-wheel.js';
import { TransactionLayer, newBranch } from '../../../src/sip/transaction/transactions.js';
import { createResponse } from '../../../src/sip/build.js';
import type { Endpoint } from '../../../src/sip/transport/endpoint.js';

const T = { T1: 40, T2: 320, T4: 400 };

async function socket(ip: string): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, ip, () => r()));
  after(() => s.close());
  return s;
}

function parse(b: Buffer): SipMessage {
  const r = parseMessage(b);
  if (!r.ok) throw new Error(r.error.detail);
  return r.message;
}

async function setup(timers: Partial<typeof T> & { C?: number } = T) {
  const mine = await socket('127.0.0.1');
  const peer = await socket('127.0.0.2');
  const wheel = new TimerWheel(10);
  after(() => wheel.stop());
  const layer = new TransactionLayer({
    send: (to, b) => mine.send(b, to.port, to.address),
    wheel,
    timers,
  });
  after(() => layer.clear());
  const peerEp: Endpoint = { transport: 'udp', address: '127.0.0.2', port: peer.address().port };
  const mineEp: Endpoint = { transport: 'udp', address: '127.0.0.1', port: mine.address().port };
  return { mine, peer, layer, peerEp, mineEp };
}

function request(method: string, branch: string, host: string, port: number, seq = 1): Buffer {
  return Buffer.from(
    `${method} sip:0145678901@127.0.0.2 SIP/2.0\r\nVia: SIP/2.0/UDP ${host}:${port};branch=${branch};rport\r\n` +
      `From: <sip:201@127.0.0.1>;tag=f1\r\nTo: <sip:0145678901@127.0.0.2>\r\nCall-ID: tx-${branch}\r\n` +
      `CSeq: ${seq} ${method}\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`,
  );
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('client INVITE: the first datagram is lost, the retransmission gets through; a 486 is ACKed, its repeat ACKed again, reported once', async () => {
  const { mine, peer, layer, peerEp, mineEp } = await setup();
  const branch = newBranch();
  const bytes = request('INVITE', branch, '127.0.0.1', mineEp.port);
  const seen: SipMessage[] = [];
  peer.on('message', (b) => seen.push(parse(b)));
  const responses: number[] = [];
  mine.on('message', (b) => layer.receiveResponse(parse(b)));
  layer.sendRequest(branch, parse(bytes), bytes, peerEp, {
    onResponse: (_c, r) => responses.push(r.status),
    onTimeout: () => responses.push(-1),
  });
  await wait(T.T1 * 3 + 30);
  const invites = seen.filter((m) => m.method === 'INVITE');
  assert.ok(invites.length >= 2, `INVITE retransmitted (seen ${invites.length})`); // the test "loses" the first
  const inv = invites[1]!;
  const busy = createResponse(inv, 486, 'Busy Here', { toTag: 'callee1' }).toBuffer();
  peer.send(busy, mineEp.port, '127.0.0.1');
  await wait(80);
  const countAfter = seen.filter((m) => m.method === 'INVITE').length;
  peer.send(busy, mineEp.port, '127.0.0.1'); // the 486 retransmitted: our ACK was "lost"
  await wait(300);
  assert.equal(seen.filter((m) => m.method === 'INVITE').length, countAfter, 'no INVITE after the final');
  const acks = seen.filter((m) => m.method === 'ACK');
  assert.equal(acks.length, 2);
  assert.equal(acks[0]!.topVia()?.branch, branch, 'the ACK of a non-2xx has the INVITE branch');
  assert.equal(acks[0]!.to()?.tag, 'callee1');
  assert.deepEqual(responses, [486]);
});

test('client INVITE: no answer at all ends with timer B (64*T1)', async () => {
  const { layer, peerEp, mineEp } = await setup();
  const branch = newBranch();
  const bytes = request('INVITE', branch, '127.0.0.1', mineEp.port);
  const start = Date.now();
  const timedOut = new Promise<number>((resolve) =>
    layer.sendRequest(branch, parse(bytes), bytes, peerEp, {
      onResponse: () => {},
      onTimeout: () => resolve(Date.now() - start),
    }),
  );
  const ms = await timedOut;
  assert.ok(ms >= 64 * T.T1 - 20 && ms < 64 * T.T1 + 500, `timer B after ${ms} ms`);
});

test('client INVITE: once ringing, timer B no longer applies; timer C, restarted by each provisional, gives up and the transaction ends 64*T1 later', async () => {
  // T1 = 10 ms: timer B would fire at 640 ms. Timer C is 1,200 ms.
  const { mine, peer, layer, peerEp, mineEp } = await setup({ T1: 10, T2: 80, T4: 100, C: 1200 });
  const branch = newBranch();
  const bytes = request('INVITE', branch, '127.0.0.1', mineEp.port);
  let invite: SipMessage | undefined;
  peer.on('message', (b) => (invite ??= parse(b)));
  mine.on('message', (b) => layer.receiveResponse(parse(b)));
  const start = Date.now();
  const events: string[] = [];
  let timedOutAt = 0;
  layer.sendRequest(branch, parse(bytes), bytes, peerEp, {
    onResponse: (_c, r) => events.push(String(r.status)),
    onTimeout: (ct) => {
      timedOutAt = Date.now() - start;
      events.push(`timeout while ${ct.state}`);
    },
  });
  await wait(30);
  const ringing = createResponse(invite!, 180, 'Ringing', { toTag: 'callee' }).toBuffer();
  peer.send(ringing, mineEp.port, '127.0.0.1');
  await wait(600);
  peer.send(ringing, mineEp.port, '127.0.0.1'); // timer C starts again: it fires near 630 + 1,200 ms
  await wait(400); // 1,030 ms: well past timer B
  assert.deepEqual(events, ['180', '180']);
  assert.equal(layer.sizes.client, 1);
  while (timedOutAt === 0 && Date.now() - start < 4000) await wait(20);
  assert.ok(timedOutAt >= 1780 && timedOutAt < 2600, `timer C after ${timedOutAt} ms`);
  assert.deepEqual(events, ['180', '180', 'timeout while proceeding']);
  assert.equal(layer.sizes.client, 1, 'still there to take the answer to a CANCEL');
  await wait(64 * 10 + 150);
  assert.equal(layer.sizes.client, 0);
});

test('client non-INVITE: retransmitted (timer E) until a final response', async () => {
  const { mine, peer, layer, peerEp, mineEp } = await setup();
  const branch = newBranch();
  const bytes = request('BYE', branch, '127.0.0.1', mineEp.port, 2);
  let n = 0;
  let first: SipMessage | undefined;
  peer.on('message', (b) => {
    n++;
    first ??= parse(b);
  });
  mine.on('message', (b) => layer.receiveResponse(parse(b)));
  const got: number[] = [];
  layer.sendRequest(branch, parse(bytes), bytes, peerEp, {
    onResponse: (_c, r) => got.push(r.status),
    onTimeout: () => got.push(-1),
  });
  await wait(T.T1 * 7);
  assert.ok(n >= 3, `BYE sent ${n} times`);
  peer.send(createResponse(first!, 200, 'OK').toBuffer(), mineEp.port, '127.0.0.1');
  await wait(50);
  const after200 = n;
  await wait(T.T2 * 2);
  assert.equal(n, after200, 'no retransmission after the final');
  assert.deepEqual(got, [200]);
});

test('server INVITE: a retransmitted INVITE is absorbed and the last response repeated; a lost 486 is retransmitted (timer G) until the ACK', async () => {
  const { mine, peer, layer, mineEp } = await setup();
  const peerPort = peer.address().port;
  const branch = 'z9hG4bK-srv-1';
  const invite = request('INVITE', branch, '127.0.0.2', peerPort);
  const source: Endpoint = { transport: 'udp', address: '127.0.0.2', port: peerPort };
  const newTx: string[] = [];
  let st: ReturnType<TransactionLayer['receiveRequest']> | undefined;
  mine.on('message', (b) => {
    const r = layer.receiveRequest(parse(b), source);
    newTx.push(r.kind);
    if (r.kind === 'new') st = r;
  });
  const toPeer: string[] = [];
  peer.on('message', (b) => toPeer.push(b.toString().split('\r\n')[0]!));
  peer.send(invite, mineEp.port, '127.0.0.1');
  await wait(50);
  assert.ok(st && st.kind === 'new');
  st.tx.respond(100, createResponse(st.tx.request!, 100, 'Trying').toBuffer());
  peer.send(invite, mineEp.port, '127.0.0.1'); // retransmission
  await wait(50);
  assert.deepEqual(newTx, ['new', 'absorbed']);
  assert.deepEqual(toPeer, ['SIP/2.0 100 Trying', 'SIP/2.0 100 Trying']);
  const busy = createResponse(st.tx.request!, 486, 'Busy Here', { toTag: 'uas1' });
  st.tx.respond(486, busy.toBuffer());
  await wait(T.T1 * 4); // the peer "loses" the 486s: they keep coming
  const retransmitted = toPeer.filter((l) => l.startsWith('SIP/2.0 486')).length;
  assert.ok(retransmitted >= 2, `486 sent ${retransmitted} times`);
  const ack = request('ACK', branch, '127.0.0.2', peerPort)
    .toString()
    .replace('To: <sip:0145678901@127.0.0.2>', 'To: <sip:0145678901@127.0.0.2>;tag=uas1');
  peer.send(ack, mineEp.port, '127.0.0.1');
  await wait(50);
  const atAck = toPeer.length;
  await wait(T.T2 * 2);
  assert.equal(toPeer.length, atAck, 'no 486 after the ACK');
  assert.equal(newTx[newTx.length - 1], 'absorbed', 'the ACK of a non-2xx is absorbed by the transaction');
});

test('server INVITE: after a 2xx a retransmitted INVITE is absorbed and answered with nothing (RFC 6026: the UAS repeats its 2xx end to end); a retransmitted BYE gets its 200 again', async () => {
  const { mine, peer, layer, mineEp } = await setup();
  const peerPort = peer.address().port;
  const source: Endpoint = { transport: 'udp', address: '127.0.0.2', port: peerPort };
  const kinds: string[] = [];
  const fresh: Array<Extract<ReturnType<TransactionLayer['receiveRequest']>, { kind: 'new' }>> = [];
  mine.on('message', (b) => {
    const r = layer.receiveRequest(parse(b), source);
    kinds.push(r.kind);
    if (r.kind === 'new') fresh.push(r);
  });
  const toPeer: string[] = [];
  peer.on('message', (b) => toPeer.push(b.toString().split('\r\n')[0]!));
  const invite = request('INVITE', 'z9hG4bK-srv-2xx', '127.0.0.2', peerPort);
  peer.send(invite, mineEp.port, '127.0.0.1');
  await wait(50);
  const st = fresh[0]!.tx;
  st.respond(200, createResponse(st.request!, 200, 'OK', { toTag: 'uas2' }).toBuffer());
  peer.send(invite, mineEp.port, '127.0.0.1'); // the caller missed the 200 and repeats its INVITE
  await wait(50);
  assert.deepEqual(kinds, ['new', 'absorbed']);
  assert.deepEqual(toPeer, ['SIP/2.0 200 OK'], 'the transaction itself does not repeat a 2xx');
  assert.equal(st.lastResponse, undefined, 'nothing kept to repeat');

  const bye = request('BYE', 'z9hG4bK-srv-bye', '127.0.0.2', peerPort, 2);
  peer.send(bye, mineEp.port, '127.0.0.1');
  await wait(50);
  const byeTx = fresh[1]!.tx;
  byeTx.respond(200, createResponse(byeTx.request!, 200, 'OK').toBuffer());
  peer.send(bye, mineEp.port, '127.0.0.1'); // retransmitted: the 200 was lost
  await wait(50);
  assert.deepEqual(kinds, ['new', 'absorbed', 'new', 'absorbed']);
  assert.deepEqual(toPeer, ['SIP/2.0 200 OK', 'SIP/2.0 200 OK', 'SIP/2.0 200 OK']);
});
