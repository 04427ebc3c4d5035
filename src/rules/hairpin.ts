// Hairpins (R-DISA): an outside caller enters through the trunk and leaves again through it — DISA, a follow-me or
// a trunk-to-trunk bridge. The company pays the outbound leg of a call it never placed. Seen either because the
// adapter knows (a CDR showing both legs on the trunk) or because an outbound call carries the caller number of an
// inbound call that is live right now (the PBX passed the outside caller's identity through).
import { z } from 'zod';
import { defineRule } from '../engine/rule.js';
import { COSTLY_CLASSES, classOption, shown } from './options.js';
import { TurnoverMap } from '../collections/turnover-map.js';

const options = z
  .strictObject({
    costly: z
      .array(classOption)
      .default(COSTLY_CLASSES)
      .describe('Destination classes a hairpinned call must not reach (HAIRPIN_COSTLY); others raise HAIRPIN_CALL.'),
  })
  .describe('Inbound calls bridged back out.');

type Options = z.infer<typeof options>;

/** The last 9 digits: enough to match +33612345678 with 0612345678, too many to match an extension. */
export function numberKey(n: string): string | undefined {
  const digits = n.replace(/\D/g, '');
  return digits.length >= 6 ? digits.slice(-9) : undefined;
}

/** Live inbound calls by caller number key, with the number each called (kept by the rule as calls come and go). */
type State = TurnoverMap<string, { count: number; called: string }>;

export const hairpinRule = defineRule<Options, State>({
  id: 'hairpin',
  description: 'Finds outbound calls that are inbound trunk calls bridged back out (DISA, trunk-to-trunk).',
  recommendation: 'R-DISA',
  options,
  signals: {
    HAIRPIN_COSTLY: {
      description: 'An inbound call bridged out to an expensive destination.',
      action: 'reject',
      severity: 'critical',
    },
    HAIRPIN_CALL: { description: 'An inbound call bridged back out.', action: 'alert', severity: 'medium' },
  },
  state: () => new TurnoverMap(),
  check(attempt, ctx) {
    let via: string | undefined;
    if (attempt.bridgedFromInbound) via = 'the call record shows an inbound trunk leg';
    else {
      const key = numberKey(attempt.caller);
      const inbound = key !== undefined ? ctx.state.get(key) : undefined;
      if (inbound) via = `caller ${attempt.caller} is on a live inbound call (to ${inbound.called})`;
    }
    if (via === undefined) return undefined;
    const d = attempt.destination;
    const costly = ctx.options.costly.includes(d.cls);
    return {
      signal: costly ? 'HAIRPIN_COSTLY' : 'HAIRPIN_CALL',
      message: `outbound call to ${d.cls} ${shown(d)} bridged from an inbound call: ${via}`,
      evidence: { number: shown(d), class: d.cls, caller: attempt.caller, via },
    };
  },
  admit(call, ctx) {
    const key = call.attempt.direction === 'inbound' ? numberKey(call.attempt.caller) : undefined;
    if (key === undefined) return;
    const e = ctx.state.get(key);
    if (e) e.count++;
    else ctx.state.set(key, { count: 1, called: call.attempt.called });
  },
  end(call, _time, ctx) {
    const key = call.attempt.direction === 'inbound' ? numberKey(call.attempt.caller) : undefined;
    const e = key !== undefined ? ctx.state.get(key) : undefined;
    if (!e) return;
    if (--e.count <= 0) ctx.state.delete(key!);
  },
});
