// The usual traffic (R-ANOMALY): each call compared with what the tenant's, and the calling extension's, outbound
// calls usually look like at this hour of the week — how many, how much they cost, which destination classes, how
// long — as the engine's profile learned them from the calls let through. Far above the norm is a signal with a
// score (how many spreads above it) and the norm in words. Nothing is said before the warm-up: a young profile
// knows too little to call anything unusual.
import { z } from 'zod';
import { defineRule, type LiveRaised, type ProfileView, type Raised } from '../engine/rule.js';
import { KeyNames, KeyedSums, extensionKeys } from '../engine/windows.js';
import { hourOfWeekText, slotOf, spanText, type HourNorm, type ScopeProfile } from '../engine/profile.js';
import { runningCost, type LiveCall } from '../engine/attempt.js';
import { shown } from './options.js';
import { TurnoverMap } from '../collections/turnover-map.js';

const WEEK = 7 * 86_400_000;
const HOUR = 3_600_000;

/** When a figure of the last 60 minutes is unusual: above all of the factor, the deviations and the floor. */
const threshold = (floor: { tenant: number; extension: number }, unit: string) =>
  z
    .strictObject({
      factor: z.number().min(1).default(3).describe('Unusual above this many times the hour\u2019s mean…'),
      deviations: z
        .number()
        .min(0)
        .default(4)
        .describe('…and above the mean plus this many standard deviations of that hour…'),
      tenant: z.number().min(0).default(floor.tenant).describe(`…and above this floor for the tenant (${unit}).`),
      extension: z.number().min(0).default(floor.extension).describe(`The floor for one extension (${unit}).`),
    })
    .prefault({});

const options = z
  .strictObject({
    warmupWeeks: z.number().min(0).default(2).describe('History a profile needs before it says anything (weeks).'),
    warmupCalls: z
      .strictObject({
        tenant: z.number().int().min(0).default(100).describe('Outbound calls the tenant\u2019s profile needs.'),
        extension: z.number().int().min(0).default(30).describe('Outbound calls an extension\u2019s profile needs.'),
      })
      .prefault({})
      .describe('Calls a profile needs before it says anything.'),
    volume: threshold({ tenant: 20, extension: 8 }, 'calls').describe(
      'Calls started in the last 60 minutes against the same hour of the week.',
    ),
    spend: threshold({ tenant: 20, extension: 10 }, 'in the tenant\u2019s currency').describe(
      'Estimated spend of the last 60 minutes (ended and live calls) against the same hour of the week.',
    ),
    newClass: z
      .boolean()
      .default(true)
      .describe('Signal the first call to a destination class the tenant never called (emergency excepted).'),
    longCall: z
      .strictObject({
        factor: z
          .number()
          .min(1)
          .default(4)
          .describe('A call longer than this many times the 99th percentile of the scope\u2019s talk times.'),
        minMinutes: z.number().min(0).default(45).describe('…and longer than this many minutes.'),
      })
      .prefault({})
      .describe('Long calls against the scope\u2019s usual talk times.'),
  })
  .describe('The usual traffic.');

type Options = z.infer<typeof options>;

interface State {
  /** Calls started over the last hour, by scope (`t`, `x:<extension>`). */
  calls: KeyedSums;
  /** Estimated cost of calls that ended over the last hour, by scope. */
  spent: KeyedSums;
  /** Answered calls with a talk limit from their profile, and that limit (event time). */
  /** `history`: ms of the scope's history at the answer, put in words only if the call is ever signalled. */
  long: TurnoverMap<
    LiveCall,
    { at: number; limitSeconds: number; usualSeconds: number; scope: string; history: number }
  >;
}

type Scope = { key: string; label: string; profile: ScopeProfile; extension?: string };

/** A profile old and full enough to compare with, or why not. */
export function warm(p: ScopeProfile | undefined, time: number, o: Options, extension: boolean): boolean {
  if (!p) return false;
  const need = extension ? o.warmupCalls.extension : o.warmupCalls.tenant;
  return time - p.since >= o.warmupWeeks * WEEK && p.calls >= need;
}

/** The profile rule's options in a policy's rules, or undefined when the rule is off. */
export function profileOptions(rules: Record<string, unknown>): Options | undefined {
  const given = rules['profile'];
  return given === false ? undefined : options.parse(given ?? {});
}

/** What the warm-up needs, in words: "2 weeks and 100 calls (30 per extension)". */
export function warmupText(o: Options): string {
  return `${o.warmupWeeks} week${o.warmupWeeks === 1 ? '' : 's'} and ${o.warmupCalls.tenant} calls, ${o.warmupCalls.extension} per extension`;
}

function scopes(view: ProfileView, extension: string | undefined, time: number, o: Options): Scope[] {
  const out: Scope[] = [];
  const t = view.scope();
  if (warm(t, time, o, false)) out.push({ key: 't', label: 'this tenant', profile: t! });
  if (extension !== undefined) {
    const x = view.scope(extension);
    if (warm(x, time, o, true))
      out.push({ key: extensionKeys.of(extension), label: extensionLabels.of(extension), profile: x!, extension });
  }
  return out;
}

/** An extension's label in evidence (`extension 201`), built once (every call and every answer asks). */
const extensionLabels = new KeyNames('extension ');

/** The norm of the current hour of the week, or of the hour on either side when that one is busier (a burst at 10:55). */
function hourNorm(
  view: ProfileView,
  p: ScopeProfile,
  time: number,
  what: 'calls' | 'spend',
): HourNorm & { slot: number } {
  const slot = slotOf(view.localHour(time));
  let best = { ...view.norm(p, slot, what, time), slot };
  for (const s of [(slot + 167) % 168, (slot + 1) % 168]) {
    const n = view.norm(p, s, what, time);
    if (n.mean + n.sd > best.mean + best.sd) best = { ...n, slot: s };
  }
  return best;
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

/** How far above its norm a figure is, in spreads (a spread is at least a tenth of the floor, so a flat norm scores). */
function scoreOf(x: number, n: HourNorm, floor: number): number {
  return round((x - n.mean) / Math.max(n.sd, floor / 10, 1e-9));
}

function unusual(
  what: 'calls' | 'spend',
  x: number,
  s: Scope,
  view: ProfileView,
  time: number,
  o: Options,
  currency: string,
): Raised | undefined {
  const t = what === 'calls' ? o.volume : o.spend;
  const floor = s.extension === undefined ? t.tenant : t.extension;
  // Under the floor nothing is unusual: most calls end here, before any norm is computed.
  if (x <= floor) return undefined;
  const n = hourNorm(view, s.profile, time, what);
  const limit = Math.max(floor, n.mean * t.factor, n.mean + t.deviations * n.sd);
  if (x <= limit) return undefined;
  const history = spanText(time - s.profile.since);
  const fig = (v: number) => (what === 'calls' ? String(round(v)) : `${v.toFixed(2)} ${currency}`);
  const evidence = {
    scope: s.extension === undefined ? 'tenant' : 'extension',
    ...(s.extension !== undefined ? { extension: s.extension } : {}),
    [what === 'calls' ? 'calls' : 'spent']: round(x, 2),
    hourOfWeek: hourOfWeekText(n.slot),
    mean: round(n.mean, 2),
    sd: round(n.sd, 2),
    limit: round(limit, 2),
    hours: n.hours,
    score: scoreOf(x, n, floor),
  };
  const usual = `on ${hourOfWeekText(n.slot)} ${s.label} ${what === 'calls' ? 'makes' : 'spends'} ${fig(n.mean)} on average (spread ${fig(n.sd)}) over ${history}`;
  return what === 'calls'
    ? {
        signal: 'PROFILE_VOLUME',
        message: `${round(x)} calls in the last 60 min from ${s.label}; ${usual}`,
        evidence,
      }
    : {
        signal: 'PROFILE_SPEND',
        message: `about ${fig(x)} spent in the last 60 min by ${s.label}; ${usual}`,
        evidence,
      };
}

export const profileRule = defineRule<Options, State>({
  id: 'profile',
  description:
    'Compares each call with the tenant\u2019s and extension\u2019s learned profile: volume and spend against the same hour of the week, new destination classes, long calls.',
  recommendation: 'R-ANOMALY',
  options,
  signals: {
    PROFILE_VOLUME: {
      description: 'Far more calls in the last hour than this hour of the week usually has.',
      action: 'alert',
      severity: 'medium',
    },
    PROFILE_SPEND: {
      description: 'Far more spend in the last hour than this hour of the week usually has.',
      action: 'alert',
      severity: 'high',
    },
    PROFILE_NEW_CLASS: {
      description: 'A destination class the tenant never called (satellite, premium, international…).',
      action: 'alert',
      severity: 'medium',
    },
    PROFILE_LONG_CALL: {
      description: 'A call lasting far longer than the calls of its extension (or tenant) usually do.',
      action: 'alert',
      severity: 'medium',
    },
  },
  state: () => ({ calls: new KeyedSums(HOUR), spent: new KeyedSums(HOUR), long: new TurnoverMap() }),
  check(attempt, ctx) {
    const o = ctx.options;
    const view = ctx.tenant.profile;
    const list = scopes(view, attempt.callerExtension, attempt.time, o);
    if (list.length === 0) return undefined;
    const out: Raised[] = [];
    for (const s of list) {
      const calls = ctx.state.calls.sum(s.key, attempt.time) + 1;
      const volume = unusual('calls', calls, s, view, attempt.time, o, ctx.tenant.currency);
      if (volume) out.push(volume);
      const spent = ctx.state.spent.sum(s.key, attempt.time) + ctx.tenant.liveSpend(attempt.time, s.extension);
      const spend = unusual('spend', spent, s, view, attempt.time, o, ctx.tenant.currency);
      if (spend) out.push(spend);
    }
    const cls = attempt.destination.cls;
    const tenant = list.find((s) => s.extension === undefined);
    if (o.newClass && tenant && cls !== 'emergency' && !tenant.profile.classes[cls]) {
      const history = spanText(attempt.time - tenant.profile.since);
      out.push({
        signal: 'PROFILE_NEW_CLASS',
        message: `first ${cls} call (${shown(attempt.destination)}); this tenant made none in ${history} (${tenant.profile.calls} calls)`,
        evidence: { class: cls, historyCalls: tenant.profile.calls, history, score: tenant.profile.calls },
      });
    }
    return out;
  },
  admit(call, ctx) {
    const a = call.attempt;
    if (a.direction !== 'outbound') return;
    ctx.state.calls.add('t', a.time);
    if (a.callerExtension !== undefined) ctx.state.calls.add(extensionKeys.of(a.callerExtension), a.time);
  },
  answer(call, time, ctx) {
    const a = call.attempt;
    if (a.direction !== 'outbound' || a.destination.cls === 'emergency') return;
    // The extension's own talk times when it has enough history, else the tenant's.
    const s = scopes(ctx.tenant.profile, a.callerExtension, time, ctx.options).reverse()[0];
    if (!s) return;
    const q = ctx.tenant.profile.talkQuantile(s.profile, 0.99);
    if (!q) return;
    const limitSeconds = Math.max(ctx.options.longCall.minMinutes * 60, q.seconds * ctx.options.longCall.factor);
    ctx.state.long.set(call, {
      at: time + limitSeconds * 1000,
      limitSeconds,
      usualSeconds: q.seconds,
      scope: s.label,
      history: time - s.profile.since,
    });
  },
  quietUntil(ctx, answered) {
    if (answered) return ctx.state.long.get(answered)?.at ?? Infinity;
    let due = Infinity;
    for (const l of ctx.state.long.values()) if (l.at < due) due = l.at;
    return due;
  },
  tick(ctx) {
    const out: LiveRaised[] = [];
    for (const [call, l] of ctx.state.long) {
      if (ctx.time < l.at) continue;
      ctx.state.long.delete(call); // said once
      const minutes = round((ctx.time - call.answeredAt!) / 60_000);
      out.push({
        call,
        raised: {
          signal: 'PROFILE_LONG_CALL',
          message: `call to ${shown(call.attempt.destination)} has lasted ${minutes} min; calls of ${l.scope} last under ${round(l.usualSeconds / 60)} min (99 %) over ${spanText(l.history)}`,
          evidence: {
            minutes,
            limitMinutes: round(l.limitSeconds / 60),
            cost: round(runningCost(call, ctx.time), 2),
            score: round((ctx.time - call.answeredAt!) / 1000 / l.usualSeconds),
          },
        },
      });
    }
    return out;
  },
  end(call, time, ctx) {
    ctx.state.long.delete(call);
    const a = call.attempt;
    const cost = runningCost(call, time);
    if (a.direction !== 'outbound' || cost <= 0) return;
    ctx.state.spent.add('t', time, cost);
    if (a.callerExtension !== undefined) ctx.state.spent.add(extensionKeys.of(a.callerExtension), time, cost);
  },
  sweep(time, ctx) {
    ctx.state.calls.sweep(time);
    ctx.state.spent.sweep(time);
  },
});
