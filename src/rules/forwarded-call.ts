// Forwarded and transferred calls (R-EXTERNAL-SERVICES): the voicemail-forward hack. An attacker guesses a
// voicemail PIN, sets the mailbox to forward to a premium or foreign number, then calls the company's number: the
// PBX places the expensive call itself. Such an outbound call carries Diversion or History-Info (a forward) or
// Referred-By (a transfer).
import { z } from 'zod';
import { defineRule } from '../engine/rule.js';
import { COSTLY_CLASSES, classOption, shown } from './options.js';
import type { CallAttempt } from '../engine/attempt.js';

const options = z
  .strictObject({
    costly: z
      .array(classOption)
      .default(COSTLY_CLASSES)
      .describe('Destination classes a forward or transfer must not reach.'),
  })
  .describe('Forwarded and transferred calls.');

type Options = z.infer<typeof options>;

/** History-Info entries that record a retargeting (a forward), not just the original request. */
function forwardedByHistoryInfo(entries: string[]): boolean {
  const all = entries.flatMap((e) => e.split(/,(?=\s*<)/));
  return all.length > 1 || all.some((e) => /cause(=|%3D)|;mp=|;rc=/i.test(e));
}

export function howForwarded(a: CallAttempt): { kind: 'forward' | 'transfer'; by: string } | undefined {
  if (a.diversion.length > 0) return { kind: 'forward', by: `Diversion: ${a.diversion[0]}` };
  if (a.historyInfo.length > 0 && forwardedByHistoryInfo(a.historyInfo))
    return { kind: 'forward', by: `History-Info: ${a.historyInfo.join(', ').slice(0, 200)}` };
  if (a.referredBy) return { kind: 'transfer', by: `Referred-By: ${a.referredBy}` };
  return undefined;
}

export const forwardedCallRule = defineRule<Options>({
  id: 'forwarded-call',
  description: 'Refuses an outbound forward or transfer to an expensive destination (the voicemail-forward hack).',
  recommendation: 'R-EXTERNAL-SERVICES',
  options,
  signals: {
    FWD_TO_COSTLY: { description: 'A forwarded call to an expensive destination.', action: 'reject', severity: 'high' },
    TRANSFER_TO_COSTLY: {
      description: 'A transferred call to an expensive destination.',
      action: 'reject',
      severity: 'high',
    },
    FWD_OUTBOUND: {
      description: 'A forwarded or transferred call to an ordinary destination.',
      action: 'allow',
      severity: 'info',
    },
  },
  check(attempt, ctx) {
    const how = howForwarded(attempt);
    if (!how) return undefined;
    const d = attempt.destination;
    const evidence = { number: shown(d), class: d.cls, kind: how.kind, header: how.by };
    if (ctx.options.costly.includes(d.cls)) {
      return {
        signal: how.kind === 'forward' ? 'FWD_TO_COSTLY' : 'TRANSFER_TO_COSTLY',
        message: `${how.kind === 'forward' ? 'forwarded' : 'transferred'} call to ${d.cls} ${shown(d)} (${how.by})`,
        evidence,
      };
    }
    return { signal: 'FWD_OUTBOUND', message: `${how.kind} to ${d.cls} ${shown(d)}`, evidence };
  },
});
