// profile alone: silent during warm-up; then far more calls or spend than the same hour of the week usually has,
// a class never called and a call far longer than usual each raise a signal whose message says what is usual.
// A profile put back from the store is warm at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineWith, dial, only, local, signalsOf } from '../engine/helpers.js';
import { Engine, tenantPolicySchema } from '../../../src/engine/index.js';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
// Monday 2026-11-02 in Paris; the weeks before the tested one are history.
const FIRST_MONDAY = local('2026-11-02 00:00');

/** Ordinary weeks: extensions 201 and 202 each make one 3-minute national call an hour, weekdays 09:00–17:00. */
function history(e: Engine, weeks: number): void {
  for (let w = 0; w < weeks; w++)
    for (let d = 0; d < 5; d++)
      for (let h = 9; h < 17; h++)
        for (const ext of ['201', '202']) {
          const time = FIRST_MONDAY + w * WEEK + d * 24 * HOUR + h * HOUR + (ext === '201' ? 5 : 35) * 60_000;
          const c = dial(e, { caller: ext, callerExtension: ext, called: '0142685300', time });
          void e.answered(c.id, time + 5_000);
          e.end(c.id, time + 185_000);
        }
}

const WEEK3_MONDAY_10 = FIRST_MONDAY + 3 * WEEK + 10 * HOUR;

test('warm-up: with under 2 weeks of history a burst raises nothing', () => {
  const e = engineWith(only({ profile: {} }));
  history(e, 1);
  const t = FIRST_MONDAY + WEEK + 10 * HOUR;
  for (let i = 0; i < 30; i++) assert.deepEqual(signalsOf(dial(e, { called: '0145678912', time: t + i * 60_000 })), []);
});

test('a burst far above the hour of the week alerts, with the norm in words and a score', () => {
  const e = engineWith(only({ profile: {} }));
  history(e, 3);
  // The usual first call of the hour passes untouched.
  assert.deepEqual(signalsOf(dial(e, { called: '0142685300', time: WEEK3_MONDAY_10 })), []);
  let d;
  for (let i = 1; i <= 9; i++) d = dial(e, { called: '0145678912', time: WEEK3_MONDAY_10 + i * 60_000 });
  // Ten calls of extension 201 in an hour where it makes one: over its floor of 8.
  assert.deepEqual(signalsOf(d!), ['PROFILE_VOLUME']);
  assert.equal(d!.action, 'alert');
  const s = d!.signals[0]!;
  assert.match(
    s.message,
    /^10 calls in the last 60 min from extension 201; on Mondays \d\d:00–\d\d:00 extension 201 makes [\d.]+ on average \(spread [\d.]+\) over 3 weeks$/,
  );
  assert.equal(s.evidence!.extension, '201');
  assert.ok((s.evidence!.score as number) > 5);
});

test('spend far above the hour of the week alerts: live and ended calls of the last hour', () => {
  const e = engineWith(only({ profile: { spend: { extension: 5 } } }));
  history(e, 3);
  // A 40-minute call abroad at 0.30/min, then the next call of the same extension.
  const long = dial(e, { called: '00442079460018', time: WEEK3_MONDAY_10 });
  void e.answered(long.id, WEEK3_MONDAY_10);
  const next = dial(e, { called: '0142685300', time: WEEK3_MONDAY_10 + 40 * 60_000 });
  assert.deepEqual(signalsOf(next), ['PROFILE_SPEND']);
  assert.match(next.signals[0]!.message, /^about 12\.\d\d EUR spent in the last 60 min by extension 201; on Mondays/);
});

test('a class the tenant never called alerts once warm; a class it calls does not', () => {
  const e = engineWith(only({ profile: {} }));
  history(e, 3);
  const sat = dial(e, { called: '+881612345678', time: WEEK3_MONDAY_10 });
  assert.deepEqual(signalsOf(sat), ['PROFILE_NEW_CLASS']);
  assert.match(
    sat.signals[0]!.message,
    /^first satellite call \(\+881612345678\); this tenant made none in 3 weeks \(240 calls\)$/,
  );
  assert.deepEqual(signalsOf(dial(e, { called: '0156781234', time: WEEK3_MONDAY_10 + 1000 })), []);
});

test('a call far longer than the extension\u2019s usual talk times alerts while it goes on, once', () => {
  const seen: string[] = [];
  const e = new Engine([{ id: 'acme', policy: tenantPolicySchema.parse(only({ profile: {} })) }], {
    liveDecision: (l) => seen.push(...l.fresh.map((s) => `${s.signal}: ${s.message}`)),
  });
  history(e, 3);
  const c = dial(e, { called: '0156781234', time: WEEK3_MONDAY_10 });
  void e.answered(c.id, WEEK3_MONDAY_10);
  // Talk times of 3 minutes: under 256 s (99 %), × 4 is 17 min; the floor of 45 minutes applies.
  assert.deepEqual(e.watch(WEEK3_MONDAY_10 + 44 * 60_000), []);
  assert.deepEqual(seen, []);
  assert.deepEqual(e.watch(WEEK3_MONDAY_10 + 45 * 60_000), [], 'an alert cuts nothing');
  e.watch(WEEK3_MONDAY_10 + 46 * 60_000);
  assert.deepEqual(seen, [
    'PROFILE_LONG_CALL: call to +33156781234 has lasted 45 min; calls of extension 201 last under 4.3 min (99 %) over 3 weeks',
  ]);
});

test('a profile saved and put back is warm at once: the warm-up survives a restart', () => {
  const e = engineWith(only({ profile: {} }));
  history(e, 3);
  const rows = e.profileOf('acme')!.all();
  assert.ok(rows.length === 3, 'the tenant and two extensions');
  const restarted = engineWith(only({ profile: {} }));
  assert.equal(restarted.restoreProfile('acme', JSON.parse(JSON.stringify(rows))), 3);
  assert.equal(restarted.profileChanges().length, 0, 'nothing new to save');
  assert.deepEqual(signalsOf(dial(restarted, { called: '+881612345678', time: WEEK3_MONDAY_10 })), [
    'PROFILE_NEW_CLASS',
  ]);
  // Only what changed since the last save is saved again: the tenant and the extension that called.
  assert.deepEqual(
    restarted
      .profileChanges()
      .map((c) => c.scope)
      .sort(),
    ['', '201'],
  );
});
