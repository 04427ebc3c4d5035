// max-duration alone: a cut at the cap of the class, not a second before; unanswered time does not count;
// emergency calls never cut; monitor mode orders nothing enforced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineWith, dial, only, MONDAY_10 } from '../engine/helpers.js';

test('an international call is cut when it reaches 90 minutes of talk, once', async () => {
  const e = engineWith(only({ 'max-duration': {} }));
  const d = dial(e, { called: '00442079460018' });
  assert.deepEqual(e.watch(MONDAY_10 + 200 * 60_000), [], 'not answered: nothing runs');
  const answered = MONDAY_10 + 10_000;
  await e.answered(d.id, answered);
  assert.deepEqual(e.watch(answered + 90 * 60_000 - 1), []);
  const cuts = e.watch(answered + 90 * 60_000);
  assert.equal(cuts.length, 1);
  assert.equal(cuts[0]!.callId, d.id);
  assert.equal(cuts[0]!.decision.action, 'cut');
  assert.equal(cuts[0]!.decision.enforced, true);
  assert.equal(cuts[0]!.decision.signals.at(-1)!.signal, 'DUR_MAX_REACHED');
  assert.deepEqual(e.watch(answered + 91 * 60_000), [], 'a cut is ordered once');
});

test('caps per class from the policy; emergency calls run on', async () => {
  const e = engineWith(only({ 'max-duration': { national: 1 } }));
  const n = dial(e, { called: '0142685300' });
  const sos = dial(e, { called: '112' });
  await e.answered(n.id, MONDAY_10);
  await e.answered(sos.id, MONDAY_10);
  const cuts = e.watch(MONDAY_10 + 24 * 3_600_000);
  assert.deepEqual(
    cuts.map((c) => c.callId),
    [n.id],
  );
});

test('monitor mode: the cut is reported as not enforced', async () => {
  const e = engineWith(only({ 'max-duration': { premium: 1 } }, { mode: 'monitor' }));
  const d = dial(e, { called: '0899123456' });
  await e.answered(d.id, MONDAY_10);
  const cuts = e.watch(MONDAY_10 + 60_000);
  assert.equal(cuts.length, 1);
  assert.equal(cuts[0]!.decision.enforced, false);
});
