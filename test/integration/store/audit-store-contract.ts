// What every back end's audit report store must do: reports kept whole, newest first per tenant, never one tenant's
// report through another tenant, lists without the results, and pruning to the newest few.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditReport, Store } from '../../../src/store/ports.js';

const T = Date.UTC(2026, 11, 1, 9, 0);

function report(id: string, tenantId: string, createdAt: number): AuditReport {
  return {
    id,
    tenantId,
    pbx: 'asterisk',
    createdAt,
    by: 'alice',
    source: 'etc-asterisk.tar.gz: etc/asterisk',
    counts: { critical: 1, high: 0, medium: 2, low: 0, info: 0 },
    worst: 'critical',
    result: {
      pbx: 'asterisk',
      findings: [{ check: 'asterisk.sip-secret', message: 'a NUL \u0000 and “quotes”', line: 3 }],
      filesRead: ['sip.conf'],
    },
  };
}

export function auditStoreContract(name: string, open: () => Promise<Store>): void {
  test(`${name}: audit reports are kept whole, listed newest first per tenant, and pruned`, async () => {
    const s = await open();
    try {
      for (const t of ['acme', 'beta']) await s.audits.prune(t, 0);
      assert.equal(await s.audits.get('acme'), undefined);
      assert.deepEqual(await s.audits.list('acme'), []);
      const a1 = report('r-a1', 'acme', T);
      const a2 = report('r-a2', 'acme', T + 60_000);
      const a3 = { ...report('r-a3', 'acme', T + 120_000), pbx: 'freeswitch' as const, worst: 'none', counts: {} };
      const b1 = report('r-b1', 'beta', T + 180_000);
      for (const r of [a2, b1, a1, a3]) await s.audits.put(r);

      assert.deepEqual(await s.audits.get('acme'), a3);
      assert.deepEqual(await s.audits.get('acme', 'r-a1'), a1);
      assert.deepEqual(await s.audits.get('beta'), b1);
      // One tenant's id through another tenant finds nothing.
      assert.equal(await s.audits.get('beta', 'r-a1'), undefined);
      assert.equal(await s.audits.get('acme', 'nothing'), undefined);

      const list = await s.audits.list('acme');
      assert.deepEqual(
        list.map((r) => r.id),
        ['r-a3', 'r-a2', 'r-a1'],
      );
      const { result: _r, ...summary } = a2;
      assert.deepEqual(list[1], summary);
      assert.equal('result' in list[0]!, false);
      assert.deepEqual(
        (await s.audits.list('acme', 2)).map((r) => r.id),
        ['r-a3', 'r-a2'],
      );

      assert.equal(await s.audits.prune('acme', 2), 1);
      assert.deepEqual(
        (await s.audits.list('acme')).map((r) => r.id),
        ['r-a3', 'r-a2'],
      );
      assert.equal(await s.audits.prune('acme', 2), 0);
      assert.deepEqual(
        (await s.audits.list('beta')).map((r) => r.id),
        ['r-b1'],
      );
    } finally {
      await s.close();
    }
  });
}
