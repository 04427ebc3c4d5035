// Fuzzing in every `npm test` run (bounded: 38,000 fast-check cases plus every truncation of every seed): the
// parser never throws, every refusal is a known code with status 0, 4xx or 5xx, every accepted message respects the
// limits, reads and serializes cleanly; the framer survives random splits of a stream. The long run is
// test/fuzz/sip-fuzz.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_LIMITS } from '../../../src/sip/limits.js';
import { caseArb, checkCase, checkStream, seeds, streamArb, FuzzFailure } from '../../fuzz/sip-mutators.js';

const corpus = seeds();
/** Fixed seed: a failure is reproducible; the runner in test/fuzz explores further with random seeds. */
const SEED = 4475;

function run<T>(arb: fc.Arbitrary<T>, check: (v: T) => unknown, numRuns: number): void {
  try {
    fc.assert(
      fc.property(arb, (v) => {
        check(v);
      }),
      { numRuns, seed: SEED, endOnFailure: true },
    );
  } catch (e) {
    const cause = (e as { cause?: unknown }).cause;
    if (cause instanceof FuzzFailure) {
      assert.fail(`${cause.message}\ninput (base64): ${cause.input.toString('base64')}`);
    }
    throw e;
  }
}

test('every seed truncated at every offset, as a datagram and as a stream message', () => {
  let cases = 0;
  for (const s of corpus) {
    for (let n = 0; n <= s.length; n++) {
      checkCase({ kind: 'truncate', buf: s.subarray(0, n), transport: 'udp', limits: DEFAULT_LIMITS });
      checkCase({ kind: 'truncate', buf: s.subarray(0, n), transport: 'tcp', limits: DEFAULT_LIMITS });
      cases += 2;
    }
  }
  assert.ok(cases > 20_000, `${cases} truncations`);
});

test('mutated messages (flips, insertions, reordered and duplicated headers, huge values, random bytes): 30,000 cases', () => {
  run(caseArb(corpus), checkCase, 30_000);
});

test('random splits of a TCP stream through the framer: 8,000 streams', () => {
  run(streamArb(corpus), checkStream, 8_000);
});
