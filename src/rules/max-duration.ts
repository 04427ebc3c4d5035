// Maximum duration per destination class (R-DESTINATIONS): a pumped call to a revenue-share number stays up for
// hours; cutting it at a cap bounds the loss of one call even when every other rule let it through.
import { z } from 'zod';
import { defineRule, type LiveRaised } from '../engine/rule.js';
import { shown } from './options.js';

const minutes = (def: number | null) => z.number().positive().nullable().default(def).describe('Minutes; null: no cap');

const options = z
  .strictObject({
    national: minutes(240),
    mobile: minutes(240),
    tollfree: minutes(null),
    international: minutes(90),
    premium: minutes(10),
    'shared-cost': minutes(60),
    satellite: minutes(5),
    'high-risk': minutes(15),
    unknown: minutes(60),
  })
  .describe('Longest answered call per destination class, in minutes (emergency calls are never cut).');

type Options = z.infer<typeof options>;

export const maxDurationRule = defineRule<Options>({
  id: 'max-duration',
  description: 'Cuts an outbound call when it reaches the longest duration allowed for its destination class.',
  recommendation: 'R-DESTINATIONS',
  options,
  signals: {
    DUR_MAX_REACHED: {
      description: 'The call reached the longest duration of its class.',
      action: 'cut',
      severity: 'medium',
    },
  },
  tick(ctx) {
    const out: LiveRaised[] = [];
    for (const call of ctx.tenant.liveCalls()) {
      const a = call.attempt;
      if (a.direction !== 'outbound' || call.answeredAt === undefined || call.cutAt !== undefined) continue;
      if (a.destination.cls === 'emergency') continue;
      const cap = ctx.options[a.destination.cls as keyof Options];
      if (cap === null || cap === undefined) continue;
      const minutes = (ctx.time - call.answeredAt) / 60_000;
      if (minutes < cap) continue;
      out.push({
        call,
        raised: {
          signal: 'DUR_MAX_REACHED',
          message: `${a.destination.cls} call to ${shown(a.destination)} reached ${cap} min, the longest allowed`,
          evidence: { class: a.destination.cls, minutes: Math.round(minutes * 10) / 10, cap },
        },
      });
    }
    return out;
  },
});
