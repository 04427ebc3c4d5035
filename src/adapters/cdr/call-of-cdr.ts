// A CDR row as the call replay decides on, its legs read with the tenant's numbering. Kept apart from the session
// so the reading thread loads it without the engine.
import type { LegReader, LegView } from './legs.js';
import type { CdrRecord } from './record.js';
import type { ReplayCall } from './replay.js';

/** A CDR row as a call to replay: the LegReader says what it is. */
export function callOfCdr(rec: CdrRecord, legs: LegReader): ReplayCall {
  return replayCall(
    rec.line,
    rec.start,
    rec.answer,
    rec.end,
    rec.billsec,
    rec.answered,
    legs.read(rec),
    rec.id,
    rec.userAgent,
    rec.sourceAddress,
  );
}

/**
 * The one shape of a call to replay, whether built here from a row or from the columns the reading thread sends
 * (call-columns.ts): optional fields set only when present. Positional, so a call costs no object of arguments.
 */
export function replayCall(
  line: number,
  start: number,
  answer: number | undefined,
  end: number,
  billsec: number,
  answered: boolean,
  view: LegView,
  id: string | undefined,
  userAgent: string,
  sourceAddress: string,
): ReplayCall {
  const call: ReplayCall = { line, start, end, billsec, answered, view };
  if (id !== undefined) call.id = id;
  if (answer !== undefined) call.answer = answer;
  if (userAgent) call.userAgent = userAgent;
  if (sourceAddress) call.sourceAddress = sourceAddress;
  return call;
}
