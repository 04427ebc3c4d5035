// When a digest is due and which local days it covers, in the tenant's zone (daylight saving included); which
// periods a restart sends (none twice, none skipped silently); and what its text says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalClock } from '../../../src/engine/local-time.js';
import { duePeriods, latestDue, parseDigestTime, windowOf, type Digest } from '../../../src/alerts/digest.js';
import { digestLine, digestSubject, digestText, digestHtml } from '../../../src/alerts/digest-render.js';

const paris = new LocalClock('Europe/Paris');
const daily = parseDigestTime('day', '08:00')!;
const weekly = parseDigestTime('week', 'Monday 08:00')!;

test('digest times: a time of day, a weekday and a time; anything else refused', () => {
  assert.deepEqual(daily, { period: 'day', minute: 480 });
  assert.deepEqual(weekly, { period: 'week', minute: 480, weekday: 1 });
  for (const bad of ['8h', '24:00', '25:00', 'monday 08:00']) assert.equal(parseDigestTime('day', bad), undefined, bad);
  for (const bad of ['08:00', 'mon 08:00', 'someday 08:00']) assert.equal(parseDigestTime('week', bad), undefined, bad);
});

test('the latest period due: yesterday once 08:00 local passed; the week before the last Monday 08:00', () => {
  // 2026-12-02 is a Wednesday; Paris is UTC+1 in winter.
  const cases: Array<[string, string, string]> = [
    ['2026-12-02T06:59:00Z', 'day', '2026-11-30'], // 07:59 Paris: yesterday's is not due yet
    ['2026-12-02T07:00:00Z', 'day', '2026-12-01'], // 08:00 Paris
    ['2026-12-02T07:00:00Z', 'week', '2026-11-23'], // Wednesday: last Monday's digest covers the week before it
    ['2026-11-30T06:59:00Z', 'week', '2026-11-16'], // Monday 07:59: this Monday's is not due yet
    ['2026-11-30T07:00:00Z', 'week', '2026-11-23'],
  ];
  for (const [at, period, start] of cases) {
    assert.equal(latestDue(period === 'day' ? daily : weekly, paris, Date.parse(at)), start, `${at} ${period}`);
  }
});

test('a window is local midnight to local midnight: 23 hours on the day clocks go forward', () => {
  const w = windowOf('day', '2026-03-29', paris);
  assert.equal(new Date(w.from).toISOString(), '2026-03-28T23:00:00.000Z');
  assert.equal(new Date(w.to).toISOString(), '2026-03-29T22:00:00.000Z');
  const week = windowOf('week', '2026-11-23', paris);
  assert.equal(week.end, '2026-11-30');
  assert.equal(week.to - week.from, 7 * 86_400_000);
});

test('after a restart: periods after the last sent, oldest first, the newest few; an unsent claim again', () => {
  const now = Date.parse('2026-12-02T09:00:00Z');
  assert.deepEqual(duePeriods(daily, paris, now, undefined, 7), { starts: ['2026-12-01'], skipped: 0 });
  const sent = (start: string) => ({ start, sentAt: 1 });
  assert.deepEqual(duePeriods(daily, paris, now, sent('2026-12-01'), 7), { starts: [], skipped: 0 });
  assert.deepEqual(duePeriods(daily, paris, now, sent('2026-11-29'), 7), {
    starts: ['2026-11-30', '2026-12-01'],
    skipped: 0,
  });
  assert.deepEqual(duePeriods(daily, paris, now, { start: '2026-12-01' }, 7), { starts: ['2026-12-01'], skipped: 0 });
  assert.deepEqual(duePeriods(daily, paris, now, sent('2026-11-01'), 3), {
    starts: ['2026-11-29', '2026-11-30', '2026-12-01'],
    skipped: 27,
  });
  assert.deepEqual(duePeriods(weekly, paris, now, sent('2026-11-09'), 4), {
    starts: ['2026-11-16', '2026-11-23'],
    skipped: 0,
  });
});

export const sample: Digest = {
  tenantId: 'acme',
  tenantName: 'ACME SARL',
  period: 'day',
  start: '2026-12-01',
  end: '2026-12-02',
  from: Date.parse('2026-11-30T23:00:00Z'),
  to: Date.parse('2026-12-01T23:00:00Z'),
  timeZone: 'Europe/Paris',
  currency: 'EUR',
  mode: 'enforce',
  calls: { total: 5, inbound: 1, outbound: 4, answered: 2 },
  refused: 2,
  cut: 1,
  alerted: 0,
  wouldHaveStopped: 0,
  spend: 14.2,
  top: {
    countries: [{ key: 'FR', calls: 4, cost: 14.2 }],
    classes: [
      { key: 'premium', calls: 3, cost: 13.7 },
      { key: 'national', calls: 1, cost: 0.5 },
    ],
    numbers: [{ key: '+33899123456', calls: 3, cost: 13.7 }],
  },
  incidents: { active: 1, opened: 1 },
  open: {
    total: 1,
    list: [
      {
        id: 'a1',
        severity: 'high',
        title: 'Refused outbound call from 201 to +33899123456 (premium, FR): DST_PREMIUM_RATE',
        count: 2,
        firstAt: Date.parse('2026-12-01T17:46:00Z'),
        lastAt: Date.parse('2026-12-01T17:47:00Z'),
        cost: { currency: 'EUR', spent: 0, perHour: 181.6 },
        link: 'http://127.0.0.1:8080/#/incidents?id=a1',
      },
    ],
  },
  links: {
    calls: 'http://127.0.0.1:8080/#/calls?tenant=acme',
    incidents: 'http://127.0.0.1:8080/#/incidents',
  },
  generatedAt: Date.parse('2026-12-02T07:00:00Z'),
};

test('the digest in words: subject, figures, top lists, open incidents with their cost, what to do, links', () => {
  assert.equal(
    digestSubject(sample),
    '[Tollguard] ACME SARL: daily digest, Tuesday 1 December 2026: 5 calls, 2 refused, 1 cut, 14.20 EUR, 1 open incident',
  );
  const text = digestText(sample);
  assert.match(text, /From 00:00 on Tuesday 1 December 2026 to 00:00 on Wednesday 2 December 2026 \(Europe\/Paris\)\./);
  assert.match(text, /Calls: +5 \(4 outbound, 1 inbound\), 2 answered/);
  assert.match(text, /Refused at setup: +2/);
  assert.match(text, /Estimated spend: +14\.20 EUR/);
  assert.match(text, /\n {4}premium +3 +13\.70 EUR\n/);
  assert.match(text, /- \[HIGH\] Refused outbound call from 201/);
  assert.match(
    text,
    /2 events, last on 1 December, 18:47; 0\.00 EUR spent, 181\.60 EUR for an hour of talk at its prices/,
  );
  assert.match(
    text,
    /What to do now:\n- Read the 1 open incident and acknowledge each once handled: http:\/\/127\.0\.0\.1:8080\/#\/incidents\./,
  );
  assert.match(text, /The calls of this period in the console: http/);
  const html = digestHtml({ ...sample, tenantName: 'A<B>' });
  assert.match(html, /<h1[^>]*>Tollguard daily digest: A&lt;B&gt;, Tuesday 1 December 2026<\/h1>/);
  assert.match(html, /<a href="http:\/\/127\.0\.0\.1:8080\/#\/incidents\?id=a1">/);
  assert.doesNotMatch(html, /A<B>/);
  assert.equal(
    digestLine(sample),
    'ACME SARL daily digest 2026-12-01..2026-12-02: 5 calls (4 out, 1 in), 2 refused, 1 cut, 0 alerted, spend 14.20 EUR, 1 open incident, top country FR (14.20 EUR)',
  );
});

test('a quiet period says there is nothing to do; monitor mode says what would have been stopped', () => {
  const quiet = { ...sample, refused: 0, cut: 0, open: { total: 0, list: [] } };
  assert.match(
    digestText(quiet),
    /What to do now:\n- Nothing to do: no call was refused or cut, and no incident is open\./,
  );
  const monitor = { ...quiet, mode: 'monitor' as const, wouldHaveStopped: 3 };
  assert.match(digestSubject(monitor), /3 would have been stopped/);
  assert.match(digestText(monitor), /This site is in monitor mode: 3 calls would have been refused or cut/);
});
