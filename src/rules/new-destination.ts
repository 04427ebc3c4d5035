// New destinations (R-ANOMALY): a company calls the same few countries year after year; fraud goes where the
// fraudster is paid. Once the tenant has enough history, a country it never called stands out, and several calls
// to it in a short time stand out more. The history is the tenant's profile (learned from the calls let through,
// kept in the store), so the warm-up survives a restart.
import { z } from 'zod';
import { defineRule } from '../engine/rule.js';
import { KeyedSums } from '../engine/windows.js';
import { abroadKey, spanText } from '../engine/profile.js';
import { shown } from './options.js';

const DAY = 86_400_000;

const options = z
  .strictObject({
    minHistoryDays: z.number().min(0).default(14).describe('History needed before anything is called new (days).'),
    minCalls: z.number().int().min(0).default(50).describe('Outbound calls needed before anything is called new.'),
    learnHours: z
      .number()
      .min(0)
      .default(24)
      .describe('A country first called this many hours ago or more is known; before, its calls still count as new.'),
    burstCalls: z.number().int().min(1).default(3).describe('Calls to a new country that make a burst.'),
    burstMinutes: z.number().positive().default(60).describe('Over this many minutes.'),
  })
  .describe('New destinations.');

type Options = z.infer<typeof options>;

interface State {
  /** Calls to countries still new, by country, over the burst window. */
  recent: KeyedSums;
}

export const newDestinationRule = defineRule<Options, State>({
  id: 'new-destination',
  description: 'Flags calls to countries the tenant has not called in its learned history, more so in a burst.',
  recommendation: 'R-ANOMALY',
  options,
  signals: {
    NEW_COUNTRY: { description: 'A country this tenant has not called before.', action: 'alert', severity: 'medium' },
    NEW_COUNTRY_BURST: {
      description: 'Several calls in a short time to a country not called before.',
      action: 'reject',
      severity: 'high',
    },
  },
  state: (o) => ({ recent: new KeyedSums(o.burstMinutes * 60_000) }),
  check(attempt, ctx) {
    const o = ctx.options;
    const p = ctx.tenant.profile.scope();
    const key = abroadKey(attempt, ctx.tenant.country);
    if (key === undefined || p === undefined) return undefined;
    const history = attempt.time - p.since;
    if (history < o.minHistoryDays * DAY || p.calls < o.minCalls) return undefined;
    const known = p.countries[key];
    if (known && known.first <= attempt.time - o.learnHours * 3_600_000) return undefined;
    const recent = ctx.state.recent.sum(key, attempt.time) + 1;
    const evidence = {
      country: key,
      recentCalls: recent,
      historyDays: Math.floor(history / DAY),
      historyCalls: p.calls,
      // How unusual: calls to it in the burst window, against the burst size.
      score: Math.round((recent / o.burstCalls) * 100) / 100,
    };
    if (recent >= o.burstCalls) {
      return {
        signal: 'NEW_COUNTRY_BURST',
        message: `${recent} calls to ${key} in ${o.burstMinutes} min (now ${shown(attempt.destination)}); this tenant never called ${key} in ${spanText(history)}`,
        evidence,
      };
    }
    return {
      signal: 'NEW_COUNTRY',
      message: `first calls to ${key} (${shown(attempt.destination)}); never called in ${spanText(history)} of history`,
      evidence,
    };
  },
  admit(call, ctx) {
    // The profile learns this call after the rules: what it holds now is the history before it.
    const a = call.attempt;
    const key = abroadKey(a, ctx.tenant.country);
    if (key === undefined) return;
    const known = ctx.tenant.profile.scope()?.countries[key];
    if (!known || known.first > a.time - ctx.options.learnHours * 3_600_000) ctx.state.recent.add(key, a.time);
  },
  sweep(time, ctx) {
    ctx.state.recent.sweep(time);
  },
});
