// Block and allow lists of numbers and prefixes (R-DESTINATIONS). Outbound, the called number is matched; inbound,
// the caller. An allow-listed destination is left alone by the destination rules after this one (a subsidiary
// abroad, a supplier on a premium line the company really calls).
import { z } from 'zod';
import { defineRule } from '../engine/rule.js';

const entry = z
  .string()
  .regex(/^\+?[0-9]{1,20}$/, 'is not a number or prefix (+33899, 0899, +441632960000)')
  .describe('A number or prefix: with `+` it is matched against the E.164 form, without against what was dialled.');

const options = z
  .strictObject({
    block: z.array(entry).default([]).describe('Numbers and prefixes refused.'),
    allow: z.array(entry).default([]).describe('Numbers and prefixes the destination rules leave alone.'),
  })
  .describe('Block and allow lists.');

type Options = z.infer<typeof options>;

/** The longest entry that is a prefix of the number (E.164 entries against e164, others against the dialled form). */
export function listMatch(entries: readonly string[], e164: string | undefined, dialled: string): string | undefined {
  let best: string | undefined;
  for (const e of entries) {
    const target = e.startsWith('+') ? e164 : dialled;
    if (target?.startsWith(e) && (best === undefined || e.length > best.length)) best = e;
  }
  return best;
}

export const listsRule = defineRule<Options>({
  id: 'lists',
  description:
    'Refuses numbers and prefixes on the block list; exempts those on the allow list from destination rules.',
  recommendation: 'R-DESTINATIONS',
  directions: ['outbound', 'inbound'],
  options,
  signals: {
    LIST_BLOCKED: { description: 'The number is on the block list.', action: 'reject', severity: 'high' },
    LIST_ALLOWED: { description: 'The number is on the allow list.', action: 'allow', severity: 'info' },
  },
  check(attempt, ctx) {
    const outbound = attempt.direction === 'outbound';
    // Inbound, the number that matters is who calls; outbound, where the call goes.
    const dialled = outbound ? attempt.destination.dialled : attempt.caller;
    const e164 = outbound ? attempt.destination.e164 : attempt.caller.startsWith('+') ? attempt.caller : undefined;
    const blocked = listMatch(ctx.options.block, e164, dialled);
    if (blocked !== undefined) {
      return {
        signal: 'LIST_BLOCKED',
        message: `${e164 ?? dialled} is on the block list (${blocked})`,
        evidence: { number: e164 ?? dialled, entry: blocked },
      };
    }
    const allowed = outbound ? listMatch(ctx.options.allow, e164, dialled) : undefined;
    if (allowed !== undefined) {
      ctx.facts.allowListed = true;
      return {
        signal: 'LIST_ALLOWED',
        message: `${e164 ?? dialled} is on the allow list (${allowed})`,
        evidence: { number: e164 ?? dialled, entry: allowed },
      };
    }
    return undefined;
  },
});
