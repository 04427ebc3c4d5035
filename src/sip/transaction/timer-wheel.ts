// One timer for many: SIP transactions each hold several timers (retransmit, timeout, linger); at thousands of calls
// a second one setTimeout per timer costs more than the work. Timers are bucketed by a fixed tick and fire within one
// tick of their time; a cancelled entry leaves its bucket at once.

import { TurnoverMap } from '../../collections/turnover-map.js';

export interface TimerHandle {
  cancelled: boolean;
}

/**
 * A timer in its bucket. Cancelling it takes it out of its bucket at once: most timers are cancelled within
 * milliseconds (retransmissions answered, a 200 s guard ended by a final response), and an entry left in its bucket
 * until its slot comes would outlive its use by seconds — each young-generation collection then copies it and moves
 * it to the old one (the setup-time tail under load), and it would keep what its callback holds alive.
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

export class TimerWheel {
  private readonly buckets = new TurnoverMap<number, Entry[]>();
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
  }

  stop(): void {
    clearInterval(this.interval);
    this.buckets.clear();
  }
}
