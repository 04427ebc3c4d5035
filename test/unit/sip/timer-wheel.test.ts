import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TimerWheel } from '../../../src/sip/transaction/timer-wheel.js';

/** A wheel on a hand-moved clock: `run()` is called by the test, never by its interval. */
function wheelAt(start = 1_000_000): { wheel: TimerWheel; advance(ms: number): void } {
  let now = start;
  const wheel = new TimerWheel(50, () => now);
  return {
    wheel,
    advance(ms: number) {
      now += ms;
      wheel.run();
    },
  };
}

test('timers fire within one tick of their time, not before', () => {
  const { wheel, advance } = wheelAt();
  const fired: string[] = [];
  wheel.set(100, () => fired.push('a'));
  wheel.set(120, () => fired.push('b'));
  wheel.set(500, () => fired.push('c'));
  advance(99);
  assert.deepEqual(fired, []);
  advance(51);
  assert.deepEqual(fired.sort(), ['a', 'b']);
  advance(400);
  assert.deepEqual(fired.sort(), ['a', 'b', 'c']);
  wheel.stop();
});

test('a cancelled timer never fires, and the others of its bucket still do, whichever is cancelled', () => {
  for (const cancelled of [0, 1, 2, 3, 4]) {
    const { wheel, advance } = wheelAt();
    const fired: number[] = [];
    const handles = [0, 1, 2, 3, 4].map((i) => wheel.set(100, () => fired.push(i)));
    handles[cancelled]!.cancelled = true;
    assert.equal(handles[cancelled]!.cancelled, true);
    advance(200);
    assert.deepEqual(
      fired.sort(),
      [0, 1, 2, 3, 4].filter((i) => i !== cancelled),
    );
    wheel.stop();
  }
});

test('cancelling several timers of one bucket in any order keeps the rest', () => {
  const { wheel, advance } = wheelAt();
  const fired: number[] = [];
  const handles = Array.from({ length: 20 }, (_, i) => wheel.set(100, () => fired.push(i)));
  for (const i of [19, 0, 7, 8, 3, 18]) wheel.cancel(handles[i]);
  handles[7]!.cancelled = true; // twice: no effect
  advance(200);
  assert.deepEqual(
    fired.sort((a, b) => a - b),
    Array.from({ length: 20 }, (_, i) => i).filter((i) => ![19, 0, 7, 8, 3, 18].includes(i)),
  );
  wheel.stop();
});

test('a callback that cancels another timer of the same slot stops it, and the rest of the slot still runs', () => {
  const { wheel, advance } = wheelAt();
  const fired: string[] = [];
  const handles: Array<{ cancelled: boolean }> = [];
  handles.push(
    wheel.set(100, () => {
      fired.push('first');
      handles[2]!.cancelled = true;
    }),
  );
  handles.push(wheel.set(100, () => fired.push('second')));
  handles.push(wheel.set(100, () => fired.push('third')));
  handles.push(wheel.set(100, () => fired.push('fourth')));
  advance(200);
  assert.deepEqual(fired, ['first', 'second', 'fourth']);
  wheel.stop();
});

test('a timer set from a callback for a later slot fires at its own time', () => {
  const { wheel, advance } = wheelAt();
  const fired: string[] = [];
  wheel.set(50, () => {
    fired.push('outer');
    wheel.set(100, () => fired.push('inner'));
  });
  advance(60); // the outer fires at +60: the inner is due at +160
  assert.deepEqual(fired, ['outer']);
  advance(90);
  assert.deepEqual(fired, ['outer']);
  advance(60);
  assert.deepEqual(fired, ['outer', 'inner']);
  wheel.stop();
});

test('a lane expires its items in order within one tick of their time, not before, and says when each was due', () => {
  const { wheel, advance } = wheelAt();
  const expired: Array<[string, number]> = [];
  const lane = wheel.lane<string>(1000, (item, due) => expired.push([item, due]));
  const dueA = lane.add('a');
  advance(100);
  const dueB = lane.add('b');
  assert.equal(lane.size, 2);
  advance(899); // 'a' is due in 1 ms
  assert.deepEqual(expired, []);
  advance(1);
  assert.deepEqual(expired, [['a', dueA]]);
  advance(99); // 'b' is due in 1 ms
  assert.deepEqual(expired, [['a', dueA]]);
  advance(51);
  assert.deepEqual(expired, [
    ['a', dueA],
    ['b', dueB],
  ]);
  assert.equal(lane.size, 0);
  wheel.stop();
});

test('a lane holding thousands keeps what is not yet due when it sheds what expired, and a failing expiry stops none', () => {
  const { wheel, advance } = wheelAt();
  const expired: number[] = [];
  const lane = wheel.lane<number>(500, (n) => {
    if (n % 7 === 0) throw new Error('expiry failed');
    expired.push(n);
  });
  // 5,000 added 1 ms apart: each tick expires a few dozen, and the lane compacts itself along the way.
  for (let i = 0; i < 5000; i++) {
    lane.add(i);
    advance(1);
  }
  advance(600);
  const expected = Array.from({ length: 5000 }, (_, i) => i).filter((i) => i % 7 !== 0);
  assert.deepEqual(expired, expected);
  assert.equal(lane.size, 0);
  wheel.stop();
});
