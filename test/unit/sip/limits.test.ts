// Every limit at its edge, the refusals of malformed framing, and error counting: a message one byte, one header or
// one Via over a limit is refused with its status; one at the limit passes.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage, isKeepAlive } from '../../../src/sip/parse.js';
import { DEFAULT_LIMITS, resolveLimits } from '../../../src/sip/limits.js';
import { SipErrorCounter, reasonPhrase, STATUS_OF } from '../../../src/sip/errors.js';
import { ok } from './helpers.js';

const HEAD =
  'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: 1@h\r\nCSeq: 1 OPTIONS\r\n';

function options(extra = '', body = '', ruri = 'sip:a@b'): Buffer {
  return Buffer.from(
    `OPTIONS ${ruri} SIP/2.0\r\n${HEAD}${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function refused(buf: Buffer, code: string, status: number, limits = {}): void {
  const r = parseMessage(buf, { limits });
  assert.ok(!r.ok, `expected ${code}`);
  assert.equal(r.error.code, code, r.error.detail);
  assert.equal(r.error.status, status, r.error.detail);
  assert.equal(r.error.reason, status ? reasonPhrase(status) : '');
}

describe('limits at their edges', () => {
  test('defaults are documented values', () => {
    assert.deepEqual(DEFAULT_LIMITS, {
      maxMessageSize: 65536,
      maxBodySize: 32768,
      maxHeaders: 128,
      maxLineLength: 8192,
      maxUriLength: 2048,
      maxVia: 70,
    });
    assert.ok(Object.isFrozen(DEFAULT_LIMITS));
  });

  test('message size: at the limit passes, one byte over is 513', () => {
    let body = 'x';
    while (options('', body).length < 2000) body += 'x';
    const at = options('', body);
    assert.equal(at.length, 2000);
    ok(at, { limits: { maxMessageSize: 2000 } });
    refused(options('', body + 'x'), 'TOO_LARGE', 513, { maxMessageSize: 2000 });
  });

  test('body size: at the limit passes, over is 413 (also without Content-Length on a datagram)', () => {
    ok(options('', 'b'.repeat(100)), { limits: { maxBodySize: 100 } });
    refused(options('', 'b'.repeat(101)), 'BODY_TOO_LARGE', 413, { maxBodySize: 100 });
    const noCl = Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\n${HEAD}\r\n${'b'.repeat(101)}`);
    refused(noCl, 'BODY_TOO_LARGE', 413, { maxBodySize: 100 });
  });

  test('header count: at the limit passes, one more is 513', () => {
    const six = 6; // Via, From, To, Call-ID, CSeq, Content-Length
    ok(options('X-A: 1\r\n'.repeat(10 - six)), { limits: { maxHeaders: 10 } });
    refused(options('X-A: 1\r\n'.repeat(11 - six)), 'TOO_MANY_HEADERS', 513, { maxHeaders: 10 });
    ok(options('X-A: 1\r\n'.repeat(DEFAULT_LIMITS.maxHeaders - six)));
    refused(options('X-A: 1\r\n'.repeat(DEFAULT_LIMITS.maxHeaders - six + 1)), 'TOO_MANY_HEADERS', 513);
  });

  test('header line length (continuation lines included): at the limit passes, over is 513', () => {
    const name = 'X-Long: ';
    const at = name + 'v'.repeat(300 - name.length - 2) + '\r\n';
    assert.equal(at.length, 300);
    ok(options(at), { limits: { maxLineLength: 300 } });
    refused(options(name + 'v'.repeat(300 - name.length - 1) + '\r\n'), 'HEADER_TOO_LONG', 513, { maxLineLength: 300 });
    const folded = name + 'v'.repeat(150) + '\r\n ' + 'w'.repeat(150) + '\r\n';
    refused(options(folded), 'HEADER_TOO_LONG', 513, { maxLineLength: 300 });
  });

  test('Request-URI length: at the limit passes, over is 414; a long URI in From is 400', () => {
    const uri = (n: number): string => 'sip:' + 'u'.repeat(n - 6) + '@h';
    assert.equal(uri(100).length, 100);
    ok(options('', '', uri(100)), { limits: { maxUriLength: 100 } });
    refused(options('', '', uri(101)), 'URI_TOO_LONG', 414, { maxUriLength: 100 });
    const longFrom = Buffer.from(
      options()
        .toString()
        .replace('From: <sip:a@b>', `From: <${uri(101)}>`),
    );
    refused(longFrom, 'URI_TOO_LONG', 400, { maxUriLength: 100 });
  });

  test('Via count: at the limit passes, over is 483, counted across comma lists', () => {
    const via = (n: number, perLine: number): string => {
      let s = '';
      for (let i = 1; i < n; i += perLine) {
        const vals = [];
        for (let j = i; j < Math.min(n, i + perLine); j++) vals.push(`SIP/2.0/UDP h${j};branch=z9hG4bK${j}`);
        s += `Via: ${vals.join(', ')}\r\n`;
      }
      return s;
    };
    // HEAD has one Via; add n-1 more.
    ok(options(via(DEFAULT_LIMITS.maxVia, 1)));
    refused(options(via(DEFAULT_LIMITS.maxVia + 1, 1)), 'TOO_MANY_VIA', 483);
    ok(options(via(10, 3)), { limits: { maxVia: 10 } });
    refused(options(via(11, 3)), 'TOO_MANY_VIA', 483, { maxVia: 10 });
    refused(
      options('v: ' + Array.from({ length: 20 }, () => 'SIP/2.0/UDP h').join(',') + '\r\n'),
      'TOO_MANY_VIA',
      483,
      {
        maxVia: 10,
      },
    );
  });

  test('resolveLimits: partial overrides, invalid values fall back, resolved once per object', () => {
    const o = { maxVia: 5, maxHeaders: -1, maxBodySize: NaN };
    const r = resolveLimits(o);
    assert.equal(r.maxVia, 5);
    assert.equal(r.maxHeaders, DEFAULT_LIMITS.maxHeaders);
    assert.equal(r.maxBodySize, DEFAULT_LIMITS.maxBodySize);
    assert.equal(resolveLimits(o), r);
    assert.equal(resolveLimits(r), r);
    assert.equal(resolveLimits(), DEFAULT_LIMITS);
  });
});

describe('framing refusals', () => {
  test('bare LF, bare CR, no colon, bad name, continuation first: 400', () => {
    refused(Buffer.from(options().toString().replace('Call-ID: 1@h\r\n', 'Call-ID: 1@h\n')), 'BAD_HEADER', 400);
    refused(Buffer.from(options().toString().replace('Call-ID: 1@h', 'Call-ID: 1\r@h')), 'BAD_HEADER', 400);
    refused(options('NoColonHere\r\n'), 'BAD_HEADER', 400);
    refused(options('Bad Name: x\r\n'), 'BAD_HEADER', 400);
    refused(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\n X: y\r\n' + HEAD + '\r\n'), 'BAD_HEADER', 400);
  });

  test('start lines: bad ones are 400 for requests, dropped (0) for responses and garbage', () => {
    refused(Buffer.from('OPTIONS sip:a@b SIP/2.0\n' + HEAD + '\r\n'), 'BAD_START_LINE', 400);
    refused(Buffer.from('OPTIONS sip:a@b\r\n' + HEAD + '\r\n'), 'BAD_START_LINE', 400);
    refused(Buffer.from('OPTIONS sip:a@b SIP/3.0\r\n' + HEAD + '\r\n'), 'BAD_VERSION', 505);
    refused(Buffer.from('SIP/3.0 200 OK\r\n' + HEAD + '\r\n'), 'BAD_VERSION', 0);
    refused(Buffer.from('SIP/2.0 20 OK\r\n' + HEAD + '\r\n'), 'BAD_START_LINE', 0);
    refused(Buffer.from('SIP/2.0 099 Low\r\n' + HEAD + '\r\n'), 'BAD_START_LINE', 0);
    refused(Buffer.from('SIP/2.0 2000 OK\r\n' + HEAD + '\r\n'), 'BAD_START_LINE', 0);
    refused(Buffer.from('\x16\x03\x01 TLS hello?\r\n\r\n'), 'BAD_START_LINE', 0);
    refused(Buffer.from('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h\r\n'), 'MISSING_HEADER', 0);
  });

  test('keep-alives and empty buffers are EMPTY, status 0', () => {
    refused(Buffer.from('\r\n\r\n'), 'EMPTY', 0);
    refused(Buffer.alloc(0), 'EMPTY', 0);
    assert.equal(isKeepAlive(Buffer.from('\r\n\r\n')), true);
    assert.equal(isKeepAlive(Buffer.from('\r\n')), true);
    assert.equal(isKeepAlive(Buffer.from('\r\nX')), false);
    assert.equal(isKeepAlive(Buffer.alloc(0)), false);
  });

  test('a datagram ending after a complete header line is a message; on a stream it is truncated', () => {
    const noBlank = Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\n${HEAD}`);
    assert.equal(ok(noBlank).body.length, 0);
    const r = parseMessage(noBlank, { transport: 'tls' });
    assert.ok(!r.ok && r.error.code === 'TRUNCATED');
    refused(Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\n${HEAD}X: no end`), 'BAD_HEADER', 400);
  });

  test('Max-Forwards, Expires, Date, Contact in REGISTER are checked; Max-Forwards may be absent', () => {
    refused(options('Max-Forwards: 256\r\n'), 'BAD_HEADER', 400);
    refused(options('Max-Forwards: 1\r\nMax-Forwards: 2\r\n'), 'DUPLICATE_HEADER', 400);
    refused(options('Expires: 4294967296\r\n'), 'BAD_HEADER', 400);
    refused(options('Date: Sat, 13 Nov 2010 23:29:00 CET\r\n'), 'BAD_HEADER', 400);
    ok(options('Max-Forwards: 255\r\nExpires: 4294967295\r\n'));
    const reg = (contact: string): Buffer =>
      Buffer.from(
        options(`Contact: ${contact}\r\n`)
          .toString()
          .replace(/OPTIONS/g, 'REGISTER'),
      );
    ok(reg('<sip:a@192.0.2.1>;expires=3600'));
    refused(reg('<sip:a@192.0.2.1>;expires=99999999999'), 'BAD_HEADER', 400);
    refused(reg('<sip:a@192.0.2.1'), 'BAD_HEADER', 400);
  });

  test('sanity can be skipped: framing and lines only', () => {
    const r = parseMessage(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nX: y\r\n\r\n'), { sanity: false });
    assert.ok(r.ok);
  });
});

describe('counting refusals', () => {
  test('SipErrorCounter counts by code and by status', () => {
    const c = new SipErrorCounter();
    for (const b of [
      Buffer.from('\r\n\r\n'),
      options('NoColon\r\n'),
      options('Bad Name: x\r\n'),
      Buffer.from('SIP/2.0 1 x\r\n'),
    ]) {
      const r = parseMessage(b);
      if (!r.ok) c.add(r.error);
    }
    assert.equal(c.total, 4);
    assert.equal(c.get('BAD_HEADER'), 2);
    assert.equal(c.get('TOO_LARGE'), 0);
    assert.deepEqual(c.byCodes(), { EMPTY: 1, BAD_HEADER: 2, BAD_START_LINE: 1 });
    assert.deepEqual(c.byStatuses(), { 0: 2, 400: 2 });
    c.reset();
    assert.equal(c.total, 0);
  });

  test('every code has a status, and every status a reason phrase', () => {
    for (const [code, status] of Object.entries(STATUS_OF)) {
      assert.ok(status === 0 || (status >= 400 && status < 600), code);
      if (status) assert.notEqual(reasonPhrase(status), '');
    }
    assert.equal(reasonPhrase(499), 'Client Error');
  });
});
