// Maximum duration per destination class (R-DESTINATIONS): a pumped call to a revenue-share number stays up for
// hours; cutting it at a cap bounds the loss of one call even when every other rule let it through.
import { z } from 'zod';
import { defineRule, type LiveRaised } from '../engine/rule.js';
import type { LiveCall } from '../engine/attempt.js';
import { shown } from './options.js';
import { TurnoverMap } from '../collections/turnover-map.js';

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

interface State {
  /**
   * Answered calls by class, in answer order: with one cap per class that is also the order of their deadlines, so
   * the front of each queue is when the watch must next look (quietUntil). Ended calls (endedAt set by the engine)
   * leave lazily.
   */
  queues: TurnoverMap<string, { calls: LiveCall[]; head: number; sweepAt: number }>;
  /** The queues hold every answered call: false in a state made fresh by a policy change while calls were up. */
  seeded: boolean;
}

/** A queue this long (from its front) is swept of ended calls; then twice what is left. */
const SWEEP_AT = 64;

function capOf(call: LiveCall, o: Options): number | null {
  const a = call.attempt;
  if (a.direction !== 'outbound' || a.destination.cls === 'emergency') return null;
  return o[a.destination.cls as keyof Options] ?? null;
}

export const maxDurationRule = defineRule<Options, State>({
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
  state: () => ({ queues: new TurnoverMap(), seeded: false }),
  answer(call, time, ctx) {
    if (capOf(call, ctx.options) === null || !ctx.state.seeded) return;
    const cls = call.attempt.destination.cls;
    let q = ctx.state.queues.get(cls);
    if (!q) ctx.state.queues.set(cls, (q = { calls: [], head: 0, sweepAt: SWEEP_AT }));
    // Answers come in time order; one that does not (a late record) is put in its place.
    let i = q.calls.length;
    while (i > q.head && q.calls[i - 1]!.answeredAt! > time) i--;
    q.calls.splice(i, 0, call);
    // Ended and cut calls leave from the front as the watch passes them, but behind a long call at the front they
    // stayed, holding every later call of the class (promoted by the collector, a large share of its work in a
    // replay): they are taken out whenever the queue doubles. The order of the others, all that is read, is kept.
    if (q.calls.length - q.head >= q.sweepAt) {
      q.calls = q.calls.filter((c, j) => j >= q.head && c.endedAt === undefined && c.cutAt === undefined);
      q.head = 0;
      q.sweepAt = Math.max(SWEEP_AT, 2 * q.calls.length);
    }
  },
  quietUntil(ctx, answered) {
    if (answered) {
      const cap = capOf(answered, ctx.options);
      return cap === null ? Infinity : answered.answeredAt! + cap * 60_000;
    }
    if (!ctx.state.seeded) {
      const answered = [...ctx.tenant.liveCalls()].filter((c) => c.answeredAt !== undefined);
      answered.sort((a, b) => a.answeredAt! - b.answeredAt!);
      ctx.state.seeded = true;
      for (const c of answered) maxDurationRule.answer!(c, c.answeredAt!, ctx);
    }
    let due = Infinity;
    for (const [cls, q] of ctx.state.queues) {
      while (
        q.head < q.calls.length &&
        (q.calls[q.head]!.endedAt !== undefined || q.calls[q.head]!.cutAt !== undefined)
      )
        q.head++;
      if (q.head > 1024 && q.head * 2 > q.calls.length) {
        q.calls = q.calls.slice(q.head);
        q.head = 0;
      }
      if (q.head >= q.calls.length) {
        ctx.state.queues.delete(cls);
        continue;
      }
      const cap = capOf(q.calls[q.head]!, ctx.options);
      if (cap !== null) due = Math.min(due, q.calls[q.head]!.answeredAt! + cap * 60_000);
    }
    return due;
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
