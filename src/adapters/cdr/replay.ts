// Replay: call records through the same Engine the live firewall runs, in start order, with the records' own
// times, as if live. The records are a CDR file's rows read by the LegReader or the call log's stored records; both
// come here as a ReplayCall. A discrete-event loop: each record is an attempt at its start; a call let through is
// answered and ended at the record's times; between events the engine is watched every second of event time while
// calls are up, so max-duration and spend-cap cuts fall where they would have. A refused call never happened (not
// answered, added to no counter); a cut call ends at the cut.
import { Engine, type TenantSetup } from '../../engine/index.js';
import type { Decision, Signal } from '../../engine/index.js';
import type { AttemptInput } from '../decider.js';
import { stops, type Action } from '../../engine/actions.js';
import type { Tariffs } from '../../numbering/index.js';
import type { DestinationClass } from '../../numbering/classes.js';
import { Heap } from './heap.js';
import { TurnoverMap } from '../../collections/turnover-map.js';
import type { Leg, LegView } from './legs.js';

/** One call to replay, whatever it was read from: its times, talk, and what it is for the engine. */
export interface ReplayCall {
  /** The record's own id (uniqueid, uuid, the call log's id); undefined to use the line. */
  id?: string;
  /** 1-based position in its source (the file's line, the record's rank in the call log). */
  line: number;
  /** Set up, answered (undefined when never answered) and ended, ms since the epoch. */
  start: number;
  answer?: number;
  end: number;
  /** Seconds of talk, as recorded. */
  billsec: number;
  answered: boolean;
  /** Direction, parties and why they were read so. */
  view: LegView;
  userAgent?: string;
  sourceAddress?: string;
}

/** What became of one call in replay. */
export interface CallOutcome {
  /** The record's uniqueid or uuid, else its line number. */
  id: string;
  line: number;
  leg: Leg;
  start: number;
  caller: string;
  callerExtension?: string;
  called: string;
  /** The final decision: at setup, grown with what was seen while the call went on (a cut, a spend alert). */
  action: Action;
  enforced: boolean;
  signals: Signal[];
  destination?: Decision['destination'];
  /** Refused at setup (or would have been, in monitor mode). */
  refused: boolean;
  /** When it was cut (or would have been, in monitor mode). */
  cutAt?: number;
  /** Seconds of talk in the record, and estimated cost as recorded and as replayed. */
  billsec: number;
  recordedCost: number;
  replayedCost: number;
  /** What refusing or cutting saved: minutes of talk and estimated cost. */
  minutesSaved: number;
  costSaved: number;
  /** How the leg was read (`extension to trunk`, `lastapp DISA`…). */
  why: string;
}

export interface ReplayOptions {
  /** The tenants the engine is built with; the records are the calls of `tenantId`. */
  setups: TenantSetup[];
  tenantId: string;
  /** Prices for the recorded and saved costs (the tenant's table, or the defaults by class). */
  tariffs: Tariffs;
  /** Each call's outcome, once known (refused: at once; otherwise at its end or cut). */
  onCall(o: CallOutcome): void;
  /** Watch interval while calls are up, ms of event time (default 1000). */
  tickMs?: number;
  /**
   * Lift a quarantine this long after it was set, as a person would after looking (default: never, as live until
   * someone runs `tollguard release`). Without it, a long file keeps a quarantined tenant refused to its end.
   */
  releaseQuarantineAfterMs?: number;
}

interface Live {
  rec: ReplayCall;
  id: string;
  engineId: string;
  leg: Leg;
  caller: string;
  callerExtension?: string;
  called: string;
  why: string;
  /** Shift applied to a record read out of order (its times moved to the replay clock). */
  shift: number;
  decision: Decision;
  recordedCost: number;
  wouldRefuse: boolean;
  talking?: boolean;
  cutAt?: number;
  costAtCut?: number;
}

interface Ev {
  t: number;
  seq: number;
  kind: 'answer' | 'end';
  call: Live;
}

export class Replayer {
  readonly engine: Engine;
  private readonly events = new Heap<Ev>((a, b) => a.t < b.t || (a.t === b.t && a.seq < b.seq));
  private readonly live = new TurnoverMap<string, Live>();
  private readonly tickMs: number;
  private readonly enforce: boolean;
  private clock = -Infinity;
  private lastTick = -Infinity;
  private seq = 0;
  /** Answered outbound calls up: the only ones a watch can cut (duration and spend run from the answer). */
  private talking = 0;
  /** Records that started before the replay clock (the file was out of order beyond the reorder window). */
  late = 0;
  /** Watch calls made (for the benchmark). */
  ticks = 0;
  /** Quarantines lifted by `releaseQuarantineAfterMs`. */
  released = 0;

  constructor(private readonly o: ReplayOptions) {
    this.tickMs = o.tickMs ?? 1000;
    const setup = o.setups.find((s) => s.id === o.tenantId);
    if (!setup) throw new Error(`unknown tenant ${o.tenantId}`);
    this.enforce = setup.policy.mode === 'enforce';
    this.engine = new Engine(o.setups, {
      // The decision of a live call grows (a spend alert, a cut): keep the latest for its outcome.
      liveDecision: (e) => {
        const c = this.live.get(e.callId);
        if (c) c.decision = e.decision;
      },
    });
  }

  /** One call, in start order (StartOrder puts a file's rows so; the call log is read so). */
  add(rec: ReplayCall): void {
    const view = rec.view;
    let t = rec.start;
    let shift = 0;
    if (t < this.clock) {
      this.late++;
      shift = this.clock - t;
      t = this.clock;
    }
    this.advance(t);
    if (this.o.releaseQuarantineAfterMs !== undefined && this.engine.quarantined) this.release(t);
    // With no call up there is no tick to run; watching at the record's time still lets the engine sweep counters.
    if (this.live.size === 0 && t > this.lastTick) this.tick(t);
    const id = rec.id ?? String(rec.line);
    if (view.leg === 'internal') {
      // Phone to phone: no trunk, no cost, nothing for the engine to decide.
      this.o.onCall({
        id,
        line: rec.line,
        leg: 'internal',
        start: t,
        caller: view.caller,
        ...(view.callerExtension !== undefined ? { callerExtension: view.callerExtension } : {}),
        called: view.called,
        action: 'allow',
        enforced: this.enforce,
        signals: [],
        refused: false,
        billsec: rec.billsec,
        recordedCost: 0,
        replayedCost: 0,
        minutesSaved: 0,
        costSaved: 0,
        why: view.why,
      });
      return;
    }
    const engineId = `L${rec.line}`;
    // Built by assignment, not with conditional spreads (each a copy through V8's generic path).
    const input: AttemptInput = {
      id: engineId,
      tenantId: this.o.tenantId,
      direction: view.leg === 'inbound' ? 'inbound' : 'outbound',
      time: t,
      caller: view.caller,
      called: view.called,
    };
    if (view.callerExtension !== undefined) input.callerExtension = view.callerExtension;
    if (rec.userAgent) input.userAgent = rec.userAgent;
    if (rec.sourceAddress) input.sourceAddress = rec.sourceAddress;
    if (view.leg === 'trunk-to-trunk') input.bridgedFromInbound = true;
    const decision = this.engine.decide(input);
    const call: Live = {
      rec,
      id,
      engineId,
      leg: view.leg,
      caller: view.caller,
      called: view.called,
      why: view.why,
      shift,
      decision,
      recordedCost: view.leg === 'inbound' ? 0 : this.costOf(decision, view.called, rec.billsec, rec.answered),
      wouldRefuse: false,
    };
    if (view.callerExtension !== undefined) call.callerExtension = view.callerExtension;
    if (stops(decision.action)) {
      if (decision.enforced) {
        this.outcome(call, 0, true);
        return;
      }
      call.wouldRefuse = true;
    }
    this.live.set(engineId, call);
    if (rec.answer !== undefined) this.events.push({ t: rec.answer + shift, seq: this.seq++, kind: 'answer', call });
    this.events.push({ t: rec.end + shift, seq: this.seq++, kind: 'end', call });
  }

  /** The file ended: every call still up ends at its recorded end (or its cut). */
  close(): void {
    this.advance(Infinity);
  }

  /** Calls up now (for the benchmark's memory figure). */
  get liveCount(): number {
    return this.live.size;
  }

  private outcome(call: Live, replayedCost: number, refusedNow: boolean): void {
    const rec = call.rec;
    const refused = refusedNow || call.wouldRefuse;
    let minutesSaved = 0;
    let costSaved = 0;
    if (refused) {
      minutesSaved = rec.billsec / 60;
      costSaved = call.recordedCost;
    } else if (call.cutAt !== undefined) {
      const answer = rec.answer === undefined ? undefined : rec.answer + call.shift;
      const end = rec.end + call.shift;
      minutesSaved = answer === undefined ? 0 : (end - Math.max(call.cutAt, answer)) / 60_000;
      costSaved = Math.max(0, call.recordedCost - (call.costAtCut ?? replayedCost));
    }
    const d = call.decision;
    const o: CallOutcome = {
      id: call.id,
      line: rec.line,
      leg: call.leg,
      start: rec.start + call.shift,
      caller: call.caller,
      called: call.called,
      action: d.action,
      enforced: d.enforced,
      signals: d.signals,
      refused,
      billsec: rec.billsec,
      recordedCost: call.recordedCost,
      replayedCost,
      minutesSaved: Math.max(0, minutesSaved),
      costSaved,
      why: call.why,
    };
    if (call.callerExtension !== undefined) o.callerExtension = call.callerExtension;
    if (d.destination) o.destination = d.destination;
    if (call.cutAt !== undefined && !refused) o.cutAt = call.cutAt;
    this.o.onCall(o);
  }

  /** Processes answers, ends and watch ticks up to `until` (inclusive), in time order. */
  private advance(until: number): void {
    for (;;) {
      const ev = this.events.peek();
      const te = ev ? ev.t : Infinity;
      const tt = this.nextTick();
      const next = Math.min(te, tt);
      if (next > until || next === Infinity) break;
      if (te <= tt) {
        this.events.pop();
        if (te > this.clock) this.clock = te;
        this.event(ev!);
      } else this.tick(tt);
    }
    if (until !== Infinity && until > this.clock) this.clock = until;
  }

  /**
   * The next whole tick after the last one and not before the clock, or the first one on the grid at or after the
   * engine's watchDue. Ticks run while an answered outbound call is up: every rule that watches live calls
   * (max-duration, spend-cap, profile) measures from the answer, so a tick with none up can raise nothing. A rule
   * that watched ringing or inbound calls would need ticks while any call is up.
   */
  private nextTick(): number {
    if (this.talking === 0) return Infinity;
    const base = Math.max(this.lastTick, this.clock - 1);
    const next = Math.floor(base / this.tickMs) * this.tickMs + this.tickMs;
    // The rules say when a tick could next raise anything (a call reaching its cap, spend crossing one): the ticks
    // before it are skipped, and the first one due on the grid runs, so cuts fall where a tick every second puts them.
    const due = this.engine.watchDue(this.clock);
    if (due === Infinity) return Infinity;
    return due > next ? Math.ceil(due / this.tickMs) * this.tickMs : next;
  }

  private event(ev: Ev): void {
    const c = ev.call;
    if (!this.live.has(c.engineId)) return;
    if (ev.kind === 'answer') {
      this.engine.answer(c.engineId, ev.t);
      if (c.leg !== 'inbound') {
        c.talking = true;
        this.talking++;
      }
      return;
    }
    this.hangUp(c);
    const cost = this.engine.end(c.engineId, ev.t)?.cost ?? 0;
    this.outcome(c, cost, false);
  }

  private hangUp(c: Live): void {
    this.live.delete(c.engineId);
    if (c.talking) {
      c.talking = false;
      this.talking--;
    }
  }

  private tick(t: number): void {
    this.ticks++;
    this.lastTick = t;
    if (t > this.clock) this.clock = t;
    for (const order of this.engine.watch(t)) {
      const c = this.live.get(order.callId);
      if (!c) continue;
      c.decision = order.decision;
      if (c.cutAt !== undefined) continue;
      c.cutAt = t;
      c.costAtCut = this.engine.costOf(c.engineId, t)?.cost ?? 0;
      if (order.decision.enforced) {
        // Cut: the call ends now, whatever the record says came after.
        this.hangUp(c);
        const cost = this.engine.end(c.engineId, t)?.cost ?? 0;
        this.outcome(c, cost, false);
      }
    }
  }

  private release(t: number): void {
    for (const q of this.engine.quarantines([this.o.tenantId])) {
      if (q.since + this.o.releaseQuarantineAfterMs! > t) continue;
      this.released += this.engine.release(this.o.tenantId, q.extension);
    }
  }

  /** Estimated cost of a recorded call: the price of its destination for its talk time. */
  private costOf(d: Decision, called: string, billsec: number, answered: boolean): number {
    if (!answered) return 0;
    const cls = (d.destination?.cls ?? 'unknown') as DestinationClass;
    const p = this.o.tariffs.priceOf({
      dialled: called,
      cls,
      ...(d.destination?.e164 !== undefined ? { e164: d.destination.e164 } : {}),
    });
    return p.setup + (p.perMinute * billsec) / 60;
  }
}
