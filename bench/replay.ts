// bench/replay: how fast `tollguard replay` goes against merely reading the same file, and whether its memory stays
// flat as the file grows. Generates office traffic with planted attacks (the generator's) into a temporary
// Asterisk Master.csv of 1 million and of 10 million records, then, in the same run, for each size: the rate of a
// bare parse (readCdr into a sink that keeps nothing) and of a full replay (every rule on, the profile learning
// as it goes), their ratio, and the peak RSS and heap of each. Targets: replay ≥ 0.3 × the parse rate; memory flat
// (the 10M replay's peak within 1.5 × the 1M one's). Figures go to test-artifacts/bench/replay.json.
//   npm run build && node --expose-gc dist/bench/replay.js [--sizes 1000000,10000000] [--keep]
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { asteriskRow, endOf, officeTraffic, readCdr, replayCdr } from '../src/adapters/cdr/index.js';
import { LocalClock } from '../src/engine/local-time.js';
import { tenantPolicySchema } from '../src/engine/index.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const SIZES = (arg('--sizes') ?? '1000000,10000000').split(',').map(Number);
/** The file may not grow past this: a bound on the disk a run takes (10M rows are about 2 GB). */
const MAX_BYTES = 4 * 1024 ** 3;
const EXTENSIONS = 200;
const gc = (globalThis as { gc?: () => void }).gc;

/**
 * A company of 200 phones with every rule on, its limits sized for its size (a tenant-wide limit of a small office
 * would refuse most of its calls, and the bench would measure refusals).
 */
const policy = tenantPolicySchema.parse({
  country: 'FR',
  rules: {
    concurrency: { open: { tenant: 400, extension: 4, classes: { international: 100 } }, closed: { tenant: 100 } },
    velocity: { tenant: { perMinute: 500, perHour: 20_000 } },
    'spend-cap': {
      caps: [
        { scope: 'tenant', window: 'hour', alertAt: 1000, limit: 3000 },
        { scope: 'tenant', window: 'day', alertAt: 5000, limit: 20000 },
        { scope: 'extension', window: 'hour', alertAt: 10, limit: 25 },
      ],
    },
    profile: { volume: { tenant: 400 }, spend: { tenant: 400 } },
  },
});

/** Writes about `records` rows (whole days, in end order per day, as Asterisk writes them); returns the count. */
async function generate(file: string, records: number): Promise<number> {
  const clock = new LocalClock('Europe/Paris');
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let n = 0;
  let bytes = 0;
  // Weeks enough for the records: 200 phones make about 16,000 calls a week.
  for (const day of officeTraffic({ from: '2026-01-05', weeks: 100_000, extensions: EXTENSIONS, seed: 11 })) {
    day.sort((a, b) => endOf(a) - endOf(b));
    const text = day.map((c) => asteriskRow(c, clock)).join('\n') + (day.length ? '\n' : '');
    n += day.length;
    bytes += text.length;
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
    if (n >= records || bytes >= MAX_BYTES) break;
  }
  await new Promise<void>((r, e) => out.end((err?: Error | null) => (err ? e(err) : r())));
  return n;
}

interface Memory {
  rss: number;
  heap: number;
}

function sampler(): { sample(): void; peak: Memory } {
  const peak = { rss: 0, heap: 0 };
  return {
    peak,
    sample() {
      const m = process.memoryUsage();
      if (m.rss > peak.rss) peak.rss = m.rss;
      if (m.heapUsed > peak.heap) peak.heap = m.heapUsed;
    },
  };
}

async function parse(file: string): Promise<{ records: number; ms: number; peak: Memory }> {
  gc?.();
  const mem = sampler();
  const started = performance.now();
  let records = 0;
  await readCdr(
    createReadStream(file, { highWaterMark: 1 << 20 }),
    { format: 'asterisk-csv', timezone: 'Europe/Paris' },
    { record: () => void records++, bad: () => {}, progress: () => mem.sample() },
  );
  return { records, ms: performance.now() - started, peak: mem.peak };
}

async function replay(
  file: string,
): Promise<{ records: number; ms: number; peak: Memory; refused: number; cut: number }> {
  gc?.();
  const mem = sampler();
  const started = performance.now();
  const report = await replayCdr({
    input: createReadStream(file, { highWaterMark: 1 << 20 }),
    file,
    format: 'asterisk-csv',
    setups: [{ id: 'acme', policy }],
    tenantId: 'acme',
    releaseQuarantineAfterMs: 3_600_000,
    onChunk: () => mem.sample(),
  });
  mem.sample();
  return {
    records: report.calls,
    ms: performance.now() - started,
    peak: mem.peak,
    refused: report.refused,
    cut: report.cut,
  };
}

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
const mb = (b: number) => Math.round(b / 1024 / 1024);

const dir = mkdtempSync(path.join(tmpdir(), 'tollguard-bench-replay-'));
const results: Array<Record<string, number>> = [];
try {
  for (const size of SIZES) {
    const file = path.join(dir, `office-${size}.csv`);
    const t0 = performance.now();
    const written = await generate(file, size);
    const genMs = performance.now() - t0;
    const p = await parse(file);
    const r = await replay(file);
    const row = {
      records: written,
      bytes: statSync(file).size,
      generateS: Math.round(genMs / 100) / 10,
      parsePerS: rate(p.records, p.ms),
      replayPerS: rate(r.records, r.ms),
      ratio: Math.round((rate(r.records, r.ms) / rate(p.records, p.ms)) * 1000) / 1000,
      parseRssMb: mb(p.peak.rss),
      parseHeapMb: mb(p.peak.heap),
      replayRssMb: mb(r.peak.rss),
      replayHeapMb: mb(r.peak.heap),
      refused: r.refused,
      cut: r.cut,
    };
    results.push(row);
    console.log(
      `${written.toLocaleString('en-US')} records (${mb(row.bytes)} MB, generated in ${row.generateS} s): parse ${row.parsePerS.toLocaleString('en-US')}/s, replay ${row.replayPerS.toLocaleString('en-US')}/s, ratio ${row.ratio}; peak RSS parse ${row.parseRssMb} MB, replay ${row.replayRssMb} MB; heap ${row.parseHeapMb} / ${row.replayHeapMb} MB; ${r.refused} refused, ${r.cut} cut`,
    );
    if (!process.argv.includes('--keep')) rmSync(file, { force: true });
  }
} finally {
  if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
}
const first = results[0];
const last = results[results.length - 1];
const summary = {
  date: new Date().toISOString(),
  node: process.version,
  extensions: EXTENSIONS,
  runs: results,
  ...(first && last && first !== last
    ? {
        rssGrowth: Math.round((last.replayRssMb! / first.replayRssMb!) * 100) / 100,
        heapGrowth: Math.round((last.replayHeapMb! / first.replayHeapMb!) * 100) / 100,
      }
    : {}),
};
if (summary.rssGrowth !== undefined)
  console.log(`memory 10M/1M: RSS ${summary.rssGrowth}×, heap ${summary.heapGrowth}×`);
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-artifacts', 'bench');
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'replay.json'), JSON.stringify(summary, null, 2) + '\n');
