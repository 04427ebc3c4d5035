// One timer for many: SIP transactions each hold several timers (retransmit, timeout, linger); at thousands of calls
// a second one setTimeout per timer costs more than the work. Timers are bucketed by a fixed tick and fire within one
// tick of their time; cancelled entries are skipped.

export interface TimerHandle {
  cancelled: boolean;
}

/**
 * A timer in its bucket. Cancelling it drops its callback at once: a cancelled guard timer (a transaction's 200 s
 * limit) would otherwise keep what its callback holds (the transaction, its messages) alive until its slot comes.
 */
class Entry implements TimerHandle {
  constructor(
    readonly due: number,
    public fn: (() => void) | undefined,
  ) {}
  get cancelled(): boolean {
    return this.fn === undefined;
  }
  set cancelled(v: boolean) {
    if (v) this.fn = undefined;
  }
}

export class TimerWheel {
  private readonly buckets = new Map<number, Entry[]>();
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
    const b = this.buckets.get(slot);
    if (b) b.push(e);
    else this.buckets.set(slot, [e]);
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
