// spend-cap alone: spend from ended and live calls per window; alert near the cap, refuse, cut and quarantine at it;
// a person releases the quarantine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineWith, dial, only, MONDAY_10, local, signalsOf } from '../engine/helpers.js';
import { windowInstance } from '../../../src/rules/spend-cap.js';
import { LocalClock } from '../../../src/engine/local-time.js';

// Premium calls cost 1.50 €/min + 0.80 € by default: easy arithmetic.
const caps = { caps: [{ scope: 'tenant', window: 'hour', alertAt: 10, limit: 20 }] };

test('near the cap an alert on the live call, at the cap a cut of every live call and a quarantine', async () => {
  const e = engineWith(only({ 'spend-cap': caps }));
  const a = dial(e, { called: '0899123456' });
  const b = dial(e, { called: '0899123457', callerExtension: '202' });
  await e.answered(a.id, MONDAY_10);
  await e.answered(b.id, MONDAY_10);
  // Two calls: 2 × (0.80 + 1.50 × m). 10 € at m ≈ 3.07 min; 20 € at m ≈ 6.4 min.
  assert.deepEqual(e.watch(MONDAY_10 + 3 * 60_000), []);
  const near = e.watch(MONDAY_10 + 3.5 * 60_000);
  assert.deepEqual(near, [], 'an alert cuts nothing');
  assert.ok(e.costOf(a.id, MONDAY_10 + 3.5 * 60_000)!.cost > 5);
  const cuts = e.watch(MONDAY_10 + 6.5 * 60_000);
  assert.deepEqual(cuts.map((c) => c.callId).sort(), [a.id, b.id].sort());
  assert.deepEqual(
    cuts.map((c) => c.decision.action),
    ['quarantine', 'quarantine'],
  );
  assert.ok(
    cuts.some((c) => c.decision.signals.some((s) => s.signal === 'SPEND_CAP_NEAR')),
    'the earlier alert is kept in the explanation',
  );
  // Quarantined: every further outbound call of the tenant is refused, even a national one…
  for (const c of cuts) e.end(c.callId, MONDAY_10 + 6.5 * 60_000);
  const after = dial(e, { called: '0142685300', callerExtension: '305', time: MONDAY_10 + 7 * 60_000 });
  assert.ok(['reject', 'quarantine'].includes(after.action));
  assert.ok(signalsOf(after).includes('QUARANTINE_ACTIVE'));
  assert.equal(e.quarantines().length, 1);
  // …until a person releases it (the spend of the hour still refuses new calls until it slides out).
  assert.equal(e.release('acme'), 1);
  assert.equal(dial(e, { called: '0142685300', time: MONDAY_10 + 70 * 60_000 }).action, 'allow');
});

test('at setup: SPEND_CAP_NEAR alerts, SPEND_CAP_EXCEEDED quarantines the extension', async () => {
  const e = engineWith(only({ 'spend-cap': { caps: [{ scope: 'extension', window: 'day', alertAt: 5, limit: 10 }] } }));
  const a = dial(e, { called: '0899123456' });
  await e.answered(a.id, MONDAY_10);
  e.end(a.id, MONDAY_10 + 3 * 60_000); // 5.30 €
  const near = dial(e, { called: '0142685300', time: MONDAY_10 + 4 * 60_000 });
  assert.deepEqual([near.action, signalsOf(near)], ['alert', ['SPEND_CAP_NEAR']]);
  e.end(near.id, MONDAY_10 + 4 * 60_000);
  const b = dial(e, { called: '0899123456', time: MONDAY_10 + 5 * 60_000 });
  await e.answered(b.id, MONDAY_10 + 5 * 60_000);
  e.end(b.id, MONDAY_10 + 8 * 60_000); // 10.60 € in all
  const over = dial(e, { called: '0142685300', time: MONDAY_10 + 9 * 60_000 });
  assert.equal(over.action, 'quarantine');
  assert.deepEqual(
    e.quarantines().map((q) => q.extension),
    ['201'],
  );
  // Another extension goes on; the day after, the quarantine still holds until released.
  assert.equal(
    dial(e, { called: '0142685300', callerExtension: '202', time: MONDAY_10 + 10 * 60_000 }).action,
    'allow',
  );
  assert.equal(dial(e, { called: '0142685300', time: MONDAY_10 + 86_400_000 }).action, 'reject');
  assert.equal(e.release('acme', '201'), 1);
  assert.equal(dial(e, { called: '0142685300', time: MONDAY_10 + 86_400_000 }).action, 'allow');
});

test('monitor mode: nothing is quarantined, the decision says what would have been done', async () => {
  const e = engineWith(
    only({ 'spend-cap': { caps: [{ scope: 'tenant', window: 'day', alertAt: 1, limit: 2 }] } }, { mode: 'monitor' }),
  );
  const a = dial(e, { called: '0899123456' });
  await e.answered(a.id, MONDAY_10);
  e.end(a.id, MONDAY_10 + 2 * 60_000); // 3.80 €
  const d = dial(e, { called: '0142685300', time: MONDAY_10 + 3 * 60_000 });
  assert.deepEqual([d.action, d.enforced], ['quarantine', false]);
  assert.equal(e.quarantines().length, 0);
  assert.equal(dial(e, { called: '0142685300', time: MONDAY_10 + 4 * 60_000 }).enforced, false);
});

test('windows: nights straddle midnight, weekends are Saturday and Sunday', () => {
  const c = new LocalClock('Europe/Paris');
  const o = { caps: [], night: { from: '19:00', to: '08:00' } };
  assert.equal(windowInstance('night', c.at(local('2026-11-23 18:59')), o), undefined);
  assert.equal(windowInstance('night', c.at(local('2026-11-23 19:00')), o), '2026-11-23');
  assert.equal(windowInstance('night', c.at(local('2026-11-24 07:59')), o), '2026-11-23');
  assert.equal(windowInstance('night', c.at(local('2026-11-24 08:00')), o), undefined);
  assert.equal(windowInstance('weekend', c.at(local('2026-11-28 00:00')), o), '2026-11-28');
  assert.equal(windowInstance('weekend', c.at(local('2026-11-29 23:59')), o), '2026-11-28');
  assert.equal(windowInstance('weekend', c.at(local('2026-11-30 00:00')), o), undefined);
});
