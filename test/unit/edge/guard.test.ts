// The edge guard alone, with fixed clocks: scanners caught by User-Agent and by fingerprints that survive `-c`,
// floods, guessed passwords locking the username, enumeration, malformed requests; bans that escalate, expire,
// spare the PBX, the trunk and the allowlist, and cover networks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EdgeGuard, edgeSchema, type EdgeRequest } from '../../../src/edge/guard.js';
import { edgeRequestOf } from '../../../src/adapters/sip-proxy/edge.js';
import { parseMessage } from '../../../src/sip/parse.js';
import type { Ban } from '../../../src/store/ports.js';
import { scanner, scannerNames } from '../sip/helpers.js';

const T = Date.UTC(2026, 10, 29, 3, 0);
const PBX = '192.0.2.10';
const TRUNK = '198.51.100.20';

function guard(over: Record<string, unknown> = {}) {
  const banned: Ban[] = [];
  const locked: string[] = [];
  const g = new EdgeGuard(edgeSchema.parse(over), (a) => a === PBX || a === TRUNK, {
    banned: (b) => banned.push(b),
    locked: (l) => locked.push(l.username),
  });
  return { g, banned, locked };
}

const phone = (over: Partial<EdgeRequest> = {}): EdgeRequest => ({
  time: T,
  source: '203.0.113.5',
  method: 'REGISTER',
  userAgent: 'Yealink SIP-T46S 66.86.0.15',
  fromTag: 'a1b2c3',
  toUser: '201',
  ...over,
});

test('every SIPVicious request is caught at its first request, compact form included; the source then dropped', () => {
  for (const name of scannerNames()) {
    const { g, banned } = guard();
    const parsed = parseMessage(scanner(name));
    assert.ok(parsed.ok, name);
    const v = g.check(edgeRequestOf(parsed.message, '203.0.113.66', T));
    assert.equal(v.pass, false, name);
    if (v.pass) continue;
    assert.match(v.signal, /^SCAN_(USER_AGENT|FINGERPRINT)$/, name);
    assert.equal(v.status, undefined, 'dropped silently by default');
    assert.equal(banned.length, 1);
    if (name.includes('compact')) assert.equal(v.signal, 'SCAN_FINGERPRINT', name);
    // Banned: a harmless request from the same source is dropped too, and the ban says why.
    const next = g.check(phone({ source: '203.0.113.66', time: T + 1000 }));
    assert.equal(next.pass, false);
    assert.deepEqual(
      g.list(T + 1000).map((b) => b.address),
      ['203.0.113.66'],
    );
  }
});

test('a phone passes; the PBX, the trunk and the allowlist are never banned, even with a scanner User-Agent', () => {
  const { g, banned } = guard({ allow: ['203.0.113.0/28'] });
  assert.equal(g.check(phone()).pass, true);
  for (const source of [PBX, TRUNK, '203.0.113.9']) {
    assert.equal(g.check(phone({ source, userAgent: 'friendly-scanner' })).pass, true, source);
  }
  assert.equal(banned.length, 0);
});

test('a flood of one method from one source is banned; another source and another method go on', () => {
  const { g } = guard({ floodPerSecond: 20 });
  let t = T;
  let banAt = -1;
  for (let i = 0; i < 400 && banAt < 0; i++) {
    t += 20; // 50 REGISTERs a second
    if (!g.check(phone({ time: t, toUser: `2${i % 10}` })).pass) banAt = i;
    // Another source at 2 requests a second, mostly OPTIONS: untouched.
    if (i % 25 === 0) {
      assert.equal(
        g.check(phone({ time: t, source: '203.0.113.77', method: i % 50 === 0 ? 'REGISTER' : 'OPTIONS' })).pass,
        true,
      );
    }
  }
  assert.ok(banAt > 150 && banAt < 260, `banned at request ${banAt}`);
  assert.equal(g.bannedAt('203.0.113.5', t)?.signal, 'FLOOD_SOURCE');
  assert.equal(g.bannedAt('203.0.113.77', t), undefined);
});

test('three failed authentications lock the username (from anywhere); five from one source ban it', () => {
  const { g, locked } = guard();
  const guess = (i: number, source = '203.0.113.5', user = '201') => {
    const r = phone({ time: T + i * 1000, source, authUser: user });
    assert.equal(g.check(r).pass, true, `guess ${i} passes the check`);
    return g.answered(r, 401);
  };
  guess(1);
  guess(2);
  assert.deepEqual(locked, []);
  guess(3);
  assert.deepEqual(locked, ['201']);
  const elsewhere = g.check(phone({ time: T + 4000, source: '203.0.113.200', authUser: '201' }));
  assert.deepEqual(elsewhere.pass === false && [elsewhere.signal, elsewhere.status], ['AUTH_LOCKED', 403]);
  assert.equal(g.check(phone({ time: T + 4000, source: '203.0.113.200', authUser: '202' })).pass, true);
  // Two more failures from the first source, on other usernames: banned.
  const r4 = phone({ time: T + 5000, authUser: '203' });
  g.check(r4);
  assert.equal(g.answered(r4, 401).pass, true);
  const r5 = phone({ time: T + 6000, authUser: '204' });
  g.check(r5);
  const v = g.answered(r5, 403);
  assert.deepEqual(v.pass === false && v.signal, 'AUTH_FAILURES');
  // A challenge to a REGISTER without credentials is no failure: that is how every phone starts.
  const { g: g2, locked: l2 } = guard();
  for (let i = 0; i < 10; i++) g2.answered(phone({ time: T + i }), 401);
  assert.deepEqual(l2, []);
  // The lock ends after lockMinutes.
  assert.equal(g.check(phone({ time: T + 31 * 60_000, source: '203.0.113.200', authUser: '201' })).pass, true);
});

test('enumeration: eight different unknown users answered 404 from one source ban it', () => {
  const { g } = guard();
  let last = g.answered(phone({ toUser: '100' }), 404);
  for (let u = 101; u < 108; u++) last = g.answered(phone({ toUser: String(u), time: T + u }), 404);
  assert.deepEqual(last.pass === false && last.signal, 'ENUMERATION');
  // The same unknown user again and again is not enumeration.
  const { g: g2 } = guard();
  for (let i = 0; i < 20; i++) assert.equal(g2.answered(phone({ toUser: '100', time: T + i }), 404).pass, true);
});

test('malformed requests: the tenth in a minute bans the source', () => {
  const { g } = guard();
  for (let i = 0; i < 9; i++) assert.equal(g.malformed('203.0.113.5', T + i).pass, true);
  const tenth = g.malformed('203.0.113.5', T + 10);
  assert.deepEqual(tenth.pass === false && tenth.signal, 'MALFORMED_FLOOD');
  assert.equal(g.malformed(PBX, T + 11).pass, true, 'the PBX is never banned for garbage');
});

test('bans escalate for repeat offenders and expire; reject mode answers 403; networks and manual bans', () => {
  const { g } = guard({ banMinutes: 10, maxBanHours: 1, bannedResponse: 'reject' });
  const scan = (time: number) => g.check(phone({ time, userAgent: 'friendly-scanner' }));
  const first = scan(T);
  assert.deepEqual(first.pass === false && [first.status, first.ban!.until - T], [403, 10 * 60_000]);
  assert.equal(g.check(phone({ time: T + 10 * 60_000 - 1 })).pass, false);
  assert.equal(g.check(phone({ time: T + 10 * 60_000 })).pass, true, 'expired');
  const second = scan(T + 11 * 60_000);
  assert.equal(second.pass === false && second.ban!.until - (T + 11 * 60_000), 40 * 60_000, '4 times longer');
  const third = scan(T + 60 * 60_000);
  assert.equal(third.pass === false && third.ban!.until - (T + 60 * 60_000), 60 * 60_000, 'capped at maxBanHours');
  const net = g.banManually('198.18.0.0/16', 30, 'known scanner network', 'ops', T);
  assert.equal(net.by, 'ops');
  assert.equal(g.bannedAt('198.18.200.3', T + 1)?.address, '198.18.0.0/16');
  assert.equal(g.lift('198.18.0.0/16'), true);
  assert.equal(g.bannedAt('198.18.200.3', T + 2), undefined);
  assert.equal(g.lift('198.18.0.0/16'), false);
});

test('bans restored from the store hold after a restart', () => {
  const { g } = guard();
  g.restore([
    { address: '203.0.113.5', signal: 'SCAN_USER_AGENT', reason: 'x', since: T, until: T + 60_000, offences: 2 },
  ]);
  assert.equal(g.check(phone({ time: T + 1000 })).pass, false);
  // The next offence after it expires counts from 2.
  const v = g.check(phone({ time: T + 120_000, userAgent: 'sipcli/v1.8' }));
  assert.equal(v.pass === false && v.ban!.offences, 3);
});
