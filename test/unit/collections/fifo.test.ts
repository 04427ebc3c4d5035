import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Fifo } from '../../../src/collections/fifo.js';

test('Fifo gives entries back in order, through compactions, and empties', () => {
  const q = new Fifo<number>();
  assert.equal(q.shift(), undefined);
  assert.equal(q.peek(), undefined);
  let next = 0;
  let expected = 0;
  // Interleaved so that the taken part passes 1,024 and half the array many times with entries still queued.
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < 300; i++) q.push(next++);
    for (let i = 0; i < 250; i++) {
      assert.equal(q.peek(), expected);
      assert.equal(q.shift(), expected++);
    }
    assert.equal(q.size, next - expected);
  }
  while (q.size > 0) assert.equal(q.shift(), expected++);
  assert.equal(expected, next);
  assert.equal(q.shift(), undefined);
  q.push(7);
  q.clear();
  assert.equal(q.size, 0);
  assert.equal(q.peek(), undefined);
});

test('Fifo lets go of what it gave back', async () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const q = new Fifo<object>();
  const refs: WeakRef<object>[] = [];
  for (let i = 0; i < 10; i++) {
    const o = { i };
    refs.push(new WeakRef(o));
    q.push(o);
  }
  for (let i = 0; i < 9; i++) q.shift();
  await new Promise((r) => setImmediate(r)); // a WeakRef keeps its target until the end of the job that made it
  gc();
  assert.deepEqual(
    refs.map((r) => r.deref() !== undefined),
    [false, false, false, false, false, false, false, false, false, true],
  );
  assert.equal(q.size, 1);
});
