// What every back end's profile store must do: rows kept per tenant and scope with their JSON as written, replaced
// on save, one tenant's rows apart from another's, removed per tenant, and there after the store is reopened (a
// restart keeps the warm-up). The data is a real profile learned by the engine, so what is stored is what restores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../../src/store/ports.js';
import { LocalClock } from '../../../src/engine/local-time.js';
import { TenantProfile } from '../../../src/engine/index.js';
import { Numbering, RiskList, defaultDialPlan } from '../../../src/numbering/index.js';
import type { CallAttempt } from '../../../src/engine/attempt.js';

const T = Date.UTC(2026, 10, 23, 9, 0);

function learned(): TenantProfile {
  const clock = new LocalClock('Europe/Paris');
  const numbering = new Numbering(defaultDialPlan('FR'), RiskList.shipped());
  const p = new TenantProfile(clock, 'FR');
  for (let i = 0; i < 20; i++) {
    const time = T + i * 3_600_000;
    const a = {
      id: `c${i}`,
      tenantId: 'acme',
      direction: 'outbound',
      time,
      caller: '201',
      callerExtension: i % 2 ? '201' : '202',
      called: i % 4 ? '0142685300' : '00442079460018',
      destination: numbering.classify(i % 4 ? '0142685300' : '00442079460018'),
      diversion: [],
      historyInfo: [],
      local: clock.at(time),
    } as CallAttempt;
    p.learnCall(a);
    p.learnEnd(a, time + 120_000, 0.5, 115);
  }
  return p;
}

export function profileStoreContract(name: string, open: () => Promise<Store>): void {
  test(`${name}: profiles are kept per tenant and scope, replaced, removed, and survive a reopen`, async () => {
    const p = learned();
    const rows = p.all().map((r) => ({ tenantId: 'acme', scope: r.scope, updatedAt: T, data: r.data }));
    assert.deepEqual(rows.map((r) => r.scope).sort(), ['', '201', '202']);
    const s = await open();
    try {
      await s.profiles.remove('acme');
      await s.profiles.remove('other');
      assert.deepEqual(await s.profiles.load('acme'), []);
      await s.profiles.save(rows);
      await s.profiles.save([{ tenantId: 'other', scope: '', updatedAt: T, data: { version: 0 } }]);
      await s.profiles.save([]);
      const back = await s.profiles.load('acme');
      assert.deepEqual(
        back.sort((a, b) => a.scope.localeCompare(b.scope)),
        rows.sort((a, b) => a.scope.localeCompare(b.scope)),
      );
      // What was stored restores the same profile.
      const again = new TenantProfile(new LocalClock('Europe/Paris'), 'FR');
      assert.equal(again.restore(back), 3);
      assert.deepEqual(again.scope(), p.scope());
      assert.equal(again.restore(await s.profiles.load('other')), 0, 'another version is learned again');
      // A save replaces the rows it names and leaves the others.
      await s.profiles.save([{ ...rows.find((r) => r.scope === '201')!, updatedAt: T + 1, data: { calls: 1 } }]);
      const replaced = await s.profiles.load('acme');
      assert.equal(replaced.length, 3);
      assert.deepEqual(
        replaced.find((r) => r.scope === '201'),
        {
          tenantId: 'acme',
          scope: '201',
          updatedAt: T + 1,
          data: { calls: 1 },
        },
      );
    } finally {
      await s.close();
    }
    if (name === 'memory') return; // a memory store is new on every open
    const reopened = await open();
    try {
      assert.equal((await reopened.profiles.load('acme')).length, 3, 'the profile survived the reopen');
      assert.equal(await reopened.profiles.remove('acme'), 3);
      assert.deepEqual(await reopened.profiles.load('acme'), []);
      assert.equal((await reopened.profiles.load('other')).length, 1, 'another tenant is left alone');
    } finally {
      await reopened.close();
    }
  });
}
