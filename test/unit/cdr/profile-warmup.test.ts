// Replay learns the tenant's profile as it goes: the report says from when calls were compared with it, and when a
// file is too short for the warm-up; a profile kept from an earlier replay is warm from the first call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { officeMasterCsv, renderReport, replayCdr } from '../../../src/adapters/cdr/index.js';
import { tenantPolicySchema, type TenantProfile } from '../../../src/engine/index.js';

async function replay(text: string, profile?: Array<{ scope: string; data: unknown }>) {
  let learned: TenantProfile | undefined;
  const report = await replayCdr({
    input: Readable.from([text]),
    file: 't.csv',
    format: 'asterisk-csv',
    setups: [{ id: 'acme', policy: tenantPolicySchema.parse({ country: 'FR' }) }],
    tenantId: 'acme',
    ...(profile ? { profile } : {}),
    learned: (p) => void (learned = p),
  });
  return { report, learned: learned! };
}

test('five weeks: warm from the third Monday; the calls before are counted as not compared', async () => {
  const { report, learned } = await replay(officeMasterCsv({ from: '2026-11-02', weeks: 5, seed: 3 }));
  const p = report.profile!;
  assert.equal(p.warmFrom!.slice(0, 10), '2026-11-16');
  assert.ok(p.notCompared > 300);
  assert.equal(p.extensions, 8);
  assert.equal(p.extensionsWarm, 8);
  assert.equal(p.calls, learned.scope()!.calls);
  assert.match(renderReport(report), /Profile: warm from 2026-11-16 \(needs 2 weeks and 100 calls, 30 per extension\)/);
});

test('one week: not enough history, said so', async () => {
  const { report } = await replay(officeMasterCsv({ from: '2026-11-02', weeks: 1, seed: 3 }));
  assert.equal(report.profile!.warmFrom, undefined);
  assert.match(renderReport(report), /Profile: not enough history \(4 days, \d+ calls; it needs 2 weeks/);
});

test('a profile kept from the weeks before is warm from the first call', async () => {
  const { learned } = await replay(officeMasterCsv({ from: '2026-11-02', weeks: 3, seed: 3, episodes: false }));
  const { report } = await replay(officeMasterCsv({ from: '2026-11-23', weeks: 1, seed: 4 }), learned.all());
  assert.equal(report.profile!.notCompared, 0);
  assert.equal(report.profile!.warmFrom!.slice(0, 10), '2026-11-23');
});
