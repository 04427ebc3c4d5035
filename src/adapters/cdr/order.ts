// Puts records in start order as they stream in. PBXs write a record when the call ends, so a file is in end
// order: a record can start before records written ahead of it, by at most the longest call. Records are held in
// a heap until no record still to come can start before them (the watermark), so memory is bounded by the calls of
// one window, not by the file. FreeSWITCH b-leg rows (legs="ab") are folded into their a-leg here.
import { Heap } from './heap.js';
import type { CdrRecord } from './record.js';

/** How far back a record may start before the records already read (the default covers 6-hour calls). */
export const DEFAULT_REORDER_WINDOW_MS = 6 * 3_600_000;

/** How many b-leg uuids are remembered to fold b-leg rows written after their a-leg. */
const BLEG_MEMORY = 65_536;

export class StartOrder {
  private readonly heap = new Heap<CdrRecord>((a, b) => a.start < b.start || (a.start === b.start && a.line < b.line));
  private maxStart = -Infinity;
  private maxEnd = -Infinity;
  private readonly blegs = new Set<string>();
  /** b-leg rows folded into their a-leg. */
  folded = 0;
  /** The most records held at once (for the benchmark's memory figure). */
  peak = 0;

  constructor(
    private readonly emit: (r: CdrRecord) => void,
    private readonly windowMs = DEFAULT_REORDER_WINDOW_MS,
  ) {}

  push(r: CdrRecord): void {
    if (r.id !== undefined && this.blegs.has(r.id)) {
      this.folded++;
      return;
    }
    if (r.blegUuid) {
      this.blegs.add(r.blegUuid);
      if (this.blegs.size > BLEG_MEMORY) this.blegs.delete(this.blegs.values().next().value!);
    }
    this.heap.push(r);
    if (this.heap.size > this.peak) this.peak = this.heap.size;
    if (r.start > this.maxStart) this.maxStart = r.start;
    if (r.end > this.maxEnd) this.maxEnd = r.end;
    // Later rows end after maxEnd (end order) or start after maxStart (start order): either way not before this.
    const watermark = Math.min(this.maxEnd - this.windowMs, this.maxStart);
    while (this.heap.size && this.heap.peek()!.start <= watermark) this.out(this.heap.pop()!);
  }

  /** Emits everything held (the file ended). */
  flush(): void {
    while (this.heap.size) this.out(this.heap.pop()!);
  }

  private out(r: CdrRecord): void {
    // An a-leg read after its b-leg: the b-leg is the one held (the same call), the a-leg names it.
    if (r.id !== undefined && this.blegs.has(r.id) && !r.blegUuid) {
      this.folded++;
      return;
    }
    this.emit(r);
  }
}
