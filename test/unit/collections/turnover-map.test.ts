import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TurnoverMap } from '../../../src/collections/turnover-map.js';

test('a turnover map keeps its entries and their order across renewals', () => {
  const m = new TurnoverMap<string, number>();
  const model = new Map<string, number>();
  // Keys come and go far past the renewal point, a few always kept.
  for (let i = 0; i < 5000; i++) {
    m.set(`k${i}`, i);
    model.set(`k${i}`, i);
    if (i >= 10 && i % 7 !== 0) {
      assert.equal(m.delete(`k${i - 10}`), model.delete(`k${i - 10}`));
    }
  }
  assert.equal(m.size, model.size);
  assert.deepEqual([...m], [...model]);
  assert.deepEqual([...m.keys()], [...model.keys()]);
  assert.equal(m.get('k4998'), 4998);
  // Keys whose delete fell on a multiple of seven stay (k4, at i = 14); k0 went at i = 10.
  assert.equal(m.has('k4'), true);
  assert.equal(m.has('k0'), false);
  assert.equal(m.delete('missing'), false);
});

test('deleting while iterating acts on the map being iterated (a sweep)', () => {
  const m = new TurnoverMap<number, number>();
  for (let i = 0; i < 2000; i++) m.set(i, i);
  for (let i = 0; i < 1500; i++) m.delete(i); // enough deletes for a renewal at the next set
  let seen = 0;
  m.forEach((v, k) => {
    seen++;
    if (v % 2 === 0) m.delete(k);
  });
  assert.equal(seen, 500);
  assert.equal(m.size, 250);
  m.set(5000, 5000); // renews here, with what is left
  assert.equal(m.size, 251);
  assert.deepEqual([...m.values()].slice(0, 3), [1501, 1503, 1505]);
  m.clear();
  assert.equal(m.size, 0);
});

/** A small deterministic PRNG (mulberry32), so a failure replays. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('a turnover map behaves as a Map through many renewals, with keys that outlive several of them', () => {
  const m = new TurnoverMap<number, number>();
  const model = new Map<number, number>();
  const rand = prng(7);
  let next = 0;
  for (let i = 0; i < 60_000; i++) {
    const r = rand();
    if (r < 0.45) {
      // A new key; one in fifty lives long (the call that rings for minutes).
      const k = next++;
      m.set(k, k);
      model.set(k, k);
    } else if (r < 0.9) {
      // A recent key goes, mostly: keys die young.
      const k = rand() < 0.98 ? next - 1 - Math.floor(rand() * 300) : Math.floor(rand() * next);
      assert.equal(m.delete(k), model.delete(k));
    } else if (r < 0.95) {
      // An update keeps the key's place.
      const k = Math.floor(rand() * next);
      if (model.has(k)) {
        m.set(k, -k);
        model.set(k, -k);
      }
    } else {
      const k = Math.floor(rand() * next);
      assert.equal(m.get(k), model.get(k));
      assert.equal(m.has(k), model.has(k));
    }
    if (i % 5000 === 0) assert.deepEqual([...m], [...model]);
  }
  assert.equal(m.size, model.size);
  assert.deepEqual([...m], [...model]);
  assert.deepEqual([...m.values()], [...model.values()]);
});

test('a key re-set after a delete moves to the end, as in a Map (the oldest-first windows rely on it)', () => {
  const m = new TurnoverMap<string, number>();
  for (let i = 0; i < 1000; i++) m.set(`k${i}`, i);
  for (let i = 0; i < 999; i++) m.delete(`k${i}`);
  m.set('a', 1); // renews: 'a' goes to a new generation, k999 stays in the old one
  m.set('b', 2);
  m.delete('k999');
  m.set('k999', 3);
  m.delete('a');
  m.set('a', 4);
  assert.deepEqual([...m.keys()], ['b', 'k999', 'a']);
  assert.equal(m.size, 3);
});
