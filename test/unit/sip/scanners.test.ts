// Requests as SIPVicious sends them (svmap, svwar, svcrack, also in compact form): they parse, and the values the
// scanner rule looks at (User-Agent, From tag, Via) read back as sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SipUri } from '../../../src/sip/uri.js';
import { ok, scanner, scannerNames } from './helpers.js';

const EXPECTED: Record<
  string,
  { method: string; fromTag: string; branch: string; viaPort: number; display: string; userAgent?: string }
> = {
  'generated_svcrack_REGISTER_auth_noqop.sip': {
    method: 'REGISTER',
    fromTag: '3130303a313233340133343734343635353335',
    branch: 'z9hG4bK-3160967032',
    viaPort: 5061,
    display: '100',
    userAgent: 'friendly-scanner',
  },
  'generated_svcrack_REGISTER_auth_qop.sip': {
    method: 'REGISTER',
    fromTag: '3130303a313233340131333233343336303234',
    branch: 'z9hG4bK-3667190760',
    viaPort: 5061,
    display: '100',
    userAgent: 'friendly-scanner',
  },
  'generated_svcrack_REGISTER_noauth.sip': {
    method: 'REGISTER',
    fromTag: '3206210844',
    branch: 'z9hG4bK-1630434966',
    viaPort: 5061,
    display: '100',
    userAgent: 'friendly-scanner',
  },
  'generated_svmap_OPTIONS.sip': {
    method: 'OPTIONS',
    fromTag: '3766303030303031313363340134313036313335393233',
    branch: 'z9hG4bK-242886303',
    viaPort: 5061,
    display: 'sipvicious',
    userAgent: 'friendly-scanner',
  },
  'generated_svmap_OPTIONS_compact.sip': {
    method: 'OPTIONS',
    fromTag: '3766303030303031313363340134313036313335393233',
    branch: 'z9hG4bK-3588440356',
    viaPort: 5060,
    display: 'sipvicious',
  },
  'generated_svwar_REGISTER.sip': {
    method: 'REGISTER',
    fromTag: '3130300133323638333038383034',
    branch: 'z9hG4bK-2028277857',
    viaPort: 5061,
    display: '100',
    userAgent: 'friendly-scanner',
  },
};

test('the table covers every scanner request', () => {
  assert.deepEqual(scannerNames(), Object.keys(EXPECTED).sort());
});

for (const [file, e] of Object.entries(EXPECTED)) {
  test(`${file}: parses; User-Agent, From tag and Via as sent`, () => {
    const m = ok(scanner(file));
    assert.equal(m.method, e.method);
    assert.equal(m.userAgent(), e.userAgent);
    const from = m.from()!;
    assert.equal(from.tag, e.fromTag);
    assert.equal(from.displayName, e.display);
    assert.equal((m.to()!.uri as SipUri).host, e.display === 'sipvicious' ? '1.1.1.1' : '127.0.0.1');
    const via = m.via()!;
    assert.equal(via.length, 1);
    assert.equal(via[0]!.transport, 'UDP');
    assert.equal(via[0]!.host, '127.0.0.1');
    assert.equal(via[0]!.hostType, 'ipv4');
    assert.equal(via[0]!.port, e.viaPort);
    assert.equal(via[0]!.branch, e.branch);
    assert.equal(via[0]!.rport, true);
    assert.equal(m.maxForwards(), 70);
    assert.equal(m.cseq()!.method, e.method);
    assert.match(m.callId()!, /^[0-9]+$/);
    const c = m.contact();
    assert.ok(Array.isArray(c) && c.length === 1 && (c[0]!.uri as SipUri).host === '127.0.0.1');
    assert.ok(m.toBuffer().equals(scanner(file)));
  });
}

test('the compact form: v/t/f/i/m read through the long names', () => {
  const m = ok(scanner('generated_svmap_OPTIONS_compact.sip'));
  assert.equal(m.header('Call-ID'), '436488423884164456126931');
  assert.equal(m.header('i'), '436488423884164456126931');
  assert.equal(m.header('Contact'), 'sip:100@127.0.0.1:5061');
  assert.equal(m.headers('Via').length, 1);
  assert.equal(m.has('User-Agent'), false);
  assert.deepEqual(
    m.entries().map(([n]) => n),
    ['v', 't', 'f', 'i', 'm', 'CSeq', 'Max-Forwards', 'Accept', 'Content-Length'],
  );
});

test('svcrack credentials: Digest parameters unquoted, qop always auth', () => {
  for (const file of ['generated_svcrack_REGISTER_auth_noqop.sip', 'generated_svcrack_REGISTER_auth_qop.sip']) {
    const a = ok(scanner(file)).authorization()!;
    assert.equal(a.length, 1);
    assert.equal(a[0]!.scheme, 'Digest');
    assert.equal(a[0]!.params.get('username'), '100');
    assert.equal(a[0]!.params.get('realm'), 'asterisk');
    assert.equal(a[0]!.params.get('uri'), 'sip:127.0.0.1');
    assert.equal(a[0]!.params.get('algorithm'), 'MD5');
    assert.equal(a[0]!.params.get('qop'), 'auth');
    assert.match(a[0]!.params.get('response') ?? '', /^[0-9a-f]{32}$/);
  }
  const qop = ok(scanner('generated_svcrack_REGISTER_auth_qop.sip')).authorization()![0]!;
  assert.equal(qop.params.get('nc'), '00000001');
  assert.equal(qop.params.get('cnonce'), '2ad190c8ba7a418487de60b89783fa57');
});
