// Sequential dialling (R-ANOMALY): before pumping traffic, fraudsters test which numbers of a rented range answer,
// dialling many neighbouring numbers in a short time (+2399900101, …102, …105). People do not do that.
import { z } from 'zod';
import { defineRule } from '../engine/rule.js';
import { KeyedDistinct } from '../engine/windows.js';
import { classOption } from './options.js';
import type { CallAttempt } from '../engine/attempt.js';

const options = z
  .strictObject({
    rangeDigits: z
      .number()
      .int()
      .min(1)
      .max(6)
      .default(2)
      .describe('Numbers equal but for their last N digits are one range (2: a range of 100 numbers).'),
    distinct: z.number().int().min(2).default(5).describe('Distinct numbers of one range that raise the signal.'),
    windowMinutes: z.number().positive().default(10).describe('Over this many minutes.'),
    classes: z
      .array(classOption)
      .default(['national', 'mobile', 'international', 'premium', 'shared-cost', 'satellite', 'high-risk', 'unknown'])
      .describe('Classes watched (free and emergency numbers are not).'),
  })
  .describe('Sequential dialling.');

type Options = z.infer<typeof options>;

function rangeOf(a: CallAttempt, o: Options): { range: string; number: string } | undefined {
  const n = a.destination.e164 ?? a.destination.dialled;
  if (!o.classes.includes(a.destination.cls) || n.length <= o.rangeDigits + 3) return undefined;
  return { range: n.slice(0, n.length - o.rangeDigits), number: n };
}

export const sequentialDiallingRule = defineRule<Options, KeyedDistinct>({
  id: 'sequential-dialling',
  description: 'Refuses calls when many different numbers of one range are dialled in a short time (range testing).',
  recommendation: 'R-ANOMALY',
  options,
  signals: {
    SEQ_RANGE_SCAN: {
      description: 'Many numbers of one range dialled in a short time.',
      action: 'reject',
      severity: 'high',
    },
  },
  state: (o) => new KeyedDistinct(o.windowMinutes * 60_000, 1000),
  check(attempt, ctx) {
    const r = rangeOf(attempt, ctx.options);
    if (!r) return undefined;
    const count = ctx.state.count(r.range, attempt.time);
    const distinct = ctx.state.has(r.range, r.number, attempt.time) ? count : count + 1;
    if (distinct < ctx.options.distinct) return undefined;
    // The numbers themselves are copied only for a signal's evidence.
    const seen = ctx.state.values(r.range, attempt.time);
    const x = 'x'.repeat(ctx.options.rangeDigits);
    return {
      signal: 'SEQ_RANGE_SCAN',
      message: `${distinct} different numbers of ${r.range}${x} dialled in ${ctx.options.windowMinutes} min`,
      evidence: { range: `${r.range}${x}`, distinct, limit: ctx.options.distinct, recent: seen.slice(-10) },
    };
  },
  admit(call, ctx) {
    const r = rangeOf(call.attempt, ctx.options);
    if (r) ctx.state.add(r.range, r.number, call.attempt.time);
  },
  sweep(time, ctx) {
    ctx.state.sweep(time);
  },
});
