// Counters over sliding windows, kept per key (an extension, a tenant, a number range). Each key holds only the
// buckets that saw something, so a quiet extension costs a few bytes; keys idle for longer than their window are
// swept away. Time is the event's, so replay gives the same counts as live.

import { TurnoverMap } from '../collections/turnover-map.js';
import { BoundedCache } from '../collections/bounded-cache.js';

/** Sums amounts over the last `windowMs`, at the resolution of `windowMs / buckets`. */
export class SlidingSum {
  private readonly bucketMs: number;
  /** Buckets in the window. */
  private readonly span: number;
  // The newest bucket in fields: most keys (an extension's minute, a rare prefix's hour) see one bucket in their
  // window, and a sum of those is one small object; a new sum per rare key with two arrays was a fifth of replay's
  // garbage.
  private newest = -Infinity;
  private newestAmount = 0;
  // Older buckets, oldest first, allocated at a second bucket; `head` skips expired entries without shifting.
  private idx: number[] | undefined;
  private amt: number[] | undefined;
  private head = 0;
  private older = 0;

  constructor(
    readonly windowMs: number,
    buckets = 60,
  ) {
    this.bucketMs = Math.max(1, Math.floor(windowMs / buckets));
    this.span = Math.ceil(windowMs / this.bucketMs);
  }

  add(time: number, amount = 1): void {
    const b = Math.floor(time / this.bucketMs);
    this.expire(b);
    // A time before the newest bucket (a late event) counts in it: it leaves the window a little late, never early;
    // one already outside every window that holds the newest bucket counts nowhere.
    if (b <= this.newest) {
      if (b <= this.newest - this.span) return;
      this.newestAmount += amount;
      return;
    }
    if (this.newest !== -Infinity) {
      if (!this.idx) {
        this.idx = [];
        this.amt = [];
      }
      this.idx.push(this.newest);
      this.amt!.push(this.newestAmount);
      this.older += this.newestAmount;
    }
    this.newest = b;
    this.newestAmount = amount;
  }

  /** The sum over the window ending at `time`. */
  sum(time: number): number {
    this.expire(Math.floor(time / this.bucketMs));
    return this.older + this.newestAmount;
  }

  /** True when nothing is left in the window ending at `time`: its newest bucket left it (asked at every sweep). */
  idle(time: number): boolean {
    return this.newest < Math.floor(time / this.bucketMs) - this.span + 1;
  }

  private expire(bucket: number): void {
    const oldest = bucket - this.span + 1;
    if (this.newest < oldest) {
      // Everything left the window (the older buckets are older still).
      this.newest = -Infinity;
      this.newestAmount = 0;
      this.older = 0; // no float drift once empty
      if (this.idx) this.idx.length = this.amt!.length = this.head = 0;
      return;
    }
    const idx = this.idx;
    if (!idx) return;
    const amt = this.amt!;
    while (this.head < idx.length && idx[this.head]! < oldest) {
      this.older -= amt[this.head]!;
      this.head++;
    }
    if (this.head >= idx.length) {
      idx.length = amt.length = this.head = 0;
      this.older = 0;
    } else if (this.head > 32 && this.head * 2 > idx.length) {
      // Shifted in place: no new arrays.
      idx.copyWithin(0, this.head);
      amt.copyWithin(0, this.head);
      idx.length = amt.length = idx.length - this.head;
      this.head = 0;
    }
  }
}

/** Sliding sums by key, all with the same window. */
export class KeyedSums {
  private readonly sums = new TurnoverMap<string, SlidingSum>();

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
  private readonly seen = new TurnoverMap<string, TurnoverMap<string, number>>();

  constructor(
    readonly windowMs: number,
    /** At most this many values are kept per key (the oldest go first). */
    private readonly maxPerKey = 1000,
  ) {}

  add(key: string, value: string, time: number): void {
    let m = this.seen.get(key);
    if (!m) this.seen.set(key, (m = new TurnoverMap()));
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
  private window(key: string, time: number): TurnoverMap<string, number> | undefined {
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
  private readonly names = new BoundedCache<string, string>(100_000);

  constructor(private readonly prefix: string) {}

  of(part: string): string {
    return this.names.get(part) ?? this.names.set(part, this.prefix + part);
  }
}

/** The counter key of an extension (`x:201`), the one every rule counts an extension's calls and spend under. */
export const extensionKeys = new KeyNames('x:');
