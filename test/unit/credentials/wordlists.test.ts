// R-PW-POLICY: the shipped word lists (sources named, sizes, content the policy relies on), their lazy loading from
// data/wordlists whichever way the code runs, and the speed of one check.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../helpers/fixtures.js';
import { nearestCommonWord } from '../../../src/credentials/password.js';
import {
  defaultWordIndex,
  loadWordIndex,
  parseWordList,
  WORD_LISTS,
  WordIndex,
  wordListDir,
} from '../../../src/credentials/wordlists.js';

const dir = path.join(repoRoot, 'data', 'wordlists');
const read = (id: string): string => readFileSync(path.join(dir, `${id}.txt`), 'utf8');

describe('the shipped lists', () => {
  const minimum: Record<string, number> = {
    'common-passwords': 3000,
    'words-en': 2000,
    'words-fr': 2000,
    'first-names': 500,
    brands: 300,
  };
  for (const { id } of WORD_LISTS) {
    test(`${id}.txt: header with sources and licence, ${minimum[id]}+ entries, under 300 KB, lower case, no duplicate`, () => {
      const text = read(id);
      assert.ok(statSync(path.join(dir, `${id}.txt`)).size < 300 * 1024);
      const header = text
        .split('\n')
        .filter((l) => l.startsWith('#'))
        .join('\n');
      assert.match(header, /Sources/);
      assert.match(header, /Licence/);
      assert.ok(text.startsWith('#'), 'comments come first');
      const entries = parseWordList(text);
      assert.ok(entries.length >= minimum[id]!, `${id}: ${entries.length} entries`);
      assert.equal(new Set(entries).size, entries.length, 'no duplicate');
      for (const e of entries) {
        assert.equal(e, e.toLowerCase(), e);
        assert.doesNotMatch(e, /\s/, e);
        assert.ok([...e].length >= 3, e);
      }
    });
  }

  test('brands hold the PBX and telephony vendors and the French operators', () => {
    const brands = new Set(parseWordList(read('brands')));
    for (const b of [
      'asterisk',
      'freepbx',
      'freeswitch',
      'cisco',
      'yealink',
      'polycom',
      'snom',
      'grandstream',
      'gigaset',
      'avaya',
      'mitel',
      'panasonic',
      'alcatel',
      '3cx',
      'ovh',
      'orange',
      'sfr',
      'bouygues',
      'free',
    ]) {
      assert.ok(brands.has(b), b);
    }
  });

  test('the common passwords start with the best known and hold the telephony defaults', () => {
    const pw = parseWordList(read('common-passwords'));
    assert.deepEqual(pw.slice(0, 3), ['123456', 'password', '12345678']);
    for (const p of ['azerty', 'soleil', 'amp111', 'cluecon', 'mysecret', 'letmein', 'iloveyou'])
      assert.ok(pw.includes(p), p);
  });

  test('French words keep their accents; first names hold French and English names', () => {
    const fr = new Set(parseWordList(read('words-fr')));
    for (const w of ['éléphant', 'château', 'fenêtre', 'bonjour', 'soleil']) assert.ok(fr.has(w), w);
    const names = new Set(parseWordList(read('first-names')));
    for (const n of ['camille', 'nicolas', 'nathalie', 'michael', 'jessica', 'oliver']) assert.ok(names.has(n), n);
  });
});

describe('loading', () => {
  test('parseWordList skips comments and blank lines and trims', () => {
    assert.deepEqual(parseWordList('# source\n# licence\n\nalpha\n  beta  \r\n#gamma\ndelta'), [
      'alpha',
      'beta',
      'delta',
    ]);
  });

  test('the folder is found above the module: data/wordlists of the repository', () => {
    assert.equal(wordListDir(), dir);
  });

  test('the shared index is built once and reused', () => {
    const a = defaultWordIndex();
    assert.equal(defaultWordIndex(), a);
    assert.ok(a.size > 8000, `${a.size} entries`);
  });

  test('a missing folder is an error that names the file', () => {
    assert.throws(() => loadWordIndex(path.join(repoRoot, 'no-such-folder')), /common-passwords\.txt/);
  });
});

describe('a large list', () => {
  // How fast a check is, is bench/password-check.ts's business; here, that the index still finds the near word.
  test('a password near one of 20,000 generated entries is found near it', () => {
    const entries = syntheticWords(20_000);
    const index = WordIndex.build([{ list: { id: 'synthetic', title: 'synthetic words' }, entries }]);
    assert.ok(index.size > 19_000);
    assert.equal(nearestCommonWord(entries[777]! + '42', index)?.word, entries[777]);
    assert.equal(nearestCommonWord('Qwzrtplkm7!x', index), undefined);
  });
});

/** A deterministic list of `n` words of 4 to 12 letters (mulberry32). */
function syntheticWords(n: number): string[] {
  let seed = 12345;
  const rnd = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const entries: string[] = [];
  for (let i = 0; i < n; i++) {
    const len = 4 + Math.floor(rnd() * 9);
    let w = '';
    for (let k = 0; k < len; k++) w += String.fromCharCode(97 + Math.floor(rnd() * 26));
    entries.push(w);
  }
  return entries;
}
