// The stored call log as a replay source: records read in start order whatever their density (slices halved until
// they fit a page, a crowded millisecond read by offset), the bound and the "more" flag, and a stored record as
// the same call a CDR row becomes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openMemoryStore } from '../../../src/store/memory/memory-store.js';
import type { CallRecord } from '../../../src/store/ports.js';
import {
  callOfRecord,
  recordsInStartOrder,
  replayCallLog,
  type StoredReadState,
} from '../../../src/adapters/cdr/index.js';
import { tenantPolicySchema } from '../../../src/engine/index.js';

const T = Date.UTC(2026, 10, 23, 9, 0); // Monday 23 November 2026, 10:00 in Paris

function rec(id: string, startedAt: number, extra: Partial<CallRecord> = {}): CallRecord {
  return {
    id,
    tenantId: 'acme',
    direction: 'outbound',
    startedAt,
    answeredAt: startedAt + 5_000,
    endedAt: startedAt + 65_000,
    caller: '201',
    called: '0145678901',
    disposition: 'completed',
    ...extra,
  };
}

async function read(records: CallRecord[], max: number, page: number, from = T - 1, to = T + 86_400_000) {
  const s = openMemoryStore();
  for (const r of records) await s.calls.open(r);
  const state: StoredReadState = { records: 0, more: false, searches: 0 };
  const out: CallRecord[] = [];
  for await (const p of recordsInStartOrder(s.calls, { tenantId: 'acme', from, to, max }, state, page)) {
    assert.ok(p.length <= Math.max(page, max));
    out.push(...p);
  }
  return { out, state };
}

describe('recordsInStartOrder', () => {
  test('every record of the range, of the tenant only, oldest first, in pages of at most a page', async () => {
    // Bursts and gaps: 40 calls a second apart, 25 a minute apart, one an hour later; and another tenant's.
    const records = [
      ...Array.from({ length: 40 }, (_, i) => rec(`a${i}`, T + i * 1000)),
      ...Array.from({ length: 25 }, (_, i) => rec(`b${i}`, T + 3_600_000 + i * 60_000)),
      rec('late', T + 7_200_000),
      rec('beta', T + 10, { tenantId: 'beta' }),
      rec('before', T - 10),
    ];
    const { out, state } = await read(records.reverse(), 1000, 7);
    assert.equal(out.length, 66);
    assert.equal(state.records, 66);
    assert.equal(state.more, false);
    for (let i = 1; i < out.length; i++) assert.ok(out[i - 1]!.startedAt <= out[i]!.startedAt);
    assert.ok(!out.some((r) => r.id === 'beta' || r.id === 'before'));
    assert.ok(state.searches < 80, `${state.searches} searches`);
  });

  test('more records in one millisecond than a page: read by offset', async () => {
    const same = Array.from({ length: 23 }, (_, i) => rec(`s${String(i).padStart(2, '0')}`, T));
    const { out } = await read([...same, rec('next', T + 1)], 1000, 5);
    assert.equal(out.length, 24);
    assert.equal(new Set(out.map((r) => r.id)).size, 24);
    assert.equal(out.at(-1)!.id, 'next');
  });

  test('at most max records, the earliest, and "more" when the range holds more', async () => {
    const records = Array.from({ length: 30 }, (_, i) => rec(`r${i}`, T + i * 1000));
    const capped = await read(records, 12, 5);
    assert.equal(capped.out.length, 12);
    assert.deepEqual(
      capped.out.map((r) => r.startedAt),
      records.slice(0, 12).map((r) => r.startedAt),
    );
    assert.equal(capped.state.more, true);
    const exact = await read(records, 30, 5);
    assert.equal(exact.out.length, 30);
    assert.equal(exact.state.more, false);
  });
});

describe('callOfRecord', () => {
  test('times, talk and direction as stored; a refused call unanswered; a call still up ends at the range end', () => {
    const done = callOfRecord(rec('x', T), 1, T + 1e9);
    assert.equal(done.view.leg, 'outbound');
    assert.equal(done.view.callerExtension, '201');
    assert.equal(done.billsec, 60);
    assert.equal(done.answered, true);
    const refused = callOfRecord(
      rec('y', T, { answeredAt: undefined, endedAt: T, disposition: 'rejected', sipStatus: 403 }),
      2,
      T + 1e9,
    );
    assert.equal(refused.answered, false);
    assert.equal(refused.billsec, 0);
    assert.equal(refused.end, T);
    const up = callOfRecord(rec('z', T, { endedAt: undefined, disposition: 'answered' }), 3, T + 600_000);
    assert.equal(up.end, T + 600_000);
    assert.equal(up.billsec, 595);
    const inbound = callOfRecord(rec('i', T, { direction: 'inbound', caller: '+33612345678', called: '201' }), 4, T);
    assert.equal(inbound.view.leg, 'inbound');
    assert.equal(inbound.view.callerExtension, undefined);
    const hairpin = callOfRecord(rec('h', T, { endReason: 'cdr: answered (trunk-to-trunk)' }), 5, T);
    assert.equal(hairpin.view.leg, 'trunk-to-trunk');
  });
});

describe('replayCallLog', () => {
  test('two policies over one read of the log: the same calls, each policy its own decisions', async () => {
    const s = openMemoryStore();
    for (let i = 0; i < 10; i++) await s.calls.open(rec(`n${i}`, T + i * 120_000));
    for (let i = 0; i < 3; i++)
      await s.calls.open(rec(`uk${i}`, T + 30_000 + i * 120_000, { called: '00442079460018' }));
    await s.calls.open(rec('premium', T + 50_000, { called: '0899123456' }));
    const setup = (policy: Record<string, unknown>) => [{ id: 'acme', policy: tenantPolicySchema.parse(policy) }];
    const r = await replayCallLog({
      calls: s.calls,
      range: { tenantId: 'acme', from: T, to: T + 3_600_000, max: 1000 },
      runs: [
        { setups: setup({ country: 'FR', rules: { 'destination-class': { open: { international: 'reject' } } } }) },
        { setups: setup({ country: 'FR' }) },
      ],
    });
    assert.equal(r.state.records, 14);
    const [tried, current] = r.reports;
    assert.equal(tried!.calls, 14);
    assert.equal(current!.calls, 14);
    assert.equal(current!.refused, 1, 'the premium call');
    assert.equal(tried!.refused, 4, 'the premium call and the three to the UK');
    assert.equal(tried!.format, 'stored');
  });
});
