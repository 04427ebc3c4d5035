// The call-log report (R-REVIEW, R-ANOMALY): what a tenant's calls of a period add up to — top destinations, calls
// while the company was closed, cost by destination class and by day, and what was unusual — computed from the
// stored records alone, in one pass with bounded memory. Rendering (text, JSON, HTML) is elsewhere: this is the
// one place the figures come from.
import type { CallRecord } from '../store/ports.js';
import type { LocalClock } from '../engine/local-time.js';
import { SEVERITY_RANK } from '../store/alert-fold.js';

/** Calls, talk minutes and estimated cost of one group. */
export interface Totals {
  calls: number;
  minutes: number;
  cost: number;
}

export interface DestinationRow extends Totals {
  /** The E.164 number (or as dialled), a country, or a class. */
  key: string;
  cls?: string;
  country?: string;
}

export interface DayRow extends Totals {
  /** Local date `YYYY-MM-DD`. */
  day: string;
  outbound: number;
  inbound: number;
  offHours: number;
  stopped: number;
}

/** One call made while the company was closed. */
export interface OffHoursCall {
  id: string;
  startedAt: number;
  caller: string;
  called: string;
  cls?: string;
  minutes: number;
  cost: number;
  /** Why it was closed: "Saturday 01:12, closed all day", "public holiday: Christmas Day". */
  because: string;
  action?: string;
}

/** Something unusual: a signal the engine raised on calls of the period, or a day far above the usual spend. */
export interface Anomaly {
  kind: 'signal' | 'day';
  signal: string;
  rule?: string;
  severity: string;
  calls: number;
  stopped: number;
  first: number;
  last: number;
  cost: number;
  /** What a person reads first: the first message of the signal, or why the day stands out. */
  message: string;
  /** A score where the signal gave one (its highest), or the day's cost over the median day's. */
  score?: number;
}

export interface CallReport {
  tenant: string;
  timezone: string;
  currency: string;
  /** The period asked for, ms: [from, to). */
  from: number;
  to: number;
  totals: Totals & { outbound: number; inbound: number; answered: number; stopped: number; alerted: number };
  topNumbers: DestinationRow[];
  topCountries: DestinationRow[];
  byClass: DestinationRow[];
  byDay: DayRow[];
  /** Outbound calls and cost by local hour of the day (0–23). */
  byHour: Totals[];
  offHours: Totals & { top: OffHoursCall[] };
  anomalies: Anomaly[];
  /** What a reader should know about the figures (nothing in the period, records without decisions…). */
  notes: string[];
}

/** Whether the company is closed at a time, and why (the tenant's business hours). */
export type ClosedAt = (time: number) => string | undefined;

export interface ReportOptions {
  tenant: string;
  /** The tenant's country: calls within it are not "abroad". */
  country: string;
  currency: string;
  clock: LocalClock;
  closedAt: ClosedAt;
  from: number;
  to: number;
  /** Rows of each top list (default 10) and off-hours calls listed (default 20). */
  top?: number;
  offHoursListed?: number;
}

/** Distinct numbers counted; past it, numbers not yet seen are left out of the top list (noted). */
const MAX_NUMBERS = 50_000;
const MAX_ANOMALY_KEYS = 5_000;
/** A day stands out when it cost this many times the median day, and at least DAY_FLOOR. */
const DAY_FACTOR = 3;
const DAY_FLOOR = 10;

const totals = (): Totals => ({ calls: 0, minutes: 0, cost: 0 });
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

function add(t: Totals, minutes: number, cost: number): void {
  t.calls++;
  t.minutes += minutes;
  t.cost += cost;
}

const fix = <T extends Totals>(t: T): T => ({ ...t, minutes: round(t.minutes, 1), cost: round(t.cost) });
const byCost = (a: Totals & { key?: string }, b: Totals & { key?: string }) =>
  b.cost - a.cost || b.calls - a.calls || String(a.key).localeCompare(String(b.key));

interface Decision {
  action?: string;
  signals?: Array<{
    rule?: string;
    signal?: string;
    action?: string;
    severity?: string;
    message?: string;
    evidence?: Record<string, unknown>;
  }>;
}

/** Adds records one at a time (any order), then builds the report. */
export class CallReportBuilder {
  private readonly t = { ...totals(), outbound: 0, inbound: 0, answered: 0, stopped: 0, alerted: 0 };
  private readonly numbers = new Map<string, DestinationRow>();
  private readonly countries = new Map<string, DestinationRow>();
  private readonly classes = new Map<string, DestinationRow>();
  private readonly days = new Map<string, DayRow>();
  private readonly hours = Array.from({ length: 24 }, totals);
  private readonly off = totals();
  private offTop: OffHoursCall[] = [];
  private readonly anomalies = new Map<string, Anomaly>();
  private numbersFull = false;
  private undecided = 0;

  constructor(private readonly o: ReportOptions) {}

  add(r: CallRecord): void {
    if (r.tenantId !== this.o.tenant || r.startedAt < this.o.from || r.startedAt >= this.o.to) return;
    const minutes = r.answeredAt !== undefined && r.endedAt !== undefined ? (r.endedAt - r.answeredAt) / 60_000 : 0;
    const cost = r.estimatedCost ?? 0;
    const local = this.o.clock.at(r.startedAt);
    const stopped = r.disposition === 'rejected' || r.disposition === 'cut';
    add(this.t, minutes, cost);
    this.t[r.direction]++;
    if (r.answeredAt !== undefined) this.t.answered++;
    if (stopped) this.t.stopped++;
    else if (r.action === 'alert') this.t.alerted++;
    let day = this.days.get(local.date);
    if (!day)
      this.days.set(
        local.date,
        (day = { day: local.date, ...totals(), outbound: 0, inbound: 0, offHours: 0, stopped: 0 }),
      );
    add(day, minutes, cost);
    day[r.direction]++;
    if (stopped) day.stopped++;
    if (r.decision === undefined) this.undecided++;
    else this.signals(r, r.decision as Decision, cost, stopped);
    if (r.direction !== 'outbound') return;
    add(this.hours[Math.floor(local.minute / 60)]!, minutes, cost);
    const key = r.calledE164 ?? r.called;
    let n = this.numbers.get(key);
    if (!n && this.numbers.size < MAX_NUMBERS) {
      this.numbers.set(key, (n = { key, ...totals() }));
      if (r.destinationClass) n.cls = r.destinationClass;
      if (r.country) n.country = r.country;
    } else if (!n) this.numbersFull = true;
    if (n) add(n, minutes, cost);
    if (r.country && r.country !== this.o.country) this.group(this.countries, r.country, minutes, cost);
    this.group(this.classes, r.destinationClass ?? 'unknown', minutes, cost);
    const because = this.o.closedAt(r.startedAt);
    if (because === undefined) return;
    add(this.off, minutes, cost);
    day.offHours++;
    const call: OffHoursCall = {
      id: r.id,
      startedAt: r.startedAt,
      caller: r.caller,
      called: key,
      minutes,
      cost,
      because,
    };
    if (r.destinationClass) call.cls = r.destinationClass;
    if (r.action) call.action = r.action;
    // The costliest first, kept bounded: a sorted insert into a short list.
    const limit = this.o.offHoursListed ?? 20;
    if (this.offTop.length < limit || cost > this.offTop[this.offTop.length - 1]!.cost) {
      this.offTop.push(call);
      this.offTop.sort((a, b) => b.cost - a.cost || a.startedAt - b.startedAt);
      if (this.offTop.length > limit) this.offTop.pop();
    }
  }

  build(): CallReport {
    const top = this.o.top ?? 10;
    const days = [...this.days.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
    const notes: string[] = [];
    if (this.t.calls === 0) notes.push('no call of this tenant in the period');
    if (this.undecided > 0)
      notes.push(
        `${this.undecided} record(s) carry no decision (imported from CDRs): their signals are not known; replay them (tollguard replay) to see what Tollguard would have said`,
      );
    if (this.numbersFull)
      notes.push(`more than ${MAX_NUMBERS} numbers were called: the top list counts the first ${MAX_NUMBERS} seen`);
    const anomalies = [...this.anomalies.values(), ...this.dayAnomalies(days)].sort(
      (a, b) =>
        (SEVERITY_RANK[b.severity as keyof typeof SEVERITY_RANK] ?? 0) -
          (SEVERITY_RANK[a.severity as keyof typeof SEVERITY_RANK] ?? 0) ||
        b.cost - a.cost ||
        b.calls - a.calls,
    );
    return {
      tenant: this.o.tenant,
      timezone: this.o.clock.timeZone,
      currency: this.o.currency,
      from: this.o.from,
      to: this.o.to,
      totals: fix(this.t),
      topNumbers: [...this.numbers.values()].sort(byCost).slice(0, top).map(fix),
      topCountries: [...this.countries.values()].sort(byCost).slice(0, top).map(fix),
      byClass: [...this.classes.values()].sort(byCost).map(fix),
      byDay: days.map(fix),
      byHour: this.hours.map(fix),
      offHours: {
        ...fix(this.off),
        top: this.offTop.map((c) => ({ ...c, minutes: round(c.minutes, 1), cost: round(c.cost) })),
      },
      anomalies: anomalies.map((a) => ({ ...a, cost: round(a.cost) })),
      notes,
    };
  }

  private group(m: Map<string, DestinationRow>, key: string, minutes: number, cost: number): void {
    let g = m.get(key);
    if (!g) m.set(key, (g = { key, ...totals() }));
    add(g, minutes, cost);
  }

  /** Every signal that did more than allow, grouped by signal: how many calls, what they cost, the first message. */
  private signals(r: CallRecord, d: Decision, cost: number, stopped: boolean): void {
    for (const s of d.signals ?? []) {
      if (!s.signal || s.action === 'allow') continue;
      let a = this.anomalies.get(s.signal);
      if (!a) {
        if (this.anomalies.size >= MAX_ANOMALY_KEYS) continue;
        a = {
          kind: 'signal',
          signal: s.signal,
          severity: s.severity ?? 'info',
          calls: 0,
          stopped: 0,
          first: r.startedAt,
          last: r.startedAt,
          cost: 0,
          message: s.message ?? '',
        };
        if (s.rule) a.rule = s.rule;
        this.anomalies.set(s.signal, a);
      }
      a.calls++;
      if (stopped) a.stopped++;
      a.cost += cost;
      if (r.startedAt < a.first) {
        a.first = r.startedAt;
        a.message = s.message ?? a.message;
      }
      if (r.startedAt > a.last) a.last = r.startedAt;
      const score = s.evidence?.score;
      if (typeof score === 'number' && (a.score === undefined || score > a.score)) a.score = score;
    }
  }

  /** Days whose cost is far above the period's median day. */
  private dayAnomalies(days: DayRow[]): Anomaly[] {
    if (days.length < 3) return [];
    const costs = days.map((d) => d.cost).sort((a, b) => a - b);
    const median = costs[Math.floor(costs.length / 2)]!;
    const out: Anomaly[] = [];
    for (const d of days) {
      if (d.cost < DAY_FLOOR || d.cost <= DAY_FACTOR * median) continue;
      const times = median > 0 ? `${round(d.cost / median, 1)} times` : 'far above';
      out.push({
        kind: 'day',
        signal: 'DAY_SPEND',
        severity: 'high',
        calls: d.calls,
        stopped: d.stopped,
        first: Date.parse(`${d.day}T00:00:00Z`),
        last: Date.parse(`${d.day}T00:00:00Z`),
        cost: d.cost,
        message: `${d.day}: about ${round(d.cost)} ${this.o.currency} of calls, ${times} the median day of the period (${round(median)} ${this.o.currency}); ${d.offHours} call(s) while closed`,
        ...(median > 0 ? { score: round(d.cost / median, 1) } : {}),
      });
    }
    return out;
  }
}

/** The report of a set of records (tests; the CLI streams pages into a builder). */
export function callReport(records: Iterable<CallRecord>, o: ReportOptions): CallReport {
  const b = new CallReportBuilder(o);
  for (const r of records) b.add(r);
  return b.build();
}
