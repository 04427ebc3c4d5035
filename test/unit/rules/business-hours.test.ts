// business-hours alone: the schedule, public holidays of the tenant's country (and region), closures, and a
// schedule read in the tenant's zone across a daylight-saving change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineWith, dial, only, local, signalsOf } from '../engine/helpers.js';

test('weekly schedule: a weekday in hours is quiet; evening, Saturday and Sunday are closed', () => {
  const e = engineWith(only({ 'business-hours': {} }));
  assert.deepEqual(signalsOf(dial(e, { time: local('2026-11-24 12:00') })), []);
  assert.deepEqual(signalsOf(dial(e, { time: local('2026-11-24 20:00') })), ['TIME_OUTSIDE_HOURS']);
  assert.deepEqual(signalsOf(dial(e, { time: local('2026-11-28 12:00') })), ['TIME_OUTSIDE_HOURS']);
  const sunday = dial(e, { time: local('2026-11-29 12:00') });
  assert.match(sunday.signals[0]!.message, /Sunday 12:00, closed all day/);
  assert.equal(sunday.action, 'allow');
});

test('public holidays: Christmas, 1 May and Whit Monday in France; 26 December only in Alsace-Moselle', () => {
  const e = engineWith(only({ 'business-hours': {} }));
  for (const day of ['2026-12-25', '2026-05-01', '2026-05-25']) {
    const d = dial(e, { time: local(`${day} 11:00`) });
    assert.deepEqual(signalsOf(d), ['TIME_HOLIDAY'], day);
  }
  assert.deepEqual(signalsOf(dial(e, { time: local('2026-12-28 11:00') })), []);
  // 26 December 2025 is a Friday: a working day in most of France, a holiday in Moselle.
  assert.deepEqual(signalsOf(dial(e, { time: local('2025-12-26 11:00') })), []);
  const moselle = engineWith(only({ 'business-hours': { region: '57' } }));
  assert.deepEqual(signalsOf(dial(moselle, { time: local('2025-12-26 11:00') })), ['TIME_HOLIDAY']);
});

test('holidays follow the tenant country: 4 July closes a US tenant, not a French one', () => {
  const us = engineWith(only({ 'business-hours': {} }, { country: 'US', timezone: 'America/New_York' }));
  const noon = local('2025-07-04 12:00', 'America/New_York'); // a Friday
  assert.deepEqual(signalsOf(dial(us, { time: noon, called: '2015550123' })), ['TIME_HOLIDAY']);
  const fr = engineWith(only({ 'business-hours': {} }));
  assert.deepEqual(signalsOf(dial(fr, { time: local('2025-07-04 12:00') })), []);
});

test('closures and custom spans; the schedule is local across the daylight-saving change', () => {
  const e = engineWith(
    only({
      'business-hours': {
        schedule: { mon: ['09:00-12:00', '14:00-18:00'], sun: ['02:30-03:30'] },
        closures: [{ from: '2026-08-03', to: '2026-08-21', label: 'summer break' }],
      },
    }),
  );
  assert.deepEqual(signalsOf(dial(e, { time: local('2026-11-23 13:00') })), ['TIME_OUTSIDE_HOURS']);
  assert.deepEqual(signalsOf(dial(e, { time: local('2026-11-23 14:00') })), []);
  const closed = dial(e, { time: local('2026-08-10 10:00') });
  assert.deepEqual(signalsOf(closed), ['TIME_CLOSURE']);
  assert.match(closed.signals[0]!.message, /summer break/);
  // 29 March 2026: 02:00 does not exist in Paris; 01:00 UTC is 03:00 local, inside 02:30-03:30.
  assert.deepEqual(signalsOf(dial(e, { time: Date.parse('2026-03-29T01:00:00Z') })), []);
  assert.deepEqual(signalsOf(dial(e, { time: Date.parse('2026-03-29T01:30:00Z') })), ['TIME_OUTSIDE_HOURS']);
});

test('a bad span or date is refused with its path', () => {
  assert.throws(() => engineWith(only({ 'business-hours': { schedule: { mon: ['18:00-08:00'] } } })), /time span/);
  assert.throws(() => engineWith(only({ 'business-hours': { closures: [{ from: '2026-13-01' }] } })));
});
