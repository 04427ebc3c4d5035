// The stream framer: messages cut out of any split of a TCP/TLS stream, keep-alives reported, limits enforced while
// buffering, and a fatal error when framing is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SipStreamFramer, type FrameEvent } from '../../../src/sip/framer.js';
import { parseMessage } from '../../../src/sip/parse.js';
import { createErrorResponse } from '../../../src/sip/build.js';
import { invite } from './helpers.js';

const A = invite('', 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n\r\n\r\na=x\r\n'); // a body holding CRLFCRLF
const B = Buffer.from(
  'SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\n' +
    'Call-ID: 1@h\r\nCSeq: 1 INVITE\r\nl: 3\r\n\r\nabc',
);
const STREAM = Buffer.concat([A, B]);

function messages(events: FrameEvent[]): Buffer[] {
  return events.flatMap((e) => (e.type === 'message' ? [e.data] : []));
}

function types(events: FrameEvent[]): string[] {
  return events.map((e) => e.type);
}

test('two pipelined messages in one chunk', () => {
  const f = new SipStreamFramer();
  const out = messages(f.push(STREAM));
  assert.equal(out.length, 2);
  assert.ok(out[0]!.equals(A));
  assert.ok(out[1]!.equals(B));
  assert.equal(f.buffered, 0);
  for (const m of out) assert.ok(parseMessage(m, { transport: 'tcp' }).ok);
});

test('split at every byte offset of a two-message stream: same two messages', () => {
  for (let cut = 0; cut <= STREAM.length; cut++) {
    const f = new SipStreamFramer();
    const ev = [...f.push(STREAM.subarray(0, cut)), ...f.push(STREAM.subarray(cut))];
    const out = messages(ev);
    assert.deepEqual(types(ev), ['message', 'message'], `cut at ${cut}`);
    assert.ok(out[0]!.equals(A) && out[1]!.equals(B), `cut at ${cut}`);
    assert.equal(f.buffered, 0);
  }
});

test('byte by byte', () => {
  const f = new SipStreamFramer();
  const ev: FrameEvent[] = [];
  for (const byte of STREAM) ev.push(...f.push(Buffer.from([byte])));
  const out = messages(ev);
  assert.equal(out.length, 2);
  assert.ok(out[0]!.equals(A) && out[1]!.equals(B));
});

test('messages cut from a chunk share its memory; from a partial buffer they are copies', () => {
  const f = new SipStreamFramer();
  const [first] = messages(f.push(STREAM));
  assert.equal(first!.buffer, STREAM.buffer);
  const g = new SipStreamFramer();
  g.push(A.subarray(0, 10));
  const [copied] = messages(g.push(A.subarray(10)));
  assert.ok(copied!.equals(A));
  assert.notEqual(copied!.buffer, A.buffer);
});

test('keep-alives: CRLFCRLF is a ping, a lone CRLF a pong, a ping split in two reads is still a ping', () => {
  assert.deepEqual(types(new SipStreamFramer().push(Buffer.from('\r\n\r\n'))), ['ping']);
  assert.deepEqual(types(new SipStreamFramer().push(Buffer.from('\r\n'))), ['pong']);
  const f = new SipStreamFramer();
  assert.deepEqual(types(f.push(Buffer.from('\r\n'))), ['pong']);
  assert.deepEqual(types(f.push(Buffer.from('\r\n'))), ['ping']);
  const g = new SipStreamFramer();
  assert.deepEqual(types(g.push(Buffer.from('\r'))), []);
  assert.deepEqual(types(g.push(Buffer.from('\n\r\n'))), ['ping']);
  // A flood of pings yields one event per push; pings around messages are reported in order.
  assert.deepEqual(types(new SipStreamFramer().push(Buffer.from('\r\n'.repeat(1000)))), ['ping']);
  const h = new SipStreamFramer();
  const ev = h.push(Buffer.concat([Buffer.from('\r\n\r\n'), A, Buffer.from('\r\n\r\n'), B]));
  assert.deepEqual(types(ev), ['ping', 'message', 'ping', 'message']);
  // A lone CRLF before a message (RFC 3261 §7.5) is ignored as framing, reported as a pong.
  assert.deepEqual(types(new SipStreamFramer().push(Buffer.concat([Buffer.from('\r\n'), B]))), ['pong', 'message']);
});

test('missing, bad, repeated Content-Length lose framing; the framer then ignores input', () => {
  const noCl = Buffer.from(A.toString('latin1').replace(/Content-Length: \d+\r\n/, ''), 'latin1');
  const f = new SipStreamFramer();
  const ev = f.push(noCl);
  assert.deepEqual(types(ev), ['error']);
  const err = ev[0]!.type === 'error' ? ev[0]!.error : undefined;
  assert.equal(err?.code, 'MISSING_CONTENT_LENGTH');
  assert.equal(err?.status, 400);
  assert.ok(createErrorResponse(err!), 'the request was readable: a 400 can be sent before closing');
  assert.equal(f.failed, true);
  assert.deepEqual(f.push(B), []);
  assert.equal(f.buffered, 0);
  for (const [cl, code] of [
    ['Content-Length: -1', 'BAD_CONTENT_LENGTH'],
    ['Content-Length: 1x', 'BAD_CONTENT_LENGTH'],
    ['Content-Length: 0\r\nl: 0', 'BAD_CONTENT_LENGTH'],
    ['Content-Length:\r\n 0', 'BAD_CONTENT_LENGTH'],
  ] as const) {
    const bad = Buffer.from(B.toString('latin1').replace('l: 3', cl), 'latin1');
    const e = new SipStreamFramer().push(bad);
    assert.equal(e[0]?.type === 'error' && e[0].error.code, code, cl);
  }
  const bare = new SipStreamFramer().push(Buffer.from('\rX'));
  assert.equal(bare[0]?.type === 'error' && bare[0].error.code, 'BAD_START_LINE');
});

test('limits hold while buffering: endless headers, an endless line, a huge body', () => {
  const limits = { maxMessageSize: 4096, maxLineLength: 512, maxBodySize: 1024 };
  // A header block that never ends stops at maxMessageSize.
  const f = new SipStreamFramer({ limits });
  let ev: FrameEvent[] = [];
  let fed = 0;
  f.push(Buffer.from('INVITE sip:a@b SIP/2.0\r\n'));
  while (ev.length === 0 && fed < 100_000) {
    ev = f.push(Buffer.from('X-Pad: 0123456789\r\n'));
    fed += 19;
  }
  assert.equal(ev[0]?.type === 'error' && ev[0].error.code, 'TOO_LARGE');
  assert.ok(fed <= 4096 + 19, `stopped after ${fed} bytes`);
  // A line that never ends stops at maxLineLength.
  const g = new SipStreamFramer({ limits });
  g.push(Buffer.from('INVITE sip:a@b SIP/2.0\r\nX-Long: '));
  const e2 = g.push(Buffer.alloc(600, 0x61));
  assert.equal(e2[0]?.type === 'error' && e2[0].error.code, 'HEADER_TOO_LONG');
  assert.equal(e2[0]?.type === 'error' && e2[0].error.status, 513);
  // A Content-Length over the body limit is refused at once (413), not buffered.
  const h = new SipStreamFramer({ limits });
  const e3 = h.push(Buffer.from(B.toString('latin1').replace('l: 3', 'l: 5000'), 'latin1'));
  assert.equal(e3[0]?.type === 'error' && e3[0].error.code, 'BODY_TOO_LARGE');
  const big = new SipStreamFramer({ limits: { maxMessageSize: 600, maxBodySize: 1024 } });
  const e4 = big.push(Buffer.from(B.toString('latin1').replace('l: 3', 'l: 500'), 'latin1'));
  assert.equal(e4[0]?.type === 'error' && e4[0].error.code, 'TOO_LARGE');
});

test('an incomplete message is held, counted in buffered', () => {
  const f = new SipStreamFramer();
  assert.deepEqual(f.push(A.subarray(0, A.length - 1)), []);
  assert.equal(f.buffered, A.length - 1);
  assert.deepEqual(types(f.push(A.subarray(A.length - 1))), ['message']);
  assert.deepEqual(f.push(Buffer.alloc(0)), []);
});
