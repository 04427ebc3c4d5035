// new-destination alone: nothing during warm-up; then a never-called country alerts, a burst of it is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineWith, dial, only, MONDAY_10, signalsOf } from '../engine/helpers.js';

const DAY = 86_400_000;

test('after 14 days and 50 calls of history, a new country alerts and its third call in an hour is refused', () => {
  const e = engineWith(only({ 'new-destination': {} }));
  // Two weeks of ordinary traffic: France and the United Kingdom.
  for (let i = 0; i < 60; i++) {
    const d = dial(e, {
      called: i % 5 === 0 ? '00442079460018' : '0142685300',
      time: MONDAY_10 - 15 * DAY + i * 6 * 3_600_000,
    });
    e.end(d.id, MONDAY_10 - 15 * DAY + i * 6 * 3_600_000 + 60_000);
  }
  assert.deepEqual(signalsOf(dial(e, { called: '00442079460018' })), [], 'a known country');
  const first = dial(e, { called: '+2399900101', time: MONDAY_10 + 60_000 });
  assert.deepEqual([first.action, signalsOf(first)], ['alert', ['NEW_COUNTRY']]);
  assert.match(first.signals[0]!.message, /ST.*never called in 2 weeks/);
  assert.equal(dial(e, { called: '+2399900102', time: MONDAY_10 + 120_000 }).action, 'alert');
  const burst = dial(e, { called: '+2399900103', time: MONDAY_10 + 180_000 });
  assert.deepEqual([burst.action, signalsOf(burst)], ['reject', ['NEW_COUNTRY_BURST']]);
  assert.match(burst.signals[0]!.message, /3 calls to ST in 60 min/);
});

test('no signal during warm-up: a young tenant has no history to compare with', () => {
  const e = engineWith(only({ 'new-destination': {} }));
  for (let i = 0; i < 100; i++) dial(e, { called: '0142685300', time: MONDAY_10 - 3 * DAY + i * 60_000 });
  assert.deepEqual(signalsOf(dial(e, { called: '+2399900101' })), []);
});
