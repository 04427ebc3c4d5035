// Header access: names in any case and compact form, list splitting around quotes and brackets, folding, and every
// typed accessor the firewall reads; absent headers give undefined and malformed ones an explained error, never a throw.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { headerId, canonicalName, normalizeHeaderName, H } from '../../../src/sip/header-names.js';
import type { SipUri } from '../../../src/sip/uri.js';
import { ok, invite } from './helpers.js';

function request(lines: string[], body = ''): Buffer {
  const base = [
    'INVITE sip:+33612345678@trunk.example.net SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1',
    'From: <sip:a@b>;tag=1',
    'To: <sip:c@d>',
    'Call-ID: x@y',
    'CSeq: 1 INVITE',
  ];
  return Buffer.from([...base, ...lines, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n'));
}

describe('names', () => {
  test('every compact form of RFC 3261 §7.3.3 and of the extensions maps to its header', () => {
    const compact: Record<string, string> = {
      a: 'Accept-Contact',
      b: 'Referred-By',
      c: 'Content-Type',
      d: 'Request-Disposition',
      e: 'Content-Encoding',
      f: 'From',
      i: 'Call-ID',
      j: 'Reject-Contact',
      k: 'Supported',
      l: 'Content-Length',
      m: 'Contact',
      n: 'Identity-Info',
      o: 'Event',
      r: 'Refer-To',
      s: 'Subject',
      t: 'To',
      u: 'Allow-Events',
      v: 'Via',
      x: 'Session-Expires',
      y: 'Identity',
    };
    for (const [short, long] of Object.entries(compact)) {
      assert.equal(canonicalName(headerId(short)), long, short);
      assert.equal(headerId(short.toUpperCase()), headerId(long), short);
      assert.equal(normalizeHeaderName(short), long);
    }
    assert.equal(headerId('x-unknown'), 0);
    assert.equal(normalizeHeaderName('X-Custom'), 'X-Custom');
    assert.equal(headerId('cALL-iD'), H.CallId);
  });

  test('lookups ignore case and accept both forms; unknown headers by name', () => {
    const m = ok(request(['X-Custom-Thing: one', 'x-custom-thing: two', 'k: replaces', 'SUPPORTED: timer']));
    assert.equal(m.header('CALL-ID'), 'x@y');
    assert.equal(m.header('i'), 'x@y');
    assert.deepEqual(m.headers('x-CUSTOM-thing'), ['one', 'two']);
    assert.deepEqual(m.supported(), ['replaces', 'timer']);
    assert.deepEqual(m.headers('k'), ['replaces', 'timer']);
    assert.equal(m.has('X-Absent'), false);
    assert.equal(m.header('X-Absent'), undefined);
    assert.deepEqual(m.headers('X-Absent'), []);
    assert.equal(m.headerCount, 10);
  });
});

describe('values', () => {
  test('list values split on commas outside quotes and angle brackets', () => {
    const m = ok(
      request([
        'Contact: "Smith, John" <sip:j,x@h;x=y>;q=0.5, <sip:k@h>',
        'Route: <sip:p1;lr>,<sip:p2;lr> , <sip:p3;lr>',
        'Route: <sip:p4;lr>',
        'Supported: , timer,,',
      ]),
    );
    assert.deepEqual(m.values('Contact'), ['"Smith, John" <sip:j,x@h;x=y>;q=0.5', '<sip:k@h>']);
    assert.deepEqual(m.values('Route'), ['<sip:p1;lr>', '<sip:p2;lr>', '<sip:p3;lr>', '<sip:p4;lr>']);
    assert.deepEqual(m.values('Supported'), ['timer']);
    assert.deepEqual(m.values('Call-ID'), ['x@y'], 'not a list header: values unsplit');
    const c = m.contact();
    assert.ok(Array.isArray(c));
    assert.equal(c.length, 2);
    assert.equal(c[0]!.displayName, 'Smith, John');
    assert.equal((c[0]!.uri as SipUri).user, 'j,x');
    assert.equal(c[0]!.params.get('q'), '0.5');
    assert.equal(m.route()!.length, 4);
  });

  test('folded lines read as one value with a single space per fold', () => {
    const m = ok(
      Buffer.from(
        'OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom:\r\n  <sip:a@b>\r\n\t;tag=9\r\n' +
          'To: <sip:c@d>\r\nCall-ID: 1@h\r\nCSeq: 2\r\n  OPTIONS\r\nSubject: a\r\n  b \r\n\tc\r\nContent-Length: 0\r\n\r\n',
      ),
    );
    assert.equal(m.from()!.tag, '9');
    assert.equal(m.header('From'), '<sip:a@b> ;tag=9');
    assert.deepEqual(m.cseq(), { seq: 2, method: 'OPTIONS' });
    assert.equal(m.subject(), 'a b c');
  });

  test('entries keep order and names as written', () => {
    const m = ok(invite());
    const e = m.entries();
    assert.deepEqual(e[0], ['Via', 'SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport']);
    assert.equal(e.length, m.headerCount);
    assert.equal(e.at(-1)![0], 'Content-Length');
  });
});

describe('typed accessors', () => {
  test('Via: transport, host, port, branch, received, rport (flag and value), other params, IPv6', () => {
    const m = ok(
      request([
        'Via: SIP/2.0/TCP [2001:db8::9]:5070;branch=z9hG4bKa;received=2001:db8::1;rport=5071;ttl=3;maddr=x.example;custom="q v"',
        'v: sip/2.0/tls proxy.example.net ;branch=z9hG4bKb ;rport',
      ]),
    );
    const v = m.via()!;
    assert.equal(v.length, 3);
    assert.equal(m.topVia()!.host, '192.0.2.10');
    const b = v[1]!;
    assert.deepEqual(
      [b.protocol, b.version, b.transport, b.host, b.hostname, b.hostType, b.port, b.branch, b.received, b.rport],
      ['SIP', '2.0', 'TCP', '[2001:db8::9]', '2001:db8::9', 'ipv6', 5070, 'z9hG4bKa', '2001:db8::1', 5071],
    );
    assert.equal(b.params.get('ttl'), '3');
    assert.equal(b.params.get('maddr'), 'x.example');
    assert.equal(b.params.get('custom'), 'q v');
    assert.equal(b.sentProtocolAndBy, 'SIP/2.0/TCP [2001:db8::9]:5070');
    const c = v[2]!;
    assert.deepEqual(
      [c.protocol, c.transport, c.host, c.port, c.branch, c.rport],
      ['SIP', 'TLS', 'proxy.example.net', undefined, 'z9hG4bKb', true],
    );
    assert.deepEqual(c.paramList(), [
      ['branch', 'z9hG4bKb'],
      ['rport', null],
    ]);
  });

  test('From / To: display name, URI, tag, parameters', () => {
    const m = ok(invite());
    const f = m.from()!;
    assert.equal(f.displayName, 'Alice');
    assert.equal((f.uri as SipUri).user, 'alice');
    assert.equal(f.tag, '1928301774');
    assert.equal(f.bracketed, true);
    assert.equal(f.paramText, ';tag=1928301774');
    const t = m.to()!;
    assert.equal(t.displayName, undefined);
    assert.equal(t.tag, undefined);
    assert.equal((t.uri as SipUri).params.get('user'), 'phone');
  });

  test('Call-ID, CSeq, Max-Forwards, Expires, Content-Length, Content-Type', () => {
    const m = ok(
      request(['Max-Forwards: 0069', 'Expires: 4294967295', 'c: application/SDP ; charset="utf-8"'], 'v=0\r\n'),
    );
    assert.equal(m.callId(), 'x@y');
    assert.deepEqual(m.cseq(), { seq: 1, method: 'INVITE' });
    assert.equal(m.maxForwards(), 69);
    assert.equal(m.expires(), 4294967295);
    assert.equal(m.contentLength(), 5);
    const ct = m.contentType()!;
    assert.deepEqual(
      [ct.type, ct.subtype, ct.mediaType, ct.params.get('charset')],
      ['application', 'sdp', 'application/sdp', 'utf-8'],
    );
  });

  test('Contact: list with parameters, or *', () => {
    const star = ok(
      Buffer.from(
        'REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@example.com>;tag=1\r\n' +
          'To: <sip:a@example.com>\r\nCall-ID: 1@h\r\nCSeq: 3 REGISTER\r\nContact: *\r\nExpires: 0\r\nContent-Length: 0\r\n\r\n',
      ),
    );
    assert.equal(star.contact(), '*');
    const m = ok(
      request(['Contact: <sip:a@192.0.2.1>;expires=3600;q=0.7, sip:b@192.0.2.2;+sip.instance="<urn:uuid:1>"']),
    );
    const c = m.contact();
    assert.ok(Array.isArray(c));
    assert.equal(c[0]!.params.get('expires'), '3600');
    assert.equal(c[1]!.bracketed, false);
    assert.equal(c[1]!.params.get('+sip.instance'), '<urn:uuid:1>');
  });

  test('Route, Record-Route, Path', () => {
    const m = ok(request(['Record-Route: <sip:rr1.example;lr>, <sip:rr2.example;lr>', 'Path: <sip:edge;lr>']));
    assert.deepEqual(
      m.recordRoute()!.map((r) => (r.uri as SipUri).host),
      ['rr1.example', 'rr2.example'],
    );
    assert.equal(m.path()![0]!.uri.raw, 'sip:edge;lr');
    assert.equal(m.route(), undefined);
  });

  test('Diversion, History-Info, P-Asserted-Identity, P-Preferred-Identity, Remote-Party-ID, Referred-By, Refer-To', () => {
    const m = ok(
      request([
        'Diversion: <sip:+33142685301@pbx.example;user=phone>;reason=unconditional;counter=1;privacy=off',
        'Diversion: "Desk" <tel:+33142685302>;reason=no-answer',
        'History-Info: <sip:bob@example.com?Reason=SIP%3Bcause%3D302>;index=1, <sip:bob@10.0.0.1>;index=1.1',
        'P-Asserted-Identity: "Accounts" <sip:+33142685300@trunk.example>, <tel:+33142685300>',
        'P-Preferred-Identity: <sip:alice@example.com>',
        'Remote-Party-ID: "Bob" <sip:+331@gw>;party=calling;screen=yes;privacy=off',
        'b: <sip:referrer@example.com>;cid="20@example"',
        'r: <sip:carol@example.com?Replaces=abc%40h%3Bto-tag%3D1%3Bfrom-tag%3D2>',
      ]),
    );
    const d = m.diversion()!;
    assert.equal(d.length, 2);
    assert.equal((d[0]!.uri as SipUri).user, '+33142685301');
    assert.equal(d[0]!.params.get('reason'), 'unconditional');
    assert.equal(d[0]!.params.get('counter'), '1');
    assert.equal(d[1]!.displayName, 'Desk');
    assert.equal(d[1]!.uri.kind, 'tel');
    const h = m.historyInfo()!;
    assert.deepEqual(
      h.map((x) => x.params.get('index')),
      ['1', '1.1'],
    );
    assert.equal((h[0]!.uri as SipUri).headers.get('Reason'), 'SIP;cause=302');
    const pai = m.pAssertedIdentity()!;
    assert.equal(pai.length, 2);
    assert.equal(pai[0]!.displayName, 'Accounts');
    assert.equal(pai[1]!.uri.kind, 'tel');
    assert.equal(m.pPreferredIdentity()![0]!.uri.raw, 'sip:alice@example.com');
    assert.equal(m.remotePartyId()![0]!.params.get('party'), 'calling');
    assert.equal(m.referredBy()!.params.get('cid'), '20@example');
    assert.equal((m.referTo()!.uri as SipUri).headers.get('Replaces'), 'abc@h;to-tag=1;from-tag=2');
  });

  test('Authorization family: scheme and parameters, quoted values unescaped', () => {
    const m = ok(
      request([
        'Authorization: Digest username="bob\\"s", realm="biloxi.com", nonce="dcd98b", uri="sip:bob@biloxi.com", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae4", opaque="5ccc"',
        'Proxy-Authorization: Digest username="alice", realm="atlanta.com", response="abc"',
        'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30=',
      ]),
    );
    const a = m.authorization()!;
    assert.equal(a.length, 2);
    assert.equal(a[0]!.scheme, 'Digest');
    assert.equal(a[0]!.params.get('username'), 'bob"s');
    assert.equal(a[0]!.params.get('qop'), 'auth');
    assert.equal(a[0]!.params.get('nc'), '00000001');
    assert.equal(a[1]!.scheme, 'Bearer');
    assert.equal(a[1]!.token68, 'eyJhbGciOiJIUzI1NiJ9.e30=');
    assert.equal(m.proxyAuthorization()![0]!.params.get('realm'), 'atlanta.com');
    const r = ok(
      Buffer.from(
        'SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>;tag=2\r\n' +
          'Call-ID: 1@h\r\nCSeq: 1 REGISTER\r\nWWW-Authenticate: Digest realm="asterisk", nonce="4a9d2c1f", algorithm=MD5, qop="auth,auth-int"\r\n' +
          'Proxy-Authenticate: Digest realm="p", nonce="n"\r\nContent-Length: 0\r\n\r\n',
      ),
    );
    const w = r.wwwAuthenticate()![0]!;
    assert.deepEqual([w.scheme, w.params.get('realm'), w.params.get('qop')], ['Digest', 'asterisk', 'auth,auth-int']);
    assert.equal(r.proxyAuthenticate()![0]!.params.get('nonce'), 'n');
  });

  test('Reason, Supported, Require, Allow, User-Agent, Server, Date', () => {
    const m = ok(
      request([
        'Reason: SIP ;cause=200 ;text="Call completed elsewhere", Q.850;cause=16;text="Terminated"',
        'Supported:',
        'Require: 100rel',
        'Allow: INVITE, ACK , BYE',
        'User-Agent: Grandstream GXP2170 1.0.11.3',
        'User-Agent: (second line)',
        'Date: Sat, 13 Nov 2010 23:29:00 GMT',
      ]),
    );
    const r = m.reasons()!;
    assert.deepEqual(
      r.map((x) => [x.protocol, x.cause, x.text]),
      [
        ['SIP', 200, 'Call completed elsewhere'],
        ['Q.850', 16, 'Terminated'],
      ],
    );
    assert.deepEqual(m.supported(), []);
    assert.deepEqual(m.require(), ['100rel']);
    assert.deepEqual(m.allow(), ['INVITE', 'ACK', 'BYE']);
    assert.equal(m.userAgent(), 'Grandstream GXP2170 1.0.11.3 (second line)');
    assert.equal(m.date()!.toISOString(), '2010-11-13T23:29:00.000Z');
    assert.equal(m.server(), undefined);
  });

  test('absent headers give undefined; malformed lazy ones give undefined and an explained error', () => {
    const m = ok(
      request(['Diversion: <sip:a@b', 'Reason: ;;', 'Expires: 10', 'Require: a b', 'Referred-By: sip:a@b?x=y']),
    );
    assert.equal(m.historyInfo(), undefined);
    assert.equal(m.headerError('History-Info'), undefined);
    assert.equal(m.diversion(), undefined);
    assert.deepEqual(m.headerError('Diversion'), { header: 'Diversion', reason: 'unterminated <' });
    assert.equal(m.reasons(), undefined);
    assert.ok(m.headerError('Reason'));
    assert.equal(m.require(), undefined);
    assert.equal(m.headerError('require')!.header, 'Require');
    assert.equal(m.referredBy(), undefined);
    assert.equal(m.headerError('b')!.reason, 'URI with ? or , not in <>');
    assert.equal(m.headerError('Expires'), undefined);
    assert.equal(m.headerError('X-No-Accessor'), undefined);
    // The raw value stays readable.
    assert.equal(m.header('Diversion'), '<sip:a@b');
  });

  test('a Contact that is malformed in an INVITE is reported when read (it is checked only in REGISTER)', () => {
    const m = ok(request(['Contact: sip:a@b?x=1']));
    assert.equal(m.contact(), undefined);
    assert.ok(m.headerError('Contact'));
  });

  test('the Request-URI parsed, responses have none', () => {
    const m = ok(invite());
    const u = m.uri() as SipUri;
    assert.equal(u.user, '+33612345678');
    assert.equal(u.params.get('user'), 'phone');
    const r = ok(
      Buffer.from(
        'SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>;tag=2\r\nCall-ID: 1@h\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n',
      ),
    );
    assert.equal(r.uri(), undefined);
    assert.equal(r.method, '');
    assert.equal(r.status, 180);
    assert.equal(r.reason, 'Ringing');
  });
});
