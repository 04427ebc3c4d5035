// Whole timelines through the engine with the default French policy: an ordinary week passes untouched, and a
// weekend attack through a hijacked extension and a voicemail forward is stopped and bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, defaultPolicy } from '../../../src/engine/index.js';
import { local } from './helpers.js';

interface Outcome {
  id: string;
  action: string;
  signals: string[];
}

/** Plays calls (start, answer after `ring` s, talk `talk` s) in time order, ticking the engine every 10 s. */
function play(e: Engine, calls: Array<{ at: number; from: string; to: string; talk: number; diversion?: string[] }>) {
  const outcomes: Outcome[] = [];
  const ends: Array<{ id: string; at: number }> = [];
  let n = 0;
  const cut = new Set<string>();
  let clock = Math.min(...calls.map((c) => c.at));
  const sorted = [...calls].sort((a, b) => a.at - b.at);
  const advance = (to: number) => {
    for (; clock <= to; clock += 10_000) {
      for (const o of e.watch(clock)) {
        cut.add(o.callId);
        e.end(o.callId, clock);
      }
      ends.sort((a, b) => a.at - b.at);
      while (ends.length && ends[0]!.at <= clock) {
        const x = ends.shift()!;
        if (!cut.has(x.id)) e.end(x.id, x.at);
      }
    }
  };
  for (const c of sorted) {
    advance(c.at);
    const id = `t${++n}`;
    const d = e.decide({
      id,
      tenantId: 'acme',
      direction: 'outbound',
      time: c.at,
      caller: c.from,
      callerExtension: c.from,
      called: c.to,
      diversion: c.diversion ?? [],
    });
    outcomes.push({ id, action: d.action, signals: d.signals.map((s) => s.signal) });
    if (d.action === 'reject' || d.action === 'quarantine') continue;
    void e.answered(id, c.at + 5_000);
    ends.push({ id, at: c.at + 5_000 + c.talk * 1000 });
  }
  advance(Math.max(...ends.map((x) => x.at), clock) + 10_000);
  return { outcomes, cut };
}

/** A seeded pseudo-random sequence: the same week every run. */
function rng(seed: number) {
  return () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

test('an ordinary week of a 6-phone office passes untouched', () => {
  const r = rng(7);
  const calls: Array<{ at: number; from: string; to: string; talk: number }> = [];
  // A French office: mostly national and mobile calls, one call in ten abroad (a customer in London or Brussels).
  const numbers = [
    '0142685300',
    '0145678912',
    '0156781234',
    '0612345678',
    '0698765432',
    '0472123456',
    '0240123456',
    '0800123456',
    '0389123456',
    '00442079460018',
    '0612121212',
    '0145000000',
    '0660000001',
    '0142000001',
    '0478000000',
    '0140000002',
    '0698000003',
    '0320000004',
    '0032 2 555 12 34',
    '0556000005',
  ];
  for (let day = 23; day <= 27; day++) {
    for (let ext = 201; ext <= 206; ext++) {
      // Each phone makes calls one after another between 09:00 and 18:00.
      let t = local(`2026-11-${day} 09:00`) + Math.floor(r() * 30) * 60_000;
      const close = local(`2026-11-${day} 18:00`);
      while (t < close) {
        const talk = 30 + Math.floor(r() * 600);
        calls.push({ at: t, from: String(ext), to: numbers[Math.floor(r() * numbers.length)]!, talk });
        t += (talk + 60 + Math.floor(r() * 1800)) * 1000;
      }
    }
  }
  // An emergency call on Wednesday night.
  calls.push({ at: local('2026-11-25 23:40'), from: '204', to: '112', talk: 300 });
  const { outcomes, cut } = play(new Engine([{ id: 'acme', policy: defaultPolicy('FR') }]), calls);
  const refused = outcomes.filter((o) => o.action === 'reject' || o.action === 'quarantine');
  assert.ok(outcomes.length > 150, `${outcomes.length} calls`);
  assert.deepEqual(refused, [], 'no ordinary call refused');
  assert.equal(cut.size, 0, 'no ordinary call cut');
});

test('a weekend attack: premium, foreign, satellite and forwarded calls refused; what gets through is bounded', () => {
  const calls: Array<{ at: number; from: string; to: string; talk: number; diversion?: string[] }> = [];
  const start = local('2026-11-27 22:00'); // Friday night
  for (let i = 0; i < 200; i++) {
    const at = start + i * 5 * 60_000; // every 5 minutes until Sunday
    const kind = i % 5;
    const to = ['0899123456', '00239990010' + (i % 10), '+881612345678', '0612345678', '00442079460018'][kind]!;
    calls.push({
      at,
      from: kind === 1 ? '299' : '205',
      to,
      talk: 3 * 3600,
      ...(kind === 1 ? { diversion: ['<sip:299@pbx>;reason=unconditional'] } : {}),
    });
  }
  const e = new Engine([{ id: 'acme', policy: defaultPolicy('FR') }]);
  const { outcomes, cut } = play(e, calls);
  const through = outcomes.filter((o) => o.action !== 'reject' && o.action !== 'quarantine');
  const dialled = (o: Outcome) => calls[Number(o.id.slice(1)) - 1]!.to;
  // Only ordinary mobile calls ever got through; never a premium, foreign, satellite or forwarded one.
  for (const o of through) assert.equal(dialled(o), '0612345678', JSON.stringify(o));
  // One extension, one call at a time at night: at most one pumped mobile call lives at once.
  assert.ok(through.length <= 8, `${through.length} calls got through`);
  void cut;
  const reasons = new Set(outcomes.flatMap((o) => o.signals));
  for (const s of ['DST_PREMIUM_RATE', 'DST_SATELLITE', 'FWD_TO_COSTLY', 'DST_INTERNATIONAL'])
    assert.ok(reasons.has(s), s);
});
