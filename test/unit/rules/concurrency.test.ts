// concurrency alone: live outbound calls per class, extension and tenant, day and night limits, and how ended
// and refused calls free their place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineWith, dial, only, MONDAY_10, SATURDAY_23, signalsOf } from '../engine/helpers.js';

test('the third simultaneous international call is refused; when one ends, a new one passes', () => {
  const e = engineWith(only({ concurrency: { open: { extension: null } } }));
  const a = dial(e, { called: '00442079460018' });
  const b = dial(e, { called: '+4930123456', callerExtension: '202' });
  assert.deepEqual([a.action, b.action], ['allow', 'allow']);
  const c = dial(e, { called: '0012015550123', callerExtension: '203' });
  assert.equal(c.action, 'reject');
  assert.deepEqual(signalsOf(c), ['CONC_CLASS_LIMIT']);
  assert.deepEqual(c.signals[0]!.evidence, { class: 'international', live: 2, limit: 2 });
  // A national call still passes; the refused call took no place.
  assert.equal(dial(e, { called: '0142685300', callerExtension: '204' }).action, 'allow');
  e.end(a.id, MONDAY_10 + 60_000);
  assert.equal(dial(e, { called: '0012015550123', callerExtension: '203' }).action, 'allow');
});

test('per extension and per tenant, with stricter limits at night', () => {
  const e = engineWith(
    only({ 'business-hours': {}, concurrency: { open: { tenant: 3, extension: 2 }, closed: { tenant: 1 } } }),
  );
  assert.equal(dial(e, {}).action, 'allow');
  assert.equal(dial(e, {}).action, 'allow');
  const third = dial(e, {});
  assert.deepEqual(signalsOf(third), ['CONC_EXTENSION_LIMIT']);
  assert.equal(dial(e, { callerExtension: '300' }).action, 'allow');
  assert.deepEqual(signalsOf(dial(e, { callerExtension: '301' })), ['CONC_TENANT_LIMIT']);
  const night = engineWith(only({ 'business-hours': {}, concurrency: { closed: { tenant: 1 } } }));
  assert.equal(dial(night, { time: SATURDAY_23 }).action, 'allow');
  const n2 = dial(night, { time: SATURDAY_23, callerExtension: '202' });
  assert.ok(signalsOf(n2).includes('CONC_TENANT_LIMIT'));
  assert.match(n2.signals.find((s) => s.signal === 'CONC_TENANT_LIMIT')!.message, /outside business hours/);
});

test('inbound calls do not count against outbound limits', () => {
  const e = engineWith(only({ concurrency: { open: { tenant: 1 } } }));
  dial(e, { direction: 'inbound', caller: '+33612345678', callerExtension: undefined, called: '0142685300' });
  assert.equal(dial(e, {}).action, 'allow');
  assert.equal(dial(e, { callerExtension: '202' }).action, 'reject');
});
