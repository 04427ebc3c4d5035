// Profiles (R-ANOMALY): what a tenant's outbound calls, and each of its extensions', look like when nothing is wrong
// — the countries and destination classes called, calls and spend by hour of the week, how long calls last —
// learned from the calls the engine let through, so rules can say how far a call departs from it. The decide path
// reads them at every attempt, so they live in memory; the store keeps them (saved in the background from
// `changes()`, put back with `restore()`), so a restart does not start the warm-up again.
import type { CallAttempt } from './attempt.js';
import type { LocalClock } from './local-time.js';

export const HOURS_OF_WEEK = 168;
const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
/** Talk-time buckets: bucket i holds calls of 2^i to 2^(i+1) seconds (bucket 0 also the shorter ones). */
const TALK_BUCKETS = 16;
/** Extensions profiled per tenant; the tenant's own profile always is. */
export const MAX_PROFILED_EXTENSIONS = 20_000;
/** The stored form of a profile; a stored profile of another version is ignored and learned again. */
export const PROFILE_VERSION = 1;

/** How often one country or class was called. */
export interface Seen {
  first: number;
  last: number;
  calls: number;
}

/** One scope's profile (the tenant, or one extension), as kept in memory and stored (plain JSON). */
export interface ScopeProfile {
  version: number;
  /** First and last outbound call learned (ms), and how many. */
  since: number;
  last: number;
  calls: number;
  /** Where abroad (`GB`, or `+882` for international networks) and which destination classes were called. */
  countries: Record<string, Seen>;
  classes: Record<string, Seen>;
  /**
   * Per hour of the week, local (0 = Monday 00:00–01:00): Σ calls started and Σ of their squares over the hours lived,
   * and the same for the estimated spend of calls that ended in that hour.
   */
  callSum: number[];
  callSq: number[];
  spendSum: number[];
  spendSq: number[];
  /** Answered calls by talk time (TALK_BUCKETS log₂ buckets of seconds). */
  talk: number[];
  /** The local hour being counted (hours since the epoch, local time), with its calls and spend so far. */
  hour: number;
  hourCalls: number;
  hourSpend: number;
}

/** What one hour of the week usually holds: mean and standard deviation over `hours` such hours lived. */
export interface HourNorm {
  hours: number;
  mean: number;
  sd: number;
}

/** Where abroad the call goes (`GB`, or `+882` for international networks), or undefined for a call at home. */
export function abroadKey(a: Pick<CallAttempt, 'destination'>, home: string): string | undefined {
  const d = a.destination;
  if (d.cls === 'emergency' || d.cls === 'unknown') return undefined;
  if (d.country && d.country !== home && d.country !== '001') return d.country;
  if (!d.country || d.country === '001') return d.countryCallingCode ? `+${d.countryCallingCode}` : undefined;
  return undefined;
}

/** A span of history in words: "7 weeks", "3 days". */
export function spanText(ms: number): string {
  const w = Math.floor(ms / WEEK);
  if (w >= 1) return `${w} week${w > 1 ? 's' : ''}`;
  const d = Math.floor(ms / (24 * HOUR));
  return `${d} day${d === 1 ? '' : 's'}`;
}

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const two = (n: number) => String(n).padStart(2, '0');

/** "Saturdays 01:00–02:00" for an hour of the week. */
export function hourOfWeekText(slot: number): string {
  const h = slot % 24;
  return `${DAYS[Math.floor(slot / 24)]}s ${two(h)}:00–${two((h + 1) % 24)}:00`;
}

/** The hour of the week (0 = Monday 00:00) of a local hour count. 1 January 1970 was a Thursday: day 3 of its week. */
export const slotOf = (localHour: number): number => (localHour + 72) % HOURS_OF_WEEK;

/** How many hours of `slot` lie in the local hours [from, to). */
function hoursOfSlot(slot: number, from: number, to: number): number {
  if (to <= from) return 0;
  const r = (slot - 72 + HOURS_OF_WEEK * 2) % HOURS_OF_WEEK;
  return Math.floor((to - r - 1) / HOURS_OF_WEEK) - Math.floor((from - r - 1) / HOURS_OF_WEEK);
}

function emptyScope(time: number, hour: number): ScopeProfile {
  const zeros = () => new Array<number>(HOURS_OF_WEEK).fill(0);
  return {
    version: PROFILE_VERSION,
    since: time,
    last: time,
    calls: 0,
    countries: {},
    classes: {},
    callSum: zeros(),
    callSq: zeros(),
    spendSum: zeros(),
    spendSq: zeros(),
    talk: new Array<number>(TALK_BUCKETS).fill(0),
    hour,
    hourCalls: 0,
    hourSpend: 0,
  };
}

function seen(m: Record<string, Seen>, key: string, time: number): void {
  const s = m[key];
  if (s) {
    s.calls++;
    if (time > s.last) s.last = time;
  } else m[key] = { first: time, last: time, calls: 1 };
}

/** A stored scope is used only when it has this version's shape: anything else is learned again. */
function isScope(x: unknown): x is ScopeProfile {
  const p = x as ScopeProfile;
  return (
    typeof p === 'object' &&
    p !== null &&
    p.version === PROFILE_VERSION &&
    typeof p.since === 'number' &&
    [p.callSum, p.callSq, p.spendSum, p.spendSq].every((a) => Array.isArray(a) && a.length === HOURS_OF_WEEK) &&
    Array.isArray(p.talk) &&
    p.talk.length === TALK_BUCKETS
  );
}

/** The scope key of the tenant itself (extensions are keyed by their number). */
export const TENANT_SCOPE = '';

/** The profiles of one tenant: its own, and one per extension that called out. */
export class TenantProfile {
  private scopes = new Map<string, ScopeProfile>();
  private changed = new Set<string>();

  constructor(
    private readonly clock: LocalClock,
    private readonly home: string,
  ) {}

  /** The tenant's profile (no extension), or one extension's; undefined before its first call. */
  scope(extension?: string): ScopeProfile | undefined {
    return this.scopes.get(extension ?? TENANT_SCOPE);
  }

  /** The local hour count of an event time (the unit hours of the week are counted in). */
  localHour(time: number): number {
    return Math.floor((time + this.clock.offsetAt(time) * 60_000) / HOUR);
  }

  /** An outbound call let through: its country, class and hour. */
  learnCall(a: Pick<CallAttempt, 'time' | 'callerExtension' | 'destination'>): void {
    const hour = this.localHour(a.time);
    const abroad = abroadKey(a, this.home);
    const learn = (p: ScopeProfile | undefined): void => {
      if (!p) return;
      this.roll(p, hour);
      p.calls++;
      p.hourCalls++;
      if (a.time > p.last) p.last = a.time;
      seen(p.classes, a.destination.cls, a.time);
      if (abroad !== undefined) seen(p.countries, abroad, a.time);
    };
    learn(this.scopeFor(TENANT_SCOPE, a.time, hour));
    if (a.callerExtension !== undefined) learn(this.scopeFor(a.callerExtension, a.time, hour));
  }

  /** A call learned at its start ended at `time`: its estimated cost (in the hour it ended) and its talk time. */
  learnEnd(a: Pick<CallAttempt, 'callerExtension'>, time: number, cost: number, talkSeconds: number): void {
    const hour = this.localHour(time);
    const bucket = talkSeconds > 0 ? Math.min(TALK_BUCKETS - 1, Math.max(0, Math.floor(Math.log2(talkSeconds)))) : -1;
    const learn = (p: ScopeProfile | undefined): void => {
      if (!p) return;
      this.roll(p, hour);
      p.hourSpend += cost;
      if (bucket >= 0) p.talk[bucket]!++;
    };
    learn(this.scopeFor(TENANT_SCOPE, time, hour));
    if (a.callerExtension !== undefined) learn(this.scopeFor(a.callerExtension, time, hour));
  }

  /** The usual calls and spend of `slot` over the hours lived before the current one. */
  norm(p: ScopeProfile, slot: number, what: 'calls' | 'spend', now: number): HourNorm {
    const nowHour = this.localHour(now);
    const hours = hoursOfSlot(slot, this.localHour(p.since), nowHour);
    if (hours === 0) return { hours: 0, mean: 0, sd: 0 };
    let sum = what === 'calls' ? p.callSum[slot]! : p.spendSum[slot]!;
    let sq = what === 'calls' ? p.callSq[slot]! : p.spendSq[slot]!;
    // The last hour counted may be over without a call since: it belongs to the norm already.
    if (p.hour < nowHour && slotOf(p.hour) === slot) {
      const v = what === 'calls' ? p.hourCalls : p.hourSpend;
      sum += v;
      sq += v * v;
    }
    const mean = sum / hours;
    return { hours, mean, sd: Math.sqrt(Math.max(0, sq / hours - mean * mean)) };
  }

  /** The talk time (seconds) that `share` (0.99) of the scope's answered calls stay under; undefined before any. */
  talkQuantile(p: ScopeProfile, share: number): { seconds: number; calls: number } | undefined {
    const calls = p.talk.reduce((a, b) => a + b, 0);
    if (calls === 0) return undefined;
    let n = 0;
    for (let i = 0; i < TALK_BUCKETS; i++) {
      n += p.talk[i]!;
      if (n >= share * calls) return { seconds: 2 ** (i + 1), calls };
    }
    return { seconds: 2 ** TALK_BUCKETS, calls };
  }

  /** Scopes learned since the last call, as stored rows; clears the list. */
  changes(): Array<{ scope: string; data: ScopeProfile }> {
    const out: Array<{ scope: string; data: ScopeProfile }> = [];
    for (const scope of this.changed) {
      const p = this.scopes.get(scope);
      if (p) out.push({ scope, data: structuredClone(p) });
    }
    this.changed.clear();
    return out;
  }

  /** Every scope, as stored rows (a full save). */
  all(): Array<{ scope: string; data: ScopeProfile }> {
    return [...this.scopes].map(([scope, p]) => ({ scope, data: structuredClone(p) }));
  }

  /** Puts back stored scopes; returns how many were usable (another version's are learned again). */
  restore(rows: Iterable<{ scope: string; data: unknown }>): number {
    let n = 0;
    for (const r of rows) {
      if (!isScope(r.data)) continue;
      if (r.scope !== TENANT_SCOPE && !this.scopes.has(r.scope) && this.extensionCount() >= MAX_PROFILED_EXTENSIONS)
        continue;
      this.scopes.set(r.scope, structuredClone(r.data));
      n++;
    }
    return n;
  }

  /** Takes over what another profile learned (a policy change builds the tenant again: its history stays). */
  adopt(old: TenantProfile): void {
    this.scopes = old.scopes;
    this.changed = old.changed;
  }

  /** Every extension's profile. */
  *extensions(): Generator<[string, ScopeProfile]> {
    for (const [k, p] of this.scopes) if (k !== TENANT_SCOPE) yield [k, p];
  }

  /** How many extensions have a profile. */
  extensionCount(): number {
    return this.scopes.size - (this.scopes.has(TENANT_SCOPE) ? 1 : 0);
  }

  private scopeFor(key: string, time: number, hour: number): ScopeProfile | undefined {
    let p = this.scopes.get(key);
    if (!p) {
      if (key !== TENANT_SCOPE && this.extensionCount() >= MAX_PROFILED_EXTENSIONS) return undefined;
      this.scopes.set(key, (p = emptyScope(time, hour)));
    }
    this.changed.add(key);
    return p;
  }

  /** Folds the hour being counted into its hour of the week once a later hour starts. */
  private roll(p: ScopeProfile, hour: number): void {
    if (hour <= p.hour) return; // the same hour (or a late event, counted in the current one)
    const slot = slotOf(p.hour);
    p.callSum[slot]! += p.hourCalls;
    p.callSq[slot]! += p.hourCalls * p.hourCalls;
    p.spendSum[slot]! += p.hourSpend;
    p.spendSq[slot]! += p.hourSpend * p.hourSpend;
    p.hour = hour;
    p.hourCalls = 0;
    p.hourSpend = 0;
  }
}
