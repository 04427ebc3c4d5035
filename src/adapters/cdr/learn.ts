// Learns a tenant's traffic profile from call records as they happened (`tollguard import`): every outbound call
// of the file, in start order, its end and cost at its end, as the engine would learn them live. Unlike replay,
// nothing is decided, so fraud in the file is learned too: replay (`--profiles`) learns only what Tollguard would
// have let through.
import type { CallAttempt } from '../../engine/attempt.js';
import type { TenantProfile } from '../../engine/profile.js';
import { Heap } from './heap.js';
import { StartOrder } from './order.js';
import type { CdrRecord } from './record.js';

/** One outbound call to learn: its record, and what the importer read of it. */
export interface LearnedCall {
  rec: CdrRecord;
  attempt: Pick<CallAttempt, 'time' | 'callerExtension' | 'destination'>;
  cost: number;
}

export class ProfileLearner {
  private readonly calls = new Map<CdrRecord, LearnedCall>();
  private readonly order = new StartOrder((r) => this.start(r));
  private readonly ends = new Heap<LearnedCall>((a, b) => a.rec.end < b.rec.end);
  learned = 0;

  constructor(private readonly profile: TenantProfile) {}

  /** A call in file order (end order); learned once no record still to come can start before it. */
  add(call: LearnedCall): void {
    this.calls.set(call.rec, call);
    this.order.push(call.rec);
  }

  /** The file ended: every call held is learned. */
  close(): void {
    this.order.flush();
    this.endUntil(Infinity);
  }

  private start(rec: CdrRecord): void {
    const call = this.calls.get(rec);
    if (!call) return; // a b-leg folded away
    this.calls.delete(rec);
    this.endUntil(rec.start);
    this.profile.learnCall(call.attempt);
    this.ends.push(call);
    this.learned++;
  }

  private endUntil(time: number): void {
    while (this.ends.size && this.ends.peek()!.rec.end <= time) {
      const c = this.ends.pop()!;
      this.profile.learnEnd(c.attempt, c.rec.end, c.cost, c.rec.billsec);
    }
  }
}
