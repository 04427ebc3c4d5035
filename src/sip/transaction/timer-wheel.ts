// One timer for many: SIP transactions each hold several timers (retransmit, timeout, linger); at thousands of calls
// a second one setTimeout per timer costs more than the work. Timers are bucketed by a fixed tick and fire within one
// tick of their time; a cancelled entry leaves its bucket at once. Lingering (a fixed delay, never cancelled, tens of
// thousands at once) goes in lanes instead: see Lane.

import { TurnoverMap } from '../../collections/turnover-map.js';

export interface TimerHandle {
  cancelled: boolean;
}

/**
 * A timer in its bucket. Cancelling it takes it out of its bucket at once: most timers are cancelled within
 * milliseconds (retransmissions answered, an INVITE's guard of minutes ended by a final response), and an entry
 * left in its bucket until its slot comes would outlive its use by seconds — each young-generation collection then
 * copies it and moves it to the old one (the setup-time tail under load), and it would keep what its callback holds
 * alive.
 */
class Entry implements TimerHandle {
  /** The bucket it is in and its place there; undefined once fired, cancelled, or taken out to run. */
  bucket: Entry[] | undefined;
  index = 0;

  constructor(
    readonly due: number,
    public fn: (() => void) | undefined,
  ) {}
  get cancelled(): boolean {
    return this.fn === undefined;
  }
  set cancelled(v: boolean) {
    if (!v) return;
    this.fn = undefined;
    const b = this.bucket;
    if (!b) return;
    // Swap with the last entry and pop: O(1), order within a bucket does not matter.
    const last = b.pop()!;
    if (last !== this) {
      b[this.index] = last;
      last.index = this.index;
    }
    this.bucket = undefined;
  }
}

/**
 * Expiries of one fixed delay, fired in the order they were added. What has ended lingers a fixed time to answer
 * stragglers (a transaction after its final response, an ended call): 32 s, 40,000 calls' worth at 1,250 calls/s. A
 * timer entry with a closure each made about 0.8 KB per call that young collections copied and promoted; a lane
 * keeps an item and its due time in two array slots. An entry cannot be cancelled: `expire` gets the item and the
 * time it was due, and decides whether that still applies (the item may have moved on, or lingers in another lane).
 */
export class Lane<T> {
  private items: Array<T | undefined> = [];
  private due: number[] = [];
  /** Index of the oldest entry not yet expired. */
  private head = 0;

  /** @internal Made by TimerWheel.lane. */
  constructor(
    readonly delayMs: number,
    private readonly expire: (item: T, due: number) => void,
    private readonly now: () => number,
  ) {}

  /** Adds `item`, due `delayMs` from now; returns that time. */
  add(item: T): number {
    const due = this.now() + this.delayMs;
    this.items.push(item);
    this.due.push(due);
    return due;
  }

  /** Entries not yet expired. */
  get size(): number {
    return this.items.length - this.head;
  }

  /** @internal Expires what is due at `now`; called by the wheel at each tick. */
  run(now: number): void {
    const items = this.items;
    const due = this.due;
    while (this.head < items.length && due[this.head]! <= now) {
      const item = items[this.head] as T;
      const at = due[this.head]!;
      items[this.head++] = undefined;
      try {
        this.expire(item, at);
      } catch {
        // As for timers: one failing expiry must not stop the others.
      }
    }
    if (this.head === items.length) {
      items.length = 0;
      due.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= items.length) {
      // The expired half goes: the arrays stay about twice the entries they hold, each entry moved O(1) times.
      this.items = items.slice(this.head);
      this.due = due.slice(this.head);
      this.head = 0;
    }
  }

  clear(): void {
    this.items = [];
    this.due = [];
    this.head = 0;
  }
}

export class TimerWheel {
  private readonly buckets = new TurnoverMap<number, Entry[]>();
  private readonly lanes: Array<Lane<never>> = [];
  private readonly interval: NodeJS.Timeout;
  private lastTick: number;

  constructor(
    private readonly tickMs = 50,
    private readonly now: () => number = Date.now,
  ) {
    this.lastTick = Math.floor(this.now() / tickMs);
    this.interval = setInterval(() => this.run(), tickMs);
    this.interval.unref();
  }

  /** Runs `fn` after `delayMs` (rounded up to the tick). */
  set(delayMs: number, fn: () => void): TimerHandle {
    const due = this.now() + delayMs;
    const slot = Math.max(Math.ceil(due / this.tickMs), this.lastTick + 1);
    const e = new Entry(due, fn);
    let b = this.buckets.get(slot);
    if (!b) this.buckets.set(slot, (b = []));
    e.bucket = b;
    e.index = b.push(e) - 1;
    return e;
  }

  /**
   * A lane of expiries `delayMs` after they are added, swept at each tick (so fired within one tick of their time,
   * as timers are); `expire` is called for each.
   */
  lane<T>(delayMs: number, expire: (item: T, due: number) => void): Lane<T> {
    const l = new Lane<T>(delayMs, expire, this.now);
    this.lanes.push(l as unknown as Lane<never>);
    return l;
  }

  cancel(h: TimerHandle | undefined): void {
    if (h) h.cancelled = true;
  }

  /** Fires what is due; called by the interval (and directly by tests). */
  run(): void {
    const current = Math.floor(this.now() / this.tickMs);
    for (let slot = this.lastTick + 1; slot <= current; slot++) {
      const b = this.buckets.get(slot);
      if (!b) continue;
      this.buckets.delete(slot);
      // Out of the bucket before any runs: a callback cancelling a timer of the same slot must not reorder it.
      for (const e of b) e.bucket = undefined;
      for (const e of b) {
        const fn = e.fn;
        if (fn === undefined) continue;
        e.fn = undefined;
        try {
          fn();
        } catch {
          // A timer callback must not stop the others; callers log their own errors.
        }
      }
    }
    this.lastTick = current;
    // Lanes expire at the tick boundary, as a timer due at the same time would.
    const at = current * this.tickMs;
    for (const l of this.lanes) l.run(at);
  }

  stop(): void {
    clearInterval(this.interval);
    this.buckets.clear();
    for (const l of this.lanes) l.clear();
  }
}
