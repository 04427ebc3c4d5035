// R-PW-POLICY: the bounded edit distance is the full Levenshtein distance (with look-alikes) cut at max + 1, for
// every pair of strings; the look-alike table and the folding do what docs/credentials.md says.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { boundedDistance, charsMatch, codePoints, fold } from '../../../src/credentials/distance.js';

/** Full Levenshtein matrix, the reference the banded version must agree with. */
function fullDistance(a: string, b: string): number {
  const pa = [...codePoints(a)];
  const pb = [...codePoints(b)];
  let prev = pb.map((_, j) => j).concat(pb.length);
  for (let i = 1; i <= pa.length; i++) {
    const cur = [i];
    for (let j = 1; j <= pb.length; j++) {
      cur[j] = Math.min(prev[j - 1]! + (charsMatch(pa[i - 1]!, pb[j - 1]!) ? 0 : 1), prev[j]! + 1, cur[j - 1]! + 1);
    }
    prev = cur;
  }
  return prev[pb.length]!;
}

const d = (a: string, b: string, max: number): number => boundedDistance(codePoints(a), codePoints(b), max);

describe('boundedDistance', () => {
  const cases: Array<[string, string, number, number]> = [
    ['', '', 1, 0],
    ['', 'ab', 2, 2],
    ['', 'abc', 2, 3],
    ['abc', '', 1, 2],
    ['monkey', 'monkey', 1, 0],
    ['monkez', 'monkey', 1, 1],
    ['monkeey', 'monkey', 1, 1],
    ['monky', 'monkey', 1, 1],
    ['mnokey', 'monkey', 1, 2],
    ['mnokey', 'monkey', 2, 2],
    ['kitten', 'sitting', 3, 3],
    ['kitten', 'sitting', 2, 3],
    ['flaw', 'lawn', 2, 2],
    ['m0nk3y', 'monkey', 1, 0],
    ['p@ssw0rd', 'password', 1, 0],
    ['pa55word', 'password', 1, 0],
    ['password', 'p@ssw0rd', 2, 2],
    ['4bc', '@bc', 1, 0],
    ['1ion', 'lion', 1, 0],
    ['1ion', 'iion', 1, 0],
    ['lion', '1ion', 1, 1],
    ['ab', 'abcdef', 3, 4],
    ['éa', 'ea', 1, 1],
    ['😀ab', '😀ab', 1, 0],
  ];
  for (const [a, b, max, expected] of cases) {
    test(`${a || '""'} → ${b || '""'} (max ${max}) = ${expected}`, () => assert.equal(d(a, b, max), expected));
  }

  test('equals the full Levenshtein distance cut at max + 1, on random strings (look-alikes included)', () => {
    const ch = fc.constantFrom(...'abeilost01345@$!|+xé'.split(''));
    const word = fc.array(ch, { maxLength: 12 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 4 }), (a, b, max) => {
        assert.equal(d(a, b, max), Math.min(fullDistance(a, b), max + 1));
      }),
      { numRuns: 3000, seed: 4242 },
    );
  });

  test('works after a longer string grew its buffers, and on strings longer than 64 characters', () => {
    const long = 'a'.repeat(200);
    assert.equal(d(long, long + 'b', 1), 1);
    assert.equal(d(long, 'b' + long.slice(1), 1), 1);
    assert.equal(d('monkey', 'monkez', 1), 1);
  });
});

describe('charsMatch', () => {
  const m = (p: string, e: string): boolean => charsMatch(p.codePointAt(0)!, e.codePointAt(0)!);
  for (const [p, e] of [
    ['0', 'o'],
    ['1', 'i'],
    ['1', 'l'],
    ['3', 'e'],
    ['4', 'a'],
    ['5', 's'],
    ['7', 't'],
    ['8', 'b'],
    ['9', 'g'],
    ['@', 'a'],
    ['$', 's'],
    ['!', 'i'],
    ['|', 'l'],
    ['+', 't'],
    ['@', '4'],
    ['!', '1'],
    ['x', 'x'],
    ['é', 'é'],
  ] as const) {
    test(`password ${p} matches entry ${e}`, () => assert.ok(m(p, e)));
  }
  for (const [p, e] of [
    ['o', '0'],
    ['l', '1'],
    ['i', 'l'],
    ['2', 'z'],
    ['e', 'é'],
    ['a', 'b'],
  ] as const) {
    test(`password ${p} does not match entry ${e}`, () => assert.ok(!m(p, e)));
  }
});

describe('fold', () => {
  for (const [s, f] of [
    ['Éléphant', 'elephant'],
    ['ŒUVRE', 'oeuvre'],
    ['Straße', 'strasse'],
    ['Ça', 'ca'],
    ['ｆｕｌｌ', 'full'],
    ['e\u0301', 'e'],
    ['P@SSW0RD', 'p@ssw0rd'],
  ] as const) {
    test(`${s} → ${f}`, () => assert.equal(fold(s), f));
  }
});
