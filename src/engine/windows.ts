// Counters over sliding windows, kept per key (an extension, a tenant, a number range). Each key holds only the
// buckets that saw something, so a quiet extension costs a few bytes; keys idle for longer than their window are
// swept away. Time is the event's, so replay gives the same counts as live.

/** Sums amounts over the last `windowMs`, at the resolution of `windowMs / buckets`. */
export class SlidingSum {
  private readonly bucketMs: number;
  // Parallel queues of (bucket index, amount), oldest first; `head` skips expired entries without shifting.
  private idx: number[] = [];
  private amt: number[] = [];
  private head = 0;
  private total = 0;

  constructor(
    readonly windowMs: number,
    buckets = 60,
  ) {
    this.bucketMs = Math.max(1, Math.floor(windowMs / buckets));
  }

  add(time: number, amount = 1): void {
    const b = Math.floor(time / this.bucketMs);
    this.expire(b);
    const last = this.idx.length - 1;
    if (last >= this.head && this.idx[last] === b) this.amt[last]! += amount;
    else {
      this.idx.push(b);
      this.amt.push(amount);
    }
    this.total += amount;
  }

  /** The sum over the window ending at `time`. */
  sum(time: number): number {
    this.expire(Math.floor(time / this.bucketMs));
    return this.total;
  }

  /** True when nothing is left in the window ending at `time`. */
  idle(time: number): boolean {
    // A sum whose newest bucket is still in the window is not idle: known without expiring the older ones (every
    // key is asked at every sweep).
    const last = this.idx.length - 1;
    if (last >= this.head && this.idx[last]! >= this.oldest(Math.floor(time / this.bucketMs))) return false;
    return this.sum(time) === 0 && this.head >= this.idx.length;
  }

  private oldest(bucket: number): number {
    return bucket - Math.ceil(this.windowMs / this.bucketMs) + 1;
  }

  private expire(bucket: number): void {
    const oldest = this.oldest(bucket);
    while (this.head < this.idx.length && this.idx[this.head]! < oldest) {
      this.total -= this.amt[this.head]!;
      this.head++;
    }
    if (this.head > 32 && this.head * 2 > this.idx.length) {
      this.idx = this.idx.slice(this.head);
      this.amt = this.amt.slice(this.head);
      this.head = 0;
    }
    if (this.head >= this.idx.length) this.total = 0; // no float drift once empty
  }
}

/** Sliding sums by key, all with the same window. */
export class KeyedSums {
  private readonly sums = new Map<string, SlidingSum>();

  constructor(
    readonly windowMs: number,
    private readonly buckets = 60,
  ) {}

  add(key: string, time: number, amount = 1): void {
    let s = this.sums.get(key);
    if (!s) this.sums.set(key, (s = new SlidingSum(this.windowMs, this.buckets)));
    s.add(time, amount);
  }

  sum(key: string, time: number): number {
    return this.sums.get(key)?.sum(time) ?? 0;
  }

  /** Forgets keys with nothing left in their window. */
  sweep(time: number): void {
    // forEach, not for…of over entries: no [key, value] pair allocated per key at every sweep.
    this.sums.forEach((s, k) => {
      if (s.idle(time)) this.sums.delete(k);
    });
  }

  get size(): number {
    return this.sums.size;
  }
}

/** Distinct values seen per key over a sliding window (e.g. distinct numbers dialled in one range). */
export class KeyedDistinct {
  private readonly seen = new Map<string, Map<string, number>>();

  constructor(
    readonly windowMs: number,
    /** At most this many values are kept per key (the oldest go first). */
    private readonly maxPerKey = 1000,
  ) {}

  add(key: string, value: string, time: number): void {
    let m = this.seen.get(key);
    if (!m) this.seen.set(key, (m = new Map()));
    m.delete(value); // re-insert so iteration order stays oldest first
    m.set(value, time);
    if (m.size > this.maxPerKey) m.delete(m.keys().next().value!);
  }

  /** Values seen under `key` within the window ending at `time` (oldest first). */
  values(key: string, time: number): string[] {
    const m = this.window(key, time);
    return m ? [...m.keys()] : [];
  }

  count(key: string, time: number): number {
    return this.window(key, time)?.size ?? 0;
  }

  /** Whether `value` was seen under `key` within the window ending at `time`. */
  has(key: string, value: string, time: number): boolean {
    return this.window(key, time)?.has(value) ?? false;
  }

  sweep(time: number): void {
    this.seen.forEach((_, k) => {
      if (this.count(k, time) === 0) this.seen.delete(k);
    });
  }

  /** The values of `key` with those older than the window ending at `time` dropped; read without copying them. */
  private window(key: string, time: number): Map<string, number> | undefined {
    const m = this.seen.get(key);
    if (!m) return undefined;
    const since = time - this.windowMs;
    for (const [v, t] of m) {
      if (t >= since) break;
      m.delete(v);
    }
    return m;
  }

  get size(): number {
    return this.seen.size;
  }
}

/**
 * Counter keys and labels built from a prefix and a part (`x:201`, `p:+882`, `extension 201`), each built once: every
 * call asks rules for two or three, and a string built per call was a share of replay's allocation. Bounded: past
 * 100,000 parts it starts again.
 */
export class KeyNames {
  private readonly names = new Map<string, string>();

  constructor(private readonly prefix: string) {}

  of(part: string): string {
    let k = this.names.get(part);
    if (k === undefined) {
      if (this.names.size >= 100_000) this.names.clear();
      this.names.set(part, (k = this.prefix + part));
    }
    return k;
  }
}

/** The counter key of an extension (`x:201`), the one every rule counts an extension's calls and spend under. */
export const extensionKeys = new KeyNames('x:');
