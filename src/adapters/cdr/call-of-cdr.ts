// A CDR row as the call replay decides on, its legs read with the tenant's numbering. Kept apart from the session
// so the reading thread loads it without the engine.
import type { LegReader } from './legs.js';
import type { CdrRecord } from './record.js';
import type { ReplayCall } from './replay.js';

/** A CDR row as a call to replay: the LegReader says what it is. */
export function callOfCdr(rec: CdrRecord, legs: LegReader): ReplayCall {
  const call: ReplayCall = {
    line: rec.line,
    start: rec.start,
    end: rec.end,
    billsec: rec.billsec,
    answered: rec.answered,
    view: legs.read(rec),
  };
  if (rec.id !== undefined) call.id = rec.id;
  if (rec.answer !== undefined) call.answer = rec.answer;
  if (rec.userAgent) call.userAgent = rec.userAgent;
  if (rec.sourceAddress) call.sourceAddress = rec.sourceAddress;
  return call;
}
