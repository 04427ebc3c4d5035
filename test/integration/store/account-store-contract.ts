// What every back end's account store must do: usernames unique whatever their case, updates that set and clear,
// sessions and tokens found by their hash, and an account's removal taking its sessions and tokens with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Account, Store } from '../../../src/store/ports.js';

const T = Date.UTC(2026, 11, 1, 9, 0);

export function accountStoreContract(name: string, open: () => Promise<Store>): void {
  test(`${name}: accounts, sessions and tokens are kept, found, updated and removed together`, async () => {
    const s = await open();
    try {
      for (const a of await s.accounts.list()) await s.accounts.remove(a.id);
      const alice: Account = {
        id: 'acc-alice',
        username: 'Alice',
        role: 'tenant-admin',
        tenants: ['acme'],
        passwordHash: 'scrypt$x',
        createdAt: T,
        failedLogins: 0,
      };
      await s.accounts.create(alice);
      await assert.rejects(s.accounts.create({ ...alice, id: 'acc-alice2', username: 'ALICE' }), {
        code: 'TG_ERR_CONFLICT',
      });
      assert.deepEqual(await s.accounts.byUsername('alice'), alice);
      assert.deepEqual(await s.accounts.get('acc-alice'), alice);
      assert.equal(await s.accounts.get('nobody'), undefined);

      assert.equal(await s.accounts.update('acc-alice', { failedLogins: 3, lockedUntil: T + 900_000 }), true);
      assert.equal((await s.accounts.get('acc-alice'))?.lockedUntil, T + 900_000);
      await s.accounts.update('acc-alice', { failedLogins: 0, lockedUntil: undefined, tenants: ['acme', 'beta'] });
      const after = await s.accounts.get('acc-alice');
      assert.equal(after?.lockedUntil, undefined);
      assert.deepEqual(after?.tenants, ['acme', 'beta']);
      assert.equal(await s.accounts.update('nobody', { failedLogins: 1 }), false);

      await s.accounts.create({ ...alice, id: 'acc-bob', username: 'bob', role: 'integrator', tenants: ['*'] });
      assert.deepEqual(
        (await s.accounts.list()).map((a) => a.username),
        ['Alice', 'bob'],
      );

      await s.accounts.putSession({
        id: 's1',
        accountId: 'acc-alice',
        csrfToken: 'c1',
        createdAt: T,
        expiresAt: T + 10,
      });
      await s.accounts.putSession({
        id: 's2',
        accountId: 'acc-alice',
        csrfToken: 'c2',
        createdAt: T,
        expiresAt: T + 99,
      });
      await s.accounts.putSession({ id: 's3', accountId: 'acc-bob', csrfToken: 'c3', createdAt: T, expiresAt: T + 99 });
      assert.equal((await s.accounts.session('s1'))?.csrfToken, 'c1');
      assert.equal(await s.accounts.purgeSessions(T + 50), 1);
      assert.equal(await s.accounts.session('s1'), undefined);
      await s.accounts.removeSession('s2');
      assert.equal(await s.accounts.session('s2'), undefined);

      await s.accounts.putToken({ id: 't1', accountId: 'acc-alice', name: 'cli', hash: 'h1', createdAt: T });
      await s.accounts.putToken({ id: 't2', accountId: 'acc-bob', name: 'prometheus', hash: 'h2', createdAt: T + 1 });
      assert.equal((await s.accounts.tokenByHash('h1'))?.name, 'cli');
      assert.deepEqual(
        (await s.accounts.tokens()).map((t) => t.id),
        ['t1', 't2'],
      );
      assert.deepEqual(
        (await s.accounts.tokens('acc-bob')).map((t) => t.id),
        ['t2'],
      );

      assert.equal(await s.accounts.removeSessionsOf('acc-bob'), 1);
      await s.accounts.putSession({
        id: 's4',
        accountId: 'acc-alice',
        csrfToken: 'c4',
        createdAt: T,
        expiresAt: T + 99,
      });
      assert.equal(await s.accounts.remove('acc-alice'), true);
      assert.equal(await s.accounts.session('s4'), undefined);
      assert.equal(await s.accounts.tokenByHash('h1'), undefined);
      assert.equal(await s.accounts.removeToken('t2'), true);
      assert.equal(await s.accounts.removeToken('t2'), false);
      assert.equal(await s.accounts.remove('acc-alice'), false);
    } finally {
      await s.close();
    }
  });
}
