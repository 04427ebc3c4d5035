// New destinations (R-ANOMALY): a company calls the same few countries year after year; fraud goes where the
// fraudster is paid. Once the tenant has enough history, a country it never called stands out, and several calls
// to it in a short time stand out more. History is learned from the calls let through.
import { z } from 'zod';
import { defineRule } from '../engine/rule.js';
import { KeyedSums } from '../engine/windows.js';
import { shown } from './options.js';
import type { CallAttempt } from '../engine/attempt.js';

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
  since?: number;
  calls: number;
  countries: Map<string, { first: number; last: number; count: number }>;
  recent: KeyedSums;
}

/** Where abroad the call goes (`GB`, or `+882` for international networks), or undefined for a call at home. */
export function abroadKey(a: CallAttempt, home: string): string | undefined {
  const d = a.destination;
  if (d.cls === 'emergency' || d.cls === 'unknown') return undefined;
  if (d.country && d.country !== home && d.country !== '001') return d.country;
  if (!d.country || d.country === '001') return d.countryCallingCode ? `+${d.countryCallingCode}` : undefined;
  return undefined;
}

function weeks(ms: number): string {
  const w = Math.floor(ms / (7 * DAY));
  return w >= 1 ? `${w} week${w > 1 ? 's' : ''}` : `${Math.floor(ms / DAY)} days`;
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
  state: (o) => ({ calls: 0, countries: new Map(), recent: new KeyedSums(o.burstMinutes * 60_000) }),
  check(attempt, ctx) {
    const s = ctx.state;
    const o = ctx.options;
    const key = abroadKey(attempt, ctx.tenant.country);
    if (key === undefined || s.since === undefined) return undefined;
    const history = attempt.time - s.since;
    if (history < o.minHistoryDays * DAY || s.calls < o.minCalls) return undefined;
    const known = s.countries.get(key);
    if (known && known.first <= attempt.time - o.learnHours * 3_600_000) return undefined;
    const recent = s.recent.sum(key, attempt.time) + 1;
    const evidence = {
      country: key,
      recentCalls: recent,
      historyDays: Math.floor(history / DAY),
      historyCalls: s.calls,
    };
    if (recent >= o.burstCalls) {
      return {
        signal: 'NEW_COUNTRY_BURST',
        message: `${recent} calls to ${key} in ${o.burstMinutes} min (now ${shown(attempt.destination)}); this tenant never called ${key} in ${weeks(history)}`,
        evidence,
      };
    }
    return {
      signal: 'NEW_COUNTRY',
      message: `first calls to ${key} (${shown(attempt.destination)}); never called in ${weeks(history)} of history`,
      evidence,
    };
  },
  admit(call, ctx) {
    const s = ctx.state;
    const a = call.attempt;
    s.since ??= a.time;
    s.calls++;
    const key = abroadKey(a, ctx.tenant.country);
    if (key === undefined) return;
    const known = s.countries.get(key);
    if (!known) s.countries.set(key, { first: a.time, last: a.time, count: 1 });
    else {
      known.last = a.time;
      known.count++;
    }
    if (!known || known.first > a.time - ctx.options.learnHours * 3_600_000) s.recent.add(key, a.time);
  },
  sweep(time, ctx) {
    ctx.state.recent.sweep(time);
  },
});
