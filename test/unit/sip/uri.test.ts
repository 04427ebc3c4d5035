// URIs: sip/sips with user, password, every host form, port, parameters, headers and escapes; tel; other schemes;
// and the malformed ones, refused with a reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUri, percentDecode, type SipUri, type TelUri, type Uri } from '../../../src/sip/uri.js';

function uri(text: string): Uri {
  const r = parseUri(text);
  if (!r.ok) assert.fail(`${text}: ${r.reason}`);
  return r.uri;
}

function sip(text: string): SipUri {
  const u = uri(text);
  assert.equal(u.kind, 'sip', text);
  return u as SipUri;
}

test('sip: user, host, port, parameters, headers, each as written and decoded', () => {
  const u = sip('sip:+33612345678@trunk.example.net:5080;user=phone;transport=TCP;lr?Subject=hi%20there&X=1');
  assert.equal(u.scheme, 'sip');
  assert.equal(u.user, '+33612345678');
  assert.equal(u.password, undefined);
  assert.equal(u.host, 'trunk.example.net');
  assert.equal(u.hostType, 'name');
  assert.equal(u.port, 5080);
  assert.deepEqual(
    [...u.params],
    [
      ['user', 'phone'],
      ['transport', 'TCP'],
      ['lr', null],
    ],
  );
  assert.deepEqual(
    [...u.headers],
    [
      ['Subject', 'hi there'],
      ['X', '1'],
    ],
  );
  assert.equal(u.hasHeaders, true);
  assert.equal(u.raw, 'sip:+33612345678@trunk.example.net:5080;user=phone;transport=TCP;lr?Subject=hi%20there&X=1');
  assert.equal(String(u), u.raw);
});

test('sips, no user, upper-case scheme, parameter names lower-cased', () => {
  const u = sip('SIPS:Example.COM;Transport=tls');
  assert.equal(u.scheme, 'sips');
  assert.equal(u.user, undefined);
  assert.equal(u.userRaw, undefined);
  assert.equal(u.host, 'Example.COM');
  assert.equal(u.params.get('transport'), 'tls');
  assert.equal(u.hasHeaders, false);
});

test('hosts: IPv4, IPv6 reference (hostname without brackets), names', () => {
  const v4 = sip('sip:alice@192.0.2.1:5060');
  assert.deepEqual([v4.host, v4.hostType, v4.port], ['192.0.2.1', 'ipv4', 5060]);
  const v6 = sip('sip:alice@[2001:db8::1]:5061;transport=tcp');
  assert.deepEqual([v6.host, v6.hostType, v6.hostname, v6.port], ['[2001:db8::1]', 'ipv6', '2001:db8::1', 5061]);
  const v6b = sip('sip:[::ffff:192.0.2.1]');
  assert.equal(v6b.hostType, 'ipv6');
  const name = sip('sip:pbx-01.site_a.example.com.');
  assert.equal(name.hostType, 'name');
});

test('user and password with every allowed character; %XX decoded once, raw kept', () => {
  const u = sip('sip:a%20b;c=d?e/f&g+h$i,j:p%40ss&=+$,word@h');
  assert.equal(u.userRaw, 'a%20b;c=d?e/f&g+h$i,j');
  assert.equal(u.user, 'a b;c=d?e/f&g+h$i,j');
  assert.equal(u.password, 'p@ss&=+$,word');
  assert.equal(sip('sip:%25%34%31@h').user, '%41', 'never unescaped twice');
  assert.equal(sip('sip:caf%C3%A9@h').user, 'café', 'UTF-8 sequences become characters');
  assert.equal(sip('sip:%FF%FE@h').user, '\xff\xfe', 'other bytes are kept byte for byte');
  assert.equal(sip('sip:%00@h').user, '\x00');
});

test('parameter values and names are %-decoded; valueless parameters are null', () => {
  const u = sip('sip:h;%6C%72;n%61me=v%61lue%25%34%31;maddr=[2001:db8::2];x=a:b');
  assert.deepEqual(
    [...u.params],
    [
      ['lr', null],
      ['name', 'value%41'],
      ['maddr', '[2001:db8::2]'],
      ['x', 'a:b'],
    ],
  );
});

test('tel: global and local numbers with parameters', () => {
  const t = uri('tel:+1-201-555-0123;phone-context=example.com;ext=42') as TelUri;
  assert.equal(t.kind, 'tel');
  assert.equal(t.scheme, 'tel');
  assert.equal(t.number, '+1-201-555-0123');
  assert.equal(t.params.get('phone-context'), 'example.com');
  assert.equal(t.params.get('ext'), '42');
  const local = uri('tel:7042;phone-context=+33') as TelUri;
  assert.equal(local.number, '7042');
  assert.equal((uri('tel:%2B33612345678') as TelUri).number, '+33612345678');
});

test('other schemes are kept opaque, scheme lower-cased', () => {
  const u = uri('HTTP://www.example.com/a?b=c');
  assert.equal(u.kind, 'other');
  assert.equal(u.scheme, 'http');
  assert.equal(u.kind === 'other' && u.opaque, '//www.example.com/a?b=c');
  assert.equal(uri('urn:service:sos').scheme, 'urn');
});

test('malformed URIs are refused with a reason', () => {
  const bad = [
    '',
    'sip',
    ':foo',
    '1sip:a@b',
    'sip:',
    'sip:@host',
    'sip:a@',
    'sip:a@b:',
    'sip:a@b:65536',
    'sip:a@b:5x',
    'sip:a@[2001:db8::1',
    'sip:a@[not-v6]',
    'sip:a@999.1.1.1',
    'sip:a@1.2.3',
    'sip:a@-host',
    'sip:a b@h',
    'sip:a@h;',
    'sip:a@h;p=',
    'sip:a@h;p=a b',
    'sip:a@h?',
    'sip:a@h?x',
    'sip:a%zz@h',
    'sip:a%4@h',
    'sip:<a>@h',
    'sip:a@h>',
    'sip:a"@h',
    'tel:',
    'tel:12 34',
    'foo:',
    'foo:a b',
    'sip:user@example.com; lr',
  ];
  for (const text of bad) {
    const r = parseUri(text);
    assert.equal(r.ok, false, `${JSON.stringify(text)} must be refused`);
    if (!r.ok) assert.ok(r.reason.length > 0);
  }
});

test('a URI longer than the bound is refused before it is parsed', () => {
  const long = 'sip:' + 'a'.repeat(100) + '@example.com';
  assert.deepEqual(parseUri(long, 50), { ok: false, reason: 'URI too long' });
  assert.equal(parseUri(long, 200).ok, true);
});

test('percentDecode: plain text unchanged, bad escapes kept as written', () => {
  assert.equal(percentDecode('abc'), 'abc');
  assert.equal(percentDecode('100%'), '100%');
  assert.equal(percentDecode('%zz%41'), '%zzA');
  assert.equal(percentDecode('%e2%82%ac'), '€');
});
