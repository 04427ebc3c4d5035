// Writing messages: untouched ones byte for byte, edited ones with every untouched line verbatim, and the builders
// (responses per RFC 3261 §8.2.6, error responses, requests, CANCEL and ACK).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../../src/sip/parse.js';
import {
  buildAck,
  buildCancel,
  buildRequest,
  createErrorResponse,
  createResponse,
  viaWithSource,
} from '../../../src/sip/build.js';
import type { SipUri } from '../../../src/sip/uri.js';
import { ok, invite, scanner, scannerNames } from './helpers.js';

const lines = (b: Buffer): string[] => b.toString('utf8').split('\r\n');

describe('untouched messages', () => {
  test('toBuffer returns the received bytes (leading CRLFs and trailing datagram bytes excluded)', () => {
    for (const f of scannerNames()) assert.ok(ok(scanner(f)).toBuffer().equals(scanner(f)), f);
    const m = ok(Buffer.concat([Buffer.from('\r\n\r\n'), invite(), Buffer.from('garbage after the body')]));
    assert.ok(m.toBuffer().equals(invite()));
    assert.equal(m.edited, false);
    assert.equal(m.toString(), invite().toString());
  });
});

describe('edits', () => {
  test('a proxy forwarding: new top Via, Record-Route, Max-Forwards decremented, first Route removed', () => {
    const m = ok(invite('', 'v=0\r\n'));
    const original = lines(invite('', 'v=0\r\n'));
    m.prependVia('SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bKproxy1');
    m.prependRecordRoute('<sip:203.0.113.1;lr>');
    assert.equal(m.decrementMaxForwards(), 69);
    assert.equal(m.removeFirstRoute(), '<sip:proxy.example.net;lr>');
    const out = m.toBuffer();
    const l = lines(out);
    assert.equal(l[0], original[0]);
    assert.equal(l[1], 'Via: SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bKproxy1');
    assert.equal(l[2], original[1], 'the old Via line untouched');
    assert.ok(l.includes('Record-Route: <sip:203.0.113.1;lr>'));
    assert.ok(l.includes('Max-Forwards: 69'));
    assert.ok(l.includes('Route: <sip:edge.example.net;lr>'));
    for (const kept of original.filter((x) => /^(From|To|Call-ID|CSeq|Contact|Timestamp|Content-Type):/.test(x))) {
      assert.ok(l.includes(kept), kept);
    }
    assert.ok(out.toString().endsWith('\r\n\r\nv=0\r\n'));
    // The edited message reads back consistently, from itself and re-parsed.
    assert.equal(m.via()!.length, 2);
    assert.equal(m.topVia()!.branch, 'z9hG4bKproxy1');
    assert.equal(m.maxForwards(), 69);
    assert.equal(m.route()!.length, 1);
    const again = ok(out);
    assert.equal(again.via()![1]!.branch, 'z9hG4bK776asdhds');
    assert.equal(again.recordRoute()![0]!.uri.raw, 'sip:203.0.113.1;lr');
    assert.equal(again.removeFirstRoute(), '<sip:edge.example.net;lr>');
    assert.equal(again.removeFirstRoute(), undefined);
    assert.equal(again.has('Route'), false);
  });

  test('Max-Forwards absent is added as 70; 0 stays 0', () => {
    const noMf = ok(invite().toString().replace('Max-Forwards: 70\r\n', ''));
    assert.equal(noMf.decrementMaxForwards(), 70);
    assert.equal(ok(noMf.toBuffer()).maxForwards(), 70);
    const zero = ok(invite().toString().replace('Max-Forwards: 70', 'Max-Forwards: 0'));
    assert.equal(zero.decrementMaxForwards(), 0);
  });

  test('set, add, remove headers; Request-URI; body with Content-Length and Content-Type', () => {
    const m = ok(invite());
    m.setHeader('Subject', 'hello');
    m.setHeader('call-id', 'new@id');
    m.addHeader('X-First', '1', 'first');
    m.addHeader('Via', 'SIP/2.0/TCP 198.51.100.1;branch=z9hG4bKlast', 'last');
    m.setHeader('Supported', ['timer', '100rel']);
    assert.equal(m.removeHeader('Timestamp'), 1);
    assert.equal(m.removeHeader('X-Absent'), 0);
    m.setRequestUri('sip:+33698765432@other.example.net');
    m.setBody('v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n', 'application/sdp');
    const out = ok(m.toBuffer());
    assert.equal(out.requestUri, 'sip:+33698765432@other.example.net');
    assert.equal((out.uri() as SipUri).user, '+33698765432');
    assert.deepEqual(
      out
        .entries()
        .slice(0, 3)
        .map(([n]) => n),
      ['Via', 'Via', 'X-First'],
      'after the Via fields',
    );
    assert.equal(out.callId(), 'new@id');
    assert.equal(out.subject(), 'hello');
    assert.deepEqual(out.headers('Supported'), ['timer', '100rel']);
    assert.equal(out.via()!.at(-1)!.branch, 'z9hG4bKlast');
    assert.equal(out.has('Timestamp'), false);
    assert.equal(out.contentLength(), out.body.length);
    assert.equal(out.body.toString(), 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n');
    assert.equal(out.contentType()!.mediaType, 'application/sdp');
    // The same values through the edited message itself.
    assert.equal(m.callId(), 'new@id');
    assert.equal((m.uri() as SipUri).host, 'other.example.net');
    m.setBody('');
    assert.equal(m.has('Content-Type'), false);
    assert.equal(ok(m.toBuffer()).body.length, 0);
  });

  test('a datagram without Content-Length gets one when asked (for a stream)', () => {
    const m = ok(
      invite('', 'v=0\r\n')
        .toString()
        .replace(/Content-Length: \d+\r\n/, ''),
    );
    assert.equal(m.has('Content-Length'), false);
    assert.equal(m.body.length, 5);
    m.ensureContentLength();
    const s = parseMessage(m.toBuffer(), { transport: 'tcp' });
    assert.ok(s.ok);
    assert.equal(s.message.contentLength(), 5);
  });

  test('CR or LF in an edit is a programming error (no header injection)', () => {
    const m = ok(invite());
    assert.throws(() => m.setHeader('Subject', 'a\r\nVia: evil'), RangeError);
    assert.throws(() => m.addHeader('Bad Name', 'x'), RangeError);
    assert.throws(() => m.setRequestUri('sip:a@b SIP/2.0\r\n'), RangeError);
    assert.throws(() => m.prependVia('x\ny'), RangeError);
  });
});

describe('builders', () => {
  test('createResponse copies Via, From, To, Call-ID, CSeq; adds a To tag; Timestamp on 100', () => {
    const req = ok(invite());
    const trying = createResponse(req, 100, undefined, { toTag: 'abc' });
    assert.equal(trying.status, 100);
    assert.equal(trying.reason, 'Trying');
    assert.equal(trying.to()!.tag, undefined, 'no tag on 100');
    assert.equal(trying.header('Timestamp'), '54');
    const r = createResponse(req, 486, 'Busy Here', { toTag: 'xyz', headers: [['Retry-After', '60']] });
    assert.deepEqual(r.headers('Via'), req.headers('Via'));
    assert.equal(r.header('From'), req.header('From'));
    assert.equal(r.to()!.tag, 'xyz');
    assert.equal(r.callId(), req.callId());
    assert.deepEqual(r.cseq(), req.cseq());
    assert.equal(r.header('Retry-After'), '60');
    assert.equal(r.contentLength(), 0);
    assert.equal(r.has('Timestamp'), false);
    const withBody = createResponse(req, 200, 'OK', { toTag: 't', body: 'v=0\r\n', contentType: 'application/sdp' });
    assert.equal(withBody.body.toString(), 'v=0\r\n');
    assert.equal(withBody.contentLength(), 5);
    assert.ok(parseMessage(withBody.toBuffer()).ok, 'a built response passes the sanity stage');
  });

  test('source address: received added when it differs, rport filled when asked (RFC 3581)', () => {
    const req = ok(invite());
    const r = createResponse(req, 200, 'OK', { source: { address: '198.51.100.9', port: 40123 } });
    const top = r.topVia()!;
    assert.equal(top.received, '198.51.100.9');
    assert.equal(top.rport, 40123);
    assert.equal(top.branch, 'z9hG4bK776asdhds');
    const same = ok(invite().toString().replace(';rport', ''));
    assert.equal(viaWithSource(same.topVia()!, { address: '192.0.2.10', port: 5060 }), same.topVia()!.raw);
    assert.match(viaWithSource(same.topVia()!, { address: '192.0.2.99', port: 5060 }), /;received=192\.0\.2\.99$/);
  });

  test('createErrorResponse answers a refused request from what could be read, with a Warning', () => {
    const bad = parseMessage(Buffer.from(invite().toString().replace('CSeq: 314159 INVITE', 'CSeq: 314159 BYE')));
    assert.ok(!bad.ok);
    const bytes = createErrorResponse(bad.error, { toTag: 'e1', source: { address: '203.0.113.5', port: 5062 } })!;
    const r = ok(bytes, { sanity: false });
    assert.equal(r.status, 400);
    assert.equal(r.header('Warning'), '399 tollguard "CSeq method differs from the request method"');
    assert.equal(r.to()!.tag, 'e1');
    assert.equal(r.topVia()!.received, '203.0.113.5');
    assert.equal(r.topVia()!.rport, 5062);
    assert.equal(createErrorResponse(bad.error, { agent: '' })!.toString().includes('Warning'), false);
    const resp = parseMessage(Buffer.from('SIP/2.0 999 Nope\r\n\r\n'));
    assert.ok(!resp.ok);
    assert.equal(createErrorResponse(resp.error), undefined);
  });

  test('buildRequest makes a valid request; bad parts are a RangeError', () => {
    const bye = buildRequest({
      method: 'BYE',
      uri: 'sip:bob@192.0.2.4',
      via: 'SIP/2.0/UDP 203.0.113.1;branch=z9hG4bKbye1',
      from: '<sip:alice@example.com>;tag=1',
      to: '<sip:bob@example.com>;tag=2',
      callId: 'c@h',
      cseq: 2,
      route: ['<sip:p1;lr>'],
      headers: { Reason: 'Q.850;cause=16', 'X-Multi': ['a', 'b'] },
    });
    assert.equal(bye.method, 'BYE');
    assert.deepEqual(bye.cseq(), { seq: 2, method: 'BYE' });
    assert.equal(bye.maxForwards(), 70);
    assert.equal(bye.reasons()![0]!.cause, 16);
    assert.deepEqual(bye.headers('X-Multi'), ['a', 'b']);
    assert.throws(() => buildRequest({ ...partsOf(), callId: 'a\r\nb' }), RangeError);
    assert.throws(() => buildRequest({ ...partsOf(), uri: 'not a uri' }), RangeError);
  });

  test('CANCEL and ACK per RFC 3261 §9.1 and §17.1.1.3', () => {
    const req = ok(invite());
    const cancel = buildCancel(req);
    assert.equal(cancel.method, 'CANCEL');
    assert.equal(cancel.requestUri, req.requestUri);
    assert.deepEqual(cancel.headers('Via'), [req.topVia()!.raw]);
    assert.deepEqual(cancel.cseq(), { seq: 314159, method: 'CANCEL' });
    assert.equal(cancel.header('From'), req.header('From'));
    assert.equal(cancel.header('To'), req.header('To'));
    assert.deepEqual(cancel.headers('Route'), req.headers('Route'));
    const busy = createResponse(req, 486, 'Busy Here', { toTag: 'to1' });
    const ack = buildAck(req, busy);
    assert.equal(ack.method, 'ACK');
    assert.equal(ack.to()!.tag, 'to1');
    assert.deepEqual(ack.cseq(), { seq: 314159, method: 'ACK' });
    assert.equal(ack.callId(), req.callId());
    assert.equal(ack.topVia()!.branch, req.topVia()!.branch);
  });
});

function partsOf() {
  return {
    method: 'OPTIONS',
    uri: 'sip:a@b',
    via: 'SIP/2.0/UDP h;branch=z9hG4bK1',
    from: '<sip:a@b>;tag=1',
    to: '<sip:a@b>',
    callId: 'c@h',
    cseq: 1,
  };
}
