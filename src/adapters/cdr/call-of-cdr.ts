// A CDR row as the call replay decides on: the legs read with the tenant's dial plan. Kept apart from the session
// so the reading thread loads it without the engine.
import { Numbering, RiskList, defaultDialPlan } from '../../numbering/index.js';
import type { TenantPolicy } from '../../engine/policy.js';
import type { LegReader } from './legs.js';
import type { CdrRecord } from './record.js';
import type { ReplayCall } from './replay.js';

/** The dial plan a tenant's policy gives, as the engine builds it. */
export function numberingOf(policy: TenantPolicy): Numbering {
  const plan = { ...defaultDialPlan(policy.country), ...(policy.dialPlan ?? {}) };
  const risk = policy.risk ? RiskList.shipped().withEdits(policy.risk) : RiskList.shipped();
  return new Numbering(plan, risk);
}

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
