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
