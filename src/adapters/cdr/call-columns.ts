// Calls to replay as columns, for the trip from the reading thread to the engine's: their numbers in one
// Float64Array moved (not copied) with the message, their strings in one array. A batch of call objects was cloned
// key by key on one side and rebuilt shape by shape on the other, a tenth of each thread's time; and rebuilt all at
// once, a batch's calls outlived the young generation. Here each call is built when it is replayed.
import type { Leg, LegView } from './legs.js';
import type { CdrRecord } from './record.js';
import type { ReplayCall } from './replay.js';
import { replayCall } from './call-of-cdr.js';

/** Numbers per call: line, start, answer (NaN when never answered), end, billsec, flags. */
const NUMS = 6;
/** Strings per call: id, caller, callerExtension, called, why, userAgent, sourceAddress ('' when absent). */
const STRS = 7;

const ANSWERED = 1;
const HAS_ID = 2;
const HAS_EXTENSION = 4;
const LEG_SHIFT = 3;
const LEG_CODES: readonly Leg[] = ['outbound', 'inbound', 'internal', 'trunk-to-trunk'];

/** A batch of calls as it travels: `nums.buffer` goes in the message's transfer list. */
export interface CallColumns {
  count: number;
  nums: Float64Array;
  strs: string[];
}

/** Fills columns on the reading thread, one call at a time. */
export class ColumnWriter {
  private nums: Float64Array;
  private strs: string[] = [];
  private n = 0;

  constructor(private readonly capacity: number) {
    this.nums = new Float64Array(capacity * NUMS);
  }

  get count(): number {
    return this.n;
  }

  /** The call `callOfCdr(rec, legs)` would build, from the row and its legs as read. */
  push(rec: CdrRecord, view: LegView): void {
    const o = this.n * NUMS;
    const nums = this.nums;
    nums[o] = rec.line;
    nums[o + 1] = rec.start;
    nums[o + 2] = rec.answer ?? NaN;
    nums[o + 3] = rec.end;
    nums[o + 4] = rec.billsec;
    nums[o + 5] =
      (rec.answered ? ANSWERED : 0) |
      (rec.id !== undefined ? HAS_ID : 0) |
      (view.callerExtension !== undefined ? HAS_EXTENSION : 0) |
      (LEG_CODES.indexOf(view.leg) << LEG_SHIFT);
    this.strs.push(
      rec.id ?? '',
      view.caller,
      view.callerExtension ?? '',
      view.called,
      view.why,
      rec.userAgent,
      rec.sourceAddress,
    );
    this.n++;
  }

  /** The columns so far, and a fresh writer state for the next batch. */
  take(): CallColumns {
    const out: CallColumns = { count: this.n, nums: this.nums, strs: this.strs };
    this.nums = new Float64Array(this.capacity * NUMS);
    this.strs = [];
    this.n = 0;
    return out;
  }
}

/** Call `i` of a batch, built as callOfCdr builds it. */
export function callAt(c: CallColumns, i: number): ReplayCall {
  const o = i * NUMS;
  const s = i * STRS;
  const nums = c.nums;
  const strs = c.strs;
  const flags = nums[o + 5]!;
  const view: LegView = {
    leg: LEG_CODES[flags >> LEG_SHIFT]!,
    caller: strs[s + 1]!,
    called: strs[s + 3]!,
    why: strs[s + 4]!,
  };
  if (flags & HAS_EXTENSION) view.callerExtension = strs[s + 2]!;
  const answer = nums[o + 2]!;
  return replayCall(
    nums[o]!,
    nums[o + 1]!,
    Number.isNaN(answer) ? undefined : answer,
    nums[o + 3]!,
    nums[o + 4]!,
    (flags & ANSWERED) !== 0,
    view,
    flags & HAS_ID ? strs[s]! : undefined,
    strs[s + 5]!,
    strs[s + 6]!,
  );
}
