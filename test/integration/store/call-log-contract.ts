// The contract every store back end keeps: one suite, run against each (memory, SQLite, and PostgreSQL when it
// comes), so a back end cannot drift from the others.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CallRecord, Store } from '../../../src/store/ports.js';

const T0 = Date.UTC(2026, 10, 21, 2, 0, 0); // a Saturday, 02:00 UTC

function call(id: string, over: Partial<CallRecord> = {}): CallRecord {
  return {
    id,
    tenantId: 'acme',
    direction: 'outbound',
    callRef: `${id}@pbx`,
    startedAt: T0,
    caller: '201',
    called: '0033899123456',
    calledE164: '+33899123456',
    destinationClass: 'premium',
    disposition: 'setup',
    ...over,
  };
}

export function callLogContract(name: string, open: () => Promise<Store>): void {
  describe(`${name} store contract`, () => {
    let store: Store;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await store.close();
    });

    test('a record opened is read back whole, with its decision', async () => {
      const decision = {
        action: 'reject',
        enforced: true,
        signals: [{ rule: 'destination-class', signal: 'DST_PREMIUM_RATE' }],
      };
      await store.calls.open(
        call('c1', {
          decision,
          action: 'reject',
          rules: ['destination-class'],
          disposition: 'rejected',
          sipStatus: 403,
        }),
      );
      const got = await store.calls.get('c1');
      assert.deepEqual(got?.decision, decision);
      assert.deepEqual(got?.rules, ['destination-class']);
      assert.equal(got?.disposition, 'rejected');
      assert.equal(got?.sipStatus, 403);
      assert.equal(got?.answeredAt, undefined);
    });

    test('an update completes a record and leaves the rest', async () => {
      await store.calls.open(call('c2', { startedAt: T0 + 1000 }));
      await store.calls.update('c2', { answeredAt: T0 + 3000, disposition: 'answered' });
      await store.calls.update('c2', { endedAt: T0 + 63_000, disposition: 'completed', endReason: 'caller-bye' });
      const got = await store.calls.get('c2');
      assert.equal(got?.answeredAt, T0 + 3000);
      assert.equal(got?.endedAt, T0 + 63_000);
      assert.equal(got?.disposition, 'completed');
      assert.equal(got?.caller, '201');
    });

    test('opening the same id twice fails: a call is recorded once', async () => {
      await assert.rejects(store.calls.open(call('c1')));
    });

    test('search by tenant, number, rule, action, time; newest first; limit and offset', async () => {
      await store.calls.open(
        call('c3', {
          tenantId: 'other',
          startedAt: T0 + 2000,
          called: '0145678901',
          calledE164: '+33145678901',
          action: 'allow',
        }),
      );
      await store.calls.open(call('c4', { startedAt: T0 + 4000, action: 'allow', rules: [] }));
      assert.deepEqual(
        (await store.calls.search({ tenantIds: ['acme'] })).map((r) => r.id),
        ['c4', 'c2', 'c1'],
      );
      assert.deepEqual(
        (await store.calls.search({ tenantIds: [] })).map((r) => r.id),
        [],
      );
      assert.deepEqual(
        (await store.calls.search({ number: '4567890' })).map((r) => r.id),
        ['c3'],
      );
      assert.deepEqual(
        (await store.calls.search({ rule: 'destination-class' })).map((r) => r.id),
        ['c1'],
      );
      assert.deepEqual(
        (await store.calls.search({ rule: 'destination' })).map((r) => r.id),
        [],
      );
      assert.deepEqual(
        (await store.calls.search({ action: 'allow' })).map((r) => r.id),
        ['c4', 'c3'],
      );
      assert.deepEqual(
        (await store.calls.search({ from: T0 + 1000, to: T0 + 4000 })).map((r) => r.id),
        ['c3', 'c2'],
      );
      assert.deepEqual(
        (await store.calls.search({ limit: 2, offset: 1 })).map((r) => r.id),
        ['c3', 'c2'],
      );
    });

    test('closeUnfinished closes setup and answered calls as lost-end, and only them', async () => {
      await store.calls.open(call('c5', { startedAt: T0 + 5000, disposition: 'answered', answeredAt: T0 + 6000 }));
      const n = await store.calls.closeUnfinished(T0 + 9000);
      assert.equal(n, 3); // c3 and c4 were left in setup, c5 answered
      const c5 = await store.calls.get('c5');
      assert.equal(c5?.disposition, 'lost-end');
      assert.equal(c5?.endedAt, T0 + 9000);
      assert.equal((await store.calls.get('c2'))?.disposition, 'completed');
      assert.equal(await store.calls.closeUnfinished(T0 + 9000), 0);
    });

    test('purge deletes one tenant\u2019s old records only', async () => {
      assert.equal(await store.calls.purge('acme', T0 + 1500), 2); // c1, c2
      assert.equal(await store.calls.get('c1'), undefined);
      assert.ok(await store.calls.get('c3'));
      assert.ok(await store.calls.get('c4'));
    });

    test('alerts of one incident fold into one, until acknowledged', async () => {
      const base = {
        tenantId: 'acme',
        incidentKey: 'premium-burst',
        title: 'Calls to premium numbers refused',
        body: '1 call',
        callIds: ['c1'],
      };
      const a1 = await store.alerts.raise({ ...base, severity: 'medium', firstAt: T0 });
      const a2 = await store.alerts.raise({
        ...base,
        severity: 'high',
        body: '2 calls',
        callIds: ['c1', 'c2'],
        firstAt: T0 + 60_000,
      });
      assert.equal(a2.id, a1.id);
      assert.equal(a2.count, 2);
      assert.equal(a2.severity, 'high');
      assert.deepEqual(a2.callIds, ['c1', 'c2']);
      const a3 = await store.alerts.raise({ ...base, severity: 'low', firstAt: T0 + 120_000 });
      assert.equal(a3.severity, 'high', 'severity never drops within an incident');
      assert.equal((await store.alerts.list({ tenantIds: ['acme'], open: true })).length, 1);
      assert.equal(await store.alerts.acknowledge(a1.id, 'alice', T0 + 200_000), true);
      assert.equal(await store.alerts.acknowledge(a1.id, 'alice', T0 + 200_000), false);
      const a4 = await store.alerts.raise({ ...base, severity: 'medium', firstAt: T0 + 300_000 });
      assert.notEqual(a4.id, a1.id, 'a new incident starts after acknowledgement');
      const closed = await store.alerts.list({ open: false });
      assert.equal(closed[0]?.acknowledgedBy, 'alice');
      assert.deepEqual(await store.alerts.list({ tenantIds: ['other'] }), []);
    });
  });
}
