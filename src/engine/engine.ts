// The engine: turns a call attempt into a decision with its explanation, watches the calls it let through, and
// orders cuts as time passes. It knows nothing of sockets or files and reads time only from events, so the same
// code decides live (behind the proxy, the redirect server, the HTTP API) and in replay of call records.
import type { AttemptInput, CallDecider, CutOrderView, DecisionView } from '../adapters/decider.js';
import { Numbering, Tariffs, tenantNumbering, type Destination, type Price } from '../numbering/index.js';
import { RULES } from '../rules/index.js';
import { stops, type Action } from './actions.js';
import { runningCost, type AttemptFacts, type CallAttempt, type LiveCall } from './attempt.js';
import { decide, type Decision, type Signal } from './decision.js';
import { LocalClock, type LocalTime } from './local-time.js';
import { defaultTimeZone, type TenantPolicy } from './policy.js';
import type { AnyRule, Raised, TenantView, TickContext } from './rule.js';
import { LiveIndex } from './live-index.js';
import { TurnoverMap } from '../collections/turnover-map.js';
import { TenantProfile } from './profile.js';

/** A tenant as the engine is given it: its id and validated policy; tariffs read by the caller (a file). */
export interface TenantSetup {
  id: string;
  policy: TenantPolicy;
  tariffs?: Tariffs;
}

/** A quarantined extension or tenant: every further outbound call refused until a person releases it. */
export interface Quarantine {
  tenantId: string;
  /** Undefined when the whole tenant is quarantined. */
  extension?: string;
  since: number;
  rule: string;
  signal: string;
  message: string;
  callId: string;
}

/** What the engine tells the rest of Tollguard on its own (while calls go on), besides answering calls. */
export interface EngineListener {
  /**
   * Signals raised on a live call (spend near a cap, a cut, a quarantine): `fresh` are the new ones, `decision` the
   * call's whole decision with them, `cut` whether a cut was ordered for it (the adapter records that one itself).
   */
  liveDecision?(e: {
    tenantId: string;
    callId: string;
    attempt: CallAttempt;
    decision: Decision;
    fresh: Signal[];
    cut: boolean;
    time: number;
  }): void;
  quarantined?(q: Quarantine): void;
}

interface ActiveRule {
  def: AnyRule;
  options: unknown;
  optionsKey: string;
  /** The directions `check` looks at. */
  checks: { outbound: boolean; inbound: boolean };
  /**
   * The context every hook of this rule gets: one object, its `facts` set per attempt and its `time` and `local` per
   * tick (hot paths: no copies).
   */
  ctx: { options: unknown; state: unknown; tenant: TenantView; facts: AttemptFacts; time: number; local?: LocalTime };
}

class Tenant implements TenantView {
  readonly country: string;
  readonly numbering: Numbering;
  readonly tariffs: Tariffs;
  readonly clock: LocalClock;
  readonly currency: string;
  readonly enforce: boolean;
  readonly rules: ActiveRule[];
  /** The rules with each hook, in rule order: a call's setup, answer and end walk only these. */
  readonly hooks: Record<'outbound' | 'inbound' | 'admit' | 'answer' | 'end', ActiveRule[]>;
  readonly overrides: Map<string, Action>;
  live = new TurnoverMap<string, LiveCall>();
  /** Counts and spend of `live`, for rules that need them at every attempt. */
  index = new LiveIndex();
  quarantine: { tenant?: Quarantine; extensions: Map<string, Quarantine> } = { extensions: new Map() };
  readonly profile: TenantProfile;

  constructor(
    readonly id: string,
    readonly policy: TenantPolicy,
    tariffs: Tariffs | undefined,
  ) {
    this.country = policy.country;
    this.numbering = tenantNumbering(policy);
    this.currency = policy.currency;
    this.tariffs = tariffs ?? Tariffs.defaults(policy.currency);
    this.clock = new LocalClock(policy.timezone ?? defaultTimeZone(policy.country));
    this.enforce = policy.mode === 'enforce';
    this.profile = new TenantProfile(this.clock, this.country);
    this.overrides = new Map(Object.entries(policy.signals) as Array<[string, Action]>);
    this.rules = [];
    const configured = policy.rules as Record<string, unknown>;
    for (const def of RULES) {
      const given = configured[def.id];
      if (given === false) continue;
      const options = given === undefined ? def.options.parse({}) : given;
      const directions = def.check ? (def.directions ?? ['outbound']) : [];
      this.rules.push({
        def,
        options,
        optionsKey: JSON.stringify(options),
        checks: { outbound: directions.includes('outbound'), inbound: directions.includes('inbound') },
        ctx: { options, state: def.state?.(options), tenant: this, facts: {}, time: 0 },
      });
    }
    const r = this.rules;
    this.hooks = {
      outbound: r.filter((x) => x.checks.outbound),
      inbound: r.filter((x) => x.checks.inbound),
      admit: r.filter((x) => x.def.admit),
      answer: r.filter((x) => x.def.answer),
      end: r.filter((x) => x.def.end),
    };
  }

  liveCalls(): Iterable<LiveCall> {
    return this.live.values();
  }

  liveCount(scope?: { extension?: string | undefined; cls?: string }): number {
    return this.index.liveCount(scope);
  }

  liveSpend(time: number, extension?: string): number {
    return this.index.liveSpend(time, extension);
  }

  liveRate(extension?: string): number {
    return this.index.liveRate(extension);
  }

  spendingExtensions(): Iterable<string> {
    return this.index.spendingExtensions();
  }

  /** Carries live calls, quarantines and the state of rules whose options did not change over a policy change. */
  inherit(old: Tenant): void {
    this.live = old.live;
    this.index = old.index;
    this.quarantine = old.quarantine;
    this.profile.adopt(old.profile);
    for (const r of this.rules) {
      const before = old.rules.find((o) => o.def.id === r.def.id);
      if (before && before.optionsKey === r.optionsKey) r.ctx.state = before.ctx.state;
    }
  }
}

const SWEEP_MS = 60_000;

export class Engine implements CallDecider {
  private tenants = new Map<string, Tenant>();
  private readonly callTenant = new TurnoverMap<string, Tenant>();
  private lastSweep = 0;
  /** When watching may next raise something (watchDue), kept until a tick or a policy change; an answer lowers it. */
  private due: number | undefined;

  constructor(
    tenants: TenantSetup[],
    private readonly listener: EngineListener = {},
  ) {
    this.configure(tenants);
  }

  /**
   * Applies new policies, live: every tenant is built first, so a bad policy throws before anything changes.
   * Live calls, quarantines and counters carry over (a rule's counters restart only when its options changed).
   */
  configure(setups: TenantSetup[]): void {
    const next = new Map<string, Tenant>();
    for (const s of setups) next.set(s.id, new Tenant(s.id, s.policy, s.tariffs));
    for (const [id, t] of next) {
      const old = this.tenants.get(id);
      if (old) t.inherit(old);
    }
    for (const [callId, t] of this.callTenant) {
      const now = next.get(t.id);
      if (now) this.callTenant.set(callId, now);
      else this.callTenant.delete(callId);
    }
    this.tenants = next;
    this.due = undefined;
  }

  async evaluate(input: AttemptInput): Promise<DecisionView> {
    return this.decide(input);
  }

  /** The decision for an attempt; the call is then watched until `ended`, unless it was refused. */
  decide(input: AttemptInput): Decision {
    const t = this.tenants.get(input.tenantId);
    if (!t) throw new Error(`unknown tenant ${input.tenantId}`);
    const destination = t.numbering.classify(input.called);
    const attempt = attemptOf(input, destination, t.clock.at(input.time));
    const signals: Signal[] = [];
    if (attempt.direction === 'outbound') {
      const q =
        t.quarantine.tenant ??
        (attempt.callerExtension !== undefined ? t.quarantine.extensions.get(attempt.callerExtension) : undefined);
      if (q) {
        signals.push({
          rule: 'quarantine',
          signal: 'QUARANTINE_ACTIVE',
          action: 'reject',
          severity: 'high',
          message: `${q.extension ? `extension ${q.extension}` : 'the tenant'} is quarantined since ${new Date(q.since).toISOString()} (${q.signal}: ${q.message}); a person must release it`,
          evidence: { since: q.since, rule: q.rule, signal: q.signal, extension: q.extension },
        });
      }
    }
    const facts: AttemptFacts = {};
    for (const r of t.hooks[attempt.direction]) {
      r.ctx.facts = facts;
      const raised = r.def.check!(attempt, r.ctx);
      if (raised === undefined) continue;
      if (Array.isArray(raised)) for (const x of raised) signals.push(this.signal(t, r.def, x));
      else signals.push(this.signal(t, r.def, raised));
    }
    if (destination.cls === 'emergency') spareEmergency(signals);
    const decision = decide(signals, t.enforce, decidedDestination(destination));
    if (decision.enforced && decision.action === 'quarantine') this.quarantine(t, attempt, decision, input.time);
    if (!(decision.enforced && stops(decision.action))) {
      const call: LiveCall = { attempt, decision, price: t.tariffs.priceOf(destination) };
      t.live.set(attempt.id, call);
      t.index.add(call);
      this.callTenant.set(attempt.id, t);
      for (const r of t.hooks.admit) r.def.admit!(call, r.ctx);
      // Learned after the rules counted it, so they still see the profile as it was before this call. A call that
      // would have been refused (monitor mode) teaches nothing: fraud must not become the norm.
      if (attempt.direction === 'outbound' && !stops(decision.action)) {
        t.profile.learnCall(attempt);
        call.learned = true;
      }
    }
    return decision;
  }

  async answered(callId: string, time: number): Promise<void> {
    this.answer(callId, time);
  }

  /** The call was answered at `time` (what `answered` does, without a promise: replay answers every call). */
  answer(callId: string, time: number): void {
    const t = this.callTenant.get(callId);
    const call = t?.live.get(callId);
    if (!t || !call || call.answeredAt !== undefined) return;
    call.answeredAt = time;
    t.index.answer(call);
    for (const r of t.hooks.answer) r.def.answer!(call, time, r.ctx);
    if (this.due !== undefined) this.due = Math.min(this.due, this.dueOf(t, time, call));
  }

  async ended(callId: string, time: number): Promise<{ estimatedCost: number; currency: string } | undefined> {
    const c = this.end(callId, time);
    return c && { estimatedCost: c.cost, currency: c.currency };
  }

  /** The call ended; returns its estimated cost (0 when unanswered), or undefined for a call the engine never let through. */
  end(callId: string, time: number): { cost: number; currency: string } | undefined {
    const t = this.callTenant.get(callId);
    const call = t?.live.get(callId);
    this.callTenant.delete(callId);
    if (!t || !call) return undefined;
    t.live.delete(callId);
    t.index.remove(call);
    call.endedAt = time;
    for (const r of t.hooks.end) r.def.end!(call, time, r.ctx);
    const cost = runningCost(call, time);
    if (call.learned) {
      const talk = call.answeredAt === undefined ? 0 : (time - call.answeredAt) / 1000;
      // What a cut call spent is not the norm either.
      t.profile.learnEnd(call.attempt, time, call.cutAt === undefined ? cost : 0, talk);
    }
    return { cost, currency: call.price.currency };
  }

  /** The price the tenant's tariffs give a destination (alerts say what a refused call would have cost). */
  priceOf(tenantId: string, destination: Pick<Destination, 'cls' | 'e164'>): Price | undefined {
    return this.tenants.get(tenantId)?.tariffs.priceOf(destination);
  }

  /** Estimated cost of a live call so far. */
  costOf(callId: string, time: number): { cost: number; currency: string } | undefined {
    const call = this.callTenant.get(callId)?.live.get(callId);
    return call ? { cost: runningCost(call, time), currency: call.price.currency } : undefined;
  }

  async tick(time: number): Promise<CutOrderView[]> {
    return this.watch(time);
  }

  /**
   * The earliest event time at which `watch` could raise anything if only time passed from `time` (no call set up,
   * answered or ended): the ticks before it can be skipped, as replay does. -Infinity when a rule must be watched at
   * every tick; Infinity when nothing is watched.
   */
  watchDue(time: number): number {
    if (this.due === undefined) {
      let due = Infinity;
      for (const t of this.tenants.values()) if (t.live.size > 0) due = Math.min(due, this.dueOf(t, time));
      this.due = due;
    }
    return this.due;
  }

  private dueOf(t: Tenant, time: number, answered?: LiveCall): number {
    let due = Infinity;
    let local: LocalTime | undefined;
    for (const r of t.rules) {
      if (!r.def.tick) continue;
      if (!r.def.quietUntil) return -Infinity;
      r.ctx.time = time;
      r.ctx.local = local ??= t.clock.at(time);
      due = Math.min(due, r.def.quietUntil(r.ctx as TickContext<unknown, unknown>, answered));
    }
    return due;
  }

  /** Runs the rules over live calls at `time`; returns the calls to cut (with `enforced: false` in monitor mode). */
  watch(time: number): Array<{ callId: string; decision: Decision }> {
    this.due = undefined;
    const orders: Array<{ callId: string; decision: Decision }> = [];
    const sweep = time - this.lastSweep >= SWEEP_MS;
    if (sweep) this.lastSweep = time;
    for (const t of this.tenants.values()) {
      if (sweep) for (const r of t.rules) r.def.sweep?.(time, r.ctx);
      if (t.live.size === 0) continue;
      const byCall = new Map<LiveCall, Signal[]>();
      const local = t.clock.at(time);
      for (const r of t.rules) {
        if (!r.def.tick) continue;
        r.ctx.time = time;
        r.ctx.local = local;
        for (const { call, raised } of r.def.tick(r.ctx as TickContext<unknown, unknown>)) {
          const list = byCall.get(call) ?? [];
          list.push(this.signal(t, r.def, raised));
          byCall.set(call, list);
        }
      }
      for (const [call, signals] of byCall) {
        if (call.attempt.destination.cls === 'emergency') spareEmergency(signals);
        const now = decide(signals, t.enforce, call.decision.destination);
        // The call's decision grows with what was seen while it went on: the record and the alert show it all.
        const seen = new Set(call.decision.signals.map((s) => `${s.rule}|${s.signal}`));
        const fresh = signals.filter((s) => !seen.has(`${s.rule}|${s.signal}`));
        if (fresh.length === 0 && !(stops(now.action) && call.cutAt === undefined)) continue;
        call.decision = decide([...call.decision.signals, ...fresh], t.enforce, call.decision.destination);
        const cut = stops(now.action) && call.cutAt === undefined;
        if (cut) {
          // Cut once; in monitor mode the order says what would have been done and the call goes on.
          call.cutAt = time;
          t.index.cut(call);
          orders.push({ callId: call.attempt.id, decision: call.decision });
          if (now.enforced && now.action === 'quarantine') this.quarantine(t, call.attempt, now, time);
        }
        this.listener.liveDecision?.({
          tenantId: t.id,
          callId: call.attempt.id,
          attempt: call.attempt,
          decision: call.decision,
          fresh,
          cut,
          time,
        });
      }
    }
    return orders;
  }

  /** Lifts quarantines: of one extension, or (no extension) of the tenant and all its extensions. Returns how many. */
  release(tenantId: string, extension?: string): number {
    const t = this.tenants.get(tenantId);
    if (!t) throw new Error(`unknown tenant ${tenantId}`);
    if (extension !== undefined) return t.quarantine.extensions.delete(extension) ? 1 : 0;
    const n = (t.quarantine.tenant ? 1 : 0) + t.quarantine.extensions.size;
    t.quarantine = { extensions: new Map() };
    return n;
  }

  /** Whether any extension or tenant is quarantined (replay asks before every call). */
  get quarantined(): boolean {
    for (const t of this.tenants.values()) if (t.quarantine.tenant || t.quarantine.extensions.size > 0) return true;
    return false;
  }

  quarantines(tenantIds?: string[]): Quarantine[] {
    const out: Quarantine[] = [];
    for (const t of this.tenants.values()) {
      if (tenantIds && !tenantIds.includes(t.id)) continue;
      if (t.quarantine.tenant) out.push(t.quarantine.tenant);
      out.push(...t.quarantine.extensions.values());
    }
    return out;
  }

  /** Puts back quarantines kept across a restart. */
  restoreQuarantine(q: Quarantine): void {
    const t = this.tenants.get(q.tenantId);
    if (!t) return;
    if (q.extension === undefined) t.quarantine.tenant = q;
    else t.quarantine.extensions.set(q.extension, q);
  }

  /** A tenant's profiles (to save, to report on). */
  profileOf(tenantId: string): TenantProfile | undefined {
    return this.tenants.get(tenantId)?.profile;
  }

  /** Puts back a tenant's stored profile (at start); returns how many scopes were usable. */
  restoreProfile(tenantId: string, rows: Iterable<{ scope: string; data: unknown }>): number {
    return this.tenants.get(tenantId)?.profile.restore(rows) ?? 0;
  }

  /** Profile scopes learned since the last call, of every tenant: what a periodic save writes. */
  profileChanges(): Array<{ tenantId: string; scope: string; data: unknown }> {
    const out: Array<{ tenantId: string; scope: string; data: unknown }> = [];
    for (const t of this.tenants.values()) for (const c of t.profile.changes()) out.push({ tenantId: t.id, ...c });
    return out;
  }

  get liveCallCount(): number {
    return this.callTenant.size;
  }

  private signal(t: Tenant, rule: AnyRule, raised: Raised): Signal {
    const def = rule.signals[raised.signal];
    if (!def) throw new Error(`rule ${rule.id} raised ${raised.signal}, which it does not declare`);
    const s: Signal = {
      rule: rule.id,
      signal: raised.signal,
      action: t.overrides.get(raised.signal) ?? raised.action ?? def.action,
      severity: raised.severity ?? def.severity,
      message: raised.message,
    };
    if (raised.evidence) s.evidence = raised.evidence;
    if (raised.scope) s.evidence = { ...s.evidence, scope: raised.scope };
    return s;
  }

  private quarantine(t: Tenant, attempt: CallAttempt, decision: Decision, time: number): void {
    const s = decision.signals.find((x) => x.action === 'quarantine')!;
    const scope =
      (s.evidence?.scope as string | undefined) ?? (attempt.callerExtension !== undefined ? 'extension' : 'tenant');
    const q: Quarantine = {
      tenantId: t.id,
      since: time,
      rule: s.rule,
      signal: s.signal,
      message: s.message,
      callId: attempt.id,
    };
    if (scope === 'extension' && attempt.callerExtension !== undefined) {
      if (t.quarantine.extensions.has(attempt.callerExtension)) return;
      q.extension = attempt.callerExtension;
      t.quarantine.extensions.set(attempt.callerExtension, q);
    } else {
      if (t.quarantine.tenant) return;
      t.quarantine.tenant = q;
    }
    this.listener.quarantined?.(q);
  }
}

/** Emergency numbers are never refused or cut, whatever a rule or the policy says: the signal stays, as an alert. */
function spareEmergency(signals: Signal[]): void {
  for (const s of signals) {
    if (stops(s.action)) {
      s.action = 'alert';
      s.message += ' (emergency number: never refused)';
    }
  }
}

/**
 * The attempt rules see: the input's own fields, in its order, then the engine's. Copied field by field: an object
 * spread of inputs of several shapes falls to V8's slow generic copy, which was a third of a decision.
 */
function attemptOf(input: AttemptInput, destination: Destination, local: LocalTime): CallAttempt {
  const from = input as unknown as Record<string, unknown>;
  const a: Record<string, unknown> = {};
  // for…in with hasOwn: the own fields, as a spread copies them, without the key array Object.keys allocates.
  for (const k in from) if (Object.hasOwn(from, k)) a[k] = from[k];
  a.diversion = input.diversion ?? [];
  a.historyInfo = input.historyInfo ?? [];
  a.destination = destination;
  a.local = local;
  return a as unknown as CallAttempt;
}

/** What a decision says of its destination (the e164, class and country; built without spreads, as above). */
function decidedDestination(d: Destination): Decision['destination'] {
  if (d.e164 !== undefined)
    return d.country !== undefined ? { e164: d.e164, cls: d.cls, country: d.country } : { e164: d.e164, cls: d.cls };
  return d.country !== undefined ? { cls: d.cls, country: d.country } : { cls: d.cls };
}
