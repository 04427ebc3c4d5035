// Runs the store contract against every back end this machine has.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { callLogContract } from './call-log-contract.js';
import { banLogContract } from './ban-log-contract.js';
import { digestContract } from './digest-contract.js';
import { accountStoreContract } from './account-store-contract.js';
import { profileStoreContract } from './profile-store-contract.js';
import { auditStoreContract } from './audit-store-contract.js';
import { openStore } from '../../../src/store/index.js';
import { openMemoryStore } from '../../../src/store/memory/memory-store.js';
import { createTestDatabase } from '../../helpers/services.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tollguard-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

callLogContract('memory', () => openStore('memory:'));
callLogContract('sqlite', () => openStore(`sqlite:${path.join(dir, 'calls.db')}`));
banLogContract('memory', () => openStore('memory:'));
banLogContract('sqlite', () => openStore(`sqlite:${path.join(dir, 'bans.db')}`));
// One memory store for the whole suite: its tests read what the earlier ones wrote, as with a file or a database.
const memory = openMemoryStore();
digestContract('memory', async () => ({ ...memory, close: async () => {} }));
digestContract('sqlite', () => openStore(`sqlite:${path.join(dir, 'digests.db')}`));
accountStoreContract('memory', () => openStore('memory:'));
accountStoreContract('sqlite', () => openStore(`sqlite:${path.join(dir, 'accounts.db')}`));
profileStoreContract('memory', () => openStore('memory:'));
profileStoreContract('sqlite', () => openStore(`sqlite:${path.join(dir, 'profiles.db')}`));
auditStoreContract('memory', () => openStore('memory:'));
auditStoreContract('sqlite', () => openStore(`sqlite:${path.join(dir, 'audits.db')}`));

const pgDb = await createTestDatabase();
if (pgDb) {
  after(() => pgDb.drop());
  callLogContract('postgres', () => openStore(pgDb.url));
  banLogContract('postgres', () => openStore(pgDb.url));
  digestContract('postgres', () => openStore(pgDb.url));
  accountStoreContract('postgres', () => openStore(pgDb.url));
  profileStoreContract('postgres', () => openStore(pgDb.url));
  auditStoreContract('postgres', () => openStore(pgDb.url));
  test('postgres: two nodes opening the same database migrate it once', async () => {
    const [a, b] = await Promise.all([openStore(pgDb.url), openStore(pgDb.url)]);
    await Promise.all([a.close(), b.close()]);
  });
} else {
  test('postgres store contract', { skip: 'PostgreSQL is not running on 127.0.0.1:5432 (CI starts it)' }, () => {});
}

test('sqlite: records survive a reopen, and migrations run once', async () => {
  const file = path.join(dir, 'reopen.db');
  const s1 = await openStore(`sqlite:${file}`);
  await s1.calls.open({
    id: 'x',
    tenantId: 't',
    direction: 'inbound',
    startedAt: 1,
    caller: 'a',
    called: 'b',
    disposition: 'setup',
  });
  await s1.close();
  const s2 = await openStore(`sqlite:${file}`);
  assert.equal((await s2.calls.get('x'))?.called, 'b');
  assert.equal(await s2.calls.closeUnfinished(2), 1);
  await s2.close();
});

test('an unsupported store URL is refused with its code', async () => {
  await assert.rejects(openStore('mysql://x'), { code: 'TG_ERR_STORE' });
});
