import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SlidingSum, KeyedSums, KeyedDistinct } from '../../../src/engine/windows.js';

test('a sliding sum counts what is inside the window, at bucket resolution', () => {
  const s = new SlidingSum(60_000, 60);
  for (let i = 0; i < 6; i++) s.add(i * 10_000);
  assert.equal(s.sum(50_000), 6);
  assert.equal(s.sum(59_999), 6);
  assert.equal(s.sum(60_000), 5); // the call at 0 s left the window
  assert.equal(s.sum(109_999), 1);
  assert.equal(s.sum(110_000), 0);
  assert.equal(s.idle(200_000), true);
});

test('a late amount counts in the newest bucket, and one older than the window nowhere', () => {
  const s = new SlidingSum(60_000, 60);
  s.add(30_000);
  s.add(20_000); // 10 s late: counted with the newest
  assert.equal(s.sum(30_000), 2);
  s.add(-40_000); // 70 s before the newest: out of any window that holds it
  assert.equal(s.sum(30_000), 2);
  assert.equal(s.sum(89_999), 2);
  assert.equal(s.sum(90_000), 0);
  assert.equal(s.idle(90_000), true);
});

test('amounts add up and expire; keyed sums sweep idle keys', () => {
  const k = new KeyedSums(3_600_000);
  k.add('a', 0, 1.5);
  k.add('a', 1_800_000, 2.25);
  k.add('b', 0, 1);
  assert.equal(k.sum('a', 1_800_000), 3.75);
  assert.equal(k.sum('a', 3_600_000), 2.25);
  k.sweep(3_600_000);
  assert.equal(k.size, 1);
  assert.equal(k.sum('missing', 0), 0);
});

test('distinct values over a window, repeated values counted once, bounded per key', () => {
  const d = new KeyedDistinct(600_000, 3);
  d.add('r', '1', 0);
  d.add('r', '2', 1000);
  d.add('r', '1', 2000);
  assert.equal(d.count('r', 2000), 2);
  d.add('r', '3', 3000);
  d.add('r', '4', 4000); // over the bound: the oldest (2) goes
  assert.deepEqual(d.values('r', 4000), ['1', '3', '4']);
  assert.deepEqual(d.values('r', 602_500), ['3', '4']);
  d.sweep(10_000_000);
  assert.equal(d.size, 0);
});
