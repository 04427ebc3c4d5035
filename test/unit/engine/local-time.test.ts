import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalClock, addDays, parseClock, isTimeZone } from '../../../src/engine/local-time.js';

test('local time in Paris across the spring daylight-saving change (2026-03-29, 02:00 → 03:00)', () => {
  const c = new LocalClock('Europe/Paris');
  const cases: Array<[string, string, number, number]> = [
    ['2026-03-29T00:59:00Z', '2026-03-29', 1 * 60 + 59, 60],
    ['2026-03-29T01:00:00Z', '2026-03-29', 3 * 60, 120],
    ['2026-03-28T22:59:00Z', '2026-03-28', 23 * 60 + 59, 60],
    ['2026-03-28T23:00:00Z', '2026-03-29', 0, 60],
  ];
  for (const [utc, date, minute, offset] of cases) {
    const l = c.at(Date.parse(utc));
    assert.deepEqual([l.date, l.minute, l.offset], [date, minute, offset], utc);
  }
});

test('local time in Paris across the autumn change (2026-10-25, 03:00 → 02:00) and the weekday', () => {
  const c = new LocalClock('Europe/Paris');
  assert.deepEqual(c.at(Date.parse('2026-10-25T00:30:00Z')).minute, 2 * 60 + 30);
  assert.deepEqual(c.at(Date.parse('2026-10-25T01:30:00Z')).minute, 2 * 60 + 30); // the hour happens twice
  assert.equal(c.at(Date.parse('2026-10-25T01:30:00Z')).offset, 60);
  assert.equal(c.at(Date.parse('2026-11-23T12:00:00Z')).weekday, 1); // Monday
  assert.equal(c.at(Date.parse('2026-11-29T12:00:00Z')).weekday, 7); // Sunday
});

test('New York and midnight: Friday 23:30 local is Saturday 04:30 UTC in winter', () => {
  const c = new LocalClock('America/New_York');
  const l = c.at(Date.parse('2026-11-28T04:30:00Z'));
  assert.deepEqual([l.date, l.weekday, l.minute], ['2026-11-27', 5, 23 * 60 + 30]);
});

test('clock texts, day arithmetic and zone names', () => {
  assert.equal(parseClock('08:30'), 510);
  assert.equal(parseClock('24:00'), 1440);
  assert.equal(parseClock('24:01'), undefined);
  assert.equal(parseClock('8h30'), undefined);
  assert.equal(addDays('2026-03-01', -1), '2026-02-28');
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  assert.equal(isTimeZone('Europe/Paris'), true);
  assert.equal(isTimeZone('Mars/Olympus'), false);
});
