// The call-log report from records alone: totals, top destinations, classes, days, calls while closed, anomalies
// (stored signals grouped, a day far above the median); and its renderings: text, and HTML that is one page with
// inline SVG charts, nothing external, every record's text escaped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callReport, type ReportOptions } from '../../../src/report/call-report.js';
import { renderCallReportText } from '../../../src/report/render-text.js';
import { renderCallReportHtml } from '../../../src/report/render-html.js';
import { LocalClock } from '../../../src/engine/local-time.js';
import type { CallRecord } from '../../../src/store/ports.js';
import { local } from '../engine/helpers.js';

const clock = new LocalClock('Europe/Paris');
const options: ReportOptions = {
  tenant: 'acme',
  country: 'FR',
  currency: 'EUR',
  clock,
  // Open weekdays 08:00–19:00.
  closedAt: (t) => {
    const l = clock.at(t);
    return l.weekday >= 6 || l.minute < 480 || l.minute >= 1140 ? 'closed' : undefined;
  },
  from: local('2026-11-02 00:00'),
  to: local('2026-11-09 00:00'),
};

let n = 0;
function call(
  when: string,
  called: string,
  cls: string,
  minutes: number,
  cost: number,
  extra: Partial<CallRecord> = {},
): CallRecord {
  const startedAt = local(when);
  return {
    id: `c${++n}`,
    tenantId: 'acme',
    direction: 'outbound',
    startedAt,
    answeredAt: startedAt,
    endedAt: startedAt + minutes * 60_000,
    caller: '201',
    called,
    calledE164: called,
    destinationClass: cls,
    country: cls === 'international' ? 'GB' : 'FR',
    disposition: 'completed',
    estimatedCost: cost,
    currency: 'EUR',
    ...extra,
  };
}

const pumped = {
  action: 'reject',
  signals: [
    {
      rule: 'profile',
      signal: 'PROFILE_VOLUME',
      action: 'alert',
      severity: 'medium',
      message: '12 calls in the last 60 min from extension 201; …',
      evidence: { score: 9.5 },
    },
    { rule: 'destination-class', signal: 'DST_PREMIUM_RATE', action: 'reject', severity: 'high', message: 'premium' },
  ],
};

const records: CallRecord[] = [
  // An ordinary week: a national call each weekday at 10:00, one to London.
  ...['02', '03', '04', '05', '06'].map((d) => call(`2026-11-${d} 10:00`, '+33142685300', 'national', 5, 0.1)),
  call('2026-11-03 15:00', '+442079460018', 'international', 10, 3),
  // Saturday night: premium calls, refused, and one that went through.
  call('2026-11-07 02:00', '+33899123456', 'premium', 0, 0, {
    disposition: 'rejected',
    decision: pumped,
    action: 'reject',
  }),
  call('2026-11-07 02:05', '+33899123456', 'premium', 0, 0, {
    disposition: 'rejected',
    decision: pumped,
    action: 'reject',
  }),
  call('2026-11-07 02:10', '+33899654321', 'premium', 60, 90),
  // Inbound, another tenant, and outside the period: not counted, or not as outbound.
  { ...call('2026-11-04 11:00', '0140506070', 'national', 3, 0), direction: 'inbound', estimatedCost: undefined },
  { ...call('2026-11-04 11:00', '+33142685300', 'national', 3, 9), tenantId: 'other' },
  call('2026-11-09 10:00', '+33142685300', 'national', 3, 9),
];

test('the report adds up a week: totals, destinations, classes, days, calls while closed', () => {
  const r = callReport(records, options);
  assert.deepEqual(
    { calls: r.totals.calls, outbound: r.totals.outbound, inbound: r.totals.inbound, stopped: r.totals.stopped },
    { calls: 10, outbound: 9, inbound: 1, stopped: 2 },
  );
  assert.equal(r.totals.cost, 93.5);
  assert.deepEqual(r.topNumbers[0], {
    key: '+33899654321',
    cls: 'premium',
    country: 'FR',
    calls: 1,
    minutes: 60,
    cost: 90,
  });
  assert.deepEqual(r.topCountries, [{ key: 'GB', calls: 1, minutes: 10, cost: 3 }], 'home is not abroad');
  assert.deepEqual(
    r.byClass.map((c) => [c.key, c.calls, c.cost]),
    [
      ['premium', 3, 90],
      ['international', 1, 3],
      ['national', 5, 0.5],
    ],
  );
  assert.equal(r.byDay.length, 6);
  assert.deepEqual(
    r.byDay.find((d) => d.day === '2026-11-07'),
    {
      day: '2026-11-07',
      calls: 3,
      minutes: 60,
      cost: 90,
      outbound: 3,
      inbound: 0,
      offHours: 3,
      stopped: 2,
    },
  );
  assert.equal(r.offHours.calls, 3);
  assert.equal(r.offHours.top[0]!.called, '+33899654321');
  assert.equal(r.byHour[10]!.calls, 5);
});

test('anomalies, worst first: a day far above the median day, and stored signals grouped with their highest score', () => {
  const r = callReport(records, options);
  assert.deepEqual(
    r.anomalies.map((a) => [a.kind, a.signal, a.calls, a.stopped, a.score]),
    [
      ['day', 'DAY_SPEND', 3, 2, 900],
      ['signal', 'DST_PREMIUM_RATE', 2, 2, undefined],
      ['signal', 'PROFILE_VOLUME', 2, 2, 9.5],
    ],
  );
  assert.match(r.anomalies[0]!.message, /^2026-11-07: about 90 EUR of calls, 900 times the median day/);
  assert.deepEqual(r.notes, [
    '8 record(s) carry no decision (imported from CDRs): their signals are not known; replay them (tollguard replay) to see what Tollguard would have said',
  ]);
});

test('text and HTML say the same figures; the HTML is one page, charts inline, nothing external, text escaped', () => {
  const evil = call('2026-11-04 12:00', '<script>alert(1)</script>', 'unknown', 1, 0.5, { caller: '"><img src=x>' });
  const r = callReport([...records, evil], options);
  const text = renderCallReportText(r);
  assert.match(text, /^Calls of tenant acme, 2026-11-02 to 2026-11-08 \(Europe\/Paris\)/);
  assert.match(text, /While closed: 3 outbound call\(s\), 60 min, about 90\.00 EUR/);
  const html = renderCallReportHtml(r);
  assert.match(html, /^<!doctype html>/);
  assert.equal((html.match(/<svg /g) ?? []).length, 3, 'cost by day, by class, by hour');
  assert.doesNotMatch(html, /<script|https?:\/\/|<img|<link/i);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
});

test('an empty period says so', () => {
  const r = callReport([], options);
  assert.deepEqual(r.notes, ['no call of this tenant in the period']);
  assert.match(renderCallReportHtml(r), /Nothing unusual in the period/);
});
