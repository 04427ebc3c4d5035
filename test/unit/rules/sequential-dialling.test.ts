// sequential-dialling alone: distinct numbers of one range in a window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineWith, dial, only, MONDAY_10, signalsOf } from '../engine/helpers.js';

test('the 5th different number of one range of 100 within 10 minutes is refused', () => {
  const e = engineWith(only({ 'sequential-dialling': {} }));
  const numbers = ['+2399900101', '+2399900102', '+2399900105', '+2399900177'];
  numbers.forEach((n, i) => assert.equal(dial(e, { called: n, time: MONDAY_10 + i * 60_000 }).action, 'allow', n));
  // Dialling a number again adds nothing.
  assert.equal(dial(e, { called: '+2399900101', time: MONDAY_10 + 5 * 60_000 }).action, 'allow');
  const fifth = dial(e, { called: '+2399900199', time: MONDAY_10 + 6 * 60_000 });
  assert.deepEqual(signalsOf(fifth), ['SEQ_RANGE_SCAN']);
  assert.equal(fifth.signals[0]!.evidence?.range, '+23999001xx');
  // Another range is fine; and once the window has passed, the range is quiet again.
  assert.equal(dial(e, { called: '+2399900201', time: MONDAY_10 + 6 * 60_000 }).action, 'allow');
  assert.equal(dial(e, { called: '+2399900199', time: MONDAY_10 + 14 * 60_000 }).action, 'allow');
});

test('free numbers are not watched by default', () => {
  const e = engineWith(only({ 'sequential-dialling': { distinct: 2 } }));
  assert.equal(dial(e, { called: '0800123456' }).action, 'allow');
  assert.equal(dial(e, { called: '0800123457' }).action, 'allow');
  assert.equal(dial(e, { called: '0142685300' }).action, 'allow');
  assert.equal(dial(e, { called: '0142685301' }).action, 'reject');
});
