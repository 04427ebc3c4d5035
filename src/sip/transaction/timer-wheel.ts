// One timer for many: SIP transactions each hold several timers (retransmit, timeout, linger); at thousands of calls
// a second one setTimeout per timer costs more than the work. Timers are bucketed by a fixed tick and fire within one
// tick of their time; cancelled entries are skipped.

export interface TimerHandle {
  cancelled: boolean;
}

interface Entry extends TimerHandle {
  due: number;
  fn: () => void;
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
    const e: Entry = { due, fn, cancelled: false };
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
        if (e.cancelled) continue;
        e.cancelled = true;
        try {
          e.fn();
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
