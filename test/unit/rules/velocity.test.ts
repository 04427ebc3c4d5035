// velocity alone: calls per minute and hour per extension, tenant and prefix, at the edges of the window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineWith, dial, only, MONDAY_10, signalsOf } from '../engine/helpers.js';

test('the 7th call of an extension within 60 s is refused; 60 s after the first, one passes again', () => {
  const e = engineWith(only({ velocity: {} }));
  for (let i = 0; i < 6; i++) {
    const d = dial(e, { time: MONDAY_10 + i * 5_000 });
    assert.equal(d.action, 'allow', `call ${i + 1}`);
    e.end(d.id, MONDAY_10 + i * 5_000 + 1000);
  }
  const seventh = dial(e, { time: MONDAY_10 + 30_000 });
  assert.deepEqual(signalsOf(seventh), ['VEL_EXTENSION_RATE']);
  assert.deepEqual(seventh.signals[0]!.evidence, { extension: 'extension 201', calls: 6, limit: 6, window: 'minute' });
  assert.equal(dial(e, { time: MONDAY_10 + 59_999 }).action, 'reject');
  assert.equal(dial(e, { time: MONDAY_10 + 60_000 }).action, 'allow');
  // Another extension is not affected.
  assert.equal(dial(e, { time: MONDAY_10 + 30_000, callerExtension: '202' }).action, 'allow');
});

test('per tenant and per destination prefix (abroad only by default)', () => {
  const e = engineWith(
    only({
      velocity: {
        extension: { perMinute: null, perHour: null },
        tenant: { perMinute: 3 },
        prefix: { perHour: 2, digits: 4 },
      },
    }),
  );
  assert.equal(dial(e, { called: '+2399900101', callerExtension: '1' }).action, 'allow');
  assert.equal(dial(e, { called: '+2399900102', callerExtension: '2' }).action, 'allow');
  const third = dial(e, { called: '+2399900103', callerExtension: '3' });
  assert.deepEqual(signalsOf(third), ['VEL_PREFIX_RATE']);
  assert.match(third.signals[0]!.message, /prefix \+2399 started 2 calls in the last hour/);
  assert.equal(dial(e, { called: '0142685300', callerExtension: '4' }).action, 'allow');
  assert.deepEqual(signalsOf(dial(e, { called: '0142685301', callerExtension: '5' })), ['VEL_TENANT_RATE']);
});
