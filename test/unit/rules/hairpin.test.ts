// hairpin alone: an outbound call carrying the number of a live inbound caller (DISA, trunk-to-trunk).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineWith, dial, only, MONDAY_10, signalsOf } from '../engine/helpers.js';

test('an outside caller on a live inbound call who leaves again to a foreign number is refused', () => {
  const e = engineWith(only({ hairpin: {} }));
  const inbound = dial(e, {
    direction: 'inbound',
    caller: '+33612345678',
    callerExtension: undefined,
    called: '0142685300',
  });
  const out = dial(e, { caller: '0612345678', callerExtension: undefined, called: '00239990010' + '1' });
  assert.deepEqual([out.action, signalsOf(out)], ['reject', ['HAIRPIN_COSTLY']]);
  const national = dial(e, { caller: '0612345678', callerExtension: undefined, called: '0142685301' });
  assert.deepEqual([national.action, signalsOf(national)], ['alert', ['HAIRPIN_CALL']]);
  // Once the inbound call ended, the same number calling out is just a call.
  e.end(inbound.id, MONDAY_10 + 1000);
  assert.deepEqual(signalsOf(dial(e, { caller: '0612345678', callerExtension: undefined, called: '0142685301' })), []);
});

test('an adapter that knows the call was bridged says so; extensions never match a caller', () => {
  const e = engineWith(only({ hairpin: {} }));
  assert.deepEqual(signalsOf(dial(e, { bridgedFromInbound: true, called: '0899123456' })), ['HAIRPIN_COSTLY']);
  dial(e, { direction: 'inbound', caller: '201', callerExtension: undefined });
  assert.deepEqual(signalsOf(dial(e, { caller: '201' })), []);
});
