// Spend caps (R-ANOMALY): the estimated spend of ended and live calls, per tenant or extension, over the last hour,
// the day, the night or the weekend. Near a cap it alerts; at the cap it refuses new calls, cuts the live ones
// of that scope and quarantines it, so a weekend of pumping costs at most the cap.
import { z } from 'zod';
import { defineRule, type LiveRaised, type Raised, type TickContext } from '../engine/rule.js';
import { KeyNames, KeyedSums, extensionKeys } from '../engine/windows.js';
import { addDays, parseClock, type LocalTime } from '../engine/local-time.js';
import { runningCost, type LiveCall } from '../engine/attempt.js';

const clock = z.string().refine((s) => parseClock(s) !== undefined, { message: 'is not a time of day (HH:MM)' });

const cap = z
  .strictObject({
    scope: z.enum(['tenant', 'extension']).describe('Whose spend: the whole tenant, or each extension.'),
    window: z
      .enum(['hour', 'day', 'night', 'weekend'])
      .describe(
        '`hour`: the last 60 minutes; `day`: the local day; `night`: from `night.from` to `night.to`; `weekend`: Saturday and Sunday.',
      ),
    alertAt: z.number().min(0).describe('Spend that raises SPEND_CAP_NEAR.'),
    limit: z.number().positive().describe('Spend that raises SPEND_CAP_EXCEEDED.'),
  })
  .refine((c) => c.alertAt <= c.limit, { message: 'alertAt must not exceed limit' });

const options = z
  .strictObject({
    caps: z
      .array(cap)
      .default([
        { scope: 'tenant', window: 'hour', alertAt: 20, limit: 50 },
        { scope: 'tenant', window: 'day', alertAt: 100, limit: 250 },
        { scope: 'tenant', window: 'night', alertAt: 15, limit: 40 },
        { scope: 'tenant', window: 'weekend', alertAt: 25, limit: 60 },
        { scope: 'extension', window: 'hour', alertAt: 10, limit: 25 },
      ])
      .describe('Caps in the tenant\u2019s currency; the defaults suit a small business.'),
    night: z
      .strictObject({
        from: clock.default('19:00').describe('Local time the night starts.'),
        to: clock.default('08:00').describe('Local time the night ends.'),
      })
      .prefault({})
      .describe('What `night` means.'),
  })
  .describe('Spend caps.');

type Options = z.infer<typeof options>;
type Cap = Options['caps'][number];

interface State {
  /** Cost of ended calls over the last hour, by scope key. */
  hour: KeyedSums;
  /** Cost of ended calls in the current day/night/weekend, by `window|scope key`. */
  calendar: Map<string, { instance: string; amount: number }>;
  /** Caps already alerted on, by cap, scope key and instance, so one crossing is one alert. */
  alerted: Marks;
}

/**
 * A set of (cap index, scope key, window instance), asked at every answer: looked up by its parts rather than by a
 * string built from them.
 */
class Marks {
  private readonly byKey = new Map<string, Map<string, number[]>>();
  size = 0;

  has(cap: number, key: string, instance: string): boolean {
    return this.size > 0 && (this.byKey.get(key)?.get(instance)?.includes(cap) ?? false);
  }

  add(cap: number, key: string, instance: string): void {
    let m = this.byKey.get(key);
    if (!m) this.byKey.set(key, (m = new Map()));
    const caps = m.get(instance);
    if (!caps) m.set(instance, [cap]);
    else if (!caps.includes(cap)) caps.push(cap);
    else return;
    this.size++;
  }

  clear(): void {
    this.byKey.clear();
    this.size = 0;
  }
}

/** Which day, night or weekend `local` falls in (its key), or undefined when outside the window. */
export function windowInstance(window: Cap['window'], local: LocalTime, o: Options): string | undefined {
  switch (window) {
    case 'hour':
      return 'rolling';
    case 'day':
      return local.date;
    case 'weekend':
      return local.weekday === 6 ? local.date : local.weekday === 7 ? addDays(local.date, -1) : undefined;
    case 'night': {
      const { from, to } = nightOf(o);
      if (from > to) {
        if (local.minute >= from) return local.date;
        if (local.minute < to) return addDays(local.date, -1);
        return undefined;
      }
      return local.minute >= from && local.minute < to ? local.date : undefined;
    }
  }
}

/** The night's bounds in minutes, parsed once per policy (asked at every attempt and every tick). */
const nights = new WeakMap<Options['night'], { from: number; to: number }>();
function nightOf(o: Options): { from: number; to: number } {
  let n = nights.get(o.night);
  if (!n) nights.set(o.night, (n = { from: parseClock(o.night.from)!, to: parseClock(o.night.to)! }));
  return n;
}

/** Calendar keys (`day|x:201`) by window, built once: asked at every call. */
const calendarKeys = { day: new KeyNames('day|'), night: new KeyNames('night|'), weekend: new KeyNames('weekend|') };
const calendarKey = (window: keyof typeof calendarKeys, key: string): string => calendarKeys[window].of(key);

function scopeKey(c: Cap, call: { callerExtension?: string | undefined }): string | undefined {
  if (c.scope === 'tenant') return 't';
  return call.callerExtension === undefined ? undefined : extensionKeys.of(call.callerExtension);
}

function endedSpend(c: Cap, key: string, time: number, instance: string, s: State): number {
  if (c.window === 'hour') return s.hour.sum(key, time);
  const e = s.calendar.get(calendarKey(c.window, key));
  return e && e.instance === instance ? e.amount : 0;
}

const money = (n: number, currency: string) => `${n.toFixed(2)} ${currency}`;
const scopeLabel = (key: string) => (key === 't' ? 'the tenant' : `extension ${key.slice(2)}`);

export const spendCapRule = defineRule<Options, State>({
  id: 'spend-cap',
  description: 'Alerts near a spend cap; at the cap refuses new calls, cuts live ones and quarantines the scope.',
  recommendation: 'R-ANOMALY',
  options,
  signals: {
    SPEND_CAP_NEAR: { description: 'Estimated spend is near a cap.', action: 'alert', severity: 'high' },
    SPEND_CAP_EXCEEDED: { description: 'Estimated spend reached a cap.', action: 'quarantine', severity: 'critical' },
  },
  state: () => ({ hour: new KeyedSums(3_600_000), calendar: new Map(), alerted: new Marks() }),
  check(attempt, ctx) {
    const out: Raised[] = [];
    // What the live calls cost so far, for the tenant and for this extension.
    const tenantRunning = ctx.tenant.liveSpend(attempt.time);
    const extensionRunning =
      attempt.callerExtension !== undefined ? ctx.tenant.liveSpend(attempt.time, attempt.callerExtension) : 0;
    const caps = ctx.options.caps;
    for (let i = 0; i < caps.length; i++) {
      const c = caps[i]!;
      const key = scopeKey(c, attempt);
      const instance = windowInstance(c.window, attempt.local, ctx.options);
      if (key === undefined || instance === undefined) continue;
      const running = c.scope === 'tenant' ? tenantRunning : extensionRunning;
      const spent = endedSpend(c, key, attempt.time, instance, ctx.state) + running;
      const r = verdict(c, i, key, instance, spent, ctx.tenant.currency);
      if (r) out.push(r);
    }
    return out;
  },
  tick(ctx) {
    const out: LiveRaised[] = [];
    // Nothing answered, nothing costs yet: the common case, and no walk over the live calls.
    if (ctx.tenant.liveSpend(ctx.time) === 0) return out;
    // The live outbound calls not yet cut, grouped once per tick: the whole tenant, and each extension.
    const all: LiveCall[] = [];
    const byExtension = new Map<string, LiveCall[]>();
    for (const l of ctx.tenant.liveCalls()) {
      if (l.attempt.direction !== 'outbound' || l.cutAt !== undefined) continue;
      all.push(l);
      const ext = l.attempt.callerExtension;
      if (ext === undefined) continue;
      const list = byExtension.get(ext);
      if (list) list.push(l);
      else byExtension.set(ext, [l]);
    }
    if (all.length === 0) return out;
    ctx.options.caps.forEach((c, i) => {
      const instance = windowInstance(c.window, ctx.local, ctx.options);
      if (instance === undefined) return;
      const groups: Array<[string, LiveCall[], number]> =
        c.scope === 'tenant'
          ? [['t', all, ctx.tenant.liveSpend(ctx.time)]]
          : [...byExtension].map(([ext, calls]) => [extensionKeys.of(ext), calls, ctx.tenant.liveSpend(ctx.time, ext)]);
      for (const [key, calls, running] of groups) {
        if (running === 0) continue;
        const spent = endedSpend(c, key, ctx.time, instance, ctx.state) + running;
        const r = verdict(c, i, key, instance, spent, ctx.tenant.currency);
        if (!r) continue;
        if (r.signal === 'SPEND_CAP_EXCEEDED') {
          for (const call of calls) out.push({ call, raised: r });
        } else {
          if (ctx.state.alerted.has(i, key, instance)) continue;
          ctx.state.alerted.add(i, key, instance);
          const priciest = calls.reduce((a, b) => (runningCost(b, ctx.time) > runningCost(a, ctx.time) ? b : a));
          out.push({ call: priciest, raised: r });
        }
      }
    });
    return out;
  },
  quietUntil(ctx, answered) {
    // Spend grows linearly while no call starts or ends, so when it crosses the next threshold is a division; ended
    // spend only expires and calendar windows only change at their edges, which are watched too.
    const o = ctx.options;
    const time = ctx.time;
    let due = nextEdge(time, ctx.local, o);
    // The extensions whose spend grows, read once and only if a cap is per extension: every such cap walks the same
    // list (the tenant hands out a one-pass iterator; a second cap used to find it spent and watch no one).
    let extensions: readonly string[] | undefined =
      answered === undefined
        ? undefined
        : answered.attempt.callerExtension !== undefined
          ? [answered.attempt.callerExtension]
          : [];
    for (let i = 0; i < o.caps.length; i++) {
      const c = o.caps[i]!;
      const instance = windowInstance(c.window, ctx.local, o);
      if (instance === undefined) continue;
      if (c.scope === 'tenant') due = dueOf(ctx, c, i, instance, 't', undefined, due);
      else {
        extensions ??= [...ctx.tenant.spendingExtensions()];
        for (const ext of extensions) due = dueOf(ctx, c, i, instance, extensionKeys.of(ext), ext, due);
      }
    }
    return due;
  },
  end(call, time, ctx) {
    const cost = runningCost(call, time);
    if (cost <= 0 || call.attempt.direction !== 'outbound') return;
    const local = ctx.tenant.clock.at(time);
    const ext = call.attempt.callerExtension;
    addEnded(ctx.state, ctx.options, 't', time, local, cost);
    if (ext !== undefined) addEnded(ctx.state, ctx.options, extensionKeys.of(ext), time, local, cost);
  },
  sweep(time, ctx) {
    ctx.state.hour.sweep(time);
    if (ctx.state.alerted.size > 10_000) ctx.state.alerted.clear();
  },
});

const CALENDAR_WINDOWS = ['day', 'night', 'weekend'] as const;

/** An ended call's cost, counted in the scope's hour and in its current day, night and weekend. */
function addEnded(s: State, o: Options, key: string, time: number, local: LocalTime, cost: number): void {
  s.hour.add(key, time, cost);
  for (const w of CALENDAR_WINDOWS) {
    const instance = windowInstance(w, local, o);
    if (instance === undefined) continue;
    const k = calendarKey(w, key);
    const e = s.calendar.get(k);
    if (e && e.instance === instance) e.amount += cost;
    else s.calendar.set(k, { instance, amount: cost });
  }
}

/** `due`, or earlier if one scope's spend may cross a threshold of cap `i` before it. */
function dueOf(
  ctx: TickContext<Options, State>,
  c: Cap,
  i: number,
  instance: string,
  key: string,
  extension: string | undefined,
  due: number,
): number {
  const time = ctx.time;
  const rate = ctx.tenant.liveRate(extension) / 60_000;
  const spent = endedSpend(c, key, time, instance, ctx.state) + ctx.tenant.liveSpend(time, extension);
  const alerted = c.alertAt <= 0 || ctx.state.alerted.has(i, key, instance);
  const next = spent >= c.limit || (!alerted && spent >= c.alertAt) ? 0 : alerted ? c.limit : c.alertAt;
  // A millisecond early: a tick on the grid before a crossing that rounding put just after it.
  if (next === 0) return time;
  if (rate > 0) return Math.min(due, time + (next - spent) / rate - 1);
  return due;
}

/** The local minutes where the caps' calendar windows begin or end, found once per policy. */
const edgeLists = new WeakMap<Options['caps'], number[]>();
function edgesOf(o: Options): number[] {
  let edges = edgeLists.get(o.caps);
  if (!edges) {
    const windows = new Set(o.caps.map((c) => c.window));
    edges = [];
    if (windows.has('day') || windows.has('weekend')) edges.push(0);
    if (windows.has('night')) edges.push(nightOf(o).from, nightOf(o).to);
    edgeLists.set(o.caps, edges);
  }
  return edges;
}

/**
 * The next time a day, night or weekend may begin or end: local midnight, or a night's edge. Never past the next
 * quarter hour, where the zone's offset may change (a daylight-saving change moves the local clock).
 */
function nextEdge(time: number, local: LocalTime, o: Options): number {
  const edges = edgesOf(o);
  if (edges.length === 0) return Infinity;
  const quarter = (Math.floor(time / 900_000) + 1) * 900_000;
  const intoMinute = (((time + local.offset * 60_000) % 60_000) + 60_000) % 60_000;
  let next = quarter;
  for (const e of edges) {
    const minutes = (e - local.minute + 1440) % 1440 || 1440;
    next = Math.min(next, time - intoMinute + minutes * 60_000);
  }
  return next;
}

function verdict(
  c: Cap,
  index: number,
  key: string,
  instance: string,
  spent: number,
  currency: string,
): Raised | undefined {
  // Most calls are under every threshold: nothing is built for them.
  if (spent < c.limit && !(spent >= c.alertAt && c.alertAt > 0)) return undefined;
  const evidence = {
    cap: index,
    scope: c.scope,
    window: c.window,
    instance,
    spent: Math.round(spent * 100) / 100,
    alertAt: c.alertAt,
    limit: c.limit,
    currency,
  };
  if (spent >= c.limit) {
    return {
      signal: 'SPEND_CAP_EXCEEDED',
      message: `${scopeLabel(key)} spent about ${money(spent, currency)} this ${c.window}; the cap is ${money(c.limit, currency)}`,
      evidence,
      scope: c.scope,
    };
  }
  if (spent >= c.alertAt && c.alertAt > 0) {
    return {
      signal: 'SPEND_CAP_NEAR',
      message: `${scopeLabel(key)} spent about ${money(spent, currency)} this ${c.window}; alert at ${money(c.alertAt, currency)}, cap ${money(c.limit, currency)}`,
      evidence,
    };
  }
  return undefined;
}
