// What every back end must do for digests (R-REVIEW): sum a tenant's calls of a period (counts by direction,
// disposition and action, estimated spend, the most expensive destinations), remember which digests were claimed
// and sent, and keep an incident's cost summed over its events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallRecord, Store } from '../../../src/store/ports.js';

const T = Date.UTC(2026, 11, 1, 8, 0);

function call(id: string, over: Partial<CallRecord>): CallRecord {
  return {
    id: `digest-${id}`,
    tenantId: 'digest-t',
    direction: 'outbound',
    startedAt: T,
    caller: '201',
    called: '0145678901',
    calledE164: '+33145678901',
    destinationClass: 'national',
    country: 'FR',
    disposition: 'completed',
    action: 'allow',
    estimatedCost: 0.25,
    currency: 'EUR',
    ...over,
  };
}

export function digestContract(name: string, open: () => Promise<Store>): void {
  test(`${name}: a period's calls summed by direction, disposition, action and destination`, async () => {
    const s = await open();
    try {
      const premium = { called: '0899123456', calledE164: '+33899123456', destinationClass: 'premium' };
      for (const r of [
        call('1', {}),
        call('2', { startedAt: T + 1000, estimatedCost: 0.5 }),
        call('3', { ...premium, disposition: 'rejected', action: 'reject', estimatedCost: 0 }),
        call('4', { ...premium, disposition: 'cut', action: 'cut', estimatedCost: 12.5 }),
        call('5', { called: '00447700900123', calledE164: '+447700900123', destinationClass: 'mobile', country: 'GB' }),
        call('6', { direction: 'inbound', caller: '+33612345678', called: '201', estimatedCost: undefined }),
        call('7', { called: '12', calledE164: undefined, destinationClass: undefined, country: undefined }),
        call('8', { startedAt: T + 3_600_000 }), // the next hour: outside
        call('9', { tenantId: 'digest-other' }),
      ])
        await s.calls.open(r);
      const sum = await s.calls.summarize({ tenantId: 'digest-t', from: T, to: T + 3_600_000, top: 2 });
      assert.equal(sum.outbound, 6);
      assert.equal(sum.inbound, 1);
      assert.deepEqual(sum.dispositions, { completed: 5, rejected: 1, cut: 1 });
      assert.deepEqual(sum.actions, { allow: 5, reject: 1, cut: 1 });
      assert.equal(sum.cost, 0.25 + 0.5 + 12.5 + 0.25 + 0.25);
      assert.deepEqual(sum.countries, [
        { key: 'FR', calls: 4, cost: 13.25 },
        { key: 'GB', calls: 1, cost: 0.25 },
      ]);
      assert.deepEqual(sum.classes, [
        { key: 'premium', calls: 2, cost: 12.5 },
        { key: 'national', calls: 2, cost: 0.75 },
      ]);
      assert.deepEqual(sum.numbers, [
        { key: '+33899123456', calls: 2, cost: 12.5 },
        { key: '+33145678901', calls: 2, cost: 0.75 },
      ]);
      const none = await s.calls.summarize({ tenantId: 'digest-t', from: T - 10_000, to: T, top: 5 });
      assert.deepEqual([none.inbound, none.outbound, none.cost, none.numbers], [0, 0, 0, []]);
    } finally {
      await s.close();
    }
  });

  test(`${name}: a digest is claimed once, claimed again only when its claim is stale and unsent`, async () => {
    const s = await open();
    try {
      const d = s.digests;
      assert.equal(await d.last('digest-t', 'day'), undefined);
      assert.equal(await d.claim('digest-t', 'day', '2026-11-30', T, T - 600_000), true);
      assert.equal(await d.claim('digest-t', 'day', '2026-11-30', T + 1000, T - 600_000), false, 'claimed');
      // Unsent and stale (a crash while sending): claimed again.
      assert.equal(await d.claim('digest-t', 'day', '2026-11-30', T + 2000, T + 1), true);
      await d.sent('digest-t', 'day', '2026-11-30', T + 3000);
      assert.equal(await d.claim('digest-t', 'day', '2026-11-30', T + 4000, T + 4000), false, 'sent: never again');
      assert.equal(await d.claim('digest-t', 'week', '2026-11-23', T, T), true, 'periods apart');
      assert.equal(await d.claim('digest-t', 'day', '2026-12-01', T + 5000, T), true);
      assert.deepEqual(await d.last('digest-t', 'day'), {
        tenantId: 'digest-t',
        period: 'day',
        start: '2026-12-01',
        claimedAt: T + 5000,
      });
      await d.sent('digest-t', 'day', '2026-12-01', T + 6000);
      assert.equal((await d.last('digest-t', 'day'))?.sentAt, T + 6000);
      assert.equal(await d.last('digest-other', 'day'), undefined);
    } finally {
      await s.close();
    }
  });

  test(`${name}: an incident's cost is the sum of its events', and read back`, async () => {
    const s = await open();
    try {
      const base = {
        tenantId: 'digest-t',
        incidentKey: 'cost-sum',
        severity: 'high' as const,
        title: 'Refused',
        body: 'one call',
        firstAt: T,
        callIds: ['a'],
        cost: { currency: 'EUR', spent: 0, perHour: 90.8 },
      };
      await s.alerts.raise(base);
      await s.alerts.raise({ ...base, callIds: ['b'], cost: { currency: 'EUR', spent: 2.5, perHour: 90 } });
      const [a] = await s.alerts.list({ tenantIds: ['digest-t'] });
      assert.deepEqual(a?.cost, { currency: 'EUR', spent: 2.5, perHour: 180.8 });
      await s.alerts.raise({ ...base, incidentKey: 'no-cost', cost: undefined });
      const b = (await s.alerts.list({ tenantIds: ['digest-t'] })).find((x) => x.incidentKey === 'no-cost');
      assert.equal(b?.cost, undefined);
    } finally {
      await s.close();
    }
  });
}
