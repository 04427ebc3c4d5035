// What a replay found, for a person: calls, alerts, what would have been refused or cut, minutes and estimated cost
// saved, by rule and by day, and the worst incidents first. Bounded: counters per signal, per day and per incident
// key (an incident is one signal on one day from one extension or caller), not per call.
import { decisiveSignal } from '../decider.js';
import type { LocalClock } from '../../engine/local-time.js';
import type { Severity } from '../../engine/actions.js';
import { LEGS, type Leg } from './legs.js';
import type { CallOutcome } from './replay.js';
import type { BadRow } from './record.js';

interface Tally {
  calls: number;
  alerts: number;
  refused: number;
  cut: number;
  minutesSaved: number;
  costSaved: number;
}

export interface RuleTally extends Tally {
  rule: string;
  signal: string;
}

export interface DayTally extends Tally {
  day: string;
}

export interface Incident {
  day: string;
  rule: string;
  signal: string;
  severity: string;
  /** `extension 205`, `caller +44…`, or `the tenant`. */
  who: string;
  first: number;
  last: number;
  calls: number;
  refused: number;
  cut: number;
  alerts: number;
  minutesSaved: number;
  costSaved: number;
  /** Up to five numbers called, and the first message: what a person reads first. */
  numbers: string[];
  message: string;
}

/** The summary as `--json` prints it (its last line). */
export interface ReplayReport {
  file: string;
  format: string;
  tenant: string;
  timezone: string;
  mode: 'enforce' | 'monitor';
  currency: string;
  from?: string;
  to?: string;
  lines: number;
  calls: number;
  legs: Record<Leg, number>;
  badRows: number;
  /** The first bad rows (line and why); every one is counted in badRows. */
  badSamples: BadRow[];
  foldedBLegs: number;
  lateRecords: number;
  /** Quarantines lifted by --release-after (a person releasing them). */
  quarantinesReleased: number;
  alerts: number;
  refused: number;
  cut: number;
  minutesSaved: number;
  costSaved: number;
  recordedCost: number;
  replayedCost: number;
  byRule: RuleTally[];
  byDay: DayTally[];
  incidents: Incident[];
  /** The tenant's traffic profile over the replay (absent when the profile rule is off). */
  profile?: ProfileWarmup;
  elapsedMs: number;
}

/** When the profile had history enough to compare calls with it, and what it held at the end. */
export interface ProfileWarmup {
  /** What the warm-up needs, in words. */
  needs: string;
  /** The first outbound call compared with the profile; absent when the file never got there. */
  warmFrom?: string;
  /** Outbound calls before it: nothing said of them by the profile (new-destination has its own warm-up). */
  notCompared: number;
  /** At the end: the history learned, the calls in it, extensions profiled and those warm. */
  history: string;
  calls: number;
  extensions: number;
  extensionsWarm: number;
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
const MAX_INCIDENT_KEYS = 20_000;
const MAX_BAD_SAMPLES = 20;

/** One call in a tally (the total, its day). */
function count(t: Tally, o: CallOutcome, alerted: boolean): void {
  t.calls++;
  if (o.refused) t.refused++;
  else if (o.cutAt !== undefined) t.cut++;
  else if (alerted) t.alerts++;
  t.minutesSaved += o.minutesSaved;
  t.costSaved += o.costSaved;
}

const tally = (): Tally => ({ calls: 0, alerts: 0, refused: 0, cut: 0, minutesSaved: 0, costSaved: 0 });
const round2 = (n: number) => Math.round(n * 100) / 100;

export class SummaryBuilder {
  private readonly legs = Object.fromEntries(LEGS.map((l) => [l, 0])) as Record<Leg, number>;
  private readonly total = tally();
  private readonly byRule = new Map<string, RuleTally>();
  private readonly byDay = new Map<string, DayTally>();
  private readonly incidents = new Map<string, Incident>();
  private readonly badSamples: BadRow[] = [];
  private recordedCost = 0;
  private replayedCost = 0;
  private from = Infinity;
  private to = -Infinity;
  badRows = 0;

  constructor(private readonly clock: LocalClock) {}

  bad(b: BadRow): void {
    this.badRows++;
    if (this.badSamples.length < MAX_BAD_SAMPLES) this.badSamples.push(b);
  }

  add(o: CallOutcome): void {
    this.legs[o.leg]++;
    if (o.start < this.from) this.from = o.start;
    if (o.start > this.to) this.to = o.start;
    this.recordedCost += o.recordedCost;
    this.replayedCost += o.refused && o.enforced ? 0 : o.replayedCost;
    const day = this.clock.at(o.start).date;
    let d = this.byDay.get(day);
    if (!d) this.byDay.set(day, (d = { day, ...tally() }));
    const stopped = o.refused || o.cutAt !== undefined;
    const alerted = !stopped && o.action === 'alert';
    count(this.total, o, alerted);
    count(d, o, alerted);
    if (!stopped && !alerted) return;
    // Every signal that did more than allow is counted under its rule; what was saved goes to the one that decided.
    const decisive = decisiveSignal(o);
    for (const s of o.signals) {
      if (s.action === 'allow') continue;
      const key = `${s.rule}|${s.signal}`;
      let r = this.byRule.get(key);
      if (!r) this.byRule.set(key, (r = { rule: s.rule, signal: s.signal, ...tally() }));
      r.calls++;
      if (s !== decisive) continue;
      if (o.refused) r.refused++;
      else if (o.cutAt !== undefined) r.cut++;
      else r.alerts++;
      r.minutesSaved += o.minutesSaved;
      r.costSaved += o.costSaved;
    }
    if (!decisive) return;
    const who =
      o.callerExtension !== undefined
        ? `extension ${o.callerExtension}`
        : o.caller
          ? `caller ${o.caller}`
          : 'the tenant';
    const key = `${day}|${decisive.signal}|${who}`;
    let inc = this.incidents.get(key);
    if (!inc) {
      if (this.incidents.size >= MAX_INCIDENT_KEYS) return;
      inc = {
        day,
        rule: decisive.rule,
        signal: decisive.signal,
        severity: decisive.severity,
        who,
        first: o.start,
        last: o.start,
        ...tally(),
        numbers: [],
        message: decisive.message,
      };
      this.incidents.set(key, inc);
    }
    inc.last = Math.max(inc.last, o.start);
    inc.calls++;
    if (o.refused) inc.refused++;
    else if (o.cutAt !== undefined) inc.cut++;
    else inc.alerts++;
    inc.minutesSaved += o.minutesSaved;
    inc.costSaved += o.costSaved;
    const n = o.destination?.e164 ?? o.called;
    if (inc.numbers.length < 5 && !inc.numbers.includes(n)) inc.numbers.push(n);
  }

  build(
    meta: Omit<
      ReplayReport,
      | 'calls'
      | 'legs'
      | 'badRows'
      | 'badSamples'
      | 'alerts'
      | 'refused'
      | 'cut'
      | 'minutesSaved'
      | 'costSaved'
      | 'recordedCost'
      | 'replayedCost'
      | 'byRule'
      | 'byDay'
      | 'incidents'
      | 'from'
      | 'to'
      | 'profile'
    >,
    incidentLimit = 10,
    profile?: ProfileWarmup,
  ): ReplayReport {
    const fix = <T extends Tally>(t: T): T => ({
      ...t,
      minutesSaved: Math.round(t.minutesSaved * 10) / 10,
      costSaved: round2(t.costSaved),
    });
    const stoppedFirst = (a: Tally, b: Tally) =>
      b.costSaved - a.costSaved || b.refused + b.cut - (a.refused + a.cut) || b.alerts - a.alerts;
    const incidents = [...this.incidents.values()]
      .sort(
        (a, b) =>
          b.costSaved - a.costSaved ||
          SEVERITY_RANK[b.severity as Severity] - SEVERITY_RANK[a.severity as Severity] ||
          b.refused + b.cut - (a.refused + a.cut) ||
          b.calls - a.calls,
      )
      .slice(0, incidentLimit)
      .map(fix);
    const report: ReplayReport = {
      ...meta,
      lines: meta.lines,
      calls: this.total.calls,
      legs: this.legs,
      badRows: this.badRows,
      badSamples: this.badSamples,
      alerts: this.total.alerts,
      refused: this.total.refused,
      cut: this.total.cut,
      minutesSaved: Math.round(this.total.minutesSaved * 10) / 10,
      costSaved: round2(this.total.costSaved),
      recordedCost: round2(this.recordedCost),
      replayedCost: round2(this.replayedCost),
      byRule: [...this.byRule.values()].sort(stoppedFirst).map(fix),
      byDay: [...this.byDay.values()].sort((a, b) => (a.day < b.day ? -1 : 1)).map(fix),
      incidents,
    };
    if (profile) report.profile = profile;
    if (this.from !== Infinity) {
      report.from = new Date(this.from).toISOString();
      report.to = new Date(this.to).toISOString();
    }
    return report;
  }
}
