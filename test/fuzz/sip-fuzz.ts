// Long-running fuzzer for the SIP layer: the same mutations and invariants as test/unit/sip/fuzz.test.ts, for as
// many cases (or as long) as asked, with a random seed unless one is given. Prints counts; exits 1 on a finding,
// printing the input (base64) so it can be replayed.
//
//   node --import tsx test/fuzz/sip-fuzz.ts --runs 1000000
//   node --import tsx test/fuzz/sip-fuzz.ts --time 600            (seconds; stops at whichever bound comes first)
//   node --import tsx test/fuzz/sip-fuzz.ts --runs 100000 --seed 42
import fc from 'fast-check';
import { caseArb, checkCase, checkStream, seeds, streamArb, FuzzFailure, type Case } from './sip-mutators.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const runs = Number(arg('runs') ?? 100_000);
const seconds = Number(arg('time') ?? 3600);
const seed = arg('seed') !== undefined ? Number(arg('seed')) : Math.floor(Math.random() * 2 ** 31);
if (!Number.isFinite(runs) || runs <= 0 || !Number.isFinite(seconds) || seconds <= 0) {
  console.error('usage: sip-fuzz.ts [--runs N] [--time SECONDS] [--seed N]');
  process.exit(2);
}

const corpus = seeds();
const input = fc.oneof(
  { weight: 9, arbitrary: caseArb(corpus).map((c) => ({ stream: false as const, c })) },
  { weight: 1, arbitrary: streamArb(corpus).map((s) => ({ stream: true as const, s })) },
);

const stats = { cases: 0, accepted: 0, refused: 0, streams: 0, frames: 0 };
const byCode = new Map<string, number>();
const byKind = new Map<string, number>();
const start = process.hrtime.bigint();
let nextReport = 100_000;

function report(final: boolean): void {
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  const n = stats.cases + stats.streams;
  const line = `${n.toLocaleString('en-US')} inputs in ${s.toFixed(1)} s (${Math.round(n / s).toLocaleString('en-US')}/s)`;
  if (!final) {
    console.log(line);
    return;
  }
  console.log(`seed ${seed}`);
  console.log(line);
  console.log(
    `messages: ${stats.cases.toLocaleString('en-US')} (accepted ${stats.accepted}, refused ${stats.refused})`,
  );
  console.log(`streams: ${stats.streams.toLocaleString('en-US')} (events ${stats.frames})`);
  console.log(`mutations: ${[...byKind].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(
    `refusals by code: ${[...byCode]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
}

function one(v: { stream: false; c: Case } | { stream: true; s: Parameters<typeof checkStream>[0] }): void {
  if (v.stream) {
    stats.streams++;
    stats.frames += checkStream(v.s).length;
  } else {
    stats.cases++;
    byKind.set(v.c.kind, (byKind.get(v.c.kind) ?? 0) + 1);
    const o = checkCase(v.c);
    if (o.ok) stats.accepted++;
    else {
      stats.refused++;
      byCode.set(o.code, (byCode.get(o.code) ?? 0) + 1);
    }
  }
  if (stats.cases + stats.streams >= nextReport) {
    report(false);
    nextReport += 100_000;
  }
}

try {
  fc.assert(fc.property(input, one), {
    numRuns: runs,
    seed,
    interruptAfterTimeLimit: seconds * 1000,
    markInterruptAsFailure: false,
    endOnFailure: true,
  });
  report(true);
  console.log('crashes: 0');
} catch (e) {
  report(true);
  const cause = (e as { cause?: unknown }).cause;
  if (cause instanceof FuzzFailure) {
    console.log(`crashes: 1\n${cause.message}\ninput (base64): ${cause.input.toString('base64')}`);
  } else console.log(`crashes: 1\n${(e as Error).message}`);
  process.exitCode = 1;
}
