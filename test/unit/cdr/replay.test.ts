// Replay through the engine, as if live, with the records' times: a premium call refused, a long international
// call cut by max-duration at the second it reaches 90 minutes, a refused call that never happened, end-ordered
// files put in start order, monitor mode; and the generated office weeks with planted attacks and decoys.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { officeMasterCsv, renderReport, replayCdr, type CallOutcome } from '../../../src/adapters/cdr/index.js';
import { tenantPolicySchema } from '../../../src/engine/index.js';
import { row } from './helpers.js';

async function replay(text: string, policy: Record<string, unknown> = { country: 'FR' }, extra = {}) {
  const calls: CallOutcome[] = [];
  const report = await replayCdr({
    input: Readable.from([text]),
    file: 'test.csv',
    format: 'asterisk-csv',
    setups: [{ id: 'acme', policy: tenantPolicySchema.parse(policy) }],
    tenantId: 'acme',
    onCall: (c) => calls.push(c),
    ...extra,
  });
  return { calls, report, byId: new Map(calls.map((c) => [c.id, c])) };
}

// Monday 23 November 2026, business hours in Paris (UTC+1).
const premium = row({
  uniqueid: '1795424400.1',
  src: '201',
  dst: '0899123456',
  start: '2026-11-23 10:00:00',
  answer: '2026-11-23 10:00:05',
  end: '2026-11-23 10:10:05',
  billsec: 600,
});
const longInternational = row({
  uniqueid: '1795424400.2',
  src: '202',
  dst: '00442079460018',
  start: '2026-11-23 10:00:00',
  answer: '2026-11-23 10:00:05',
  end: '2026-11-23 13:00:05',
  billsec: 3 * 3600,
});

describe('replay', () => {
  test('a premium call is refused at setup: never answered, its minutes and cost saved', async () => {
    const { byId, report } = await replay(premium);
    const c = byId.get('1795424400.1')!;
    assert.equal(c.action, 'reject');
    assert.equal(c.enforced, true);
    assert.equal(c.refused, true);
    assert.equal(c.leg, 'outbound');
    assert.ok(c.signals.some((s) => s.signal === 'DST_PREMIUM_RATE' && s.action === 'reject'));
    assert.equal(c.replayedCost, 0);
    assert.equal(c.minutesSaved, 10);
    assert.equal(Math.round(c.costSaved * 100) / 100, 15.8); // 0.80 setup + 10 min × 1.50
    assert.equal(report.refused, 1);
    assert.equal(report.cut, 0);
    assert.equal(report.byRule[0]!.signal, 'DST_PREMIUM_RATE');
  });

  test('a long international call is cut by max-duration 90 minutes after its answer, to the second', async () => {
    // Spend caps off: at 0.30/min the extension's hourly cap (25) would stop it first, at 83 min.
    const { byId, report } = await replay(longInternational, { country: 'FR', rules: { 'spend-cap': false } });
    const c = byId.get('1795424400.2')!;
    assert.equal(c.action, 'cut');
    assert.equal(c.refused, false);
    assert.equal(new Date(c.cutAt!).toISOString(), '2026-11-23T10:30:05.000Z'); // 11:30:05 in Paris
    assert.ok(c.signals.some((s) => s.signal === 'DUR_MAX_REACHED' && s.action === 'cut'));
    assert.equal(c.minutesSaved, 90);
    assert.equal(Math.round(c.replayedCost * 100) / 100, 27); // 90 min × 0.30
    assert.equal(Math.round(c.costSaved * 100) / 100, 27); // the other 90 minutes
    assert.equal(report.cut, 1);
    assert.equal(report.incidents[0]!.signal, 'DUR_MAX_REACHED');
  });

  test('with the default spend caps, the same call is cut when the extension reaches its hourly cap', async () => {
    const { byId } = await replay(longInternational);
    const c = byId.get('1795424400.2')!;
    assert.equal(c.action, 'quarantine');
    // 25 EUR at 0.30/min: 83 min 20 s after the answer.
    assert.equal(new Date(c.cutAt!).toISOString(), '2026-11-23T10:23:25.000Z');
    assert.ok(c.signals.some((s) => s.signal === 'SPEND_CAP_EXCEEDED'));
  });

  test('the summary says when a standing quarantine made most refusals, and how to see each incident', async () => {
    // Extension 202 is quarantined by its hourly cap; its calls of the next days are refused until a release.
    const later = [1, 2, 3].map((d) =>
      row({
        uniqueid: `q${d}`,
        src: '202',
        dst: '0142685300',
        start: `2026-11-2${3 + d} 10:00:00`,
        answer: `2026-11-2${3 + d} 10:00:05`,
        end: `2026-11-2${3 + d} 10:02:05`,
        billsec: 120,
      }),
    );
    const held = await replay([longInternational, ...later].join('\n'));
    assert.equal(held.report.refused, 3);
    assert.match(
      renderReport(held.report),
      /3 of these refusals are calls made while a quarantine stood.*--release-after 60/,
    );
    const released = await replay([longInternational, ...later].join('\n'), undefined, {
      releaseQuarantineAfterMs: 3_600_000,
    });
    assert.equal(released.report.refused, 0);
    assert.doesNotMatch(renderReport(released.report), /quarantine stood/);
  });

  test('a refused call never happened: it holds no line, so the next calls of that phone pass', async () => {
    const long = (uniqueid: string, dst: string, start: string) =>
      row({ uniqueid, src: '201', dst, start, answer: start, end: start.replace('10:', '11:'), billsec: 3600 });
    // The premium call would have been the phone's first live call; two more fit the limit of 2 per extension.
    const text = [
      long('p', '0899123456', '2026-11-23 10:00:00'),
      long('a', '0142685300', '2026-11-23 10:01:00'),
      long('b', '0145678912', '2026-11-23 10:02:00'),
      long('c', '0156781234', '2026-11-23 10:03:00'),
    ].join('\n');
    const { byId } = await replay(text);
    assert.equal(byId.get('p')!.action, 'reject');
    assert.equal(byId.get('a')!.refused, false);
    assert.equal(byId.get('b')!.refused, false);
    // The third live call is one too many: that one the extension limit refuses.
    assert.equal(byId.get('c')!.refused, true);
    assert.ok(byId.get('c')!.signals.some((s) => s.signal === 'CONC_EXTENSION_LIMIT'));
  });

  test('rows written in end order are replayed in start order', async () => {
    // Asterisk writes the long call after the short one that started later: the engine still sees it first.
    const short = row({
      uniqueid: 's',
      src: '201',
      dst: '0142685300',
      start: '2026-11-23 10:05:00',
      answer: '2026-11-23 10:05:00',
      end: '2026-11-23 10:06:00',
      billsec: 60,
    });
    const long = row({
      uniqueid: 'l',
      src: '201',
      dst: '0145678912',
      start: '2026-11-23 10:00:00',
      answer: '2026-11-23 10:00:00',
      end: '2026-11-23 10:30:00',
      billsec: 1800,
    });
    const order: string[] = [];
    const { report } = await replay(`${short}\n${long}`, { country: 'FR' }, { onCall: () => undefined });
    assert.equal(report.lateRecords, 0);
    await replayCdr({
      input: Readable.from([`${short}\n${long}`]),
      file: 't',
      format: 'asterisk-csv',
      setups: [{ id: 'acme', policy: tenantPolicySchema.parse({ country: 'FR' }) }],
      tenantId: 'acme',
      onCall: (c) => order.push(`${c.id}@${new Date(c.start).toISOString().slice(11, 16)}`),
    });
    // Outcomes come as calls end: the short one first; both decided at their own start.
    assert.deepEqual(order, ['s@09:05', 'l@09:00']);
  });

  test('monitor mode: what would have been refused and cut, while the calls went on', async () => {
    const { byId, report } = await replay(`${premium}\n${longInternational}`, {
      country: 'FR',
      mode: 'monitor',
      rules: { 'spend-cap': false },
    });
    const p = byId.get('1795424400.1')!;
    assert.equal(p.action, 'reject');
    assert.equal(p.enforced, false);
    assert.equal(p.refused, true);
    assert.ok(p.replayedCost > 15);
    const l = byId.get('1795424400.2')!;
    assert.equal(new Date(l.cutAt!).toISOString(), '2026-11-23T10:30:05.000Z');
    assert.equal(Math.round(l.replayedCost * 100) / 100, 54); // the whole three hours went on
    assert.equal(report.mode, 'monitor');
    assert.equal(report.refused, 1);
    assert.equal(report.cut, 1);
  });

  test('internal calls are counted, not decided', async () => {
    const internal = row({
      src: '201',
      dst: '202',
      channel: 'PJSIP/201-1',
      dstchannel: 'PJSIP/202-2',
      lastdata: 'PJSIP/202',
      start: '2026-11-23 10:00:00',
      answer: '2026-11-23 10:00:00',
      end: '2026-11-23 10:01:00',
      billsec: 60,
    });
    const { calls, report } = await replay(internal);
    assert.equal(calls[0]!.leg, 'internal');
    assert.equal(calls[0]!.id, '1'); // no uniqueid: the line number
    assert.equal(report.legs.internal, 1);
  });
});

describe('generated office weeks with planted attacks and decoys', () => {
  test('replay stops nearly all fraud and almost no normal call', async (t) => {
    const text = officeMasterCsv({ from: '2026-11-02', weeks: 5, seed: 3 });
    const labels = text.split('\n').map((l) => l.slice(l.lastIndexOf(',') + 1).replace(/"/g, ''));
    const tally = {
      attack: { n: 0, stopped: 0, alerted: 0 },
      normal: { n: 0, stopped: 0, alerted: 0 },
      decoy: { n: 0, stopped: 0, alerted: 0 },
    };
    const { calls, report } = await replay(text, { country: 'FR' }, { releaseQuarantineAfterMs: 3_600_000 });
    for (const c of calls) {
      const kind = labels[c.line - 1]!.split(':')[0] as keyof typeof tally;
      const e = tally[kind];
      e.n++;
      if (c.refused || c.cutAt !== undefined) e.stopped++;
      else if (c.action === 'alert') e.alerted++;
    }
    const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(1)} %`;
    t.diagnostic(`${report.calls} calls in ${report.elapsedMs} ms`);
    t.diagnostic(
      `attack calls: ${tally.attack.n}, stopped ${tally.attack.stopped} (${pct(tally.attack.stopped, tally.attack.n)}), alerted ${tally.attack.alerted}`,
    );
    t.diagnostic(
      `normal calls: ${tally.normal.n}, stopped ${tally.normal.stopped} (${pct(tally.normal.stopped, tally.normal.n)}), alerted ${tally.normal.alerted}`,
    );
    t.diagnostic(`decoys: ${tally.decoy.n}, stopped ${tally.decoy.stopped}, alerted ${tally.decoy.alerted}`);
    assert.ok(tally.attack.n > 50);
    assert.ok(tally.attack.stopped / tally.attack.n >= 0.9, 'most fraud stopped');
    assert.ok(tally.attack.stopped + tally.attack.alerted === tally.attack.n, 'every attack call stopped or alerted');
    assert.ok(tally.normal.stopped / tally.normal.n <= 0.005, 'almost no normal call stopped');
    assert.equal(tally.decoy.stopped, 0, 'no decoy stopped');
    assert.equal(report.badRows, 0);
  });
});

describe('reading thread', () => {
  test('the file read on a thread of its own replays exactly as read in-thread: calls, bad rows, progress', async () => {
    // Small chunks, bad rows among them and a file out of order beyond the reorder window: the same outcomes, in
    // the same order, the same bad rows and the same report.
    const text = officeMasterCsv({ from: '2026-11-02', weeks: 2, seed: 5 });
    const lines = text.split('\n');
    lines.splice(100, 0, 'not,a,row');
    lines.splice(2000, 0, '"unterminated');
    const chunks: string[] = [];
    const all = lines.join('\n');
    for (let i = 0; i < all.length; i += 64 * 1024) chunks.push(all.slice(i, i + 64 * 1024));
    const run = async (readerThread: boolean) => {
      const seen: string[] = [];
      const progress: Array<[number, number]> = [];
      const report = await replayCdr({
        input: Readable.from(chunks),
        file: 'office.csv',
        format: 'asterisk-csv',
        setups: [{ id: 'acme', policy: tenantPolicySchema.parse({ country: 'FR' }) }],
        tenantId: 'acme',
        releaseQuarantineAfterMs: 3_600_000,
        reorderWindowMs: 600_000,
        readerThread,
        onCall: (c) => seen.push(JSON.stringify(c)),
        onBad: (b) => seen.push(`bad ${b.line} ${b.reason}`),
        onChunk: (bytes, records) => void progress.push([bytes, records]),
      });
      return { seen, progress, report: { ...report, elapsedMs: 0 } };
    };
    const here = await run(false);
    const there = await run(true);
    assert.ok(here.seen.length > 1000);
    assert.equal(here.report.badRows, 2);
    assert.ok(here.report.lateRecords > 0);
    assert.deepEqual(there.seen, here.seen);
    assert.deepEqual(there.report, here.report);
    assert.equal(there.progress.at(-1)![0], here.progress.at(-1)![0]);
    assert.equal(there.progress.at(-1)![1], here.progress.at(-1)![1]);
  });

  test('an error while reading (a header without a mapped column) fails the replay', async () => {
    await assert.rejects(
      replayCdr({
        input: Readable.from(['a,b,c\n1,2,3\n']),
        file: 'x.csv',
        format: 'csv',
        mapping: { name: 'mine', header: true, fields: { start: 'begin', dst: 'to' } },
        setups: [{ id: 'acme', policy: tenantPolicySchema.parse({ country: 'FR' }) }],
        tenantId: 'acme',
      }),
      /the header has no column "begin"/,
    );
  });
});
