// The fraud engine through the firewall, with real SIPp peers: a premium number refused with the rule in the
// Reason, the third simultaneous international call refused, calls cut by max-duration and by a spend cap (both
// sides get the BYE), a quarantine released by hand, and monitor mode refusing nothing while recording.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runSipp, startSipp, sippUnavailable } from '../helpers/sipp.js';
import { portBase, startTestFirewall, type TestFirewall } from '../helpers/firewall.js';
import type { CallRecord } from '../../src/store/ports.js';

const skip = sippUnavailable();

/** A firewall whose tenant has `policy` (French, always "open" so the test does not depend on the hour it runs). */
async function firewall(policy: Record<string, unknown>) {
  const base = portBase();
  const ports = { sipPort: base, pbxPort: base + 2, trunkPort: base + 3 };
  const rules = { 'business-hours': false, ...((policy.rules as object) ?? {}) };
  const t = await startTestFirewall({ ...ports, tenant: { policy: { country: 'FR', ...policy, rules } } });
  return { t, ports };
}

async function recordsOf(t: TestFirewall): Promise<CallRecord[]> {
  await new Promise((r) => setTimeout(r, 300));
  const store = await t.openStore();
  const rows = await store.calls.search({ limit: 1000 });
  await store.close();
  return rows;
}

describe('fraud engine through the firewall with SIPp peers', { skip }, () => {
  test(
    'a premium number is refused 403 with the rule in the Reason; the trunk sees nothing',
    { timeout: 30_000 },
    async () => {
      const { t, ports } = await firewall({});
      try {
        const trunk = startSipp({
          scenario: 'uas-expect-bye.xml',
          localIp: '127.0.0.3',
          localPort: ports.trunkPort,
          calls: 1,
          timeoutS: 5,
        });
        const pbx = await runSipp({
          scenario: 'uac-expect-403.xml',
          localIp: '127.0.0.2',
          localPort: ports.pbxPort,
          remote: `127.0.0.1:${ports.sipPort}`,
          service: '0899123456',
          calls: 3,
          rate: 10,
          timeoutS: 10,
        });
        assert.equal(pbx.successful, 3, pbx.output.slice(-3000));
        assert.equal((await trunk.done).created, 0, 'nothing reached the trunk');
        const rows = await recordsOf(t);
        assert.equal(rows.length, 3);
        for (const r of rows) {
          assert.equal(r.disposition, 'rejected');
          assert.equal(r.sipStatus, 403);
          assert.equal(r.destinationClass, 'premium');
          assert.deepEqual(r.rules, ['destination-class']);
          assert.equal((r.decision as { signals: Array<{ signal: string }> }).signals[0]!.signal, 'DST_PREMIUM_RATE');
        }
      } finally {
        await t.stop();
      }
    },
  );

  test(
    'the third simultaneous international call is refused; the first two complete',
    { timeout: 40_000 },
    async () => {
      const { t, ports } = await firewall({ rules: { concurrency: { open: { extension: null } } } });
      try {
        const trunk = startSipp({
          scenario: 'uas-expect-bye.xml',
          localIp: '127.0.0.3',
          localPort: ports.trunkPort,
          calls: 2,
          timeoutS: 20,
        });
        const two = startSipp({
          scenario: 'uac-expect-200.xml',
          localIp: '127.0.0.2',
          localPort: ports.pbxPort,
          remote: `127.0.0.1:${ports.sipPort}`,
          service: '00442079460018',
          calls: 2,
          rate: 10,
          pauseMs: 4000,
          timeoutS: 20,
        });
        await new Promise((r) => setTimeout(r, 1500));
        const third = await runSipp({
          scenario: 'uac-expect-403.xml',
          localIp: '127.0.0.2',
          localPort: ports.pbxPort + 100,
          remote: `127.0.0.1:${ports.sipPort}`,
          service: '0012015550123',
          calls: 1,
          timeoutS: 10,
        });
        assert.equal(third.successful, 1, third.output.slice(-3000));
        assert.equal((await two.done).successful, 2);
        assert.equal((await trunk.done).successful, 2);
        const refused = (await recordsOf(t)).filter((r) => r.disposition === 'rejected');
        assert.equal(refused.length, 1);
        assert.match(JSON.stringify(refused[0]!.decision), /CONC_CLASS_LIMIT/);
      } finally {
        await t.stop();
      }
    },
  );

  test(
    'max-duration: a national call capped at 3 s is cut; both sides get the BYE with cause 21',
    { timeout: 30_000 },
    async () => {
      const { t, ports } = await firewall({ rules: { 'max-duration': { national: 0.05 } } });
      try {
        const trunk = startSipp({
          scenario: 'uas-cut-expect-bye.xml',
          localIp: '127.0.0.3',
          localPort: ports.trunkPort,
          calls: 1,
          timeoutS: 15,
        });
        const pbx = startSipp({
          scenario: 'uac-cut-expect-bye.xml',
          localIp: '127.0.0.2',
          localPort: ports.pbxPort,
          remote: `127.0.0.1:${ports.sipPort}`,
          service: '0142685300',
          calls: 1,
          timeoutS: 15,
        });
        const started = Date.now();
        const [a, b] = await Promise.all([pbx.done, trunk.done]);
        assert.equal(a.successful, 1, a.output.slice(-3000));
        assert.equal(b.successful, 1, b.output.slice(-3000));
        const took = Date.now() - started;
        assert.ok(took >= 3000 && took < 8000, `cut after ${took} ms`);
        const [rec] = await recordsOf(t);
        assert.equal(rec!.disposition, 'cut');
        assert.equal(rec!.endReason, 'cut: max-duration');
      } finally {
        await t.stop();
      }
    },
  );

  test(
    'spend cap: a premium call allowed by policy is cut at the cap, the tenant quarantined, then released',
    { timeout: 40_000 },
    async () => {
      const { t, ports } = await firewall({
        rules: {
          'destination-class': { open: { premium: 'allow' } },
          'spend-cap': { caps: [{ scope: 'tenant', window: 'hour', alertAt: 0.5, limit: 1 }] },
        },
      });
      try {
        // 0.80 € at answer + 1.50 €/min: the cap of 1 € is reached after 8 s.
        const trunk = startSipp({
          scenario: 'uas-cut-expect-bye.xml',
          localIp: '127.0.0.3',
          localPort: ports.trunkPort,
          calls: 1,
          timeoutS: 20,
        });
        const pbx = startSipp({
          scenario: 'uac-cut-expect-bye.xml',
          localIp: '127.0.0.2',
          localPort: ports.pbxPort,
          remote: `127.0.0.1:${ports.sipPort}`,
          service: '0899123456',
          calls: 1,
          timeoutS: 20,
        });
        const [a, b] = await Promise.all([pbx.done, trunk.done]);
        assert.equal(a.successful, 1, a.output.slice(-3000));
        assert.equal(b.successful, 1, b.output.slice(-3000));
        const [rec] = await recordsOf(t);
        assert.equal(rec!.endReason, 'cut: spend-cap');
        assert.ok((rec!.estimatedCost ?? 0) >= 1, `estimated ${rec!.estimatedCost}`);
        const q = (await (await t.api(`/api/quarantines`)).json()) as { quarantines: unknown[] };
        assert.equal(q.quarantines.length, 1);
        // Quarantined: even a national call is refused, with the quarantine named.
        const refused = await runSipp({
          scenario: 'uac-expect-403.xml',
          localIp: '127.0.0.2',
          localPort: ports.pbxPort,
          remote: `127.0.0.1:${ports.sipPort}`,
          service: '0142685300',
          calls: 1,
          timeoutS: 10,
        });
        assert.equal(refused.successful, 1, refused.output.slice(-3000));
        const rel = await t.api(`/api/quarantines/release`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ tenant: 'acme' }),
        });
        assert.deepEqual(await rel.json(), { released: 1 });
      } finally {
        await t.stop();
      }
    },
  );

  test(
    'monitor mode: the premium call goes through, its record keeps the refusal that would have been',
    { timeout: 30_000 },
    async () => {
      const { t, ports } = await firewall({ mode: 'monitor' });
      try {
        const trunk = startSipp({
          scenario: 'uas-expect-bye.xml',
          localIp: '127.0.0.3',
          localPort: ports.trunkPort,
          calls: 1,
          timeoutS: 10,
        });
        const pbx = await runSipp({
          scenario: 'uac-expect-200.xml',
          localIp: '127.0.0.2',
          localPort: ports.pbxPort,
          remote: `127.0.0.1:${ports.sipPort}`,
          service: '0899123456',
          calls: 1,
          timeoutS: 10,
        });
        assert.equal(pbx.successful, 1, pbx.output.slice(-3000));
        assert.equal((await trunk.done).successful, 1);
        const [rec] = await recordsOf(t);
        assert.equal(rec!.disposition, 'completed');
        assert.equal(rec!.action, 'reject');
        assert.equal((rec!.decision as { enforced: boolean }).enforced, false);
      } finally {
        await t.stop();
      }
    },
  );
});
