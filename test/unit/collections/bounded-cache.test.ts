import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedCache } from '../../../src/collections/bounded-cache.js';

test('a bounded cache keeps values, false ones too, and forgets every key at once when a set finds it full', () => {
  const c = new BoundedCache<string, boolean>(3);
  assert.equal(c.set('a', false), false);
  c.set('b', true);
  c.set('c', true);
  assert.equal(c.get('a'), false);
  assert.equal(c.size, 3);
  c.set('d', false); // full: the set forgets the others first
  assert.equal(c.size, 1);
  assert.equal(c.get('a'), undefined);
  assert.equal(c.get('d'), false);
});
