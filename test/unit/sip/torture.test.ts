// RFC 4475 torture messages: every file gets the outcome INDEX.tsv and the RFC give it, and the tricky valid ones are
// checked field by field against what the RFC says they contain.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../../src/sip/parse.js';
import { checkMaxForwards } from '../../../src/sip/sanity.js';
import { SipStreamFramer } from '../../../src/sip/framer.js';
import { createErrorResponse } from '../../../src/sip/build.js';
import type { SipErrorCode } from '../../../src/sip/errors.js';
import type { SipUri } from '../../../src/sip/uri.js';
import { ok, torture, tortureNames } from './helpers.js';

/** Expected outcome per file: 'ok', or the refusal (status 0 = dropped, no response possible). */
type Expect = 'ok' | { status: number; code: SipErrorCode; why: string };
const R = (status: number, code: SipErrorCode, why: string): Expect => ({ status, code, why });

export const EXPECTED: Record<string, Expect> = {
  // 3.1.1 valid
  'wsinv.dat': 'ok',
  'intmeth.dat': 'ok',
  'esc01.dat': 'ok',
  'escnull.dat': 'ok',
  'esc02.dat': 'ok',
  'lwsdisp.dat': 'ok',
  'longreq.dat': 'ok',
  'dblreq.dat': 'ok',
  'semiuri.dat': 'ok',
  'transports.dat': 'ok',
  'mpart01.dat': 'ok',
  'unreason.dat': 'ok',
  'noreason.dat': 'ok',
  // 3.1.2 invalid
  'badinv01.dat': R(400, 'BAD_HEADER', 'empty Via parameters and values'),
  'clerr.dat': R(400, 'BAD_CONTENT_LENGTH', 'Content-Length larger than the datagram'),
  'ncl.dat': R(400, 'BAD_CONTENT_LENGTH', 'negative Content-Length'),
  'scalar02.dat': R(400, 'BAD_HEADER', 'CSeq above 2^32-1'),
  'scalarlg.dat': R(0, 'BAD_HEADER', 'response with CSeq above 2^32-1: discarded'),
  'quotbal.dat': R(400, 'BAD_HEADER', 'unterminated quoted display name in To'),
  'ltgtruri.dat': R(400, 'BAD_REQUEST_URI', 'Request-URI in <>'),
  'lwsruri.dat': R(400, 'BAD_START_LINE', 'white space inside the Request-URI'),
  'lwsstart.dat': R(400, 'BAD_START_LINE', 'two SP between request-line elements'),
  'trws.dat': R(400, 'BAD_START_LINE', 'SP after SIP-Version'),
  'escruri.dat': R(400, 'BAD_REQUEST_URI', 'headers component in the Request-URI'),
  'baddate.dat': R(400, 'BAD_HEADER', 'Date zone other than GMT'),
  'regbadct.dat': R(400, 'BAD_HEADER', 'Contact URI with ? not in <>'),
  'badaspec.dat': R(400, 'BAD_HEADER', 'white space inside <> in To'),
  'baddn.dat': R(400, 'BAD_HEADER', 'comma in an unquoted display name'),
  'badvers.dat': R(505, 'BAD_VERSION', 'SIP/7.0'),
  'mismatch01.dat': R(400, 'CSEQ_MISMATCH', 'OPTIONS with CSeq INVITE'),
  'mismatch02.dat': R(501, 'CSEQ_MISMATCH', 'unknown method with CSeq INVITE'),
  'bigcode.dat': R(0, 'BAD_START_LINE', 'status code above 699: dropped'),
  // 3.2 transaction layer: syntactically valid
  'badbranch.dat': 'ok',
  // 3.3 application layer
  'insuf.dat': R(400, 'MISSING_HEADER', 'no Call-ID, From, To'),
  'unkscm.dat': R(416, 'UNSUPPORTED_URI_SCHEME', 'unknown Request-URI scheme'),
  'novelsc.dat': R(416, 'UNSUPPORTED_URI_SCHEME', 'soap.beep Request-URI'),
  'unksm2.dat': 'ok',
  'bext01.dat': 'ok',
  'invut.dat': 'ok',
  'regaut01.dat': 'ok',
  'multi01.dat': R(400, 'DUPLICATE_HEADER', 'two From, To, Call-ID, CSeq, Max-Forwards'),
  'mcl01.dat': R(400, 'BAD_CONTENT_LENGTH', 'two Content-Length'),
  'bcast.dat': 'ok',
  'zeromf.dat': 'ok',
  'cparam01.dat': 'ok',
  'cparam02.dat': 'ok',
  'regescrt.dat': 'ok',
  'sdp01.dat': 'ok',
  // 3.4 backward compatibility
  'inv2543.dat': 'ok',
  // not an RFC section: no SIP-Version, a header line without colon
  'test.dat': R(400, 'BAD_START_LINE', 'no SIP-Version (no Via: no response can be sent)'),
};

/** INDEX.tsv verdicts, for the cross-check below. */
const VALID_IN_INDEX = new Set(
  'wsinv intmeth esc01 escnull esc02 lwsdisp longreq dblreq semiuri transports mpart01 unreason noreason badbranch unkscm novelsc unksm2 bext01 invut regaut01 bcast zeromf cparam01 cparam02 regescrt sdp01 inv2543'
    .split(' ')
    .map((n) => n + '.dat'),
);

describe('RFC 4475: every file has the expected outcome', () => {
  test('the table covers every file of the fixture folder', () => {
    assert.deepEqual(tortureNames(), Object.keys(EXPECTED).sort());
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    test(`${file} → ${expected === 'ok' ? 'parses' : `${expected.status} ${expected.code} (${expected.why})`}`, () => {
      const r = parseMessage(torture(file));
      if (expected === 'ok') {
        assert.ok(r.ok, r.ok ? '' : `${r.error.code} ${r.error.detail}`);
        return;
      }
      assert.ok(!r.ok, 'must be refused');
      assert.equal(r.error.status, expected.status, r.error.detail);
      assert.equal(r.error.code, expected.code, r.error.detail);
      assert.ok(r.error.detail.length > 0);
      // Requests refused with a status carry what a response needs (when it could be read).
      if (expected.status !== 0 && file !== 'test.dat') {
        const bytes = createErrorResponse(r.error);
        assert.ok(bytes, 'an error response can be built');
        // The response copies the request's headers as received (RFC 3261 §8.2.6.2), broken ones included.
        const resp = ok(bytes, { sanity: false });
        assert.equal(resp.status, expected.status);
        assert.equal(resp.header('Call-ID'), r.error.request?.callId);
        assert.equal(resp.header('CSeq'), r.error.request?.cseq);
        assert.deepEqual(resp.headers('Via'), r.error.request?.via);
        assert.match(resp.header('Warning') ?? '', /^399 tollguard "/);
      }
    });
  }

  test('syntactically invalid files (INDEX.tsv INVALID) are all refused with a 4xx/5xx or dropped', () => {
    for (const [file, expected] of Object.entries(EXPECTED)) {
      if (VALID_IN_INDEX.has(file)) continue;
      assert.notEqual(expected, 'ok', file);
    }
  });

  test('test.dat cannot be answered: no Via to route a response', () => {
    const r = parseMessage(torture('test.dat'));
    assert.ok(!r.ok);
    assert.equal(createErrorResponse(r.error), undefined);
  });

  test('over a stream, clerr waits for more data, ncl/mcl01 lose framing, inv2543 lacks Content-Length', () => {
    const f = new SipStreamFramer();
    const clerr = torture('clerr.dat');
    assert.deepEqual(f.push(clerr), []);
    assert.equal(f.buffered, clerr.length);
    for (const [file, code] of [
      ['ncl.dat', 'BAD_CONTENT_LENGTH'],
      ['mcl01.dat', 'BAD_CONTENT_LENGTH'],
      ['inv2543.dat', 'MISSING_CONTENT_LENGTH'],
    ] as const) {
      const ev = new SipStreamFramer().push(torture(file));
      assert.equal(ev.length, 1, file);
      assert.equal(ev[0]!.type, 'error');
      if (ev[0]!.type === 'error') assert.equal(ev[0]!.error.code, code, file);
    }
    const partial = parseMessage(clerr, { transport: 'tcp' });
    assert.ok(!partial.ok);
    assert.equal(partial.error.code, 'TRUNCATED');
  });
});

describe('RFC 4475 valid messages, field by field', () => {
  test('wsinv: folding everywhere, odd LWS, compact and long forms, leading zeros, escaped quotes', () => {
    const m = ok(torture('wsinv.dat'));
    assert.equal(m.method, 'INVITE');
    assert.equal(m.requestUri, 'sip:vivekg@chair-dnrc.example.com;unknownparam');
    const u = m.uri() as SipUri;
    assert.equal(u.kind, 'sip');
    assert.equal(u.user, 'vivekg');
    assert.equal(u.host, 'chair-dnrc.example.com');
    assert.deepEqual([...u.params], [['unknownparam', null]]);
    const to = m.to()!;
    assert.equal(to.displayName, undefined);
    assert.equal(to.uri.raw, 'sip:vivekg@chair-dnrc.example.com');
    assert.equal(to.tag, '1918181833n');
    const from = m.from()!;
    assert.equal(from.displayName, 'J Rosenberg \\"');
    assert.equal(from.uri.raw, 'sip:jdrosen@example.com');
    assert.equal(from.tag, '98asjd8');
    assert.equal(m.maxForwards(), 68);
    assert.equal(m.callId(), 'wsinv.ndaksdj@192.0.2.1');
    assert.deepEqual(m.cseq(), { seq: 9, method: 'INVITE' });
    assert.equal(m.contentLength(), 150);
    assert.equal(m.body.length, 150);
    const via = m.via()!;
    assert.deepEqual(
      via.map((v) => [v.protocol, v.version, v.transport, v.host, v.port, v.branch]),
      [
        ['SIP', '2.0', 'UDP', '192.0.2.2', undefined, '390skdjuw'],
        ['SIP', '2.0', 'TCP', 'spindle.example.com', undefined, 'z9hG4bK9ikj8'],
        ['SIP', '2.0', 'UDP', '192.168.255.111', undefined, 'z9hG4bK30239'],
      ],
    );
    assert.equal(m.header('s'), '');
    assert.equal(m.subject(), '');
    assert.equal(m.header('NewFangledHeader'), 'newfangled value continued newfangled value');
    assert.equal(m.header('UnknownHeaderWithUnusualValue'), ';;,,;;,;');
    const route = m.route()!;
    assert.equal(route.length, 1);
    assert.equal(route[0]!.uri.raw, 'sip:services.example.com;lr;unknownwith=value;unknown-no-value');
    assert.deepEqual(
      [...(route[0]!.uri as SipUri).params],
      [
        ['lr', null],
        ['unknownwith', 'value'],
        ['unknown-no-value', null],
      ],
    );
    const c = m.contact();
    assert.ok(Array.isArray(c) && c.length === 1);
    assert.equal(c[0]!.displayName, 'Quoted string ""');
    assert.equal(c[0]!.uri.raw, 'sip:jdrosen@example.com');
    assert.deepEqual(
      [...c[0]!.params],
      [
        ['newparam', 'newvalue'],
        ['secondparam', null],
        ['q', '0.33'],
      ],
    );
    assert.equal(m.contentType()!.mediaType, 'application/sdp');
  });

  test('intmeth: unknown method token, odd characters everywhere, escaped controls, UTF-8', () => {
    const m = ok(torture('intmeth.dat'));
    const method = "!interesting-Method0123456789_*+`.%indeed'~";
    assert.equal(m.method, method);
    assert.equal(m.cseq()!.method, method);
    assert.equal(m.cseq()!.seq, 139122385);
    const u = m.uri() as SipUri;
    assert.equal(u.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    assert.equal(u.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    assert.equal(u.host, 'example.com');
    assert.equal(m.to()!.displayName, 'BEL:\x07 NUL:\x00 DEL:\x7f');
    assert.equal((m.to()!.uri as SipUri).user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    const from = m.from()!;
    assert.equal(from.displayName, "token1~` token2'+_ token3*%!.-");
    assert.equal(from.tag, "_token~1'+`*%!-.");
    assert.equal(from.params.get("fromparam''~+*_!.-%"), 'работающий');
    assert.equal(m.callId(), 'intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
    assert.equal(m.topVia()!.branch, "z9hG4bK-.!%66*_+`'~");
    assert.equal(m.maxForwards(), 255);
    assert.equal(m.header("extensionHeader-!.%*+_`'~"), '\ufeff大停電');
  });

  test('esc01: %-escapes decode once, never recursively; raw kept', () => {
    const m = ok(torture('esc01.dat'));
    const u = m.uri() as SipUri;
    assert.equal(u.user, 'sips:user@example.com');
    assert.equal(u.userRaw, 'sips%3Auser%40example.com');
    assert.equal(u.host, 'example.net');
    assert.equal((m.to()!.uri as SipUri).user, 'user');
    assert.equal((m.from()!.uri as SipUri).user, 'I have spaces');
    assert.equal(m.from()!.tag, '938');
    const c = m.contact();
    assert.ok(Array.isArray(c));
    const cu = c[0]!.uri as SipUri;
    assert.equal(cu.user, 'caller');
    assert.equal(cu.host, 'host5.example.net');
    assert.deepEqual(
      [...cu.params],
      [
        ['lr', null],
        ['name', 'value%41'],
      ],
    );
    assert.equal(m.contentType()!.mediaType, 'application/sdp');
    assert.equal(m.callId(), 'esc01.239409asdfakjkn23onasd0-3234');
  });

  test('escnull: %00 in a user part is a NUL character, not the end of the user', () => {
    const m = ok(torture('escnull.dat'));
    assert.equal((m.to()!.uri as SipUri).user, 'null-\x00-null');
    assert.equal((m.from()!.uri as SipUri).user, 'null-\x00-null');
    const c = m.contact();
    assert.ok(Array.isArray(c));
    assert.deepEqual(
      c.map((x) => (x.uri as SipUri).user),
      ['\x00', '\x00\x00'],
    );
    assert.equal(m.contentLength(), 0);
  });

  test('esc02: % that is not an escape: unknown method, two Contacts (C%6Fntact is another header)', () => {
    const m = ok(torture('esc02.dat'));
    assert.equal(m.method, 'RE%47IST%45R');
    assert.equal(m.cseq()!.method, 'RE%47IST%45R');
    assert.equal(m.to()!.displayName, '%Z%45');
    assert.equal(m.topVia()!.branch, 'z9hG4bK209%fzsnel234');
    const c = m.contact();
    assert.ok(Array.isArray(c));
    assert.deepEqual(
      c.map((x) => x.uri.raw),
      ['sip:alias1@host1.example.com', 'sip:alias3@host3.example.com'],
    );
    assert.equal(m.header('C%6Fntact'), '<sip:alias2@host2.example.com>');
  });

  test('lwsdisp: no LWS between display name and <', () => {
    const m = ok(torture('lwsdisp.dat'));
    assert.equal(m.from()!.displayName, 'caller');
    assert.equal(m.from()!.uri.raw, 'sip:caller@example.com');
    assert.equal(m.from()!.tag, '323');
  });

  test('longreq: long display name, tag, Call-ID, parameters, 34 Via values', () => {
    const m = ok(torture('longreq.dat'));
    const to = m.to()!;
    assert.equal(to.displayName, `I have a user name of ${'extreme'.repeat(10)} proportion`);
    const tu = to.uri as SipUri;
    assert.equal(tu.port, 6000);
    assert.equal(tu.params.get('unknownparam1'), 'very' + 'long'.repeat(20) + 'value');
    assert.equal(tu.params.get('longparam' + 'name'.repeat(25)), 'shortvalue');
    assert.equal(tu.params.get(('very' + 'long'.repeat(25) + 'ParameterNameWithNoValue').toLowerCase()), null);
    const from = m.from()!;
    assert.equal((from.uri as SipUri).user, 'amazinglylongcallername'.repeat(5));
    assert.equal(
      from.tag,
      '12982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982424',
    );
    assert.equal(from.params.get('unknownheaderparam' + 'name'.repeat(20)), 'unknowheaderparam' + 'value'.repeat(15));
    assert.equal(m.callId(), 'longreq.one' + 'really'.repeat(20) + 'longcallid');
    const via = m.via()!;
    assert.equal(via.length, 34);
    assert.deepEqual(
      via.slice(0, 3).map((v) => v.host),
      ['sip33.example.com', 'sip32.example.com', 'sip31.example.com'],
    );
    const last = via[33]!;
    assert.equal(last.host, 'host.example.com');
    assert.equal(last.received, '192.0.2.5');
    assert.equal(last.branch, 'very' + 'long'.repeat(50) + 'branchvalue');
    assert.equal(m.header('Unknown-' + 'Long'.repeat(20) + '-Name')!.startsWith('unknown-longlong'), true);
    assert.equal(m.contentLength(), 150);
    assert.equal(m.body.length, 150);
  });

  test('dblreq: the REGISTER is processed, the trailing INVITE bytes are not part of the message', () => {
    const file = torture('dblreq.dat');
    const m = ok(file);
    assert.equal(m.method, 'REGISTER');
    assert.equal(m.body.length, 0);
    assert.equal(m.raw.length, 300);
    assert.ok(m.raw.length < file.length);
    assert.equal(m.toBuffer().toString('latin1').includes('INVITE'), false);
    assert.equal(m.callId(), 'dblreq.0ha0isndaksdj99sdfafnl3lk233412');
  });

  test('semiuri: a ; inside the user part of the Request-URI belongs to the user', () => {
    const m = ok(torture('semiuri.dat'));
    const u = m.uri() as SipUri;
    assert.equal(u.user, 'user;par=u@example.net');
    assert.equal(u.userRaw, 'user;par=u%40example.net');
    assert.equal(u.host, 'example.com');
    assert.equal(u.params.size, 0);
    assert.deepEqual(m.values('Accept'), [
      'application/sdp',
      'application/pkcs7-mime',
      'multipart/mixed',
      'multipart/signed',
      'message/sip',
      'message/sipfrag',
    ]);
  });

  test('transports: known and unknown transport tokens in Via', () => {
    const m = ok(torture('transports.dat'));
    assert.deepEqual(
      m.via()!.map((v) => [v.transport, v.host, v.branch]),
      [
        ['UDP', 't1.example.com', 'z9hG4bKkdjuw'],
        ['SCTP', 't2.example.com', 'z9hG4bKklasjdhf'],
        ['TLS', 't3.example.com', 'z9hG4bK2980unddj'],
        ['UNKNOWN', 't4.example.com', 'z9hG4bKasd0f3en'],
        ['TCP', 't5.example.com', 'z9hG4bK0a9idfnee'],
      ],
    );
    assert.equal(m.callId(), 'transports.kijh4akdnaqjkwendsasfdj');
  });

  test('mpart01: binary multipart body, Content-Length exact', () => {
    const file = torture('mpart01.dat');
    const m = ok(file);
    assert.equal(m.method, 'MESSAGE');
    assert.equal(m.contentLength(), 553);
    assert.equal(m.body.length, 553);
    assert.ok(m.body.equals(file.subarray(file.length - 553)));
    assert.ok(m.body.toString('latin1').endsWith('--7a9cbec02ceef655--\r\n'));
    const ct = m.contentType()!;
    assert.equal(ct.mediaType, 'multipart/mixed');
    assert.equal(ct.params.get('boundary'), '7a9cbec02ceef655');
    assert.equal(m.userAgent(), 'SIPimp.org/0.2.5 (curses)');
    const v = m.topVia()!;
    assert.equal(v.rport, true);
    assert.equal(v.host, '127.0.0.1');
    assert.equal(v.port, 5070);
    assert.equal(m.route()![0]!.uri.raw, 'sip:127.0.0.1:5080');
    assert.equal(m.date()!.toISOString(), '2005-10-15T04:44:56.000Z');
  });

  test('unreason: UTF-8 reason phrase', () => {
    const m = ok(torture('unreason.dat'));
    assert.equal(m.isRequest, false);
    assert.equal(m.status, 200);
    assert.equal(m.reason, '= 2**3 * 5**2 но сто девяносто девять - простое');
    assert.equal(m.body.length, 154);
  });

  test('noreason: empty reason phrase', () => {
    const m = ok(torture('noreason.dat'));
    assert.equal(m.status, 100);
    assert.equal(m.reason, '');
  });

  test('3.2/3.3/3.4: transaction and application semantics are left to the layers above, with what they need', () => {
    assert.equal(ok(torture('badbranch.dat')).topVia()!.branch, 'z9hG4bK');
    const unk = ok(torture('unksm2.dat'));
    assert.deepEqual([unk.to()!.uri.kind, unk.to()!.uri.scheme], ['other', 'isbn']);
    assert.deepEqual([unk.from()!.uri.kind, unk.from()!.uri.scheme, unk.from()!.tag], ['other', 'http', '3234233']);
    const c = unk.contact();
    assert.ok(Array.isArray(c) && c[0]!.uri.raw === 'name:John_Smith');
    const bext = ok(torture('bext01.dat'));
    assert.deepEqual(bext.require(), ['nothingSupportsThis', 'nothingSupportsThisEither']);
    assert.deepEqual(bext.proxyRequire(), ['noProxiesSupportThis', 'norDoAnyProxiesSupportThis']);
    assert.equal(ok(torture('invut.dat')).contentType()!.mediaType, 'application/unknownformat');
    const auth = ok(torture('regaut01.dat')).authorization()!;
    assert.equal(auth[0]!.scheme, 'NoOneKnowsThisScheme');
    assert.equal(auth[0]!.params.get('opaque-data'), 'here');
    assert.equal(ok(torture('bcast.dat')).via()![1]!.host, '255.255.255.255');
    const zero = ok(torture('zeromf.dat'));
    assert.equal(zero.maxForwards(), 0);
    assert.equal(checkMaxForwards(zero)?.status, 483);
    const c1 = ok(torture('cparam01.dat')).contact();
    assert.ok(Array.isArray(c1));
    assert.equal(c1[0]!.params.get('unknownparam'), null);
    assert.equal((c1[0]!.uri as SipUri).params.size, 0);
    const c2 = ok(torture('cparam02.dat')).contact();
    assert.ok(Array.isArray(c2));
    assert.equal(c2[0]!.params.size, 0);
    assert.equal((c2[0]!.uri as SipUri).params.get('unknownparam'), null);
    const rc = ok(torture('regescrt.dat')).contact();
    assert.ok(Array.isArray(rc));
    assert.equal((rc[0]!.uri as SipUri).headers.get('Route'), '<sip:sip.example.com>');
    assert.equal(ok(torture('sdp01.dat')).header('Accept'), 'text/nobodyKnowsThis');
    const old = ok(torture('inv2543.dat'));
    assert.equal(old.maxForwards(), undefined);
    assert.equal(old.topVia()!.branch, undefined);
    assert.equal(old.from()!.tag, undefined);
    assert.equal(old.body.length, 105, 'no Content-Length over UDP: the rest of the datagram');
    assert.equal(checkMaxForwards(old), undefined);
  });

  test('every accepted message serializes back byte for byte', () => {
    for (const [file, expected] of Object.entries(EXPECTED)) {
      if (expected !== 'ok') continue;
      const bytes = torture(file);
      const m = ok(bytes);
      const out = m.toBuffer();
      assert.ok(out.equals(bytes.subarray(0, out.length)), file);
      if (file !== 'dblreq.dat') assert.equal(out.length, bytes.length, file);
    }
  });
});
