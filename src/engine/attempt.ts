// The call attempt the engine reasons about, and the live call it watches. Adapters describe an attempt with the
// port's AttemptInput; the engine adds the destination (numbering) and keeps the call while it lasts.
import type { AttemptInput } from '../adapters/decider.js';
import type { Destination, Price } from '../numbering/index.js';
import { costOfTalk } from '../numbering/index.js';
import type { LocalTime } from './local-time.js';
import type { Decision } from './decision.js';

/** One call at setup, as every rule sees it. */
export interface CallAttempt extends Omit<AttemptInput, 'diversion' | 'historyInfo'> {
  /** The called number as dialled, normalised and classified with the tenant's dial plan. */
  destination: Destination;
  /** Forwarding history (Diversion, History-Info); empty when the call is not a forward. */
  diversion: string[];
  historyInfo: string[];
  /** The event time as a person in the tenant's zone reads it. */
  local: LocalTime;
}

/** What rules learn about an attempt and tell the rules after them (rules run in the rule list's order). */
export interface AttemptFacts {
  /** The tenant is closed now (outside the weekly schedule, a public holiday or a closure): stricter limits apply. */
  offHours?: boolean;
  /** Why it is closed, for evidence: "Saturday", "public holiday: Christmas Day", "closure: inventory". */
  closedBecause?: string;
  /** The destination is on the tenant's allow list: destination rules leave it alone. */
  allowListed?: boolean;
}

/** A call the engine let through (or would have, in monitor mode), until it ends. */
export interface LiveCall {
  attempt: CallAttempt;
  decision: Decision;
  price: Price;
  answeredAt?: number;
  /** Set once a cut was ordered, so the order is not repeated every tick. */
  cutAt?: number;
  /** The tenant's profile learned this call at setup (an outbound call not refused): it learns its end too. */
  learned?: boolean;
  /** When it ended: set by the engine before the rules' `end`, so a rule holding calls in a queue drops them lazily. */
  endedAt?: number;
}

/** Estimated cost of a live call at `time` (0 until answered). */
export function runningCost(call: LiveCall, time: number): number {
  return call.answeredAt === undefined ? 0 : costOfTalk(call.price, time - call.answeredAt);
}
