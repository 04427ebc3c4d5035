import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfigText, formatIssue, validateConfig } from '../../../src/config/load.js';
import { parseHostPort, parseNetwork, networkContains } from '../../../src/config/address.js';

const valid = `
log:
  level: debug
tenants:
  - id: acme
    name: ACME SARL
    pbx:
      addresses: [127.0.0.2]
    trunk:
      address: 127.0.0.3:5060
    policy:
      country: FR
`;

test('a minimal file gets every default', () => {
  const r = parseConfigText(valid);
  assert.ok(r.ok);
  assert.equal(r.config.log.level, 'debug');
  assert.equal(r.config.log.format, 'auto');
  assert.equal(r.config.store.url, 'sqlite:tollguard-data/tollguard.db');
  assert.equal(r.config.api.listen, '127.0.0.1:8080');
  assert.deepEqual(r.config.sip.listen, ['udp://127.0.0.1:5060', 'tcp://127.0.0.1:5060']);
  assert.equal(r.config.tenants[0]?.id, 'acme');
  // Only the country is given: the rest of the policy is the default one.
  assert.equal(r.config.tenants[0]?.policy.mode, 'enforce');
  assert.equal(r.config.tenants[0]?.policy.failMode, 'open');
  assert.equal(r.config.tenants[0]?.policy.currency, 'EUR');
});

test('an empty file is a valid configuration with no tenant', () => {
  const r = parseConfigText('');
  assert.ok(r.ok);
  assert.deepEqual(r.config.tenants, []);
});

test('three different mistakes are all reported, each with its path and line', () => {
  const text = [
    'log:', //                                  1
    '  level: loud', //                         2  bad enum
    'tenants:', //                              3
    '  - id: Acme Corp', //                     4  bad id
    '    pbx:', //                              5
    '      addresses: [127.0.0.2]', //          6
    '    trunk:', //                            7
    '      address: 127.0.0.3:5060', //         8
    '    colour: blue', //                      9  unknown key
    '    policy: { country: FR }', //           10
  ].join('\n');
  const r = parseConfigText(text);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(r.issues.map(formatIssue), [
    'log.level: "loud" is not one of: fatal, error, warn, info, debug, trace, silent (line 2)',
    'tenants[0].id: "Acme Corp" is not a tenant id (lower-case letters, digits, - and _, at most 63) (line 4)',
    'tenants[0].colour: unknown key (line 9)',
  ]);
});

test('a missing required key is reported on its parent\u2019s line', () => {
  const r = parseConfigText('tenants:\n  - id: acme\n    trunk:\n      address: 127.0.0.3\n');
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(r.issues.map(formatIssue), [
    'tenants[0].pbx: is required (object) (line 2)',
    'tenants[0].policy: is required (object) (line 2)',
  ]);
});

test('a tenant id used twice is refused', () => {
  const t =
    '  - id: a\n    pbx: { addresses: [127.0.0.2] }\n    trunk: { address: 127.0.0.3 }\n    policy: { country: FR }\n';
  const r = parseConfigText(`tenants:\n${t}${t}`);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(formatIssue(r.issues[0]!), 'tenants[1].id: "a" is used twice (also tenants[0]) (line 6)');
});

test('bad YAML is reported with its line, not thrown', () => {
  const r = parseConfigText('log:\n  level: info\n tenants: [\n');
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.match(r.issues[0]!.message, /^not valid YAML/);
  assert.equal(typeof r.issues[0]!.line, 'number');
});

test('a duplicated key is refused (YAML would silently keep the last)', () => {
  const r = parseConfigText('log:\n  level: info\n  level: debug\n');
  assert.equal(r.ok, false);
});

test('a file that is a list, not a mapping, is refused', () => {
  const r = parseConfigText('- a\n- b\n');
  assert.equal(r.ok, false);
});

test('validateConfig checks objects built from flags, without lines', () => {
  const r = validateConfig({
    tenants: [
      { id: 'x', pbx: { addresses: ['nope nope'] }, trunk: { address: '127.0.0.3' }, policy: { country: 'FR' } },
    ],
  });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(r.issues.map(formatIssue), [
    'tenants[0].pbx.addresses[0]: "nope nope" is not an address (host or host:port)',
  ]);
});

test('addresses: host, host:port, IPv6 with and without brackets', () => {
  assert.deepEqual(parseHostPort('127.0.0.2'), { host: '127.0.0.2' });
  assert.deepEqual(parseHostPort('127.0.0.3:5060'), { host: '127.0.0.3', port: 5060 });
  assert.deepEqual(parseHostPort('[::1]:5070'), { host: '::1', port: 5070 });
  assert.deepEqual(parseHostPort('::1'), { host: '::1' });
  assert.deepEqual(parseHostPort('sip.operator.example:5060'), { host: 'sip.operator.example', port: 5060 });
  for (const bad of ['', '127.0.0.1:0', '127.0.0.1:65536', '[::1', '[127.0.0.1]:5', 'a b', 'host:port']) {
    assert.equal(parseHostPort(bad), undefined, bad);
  }
});

test('networks: containment for IPv4, IPv6, v4-mapped v6, and /0', () => {
  const n = parseNetwork('192.0.2.0/24')!;
  assert.ok(networkContains(n, '192.0.2.200'));
  assert.ok(networkContains(n, '::ffff:192.0.2.1'));
  assert.ok(!networkContains(n, '192.0.3.1'));
  assert.ok(!networkContains(n, '2001:db8::1'));
  const v6 = parseNetwork('2001:db8::/32')!;
  assert.ok(networkContains(v6, '2001:db8:ffff::1'));
  assert.ok(!networkContains(v6, '2001:db9::1'));
  assert.ok(networkContains(parseNetwork('0.0.0.0/0')!, '8.8.8.8'));
  assert.ok(networkContains(parseNetwork('127.0.0.3')!, '127.0.0.3'));
  assert.ok(!networkContains(parseNetwork('127.0.0.3')!, '127.0.0.4'));
  for (const bad of ['1.2.3.4/33', '1.2.3/8', 'x/1', '1.2.3.4/8/1', '::1/129'])
    assert.equal(parseNetwork(bad), undefined, bad);
});
