// The profile's arithmetic: hours of the week in local time (daylight saving included), the norm of an hour over the
// hours lived (quiet ones count as zero), talk-time percentiles, and what a stored profile must be to be put back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalClock } from '../../../src/engine/local-time.js';
import { TenantProfile, hourOfWeekText, spanText } from '../../../src/engine/index.js';
import { slotOf, abroadKey } from '../../../src/engine/profile.js';
import { Numbering, RiskList, defaultDialPlan } from '../../../src/numbering/index.js';
import { local } from './helpers.js';

const numbering = new Numbering(defaultDialPlan('FR'), RiskList.shipped());
const HOUR = 3_600_000;

test('hours of the week are local: Monday 00:00 is 0, Sunday 23:00 is 167, in winter and in summer', () => {
  const p = new TenantProfile(new LocalClock('Europe/Paris'), 'FR');
  for (const [when, slot] of [
    ['2026-11-23 00:00', 0],
    ['2026-11-23 10:30', 10],
    ['2026-11-28 01:00', 121],
    ['2026-11-29 23:59', 167],
    ['2026-06-01 10:00', 10],
  ] as const)
    assert.equal(slotOf(p.localHour(local(when))), slot, when);
  assert.equal(hourOfWeekText(121), 'Saturdays 01:00–02:00');
  assert.equal(spanText(7 * 24 * HOUR * 7 + 5), '7 weeks');
  assert.equal(spanText(24 * HOUR), '1 day');
});

test('the norm of an hour: mean and spread over every such hour lived, the quiet ones as zero', () => {
  const p = new TenantProfile(new LocalClock('Europe/Paris'), 'FR');
  const d = numbering.classify('0142685300');
  // Mondays 10:00 of four weeks: 2, 0, 4 and 2 calls.
  const monday = local('2026-11-02 10:00');
  [2, 0, 4, 2].forEach((n, w) => {
    for (let i = 0; i < n; i++) p.learnCall({ time: monday + w * 7 * 24 * HOUR + i * 60_000, destination: d });
  });
  const now = monday + 4 * 7 * 24 * HOUR;
  const n = p.norm(p.scope()!, 10, 'calls', now);
  assert.deepEqual(n, { hours: 4, mean: 2, sd: Math.sqrt(2) });
  assert.equal(p.norm(p.scope()!, 11, 'calls', now).mean, 0);
  assert.deepEqual(p.scope()!.classes.national, { first: monday, last: monday + 21 * 24 * HOUR + 60_000, calls: 8 });
});

test('talk times: the 99th percentile is the top of its power-of-two bucket', () => {
  const p = new TenantProfile(new LocalClock('Europe/Paris'), 'FR');
  const t = local('2026-11-02 10:00');
  for (let i = 0; i < 100; i++) p.learnEnd({}, t + i, 0, i < 99 ? 100 : 5000);
  assert.deepEqual(p.talkQuantile(p.scope()!, 0.99), { seconds: 128, calls: 100 });
  assert.deepEqual(p.talkQuantile(p.scope()!, 1), { seconds: 8192, calls: 100 });
});

test('abroad: a foreign country by its code, an international network by its calling code, home is not abroad', () => {
  const at = (n: string) => abroadKey({ destination: numbering.classify(n) }, 'FR');
  assert.equal(at('00442079460018'), 'GB');
  assert.equal(at('+881612345678'), '+881');
  assert.equal(at('0142685300'), undefined);
  assert.equal(at('112'), undefined);
});

test('a stored profile of another shape or version is not put back', () => {
  const p = new TenantProfile(new LocalClock('Europe/Paris'), 'FR');
  assert.equal(
    p.restore([
      { scope: '', data: { version: 99 } },
      { scope: '201', data: 'x' },
    ]),
    0,
  );
  assert.equal(p.scope(), undefined);
});
