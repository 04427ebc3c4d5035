// Digests (R-REVIEW: call logs are reviewed regularly): per tenant, a day or a week of its calls in a few numbers —
// calls in and out, refusals, cuts, alerts, estimated spend, the most expensive destinations, the incidents still
// open — sent through its channels at a local time of its zone. This file says when a digest is due and what it
// holds; digest-render.ts writes it for people, digest-schedule.ts sends it once.
import type { AlertRecord, CallSummary, DigestPeriod, Store } from '../store/ports.js';
import { mergeSummaries } from '../store/call-summary.js';
import { LocalClock, addDays, parseClock } from '../engine/local-time.js';
import type { ConsoleLinks } from './links.js';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/** When one kind of digest is sent: each day at `minute` (local), or each week on `weekday` (1 = Monday) at it. */
export interface DigestTime {
  period: DigestPeriod;
  /** Minutes after local midnight. */
  minute: number;
  /** 1 = Monday … 7 = Sunday; weekly digests only. */
  weekday?: number;
}

/** `'08:00'` (daily) or `'monday 08:00'` (weekly); undefined when it is neither. */
export function parseDigestTime(period: DigestPeriod, text: string): DigestTime | undefined {
  const m = /^(?:([a-z]+)\s+)?(\d{1,2}:\d{2})$/i.exec(text.trim());
  if (!m) return undefined;
  const minute = parseClock(m[2]!);
  if (minute === undefined || minute >= 1440) return undefined;
  if (period === 'day') return m[1] ? undefined : { period, minute };
  const weekday = WEEKDAYS.indexOf((m[1] ?? '').toLowerCase() as (typeof WEEKDAYS)[number]) + 1;
  return weekday > 0 ? { period, minute, weekday } : undefined;
}

/** The local days a digest covers: a day, or the seven days before a weekly digest's day. */
export interface DigestWindow {
  period: DigestPeriod;
  /** First local day, `YYYY-MM-DD`: the digest's identity with its tenant and period. */
  start: string;
  /** The local day after the last one covered. */
  end: string;
  /** Event times of the local midnights at `start` and `end`. */
  from: number;
  to: number;
}

export function windowOf(period: DigestPeriod, start: string, clock: LocalClock): DigestWindow {
  const end = addDays(start, period === 'day' ? 1 : 7);
  const midnight = (date: string) => clock.eventTime(Date.parse(`${date}T00:00:00Z`));
  return { period, start, end, from: midnight(start), to: midnight(end) };
}

/** The start of the latest period whose digest is due at `now`: yesterday once today's time passed, and so on. */
export function latestDue(t: DigestTime, clock: LocalClock, now: number): string {
  const local = clock.at(now);
  if (t.period === 'day') return addDays(local.date, local.minute >= t.minute ? -1 : -2);
  let back = (local.weekday - t.weekday! + 7) % 7;
  if (back === 0 && local.minute < t.minute) back = 7;
  return addDays(local.date, -back - 7);
}

/** The start of the period holding the local day `date` (a week starts on the weekly digest's day). */
export function periodHolding(t: DigestTime, date: string): string {
  if (t.period === 'day') return date;
  const weekday = ((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;
  return addDays(date, -((weekday - t.weekday! + 7) % 7));
}

/**
 * The periods to send at `now`, oldest first, given the last one remembered: every period after it up to the latest
 * due (one it claimed but never sent included), newest `max` only — `skipped` says how many older ones fell out.
 * With nothing remembered (digests just turned on), the latest due only.
 */
export function duePeriods(
  t: DigestTime,
  clock: LocalClock,
  now: number,
  last: { start: string; sentAt?: number } | undefined,
  max: number,
): { starts: string[]; skipped: number } {
  const latest = latestDue(t, clock, now);
  if (!last) return { starts: [latest], skipped: 0 };
  const step = t.period === 'day' ? 1 : 7;
  const starts: string[] = [];
  // Back from the latest, so the periods follow the schedule as it is now (a weekly day may have changed).
  for (let d = latest, n = 0; n < 1000; d = addDays(d, -step), n++) {
    if (d < last.start || (d === last.start && last.sentAt !== undefined)) break;
    starts.push(d);
  }
  starts.reverse();
  const skipped = Math.max(0, starts.length - max);
  return { starts: starts.slice(skipped), skipped };
}

/** An open incident as a digest lists it. */
export type DigestIncident = Pick<
  AlertRecord,
  'id' | 'severity' | 'title' | 'count' | 'firstAt' | 'lastAt' | 'cost'
> & {
  link?: string;
};

/** One digest as computed: what every channel renders. */
export interface Digest {
  tenantId: string;
  tenantName: string;
  period: DigestPeriod;
  /** First local day covered and the day after the last, in `timeZone`. */
  start: string;
  end: string;
  from: number;
  to: number;
  timeZone: string;
  currency: string;
  /** The tenant's mode: in `monitor`, nothing was refused or cut, and `wouldHaveStopped` says what would have been. */
  mode: 'enforce' | 'monitor';
  /** `answered`: answered and hung up by a party, or still up. */
  calls: { total: number; inbound: number; outbound: number; answered: number };
  /** Refused at setup and cut while running (as enforced). */
  refused: number;
  cut: number;
  /** Let through with an `alert` signal. */
  alerted: number;
  /** Monitor mode: calls whose decision would have refused or cut them. */
  wouldHaveStopped: number;
  /** Estimated spend of the period's calls (the engine's tariffs; not a bill). */
  spend: number;
  /** Outbound destinations, most expensive first. */
  top: Pick<CallSummary, 'countries' | 'classes' | 'numbers'>;
  /** Incidents with an event in the period, and how many of them began in it. */
  incidents: { active: number; opened: number };
  /** Incidents not acknowledged when the digest was made: how many, and the most recent (at most `top`). */
  open: { total: number; list: DigestIncident[] };
  /** Console pages: the period's calls and the incidents. */
  links?: { calls: string; incidents: string };
  generatedAt: number;
}

export interface DigestTenant {
  id: string;
  name: string;
  timeZone: string;
  currency: string;
  mode: 'enforce' | 'monitor';
}

/** Slice of the period summed per store query: small enough that no query holds the event loop for long. */
const SLICE_MS = 3_600_000;
/** Destinations kept per slice: every country and class, the costliest numbers (so top numbers are close, not exact). */
const SLICE_TOP = 250;
/** Incidents read to count those active in the period (folded incidents are few; bounded all the same). */
const MAX_INCIDENTS_READ = 10_000;

/**
 * Computes a tenant's digest for `window` from the call log and the alerts. The period is summed an hour at a time,
 * yielding between queries, so a week of a busy site never stalls call handling (SQLite answers synchronously).
 */
export async function computeDigest(
  store: Pick<Store, 'calls' | 'alerts'>,
  tenant: DigestTenant,
  window: DigestWindow,
  o: { top: number; links?: ConsoleLinks | undefined; now: number },
): Promise<Digest> {
  const parts: CallSummary[] = [];
  for (let from = window.from; from < window.to; from += SLICE_MS) {
    const to = Math.min(window.to, from + SLICE_MS);
    parts.push(await store.calls.summarize({ tenantId: tenant.id, from, to, top: SLICE_TOP }));
    await new Promise<void>((r) => setImmediate(r));
  }
  const s = mergeSummaries(parts, o.top);
  const n = (m: Record<string, number>, ...keys: string[]) => keys.reduce((sum, k) => sum + (m[k] ?? 0), 0);
  const refused = n(s.dispositions, 'rejected');
  const cut = n(s.dispositions, 'cut');
  const incidents = await store.alerts.list({ tenantIds: [tenant.id], limit: MAX_INCIDENTS_READ });
  const inPeriod = incidents.filter((a) => a.firstAt < window.to && a.lastAt >= window.from);
  const open = incidents.filter((a) => a.acknowledgedAt === undefined);
  return {
    tenantId: tenant.id,
    tenantName: tenant.name,
    period: window.period,
    start: window.start,
    end: window.end,
    from: window.from,
    to: window.to,
    timeZone: tenant.timeZone,
    currency: tenant.currency,
    mode: tenant.mode,
    calls: {
      total: s.inbound + s.outbound,
      inbound: s.inbound,
      outbound: s.outbound,
      answered: n(s.dispositions, 'completed', 'answered'),
    },
    refused,
    cut,
    alerted: n(s.actions, 'alert'),
    wouldHaveStopped: Math.max(0, n(s.actions, 'reject', 'cut', 'quarantine', 'ban') - refused - cut),
    spend: s.cost,
    top: { countries: s.countries, classes: s.classes, numbers: s.numbers },
    incidents: {
      active: inPeriod.length,
      opened: inPeriod.filter((a) => a.firstAt >= window.from).length,
    },
    open: {
      total: open.length,
      list: open.slice(0, o.top).map((a) => ({
        id: a.id,
        severity: a.severity,
        title: a.title,
        count: a.count,
        firstAt: a.firstAt,
        lastAt: a.lastAt,
        ...(a.cost ? { cost: a.cost } : {}),
        ...(o.links ? { link: o.links.incident(a.id) } : {}),
      })),
    },
    ...(o.links
      ? {
          links: {
            calls: o.links.calls(tenant.id, window.from, window.to),
            incidents: o.links.incidents(),
          },
        }
      : {}),
    generatedAt: o.now,
  };
}
