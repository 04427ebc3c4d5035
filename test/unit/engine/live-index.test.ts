// The live index against a walk over the live calls: counts per tenant, extension and class, and the running spend,
// agree after any sequence of starts, answers, cuts and ends (a seeded random sequence of 5,000 events).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveIndex } from '../../../src/engine/live-index.js';
import { runningCost, type LiveCall } from '../../../src/engine/attempt.js';

function rng(seed: number) {
  return () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

const CLASSES = ['national', 'mobile', 'international', 'premium'] as const;

test('counts and spend agree with a walk over the live calls after 5,000 random events', () => {
  const r = rng(42);
  const index = new LiveIndex();
  const live = new Map<string, LiveCall>();
  let time = Date.UTC(2026, 10, 23, 9, 0);
  for (let i = 0; i < 5000; i++) {
    time += Math.floor(r() * 2000);
    const ids = [...live.keys()];
    const pick = ids[Math.floor(r() * ids.length)];
    const roll = r();
    if (roll < 0.4 || !pick) {
      const ext = r() < 0.1 ? undefined : `20${Math.floor(r() * 5)}`;
      const call = {
        attempt: {
          id: `c${i}`,
          direction: r() < 0.8 ? 'outbound' : 'inbound',
          callerExtension: ext,
          destination: { cls: CLASSES[Math.floor(r() * CLASSES.length)]! },
        },
        price: { perMinute: Math.round(r() * 300) / 100, setup: r() < 0.5 ? 0 : 0.8, currency: 'EUR', source: 'x' },
      } as unknown as LiveCall;
      live.set(`c${i}`, call);
      index.add(call);
    } else if (roll < 0.65) {
      const c = live.get(pick)!;
      if (c.answeredAt === undefined) {
        c.answeredAt = time;
        index.answer(c);
      }
    } else if (roll < 0.75) {
      const c = live.get(pick)!;
      if (c.cutAt === undefined) {
        c.cutAt = time;
        index.cut(c);
      }
    } else {
      index.remove(live.get(pick)!);
      live.delete(pick);
    }
    const out = [...live.values()].filter((c) => c.attempt.direction === 'outbound');
    const counted = out.filter((c) => c.cutAt === undefined);
    assert.equal(index.liveCount(), counted.length);
    for (const ext of ['200', '201', '204']) {
      assert.equal(
        index.liveCount({ extension: ext }),
        counted.filter((c) => c.attempt.callerExtension === ext).length,
      );
      const spend = out.filter((c) => c.attempt.callerExtension === ext).reduce((n, c) => n + runningCost(c, time), 0);
      assert.ok(Math.abs(index.liveSpend(time, ext) - spend) < 1e-6, `extension ${ext} at event ${i}`);
    }
    for (const cls of CLASSES) {
      assert.equal(index.liveCount({ cls }), counted.filter((c) => c.attempt.destination.cls === cls).length);
    }
    const total = out.reduce((n, c) => n + runningCost(c, time), 0);
    assert.ok(
      Math.abs(index.liveSpend(time) - total) < 1e-6,
      `tenant spend at event ${i}: ${index.liveSpend(time)} vs ${total}`,
    );
  }
});
