// bench/engine: decisions per second for a realistic tenant with every rule on, and memory per live call and per
// counter key. The engine must cost at most 10 % of a proxied call: decisions/s ≥ 10 × the firewall's max call rate,
// which bench/proxy-cps measures (its last figure is read from test-artifacts/bench/proxy-cps.json, or give it with
// --proxy-cps N). Warm-up first, bounded iterations, a short table; no assertion.
//   npm run build && node --expose-gc dist/bench/engine.js [--attempts N] [--proxy-cps N] [--speed-only]
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine, tenantPolicySchema } from '../src/engine/index.js';
import type { AttemptInput } from '../src/adapters/decider.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const ATTEMPTS = Number(arg('--attempts') ?? 300_000);
const LIVE = 200; // live calls kept while deciding: a busy site at its peak
const gc = (globalThis as { gc?: () => void }).gc;

/**
 * A French company of 200 phones with every rule on: business hours with a closure, two groups of extensions, block
 * and allow lists, concurrency, rates and spend caps set for its size, new destinations learnt.
 */
const policy = tenantPolicySchema.parse({
  country: 'FR',
  rules: {
    'business-hours': { closures: [{ from: '2026-08-03', to: '2026-08-21', label: 'summer break' }] },
    'destination-class': {
      groups: [
        { name: 'reception', extensions: ['100-109'], open: { international: 'reject' } },
        { name: 'sales', extensions: ['2*'], closed: { international: 'alert' } },
      ],
    },
    concurrency: { open: { tenant: 400, extension: 4, classes: { international: 100 } } },
    velocity: { extension: { perMinute: 30, perHour: 600 }, tenant: { perMinute: 100_000, perHour: 1_000_000 } },
    'spend-cap': { caps: [{ scope: 'tenant', window: 'day', alertAt: 1e9, limit: 2e9 }] },
    lists: { block: ['+2392', '0899'], allow: ['+41223334455'] },
  },
});

// What a company dials: mostly national and mobile, some abroad, a few refused.
const NUMBERS = [
  '0142685300',
  '0145678912',
  '0612345678',
  '0698765432',
  '0472123456',
  '0240123456',
  '0389123456',
  '0556000005',
  '00442079460018',
  '0032 2 555 12 34',
  '004930123456',
  '0800123456',
  '0810123456',
  '0899123456',
  '00881612345678',
  '112',
];

function attemptAt(i: number, time: number): AttemptInput {
  const ext = String(100 + (i % 200));
  // The last six digits drawn at random (a fixed sequence): a real company's numbers spread over many ranges, so
  // the range-testing rule sees what it sees in real traffic.
  const base = NUMBERS[i % NUMBERS.length]!.replace(/ /g, '');
  const tail = String(Math.imul(i + 1, 2_654_435_761) >>> 0).slice(-6);
  const called = base.length > 9 ? base.slice(0, -6) + tail : base;
  return { id: `b${i}`, tenantId: 'acme', direction: 'outbound', time, caller: ext, callerExtension: ext, called };
}

/** Decides `n` attempts at 50 calls/s of event time, answering and ending calls so about LIVE stay up. */
function run(engine: Engine, n: number, from: number): { ms: number; refused: number } {
  const started = performance.now();
  const live: string[] = [];
  let refused = 0;
  let time = Date.UTC(2026, 10, 23, 9, 0) + from * 20;
  for (let i = from; i < from + n; i++) {
    time += 20;
    const a = attemptAt(i, time);
    const d = engine.decide(a);
    if (d.action === 'reject' || d.action === 'quarantine') refused++;
    else {
      void engine.answered(a.id, time);
      live.push(a.id);
      if (live.length > LIVE) engine.end(live.shift()!, time);
    }
    if (i % 50 === 0) engine.watch(time); // a tick per second of event time
  }
  for (const id of live) engine.end(id, time);
  return { ms: performance.now() - started, refused };
}

function heap(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

function proxyCps(): { cps: number; from: string } | undefined {
  const given = arg('--proxy-cps');
  if (given) return { cps: Number(given), from: '--proxy-cps' };
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  for (const dir of [root, path.resolve(root, '..')]) {
    const f = path.join(dir, 'test-artifacts', 'bench', 'proxy-cps.json');
    if (existsSync(f)) {
      const r = JSON.parse(readFileSync(f, 'utf8')) as { tollguard: { maxCps: number }; at: string };
      return { cps: r.tollguard.maxCps, from: `bench/proxy-cps of ${r.at}` };
    }
  }
  return undefined;
}

// Each memory figure in its own function: the engine it measures is garbage once it returns, so the next figure's
// baseline (taken after a full GC) does not count it, and nothing from before is collected during a measure.

/** Heap per live call: 10,000 calls decided and answered, none ended (extensions spread so no limit refuses). */
function heapPerLiveCall(): number {
  const mem = new Engine([
    { id: 'acme', policy: tenantPolicySchema.parse({ ...policy, rules: { ...policy.rules, concurrency: false } }) },
  ]);
  const before = heap();
  const t0 = Date.UTC(2026, 10, 23, 10, 0);
  for (let i = 0; i < 10_000; i++) {
    const a = { ...attemptAt(i * NUMBERS.length, t0 + i), callerExtension: `x${i}`, caller: `x${i}` }; // national numbers
    mem.decide(a);
    void mem.answered(a.id, t0 + i);
  }
  const grown = heap() - before;
  if (mem.liveCallCount !== 10_000) throw new Error(`expected 10,000 live calls, got ${mem.liveCallCount}`);
  return grown / 10_000;
}

/** Heap per counter key: 10,000 extensions each with one call, all ended (the calls are gone, the counters stay). */
function heapPerCounterKey(): number {
  const keys = new Engine([{ id: 'acme', policy }]);
  const t0 = Date.UTC(2026, 10, 23, 10, 0);
  const before = heap();
  for (let i = 0; i < 10_000; i++) {
    const a = { ...attemptAt(i, t0 + i), callerExtension: `k${i}`, caller: `k${i}`, called: '0142685300' };
    keys.decide(a);
    keys.end(a.id, t0 + i + 1000);
  }
  const grown = heap() - before;
  if (keys.liveCallCount !== 0) throw new Error('every call of the counter phase should have ended');
  return grown / 10_000;
}

/** Decisions per second over five rounds after a warm-up, sorted; and what the last round refused. */
function speed(per: number): { rounds: number[]; refused: number } {
  const engine = new Engine([{ id: 'acme', policy }]);
  run(engine, Math.min(50_000, per), 0); // warm-up: JIT, caches, counters
  const rounds: number[] = [];
  let refused = 0;
  for (let r = 0; r < 5; r++) {
    const res = run(engine, per, 100_000 + r * per);
    rounds.push((per / res.ms) * 1000);
    refused = res.refused;
  }
  return { rounds: rounds.sort((a, b) => a - b), refused };
}

function main(): void {
  const per = Math.floor(ATTEMPTS / 5);
  const { rounds, refused } = speed(per);
  const median = rounds[2]!;

  if (process.argv.includes('--speed-only')) {
    console.log(`decisions/s ${Math.round(median)} (${rounds.map(Math.round).join(', ')})`);
    return;
  }
  const perLive = heapPerLiveCall();
  const perKey = heapPerCounterKey();

  const proxy = proxyCps();
  const rows: Array<[string, string]> = [
    ['attempts decided per round', per.toLocaleString('en')],
    [
      'decisions/s (median of 5 rounds; min–max)',
      `${Math.round(median).toLocaleString('en')} (${Math.round(rounds[0]!).toLocaleString('en')}–${Math.round(rounds[4]!).toLocaleString('en')})`,
    ],
    ['µs per decision (with answer, end, ticks)', (1e6 / median).toFixed(2)],
    ['refused in the last round (lists, premium, satellite, rates)', refused.toLocaleString('en')],
    ['heap per live call (bytes)', gc ? perLive.toFixed(0) : 'run with --expose-gc'],
    [
      'heap per counter key: one extension\u2019s rate and spend counters (bytes)',
      gc ? perKey.toFixed(0) : 'run with --expose-gc',
    ],
  ];
  if (proxy) {
    rows.push([`firewall max calls/s (${proxy.from})`, String(proxy.cps)]);
    rows.push(['decisions/s ÷ firewall max calls/s (target ≥ 10)', (median / proxy.cps).toFixed(1)]);
    rows.push(['engine share of a proxied call at that rate', `${((proxy.cps / median) * 100).toFixed(1)} %`]);
  } else rows.push(['firewall max calls/s', 'unknown: run bench/proxy-cps first or give --proxy-cps N']);
  console.log(`bench/engine: one tenant, every rule on, ${LIVE} live calls, Node ${process.version}`);
  for (const [k, v] of rows) console.log(`${k.padEnd(68)} ${v}`);
}

main();
