// What every back end's ban log must do: bans kept with every field, replaced per address, lifted, purged once
// expired, and still there after the store is reopened (bans survive a restart).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Ban, Store } from '../../../src/store/ports.js';

const T = Date.UTC(2026, 10, 29, 3, 0);

export function banLogContract(name: string, open: () => Promise<Store>): void {
  test(`${name}: bans are kept, replaced per address, lifted, purged, and survive a reopen`, async () => {
    const s = await open();
    try {
      for (const b of await s.bans.list()) await s.bans.remove(b.address);
      const scan: Ban = {
        address: '192.0.2.7',
        signal: 'SCAN_USER_AGENT',
        reason: 'User-Agent friendly-scanner',
        since: T,
        until: T + 600_000,
        offences: 1,
      };
      const net: Ban = {
        ...scan,
        address: '198.51.100.0/24',
        signal: 'manual',
        reason: 'known scanner host',
        by: 'ops',
      };
      await s.bans.put(scan);
      await s.bans.put(net);
      assert.deepEqual(
        (await s.bans.list()).sort((a, b) => a.address.localeCompare(b.address)),
        [scan, net].sort((a, b) => a.address.localeCompare(b.address)),
      );
      // A repeat offence replaces the ban of the same address.
      const again = { ...scan, since: T + 700_000, until: T + 700_000 + 2_400_000, offences: 2 };
      await s.bans.put(again);
      assert.deepEqual(
        (await s.bans.list()).find((b) => b.address === scan.address),
        again,
      );
      assert.equal(await s.bans.remove(net.address), true);
      assert.equal(await s.bans.remove(net.address), false);
      assert.equal(await s.bans.purge(T + 700_000), 0, 'not yet expired');
      assert.equal((await s.bans.list()).length, 1);
    } finally {
      await s.close();
    }
    if (name === 'memory') return; // a memory store is new on every open
    const reopened = await open();
    try {
      assert.equal((await reopened.bans.list()).length, 1, 'the ban survived the reopen');
      assert.equal(await reopened.bans.purge(T + 700_000 + 2_400_001), 1);
      assert.deepEqual(await reopened.bans.list(), []);
    } finally {
      await reopened.close();
    }
  });
}
