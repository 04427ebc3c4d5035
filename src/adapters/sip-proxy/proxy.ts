// The voice firewall's SIP proxy (RFC 3261 §16, stateful, record-routing) between the operator trunk and the PBX.
// Every initial INVITE becomes a call attempt for the engine; the decision forwards it, refuses it with the rule
// named, or lets it through and cuts it later (CANCEL before answer, BYE on both legs after). Every call gets one
// call record. Sides come from the source IP address; anyone else is refused (R-EXPOSURE).
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import type { Logger } from '../../log/logger.js';
import type { Metrics } from '../../metrics.js';
import { parseMessage } from '../../sip/parse.js';
import { detached } from '../../sip/bytes.js';
import type { SipMessage } from '../../sip/message.js';
import type { SipLimits } from '../../sip/limits.js';
import { checkMaxForwards } from '../../sip/sanity.js';
import type { Endpoint, InboundMessage, TransportKind } from '../../sip/transport/endpoint.js';
import { uriHost } from '../../sip/transport/endpoint.js';
import { TimerWheel, type Lane } from '../../sip/transaction/timer-wheel.js';
import {
  TransactionLayer,
  newBranch,
  type ClientTransaction,
  type ClientTxEvents,
  type ServerTransaction,
  type TimerValues,
} from '../../sip/transaction/transactions.js';
import type { CallLog, CallRecord, CallRecordUpdate, Direction } from '../../store/ports.js';
import { decisiveSignal, refuses, type CallDecider, type DecisionView } from '../decider.js';
import type { SideTable } from './sides.js';
import { buildBye, quoted } from './messages.js';
import { buildCancel, createErrorResponse, createResponse, type ResponseOptions } from '../../sip/build.js';
import type { EdgeGuard, EdgeVerdict } from '../../edge/guard.js';
import { edgeRequestOf } from './edge.js';
import { TurnoverMap } from '../../collections/turnover-map.js';

/** What the proxy knows of a tenant. */
export interface ProxyTenant {
  id: string;
  /** Where inbound calls go. */
  pbx: Endpoint;
  /** Where outbound calls go. */
  trunk: Endpoint;
  /** When the engine fails or is too slow: let the call through (and alert) or refuse it. */
  failMode: 'open' | 'closed';
  /**
   * True for the tenant's emergency numbers (a Request-URI user part as dialled): they pass even when the engine
   * failed and the tenant fails closed. Given by the composition root from the tenant's dial plan.
   */
  isEmergency?: (called: string) => boolean;
}

export interface SipProxyOptions {
  /** Sends bytes; knows the local endpoints (for Via and Record-Route). */
  transport: {
    send(to: Endpoint, bytes: Buffer): void;
    localFor(transport: TransportKind, family: 4 | 6): Endpoint | undefined;
  };
  sides: SideTable;
  tenants: ReadonlyMap<string, ProxyTenant>;
  decider: CallDecider;
  calls: CallLog;
  logger: Logger;
  metrics?: Metrics;
  limits?: Partial<SipLimits>;
  /** Status of a refusal at setup (default 403). */
  rejectStatus?: number;
  /** A request from an address that is neither PBX nor trunk: answered 403 (default) or dropped silently. */
  unknownSource?: 'reject' | 'drop';
  /** The engine's answer is awaited this long (ms) before the tenant's fail mode decides. Default 1000. */
  decisionTimeoutMs?: number;
  /** SIP timers (RFC 3261 T1, T2, T4); defaults 500, 4000, 5000 ms. */
  timers?: Partial<TimerValues>;
  /** How often live calls are checked for cuts (ms). Default 1000. */
  tickMs?: number;
  /** The scanner and brute-force defence, for requests from anywhere but the PBX and trunk addresses. */
  edge?: EdgeGuard;
  /**
   * The tenant whose PBX registers remote phones: requests from any other address (not banned by the edge guard)
   * are relayed to its PBX instead of refused.
   */
  remoteTenant?: ProxyTenant;
  now?: () => number;
}

type CallState = 'setup' | 'early' | 'confirmed' | 'ended';

/** A live call as the API shows it. */
export interface LiveCall {
  id: string;
  tenantId: string;
  direction: Direction;
  state: CallState;
  startedAt: number;
  answeredAt?: number;
  action: string;
}

interface Leg {
  /** Where this party's messages come from / go to. */
  endpoint: Endpoint;
  /** Its Contact URI (target of requests the proxy sends it). */
  contact?: string;
  /** Highest CSeq number it used in the dialog. */
  cseq: number;
  /** Routes from us towards it (RFC 3261 §12.1), for requests we originate. */
  routes: string[];
}

interface Call {
  /** Its key in the proxy's dialogs: `Call-ID|caller From tag`. */
  key: string;
  id: string;
  tenantId: string;
  direction: Direction;
  callId: string;
  /** The caller's From tag. */
  fromTag: string;
  toTag?: string;
  state: CallState;
  /** From and To header values as on the INVITE (the To gets the callee's tag once answered). */
  fromHeader: string;
  toHeader: string;
  caller: Leg;
  callee: Leg;
  st: ServerTransaction;
  ct?: ClientTransaction;
  /** The INVITE as forwarded, for a CANCEL: dropped once answered or ended (a call's record lingers 32 s). */
  forwarded?: SipMessage;
  startedAt: number;
  answeredAt?: number;
  decision: DecisionView;
  /** Why it ended, once it did. */
  endReason?: string;
}

const CUT_CAUSE = 21; // Q.850 "call rejected"

/**
 * What an ended call leaves in the proxy's dialogs for 32 s, for its stragglers (a retransmitted BYE is answered 200,
 * anything else 481, a second INVITE of the dialog 482): nothing of the call itself, which becomes garbage once its
 * last transaction has its final response. At 1,250 calls/s 40,000 ended calls linger; kept whole (8 KB each) they
 * were most of what young collections copied.
 */
const ENDED_DIALOG = Object.freeze({ state: 'ended' as const });
type Dialog = Call | typeof ENDED_DIALOG;

/** Client transactions whose responses nobody waits for (our CANCEL, our BYEs). */
const UNHEARD: ClientTxEvents = { onResponse: () => {}, onTimeout: () => {} };

export class SipProxy {
  private readonly wheel: TimerWheel;
  private readonly tx: TransactionLayer;
  /** Calls by dialog key `Call-ID|caller From tag`, and ended ones while they linger. */
  private readonly calls = new TurnoverMap<string, Dialog>();
  /** Forgets ended dialogs 32 s after their end. */
  private readonly endedDialogs: Lane<string>;
  /**
   * What a forwarded request's client transaction does with its responses. One object for all: the server
   * transaction to answer is the client transaction's context, and the call (an INVITE's) that server transaction's,
   * until the first final response (a closure per request kept the call alive while its transactions lingered).
   */
  private readonly relay: ClientTxEvents;
  /** The same for a request within a dialog: its responses go up as they are. */
  private readonly relayInDialog: ClientTxEvents;
  /** Calls by Tollguard id, for cuts ordered by the engine. */
  private readonly byId = new TurnoverMap<string, Call>();
  private readonly now: () => number;
  private readonly tickTimer: NodeJS.Timeout;
  private readonly pending = new Set<Promise<unknown>>();
  /** Set by `drain`: new calls are refused with 503. */
  private draining = false;

  constructor(private readonly o: SipProxyOptions) {
    this.now = o.now ?? Date.now;
    this.wheel = new TimerWheel(50, this.now);
    this.tx = new TransactionLayer({
      send: (to, b) => o.transport.send(to, b),
      wheel: this.wheel,
      ...(o.timers ? { timers: o.timers } : {}),
    });
    this.endedDialogs = this.wheel.lane(32_000, (key: string) => {
      if (this.calls.get(key) === ENDED_DIALOG) this.calls.delete(key);
    });
    this.relay = {
      onResponse: (ct, res, again) => this.onClientResponse(ct, res, again),
      onTimeout: (ct) => this.onClientTimeout(ct),
    };
    this.relayInDialog = {
      onResponse: (ct, res) => this.relayUp(res, ct.context as ServerTransaction),
      onTimeout: (ct) => answer(ct.context as ServerTransaction, 408, 'Request Timeout'),
    };
    this.tickTimer = setInterval(() => this.tick(), o.tickMs ?? 1000);
    this.tickTimer.unref();
  }

  /** Calls being set up or in progress. */
  get liveCallCount(): number {
    return this.byId.size;
  }

  /** The calls being set up or in progress, for the console and the API. */
  liveCalls(tenantIds?: readonly string[]): LiveCall[] {
    const out: LiveCall[] = [];
    for (const c of this.byId.values()) {
      if (tenantIds && !tenantIds.includes(c.tenantId)) continue;
      out.push({
        id: c.id,
        tenantId: c.tenantId,
        direction: c.direction,
        state: c.state,
        startedAt: c.startedAt,
        answeredAt: c.answeredAt,
        action: c.decision.action,
      });
    }
    return out;
  }

  /** Entry point: one datagram or one framed stream message. Never throws. */
  handle(m: InboundMessage): void {
    try {
      this.dispatch(m);
    } catch (err) {
      this.o.logger.error({ err, source: m.source }, 'unexpected error while handling a SIP message');
    }
  }

  private dispatch(m: InboundMessage): void {
    const parsed = parseMessage(m.data, { limits: this.o.limits, transport: m.source.transport });
    if (!parsed.ok) {
      const e = parsed.error;
      this.o.metrics?.sipErrors.inc({ code: e.code });
      // Garbage from outside is evidence: enough of it bans the source, and a banned source gets no answer.
      if (this.o.edge && !this.o.sides.lookup(m.source.address)) {
        if (!this.o.edge.malformed(m.source.address, m.receivedAt).pass) return;
      }
      // Bad input is answered when it can be (a request with enough to build a response), never thrown.
      const bytes =
        e.request?.method === 'ACK' ? undefined : createErrorResponse(e, { toTag: tag(), source: m.source });
      if (bytes) this.o.transport.send(m.source, bytes);
      return;
    }
    const msg = parsed.message;
    if (msg.isRequest) this.onRequest(msg, m);
    else this.onResponse(msg);
  }

  // ---- requests ---------------------------------------------------------------------------------------------

  private onRequest(req: SipMessage, m: InboundMessage): void {
    let side = this.o.sides.lookup(m.source.address);
    if (!side && this.o.edge) {
      // Anyone but the PBX and the trunk: the edge guard first, so a scan never reaches the PBX.
      const v = this.o.edge.check(edgeRequestOf(req, m.source.address, m.receivedAt));
      if (!v.pass) return this.refuseAtEdge(req, m, v);
    }
    if (!side && this.o.remoteTenant) side = { tenantId: this.o.remoteTenant.id, direction: 'inbound' };
    if (!side) {
      this.o.metrics?.unknownSources.inc();
      if ((this.o.unknownSource ?? 'reject') === 'reject' && req.method !== 'ACK') {
        this.o.transport.send(m.source, respond(req, 403, 'Forbidden', { toTag: tag() }));
      }
      return;
    }
    const toTag = req.to()?.tag;
    if (toTag !== undefined) return this.inDialog(req, m);
    const r = this.tx.receiveRequest(req, m.source);
    if (r.kind === 'absorbed') return;
    if (r.kind === 'ack2xx') return; // an ACK without To tag matching nothing: nothing to do
    if (r.kind === 'cancel') return this.onCancel(req, r.tx, r.invite);
    const st = r.tx;
    const mf = checkMaxForwards(req);
    if (mf) {
      st.respond(483, respond(req, 483, 'Too Many Hops', { toTag: tag() }));
      return;
    }
    const tenant = this.o.tenants.get(side.tenantId)!;
    if (req.method === 'INVITE') {
      // Answer at once so the caller stops retransmitting while the engine decides.
      st.respond(100, respond(req, 100, 'Trying'));
      this.newCall(req, st, m, tenant, side.direction);
      return;
    }
    // REGISTER, OPTIONS, MESSAGE…: relayed statefully to the other side, not a call.
    this.forward(req, st, side.direction === 'outbound' ? tenant.trunk : tenant.pbx, m, undefined);
  }

  private newCall(
    req: SipMessage,
    st: ServerTransaction,
    m: InboundMessage,
    tenant: ProxyTenant,
    direction: Direction,
  ): void {
    const from = req.from()!;
    // What the call keeps is detached from the INVITE's text, which is garbage once the call is set up.
    const callId = detached(req.callId()!);
    const fromTag = detached(from.tag ?? '');
    const key = `${callId}|${fromTag}`;
    if (this.calls.has(key)) {
      // A second INVITE of the same dialog without To tag (a fork loop or a broken peer).
      st.respond(482, respond(req, 482, 'Loop Detected', { toTag: tag() }));
      return;
    }
    const target = direction === 'outbound' ? tenant.trunk : tenant.pbx;
    const call: Call = {
      key,
      id: randomUUID(),
      tenantId: tenant.id,
      direction,
      callId,
      fromTag,
      state: 'setup',
      fromHeader: detached(req.header('From')!),
      toHeader: detached(req.header('To')!),
      caller: {
        endpoint: m.source,
        contact: contactOf(req),
        cseq: req.cseq()!.seq,
        routes: (req.recordRoute() ?? []).map((r) => detached(r.raw)),
      },
      callee: { endpoint: target, cseq: 0, routes: [] },
      st,
      startedAt: m.receivedAt,
      decision: { action: 'allow', enforced: false, signals: [] },
    };
    this.calls.set(key, call);
    this.byId.set(call.id, call);
    this.o.metrics?.liveCalls.inc({ tenant: tenant.id });
    const uri = req.uri();
    const called = uri && uri.kind !== 'other' ? ((uri.kind === 'sip' ? uri.user : uri.number) ?? '') : '';
    const caller = callerNumber(req);
    const attempt = {
      id: call.id,
      tenantId: tenant.id,
      direction,
      time: m.receivedAt,
      caller,
      callerExtension: direction === 'outbound' ? caller : undefined,
      called,
      sourceAddress: m.source.address,
      userAgent: req.userAgent(),
      diversion: req.headers('Diversion'),
      historyInfo: req.headers('History-Info'),
      referredBy: req.header('Referred-By'),
    };
    // What every record of this call holds, whatever becomes of it.
    const base = {
      id: call.id,
      tenantId: tenant.id,
      direction,
      callRef: callId,
      startedAt: m.receivedAt,
      caller,
      called,
      sourceAddress: m.source.address,
      userAgent: attempt.userAgent,
    };
    if (this.draining) {
      // Stopping: new calls go elsewhere (a PBX with a second route fails over on 503), calls up go on.
      st.respond(503, respond(req, 503, 'Service Unavailable', { toTag: tag(), headers: [['Retry-After', '30']] }));
      this.endCall(call, 'shutdown');
      this.record({ ...base, disposition: 'rejected', sipStatus: 503, endedAt: this.now(), endReason: 'shutdown' });
      return;
    }
    const decided = this.decide(tenant, attempt).then((decision) => {
      if (call.state !== 'ended') call.decision = decision;
      this.o.metrics?.setupSeconds.observe((this.now() - m.receivedAt) / 1000);
      this.setUp(req, st, m, call, target, base, decision);
      // Counted once the INVITE is on its way (or refused): the counters are not the caller's to wait for.
      this.o.metrics?.calls.inc({ tenant: tenant.id, direction, action: decision.action });
      for (const s of decision.signals) this.o.metrics?.signals.inc({ rule: s.rule, signal: s.signal });
    });
    this.track(decided);
  }

  /** What the decision does with the INVITE: recorded, then refused or forwarded. */
  private setUp(
    req: SipMessage,
    st: ServerTransaction,
    m: InboundMessage,
    call: Call,
    target: Endpoint,
    base: Omit<CallRecord, 'disposition'>,
    decision: DecisionView,
  ): void {
    const record: CallRecord = {
      ...base,
      calledE164: decision.destination?.e164,
      destinationClass: decision.destination?.cls,
      country: decision.destination?.country,
      disposition: 'setup',
      decision,
      action: decision.action,
      rules: [...new Set(decision.signals.map((s) => s.rule))],
    };
    if (call.state === 'ended') {
      // The caller cancelled while the engine was deciding.
      this.record(record, {
        disposition: 'unanswered',
        endedAt: this.now(),
        endReason: call.endReason ?? 'cancel',
        sipStatus: 487,
      });
      return;
    }
    if (refuses(decision)) {
      const s = decisiveSignal(decision);
      const status = this.o.rejectStatus ?? 403;
      const reasonText = s ? `rule=${s.rule}; ${s.signal}: ${s.message}` : `decision=${decision.action}`;
      st.respond(
        status,
        respond(req, status, undefined, {
          toTag: tag(),
          headers: [
            ['Reason', `SIP;cause=${status};text=${quoted(reasonText)}`],
            ['Warning', `399 tollguard ${quoted(reasonText)}`],
          ],
        }),
      );
      this.endCall(call, 'rejected');
      this.record(record, {
        disposition: 'rejected',
        endedAt: this.now(),
        sipStatus: status,
        endReason: `rejected: ${s?.rule ?? decision.action}`,
      });
      return;
    }
    this.record(record);
    this.forward(req, st, target, m, call);
  }

  /**
   * The engine's decision, bounded in time; on failure the tenant's fail mode decides, and an emergency number
   * passes even fail-closed. The bound is a timer of the proxy's wheel (within one 50 ms tick), not a setTimeout
   * per call: the engine answers in microseconds, and a libuv timer armed and cleared per INVITE was pure cost.
   */
  private decide(tenant: ProxyTenant, attempt: Parameters<CallDecider['evaluate']>[0]): Promise<DecisionView> {
    const timeoutMs = this.o.decisionTimeoutMs ?? 1000;
    let pending: Promise<DecisionView>;
    try {
      pending = Promise.resolve(this.o.decider.evaluate(attempt));
    } catch (err) {
      return Promise.resolve(this.failed(tenant, attempt, err as Error));
    }
    return new Promise<DecisionView>((resolve) => {
      let settled = false;
      const timer = this.wheel.set(timeoutMs, () => {
        if (settled) return;
        settled = true;
        resolve(this.failed(tenant, attempt, new Error(`no decision within ${timeoutMs} ms`)));
      });
      pending.then(
        (d) => {
          if (settled) return;
          settled = true;
          timer.cancelled = true;
          resolve(d);
        },
        (err: unknown) => {
          if (settled) return;
          settled = true;
          timer.cancelled = true;
          resolve(this.failed(tenant, attempt, err as Error));
        },
      );
    });
  }

  /** What the tenant's fail mode decides when the engine threw or did not answer in time. */
  private failed(tenant: ProxyTenant, attempt: Parameters<CallDecider['evaluate']>[0], err: Error): DecisionView {
    const reason = err?.message ?? String(err);
    this.o.logger.error({ err, call: attempt.id, tenant: tenant.id }, 'the engine failed; applying the fail mode');
    let emergency = false;
    try {
      emergency = tenant.isEmergency?.(attempt.called) ?? false;
    } catch {
      // A broken numbering must not refuse anything more: the fail mode alone decides.
    }
    const action = tenant.failMode === 'closed' && !emergency ? 'reject' : 'alert';
    return {
      action,
      enforced: true,
      failed: { reason },
      signals: [
        {
          rule: 'engine',
          signal: 'ENGINE_FAILED',
          action,
          severity: 'high',
          message:
            `the engine failed (${reason}); fail-${tenant.failMode}` +
            (emergency && tenant.failMode === 'closed' ? ' (emergency number: never refused)' : ''),
        },
      ],
    };
  }

  /** Forwards a request that starts a transaction (INVITE or out-of-dialog non-INVITE) to `target`. */
  private forward(
    req: SipMessage,
    st: ServerTransaction,
    target: Endpoint,
    m: InboundMessage,
    call: Call | undefined,
  ): void {
    const local = this.localFor(target);
    if (!local) {
      st.respond(503, respond(req, 503, 'Service Unavailable', { toTag: tag() }));
      return;
    }
    const uri = req.uri();
    if (uri?.kind === 'sip') {
      // The PBX or trunk addressed us; the call goes on to the other side with the same user part.
      const user = uri.userRaw !== undefined ? `${uri.userRaw}@` : '';
      req.setRequestUri(`${uri.scheme}:${user}${uriHost(target.address)}:${target.port}`);
    }
    req.decrementMaxForwards();
    if (isOurs(req.route()?.[0]?.uri.toString(), local)) req.removeFirstRoute();
    const branch = newBranch();
    req.prependVia(
      `SIP/2.0/${local.transport.toUpperCase()} ${uriHost(local.address)}:${local.port};branch=${branch};rport`,
    );
    if (call) req.prependRecordRoute(`<sip:${uriHost(local.address)}:${local.port};transport=${local.transport};lr>`);
    const bytes = req.toBuffer();
    const ct = this.tx.sendRequest(branch, req, bytes, target, this.relay);
    ct.context = st;
    st.context = call;
    if (call) {
      call.ct = ct;
      call.forwarded = req;
    }
    void m;
  }

  /**
   * No final response to a forwarded request in time: 408 upstream, and the call, if it was one, ends so. An INVITE
   * that rang past timer C is CANCELled too (§16.8), so the callee stops ringing.
   */
  private onClientTimeout(ct: ClientTransaction): void {
    const st = ct.context as ServerTransaction;
    const call = st.context as Call | undefined;
    const ringing = ct.state === 'proceeding';
    // A ringing INVITE's transaction goes on until the callee answers the CANCEL: if it answers 200 instead, the
    // call is still needed to hang it up.
    if (!ringing) st.context = undefined;
    if (call && ringing) this.sendCancel(call, 'SIP;cause=408;text="no answer"');
    answer(st, 408, 'Request Timeout', { toTag: tag() });
    if (call) {
      this.endCall(call, 'timeout');
      this.update(call, {
        disposition: 'unanswered',
        endedAt: this.now(),
        sipStatus: 408,
        endReason: ringing ? 'rang without an answer until timer C' : 'no answer from the other side',
      });
    }
  }

  private onCancel(cancel: SipMessage, cst: ServerTransaction, invite: ServerTransaction | undefined): void {
    if (!invite) {
      cst.respond(481, respond(cancel, 481, 'Call/Transaction Does Not Exist', { toTag: tag() }));
      return;
    }
    cst.respond(200, respond(cancel, 200, 'OK'));
    const call = this.calls.get(`${cancel.callId()}|${cancel.from()?.tag ?? ''}`);
    if (!call || call.state === 'confirmed' || call.state === 'ended') return;
    if (!call.ct) {
      // Cancelled while the engine was still deciding: answer 487 now, nothing was sent downstream.
      answer(invite, 487, 'Request Terminated', { toTag: tag() });
      this.endCall(call, 'cancel');
      return;
    }
    this.sendCancel(call, cancel.header('Reason'));
    call.endReason = 'cancel';
  }

  private sendCancel(call: Call, reason?: string): void {
    if (!call.forwarded || !call.ct) return;
    const branch = call.ct.branch;
    const cancel = buildCancel(call.forwarded);
    if (reason) cancel.setHeader('Reason', reason);
    // The CANCEL has the INVITE's branch; its 200 is absorbed; the 487 to the INVITE goes upstream as usual.
    this.tx.sendRequest(branch, cancel, cancel.toBuffer(), call.ct.target, UNHEARD);
  }

  private inDialog(req: SipMessage, m: InboundMessage): void {
    const callId = req.callId()!;
    const fromTag = req.from()?.tag ?? '';
    const toTag = req.to()?.tag ?? '';
    let dialog = this.calls.get(`${callId}|${fromTag}`);
    let fromCaller = true;
    if (!dialog) {
      dialog = this.calls.get(`${callId}|${toTag}`);
      fromCaller = false;
    }
    if (!dialog) {
      // Not a dialog we set up (or long gone): ACK is dropped, anything else refused.
      if (req.method !== 'ACK') this.o.transport.send(m.source, respond(req, 481, 'Call/Transaction Does Not Exist'));
      return;
    }
    if (dialog.state === 'ended') {
      // The call was cut or ended: its stragglers are answered, not forwarded.
      if (req.method === 'BYE') this.o.transport.send(m.source, respond(req, 200, 'OK'));
      else if (req.method !== 'ACK')
        this.o.transport.send(m.source, respond(req, 481, 'Call/Transaction Does Not Exist'));
      return;
    }
    const call = dialog;
    const leg = fromCaller ? call.caller : call.callee;
    const other = fromCaller ? call.callee : call.caller;
    const seq = req.cseq()?.seq ?? 0;
    if (req.method !== 'ACK' && req.method !== 'CANCEL') leg.cseq = Math.max(leg.cseq, seq);
    const local = this.localFor(other.endpoint);
    if (!local) return;
    if (req.method === 'ACK') {
      // ACK of a 2xx: end to end, a transaction of its own, forwarded statelessly.
      if (isOurs(req.route()?.[0]?.uri.toString(), local)) req.removeFirstRoute();
      req.decrementMaxForwards();
      req.prependVia(
        `SIP/2.0/${local.transport.toUpperCase()} ${uriHost(local.address)}:${local.port};branch=${newBranch()};rport`,
      );
      this.o.transport.send(other.endpoint, req.toBuffer());
      return;
    }
    const r = this.tx.receiveRequest(req, m.source);
    if (r.kind !== 'new') return;
    const st = r.tx;
    if (isOurs(req.route()?.[0]?.uri.toString(), local)) req.removeFirstRoute();
    req.decrementMaxForwards();
    const branch = newBranch();
    req.prependVia(
      `SIP/2.0/${local.transport.toUpperCase()} ${uriHost(local.address)}:${local.port};branch=${branch};rport`,
    );
    if (req.method === 'BYE') {
      this.endCall(call, fromCaller ? 'caller-bye' : 'callee-bye');
      this.update(call, {
        disposition: call.answeredAt !== undefined ? 'completed' : 'unanswered',
        endedAt: m.receivedAt,
        endReason: fromCaller ? 'caller-bye' : 'callee-bye',
      });
    }
    this.tx.sendRequest(branch, req, req.toBuffer(), other.endpoint, this.relayInDialog).context = st;
  }

  // ---- responses --------------------------------------------------------------------------------------------

  private onResponse(res: SipMessage): void {
    if (this.tx.receiveResponse(res)) return;
    // A response to nothing we sent (or long gone): dropped, as RFC 3261 §16.7 step 2 allows for a stateful proxy.
  }

  private onClientResponse(ct: ClientTransaction, res: SipMessage, again: boolean): void {
    const st = ct.context as ServerTransaction;
    const call = st.context as Call | undefined;
    // After the first final response the call has nothing more to learn from this transaction's lingering.
    if (call && res.status >= 200) st.context = undefined;
    if (call && ct.method === 'INVITE') {
      if (
        call.state === 'ended' &&
        !again &&
        res.status >= 200 &&
        res.status < 300 &&
        (call.endReason?.startsWith('cut') || call.endReason === 'timeout')
      ) {
        // Answered after we cut it or gave up on it during setup: hang up the callee at once.
        this.byeCallee(call, res);
        return;
      }
      this.progress(call, res, again);
    }
    if (again) {
      // A retransmitted 2xx: RFC 3261 §16.7 forwards it (the caller may have lost the first).
      this.relayStateless(res, st);
      return;
    }
    if (this.o.edge && res.status >= 200 && st.request && !this.o.sides.lookup(st.source.address)) {
      // The PBX's answer to a remote request: failed authentications and unknown users count at the edge.
      this.o.edge.answered(edgeRequestOf(st.request, st.source.address, this.now()), res.status);
    }
    this.relayUp(res, st);
  }

  /** A request the edge guard refused: dropped silently, or answered (403) when so configured or for a lock. */
  private refuseAtEdge(req: SipMessage, m: InboundMessage, v: Extract<EdgeVerdict, { pass: false }>): void {
    this.o.metrics?.edgeRefused.inc({ signal: v.signal });
    if (v.status === undefined || req.method === 'ACK') return;
    const text = v.lockedUser !== undefined ? 'Forbidden (locked)' : 'Forbidden';
    this.o.transport.send(m.source, respond(req, v.status, text, { toTag: tag() }));
  }

  private progress(call: Call, res: SipMessage, again: boolean): void {
    if (again) return;
    const status = res.status;
    if (status < 200) {
      if (status > 100 && call.state === 'setup' && res.to()?.tag) call.state = 'early';
      return;
    }
    if (status < 300) {
      if (call.state === 'ended') return;
      call.state = 'confirmed';
      call.forwarded = undefined;
      const toTag = res.to()?.tag;
      call.toTag = toTag === undefined ? undefined : detached(toTag);
      call.toHeader = detached(res.header('To') ?? call.toHeader);
      call.callee.contact = contactOf(res);
      call.callee.routes = routesTowardsCallee(res, this.localFor(call.callee.endpoint));
      call.answeredAt = this.now();
      this.update(call, { disposition: 'answered', answeredAt: call.answeredAt, sipStatus: status });
      this.track(this.o.decider.answered(call.id, call.answeredAt));
      return;
    }
    if (call.state === 'ended') return;
    const reason = call.endReason ?? (status === 487 ? 'cancel' : `status ${status}`);
    this.endCall(call, reason);
    this.update(call, {
      disposition: call.endReason?.startsWith('cut') ? 'cut' : 'unanswered',
      endedAt: this.now(),
      sipStatus: status,
      endReason: reason,
    });
  }

  /** Relays a response upstream through its server transaction, our Via removed. */
  private relayUp(res: SipMessage, st: ServerTransaction): void {
    if (!popVia(res)) return;
    st.respond(res.status, res.toBuffer());
  }

  private relayStateless(res: SipMessage, st: ServerTransaction): void {
    if (!popVia(res)) return;
    this.o.transport.send(st.source, res.toBuffer());
  }

  // ---- cuts and ends ----------------------------------------------------------------------------------------

  /** Ends a call now, per an engine decision or a person: CANCEL before answer, BYE on both legs after. */
  cut(callId: string, decision: DecisionView): boolean {
    const call = this.byId.get(callId);
    if (!call || call.state === 'ended') return false;
    const s = decisiveSignal(decision);
    const why = s ? `${s.rule}: ${s.message}` : decision.action;
    const endReason = `cut: ${s?.rule ?? decision.action}`;
    this.terminate(call, `Q.850;cause=${CUT_CAUSE};text=${quoted(`tollguard cut: ${why}`)}`, endReason);
    this.update(call, { disposition: 'cut', endedAt: this.now(), endReason, decision, action: decision.action });
    this.o.logger.warn({ call: call.id, tenant: call.tenantId, reason: why }, 'call cut');
    return true;
  }

  /**
   * Stops taking new calls (503 with Retry-After) and lets the calls up go on for at most `graceMs`; the ones still
   * up then are ended on both sides (Q.850 cause 41) and recorded so. Returns how many had to be ended.
   */
  async drain(graceMs: number): Promise<number> {
    this.draining = true;
    const until = Date.now() + graceMs;
    while (this.byId.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const left = [...this.byId.values()];
    for (const call of left) {
      const answered = call.state === 'confirmed';
      this.terminate(call, `Q.850;cause=41;text=${quoted('tollguard is stopping')}`, 'shutdown');
      this.update(call, {
        disposition: answered ? 'completed' : 'unanswered',
        endedAt: this.now(),
        endReason: 'shutdown',
      });
    }
    if (left.length) {
      this.o.logger.warn({ calls: left.length }, 'calls still up at the end of the grace period were ended');
      // A moment for the BYEs to be answered (or retransmitted once) before the sockets close.
      await new Promise((r) => setTimeout(r, 600));
    }
    return left.length;
  }

  /** CANCEL and 487 before answer, BYE on both legs after, with `reason`; the call ends as `endReason`. */
  private terminate(call: Call, reason: string, endReason: string): void {
    const wasConfirmed = call.state === 'confirmed';
    call.endReason = endReason;
    if (wasConfirmed) {
      this.sendBye(call, call.caller, true, reason);
      this.sendBye(call, call.callee, false, reason);
    } else {
      this.sendCancel(call, reason);
      answer(call.st, 487, 'Request Terminated', { toTag: tag(), headers: [['Reason', reason]] });
    }
    this.endCall(call, endReason);
  }

  private sendBye(call: Call, leg: Leg, toCaller: boolean, reason: string): void {
    const local = this.localFor(leg.endpoint);
    if (!local || !leg.contact) return;
    const branch = newBranch();
    // Towards the caller we speak as the callee (From = the callee's To), and the other way round.
    const bytes = buildBye({
      requestUri: leg.contact,
      via: `SIP/2.0/${local.transport.toUpperCase()} ${uriHost(local.address)}:${local.port};branch=${branch};rport`,
      routes: leg.routes,
      from: toCaller ? call.toHeader : call.fromHeader,
      to: toCaller ? call.fromHeader : call.toHeader,
      callId: call.callId,
      cseq: (toCaller ? call.callee.cseq : call.caller.cseq) + 1,
      reason,
    });
    const parsed = parseMessage(bytes);
    if (!parsed.ok) return;
    this.tx.sendRequest(branch, parsed.message, bytes, leg.endpoint, UNHEARD);
  }

  private byeCallee(call: Call, res: SipMessage): void {
    call.toHeader = detached(res.header('To') ?? call.toHeader);
    call.callee.contact = contactOf(res);
    call.callee.routes = routesTowardsCallee(res, this.localFor(call.callee.endpoint));
    // ACK the 2xx ourselves (the caller already has its 487), then BYE.
    const local = this.localFor(call.callee.endpoint);
    if (!local || !call.callee.contact) return;
    const ack = [
      `ACK ${call.callee.contact} SIP/2.0`,
      `Via: SIP/2.0/${local.transport.toUpperCase()} ${uriHost(local.address)}:${local.port};branch=${newBranch()};rport`,
      ...call.callee.routes.map((r) => `Route: ${r}`),
      'Max-Forwards: 70',
      `From: ${call.fromHeader}`,
      `To: ${call.toHeader}`,
      `Call-ID: ${call.callId}`,
      `CSeq: ${call.caller.cseq} ACK`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    this.o.transport.send(call.callee.endpoint, Buffer.from(ack));
    this.sendBye(call, call.callee, false, `Q.850;cause=${CUT_CAUSE}`);
  }

  /** Monitor mode: the call goes on, and its record keeps the cut the engine would have ordered. */
  private wouldCut(callId: string, decision: DecisionView): void {
    const call = this.byId.get(callId);
    if (!call) return;
    call.decision = decision;
    this.update(call, { decision, action: decision.action, rules: [...new Set(decision.signals.map((s) => s.rule))] });
  }

  private endCall(call: Call, reason: string): void {
    if (call.state === 'ended') return;
    const wasAnswered = call.answeredAt !== undefined;
    call.state = 'ended';
    call.endReason ??= reason;
    call.forwarded = undefined;
    this.o.metrics?.liveCalls.dec({ tenant: call.tenantId });
    this.byId.delete(call.id);
    this.track(
      this.o.decider.ended(call.id, this.now(), { answered: wasAnswered, cause: reason }).then((cost) => {
        if (cost) this.update(call, { estimatedCost: cost.estimatedCost, currency: cost.currency });
      }),
    );
    // Its dialog lingers to answer stragglers (retransmitted BYE, late ACK), then is forgotten.
    this.calls.set(call.key, ENDED_DIALOG);
    this.endedDialogs.add(call.key);
  }

  private tick(): void {
    const run = this.o.decider.tick(this.now()).then((cuts) => {
      for (const c of cuts) {
        if (c.decision.enforced) this.cut(c.callId, c.decision);
        else this.wouldCut(c.callId, c.decision);
      }
    });
    this.track(run);
  }

  // ---- plumbing ---------------------------------------------------------------------------------------------

  private record(record: CallRecord, then?: CallRecordUpdate): void {
    const done = this.o.calls.open(then ? { ...record, ...then } : record);
    this.track(done);
  }

  private update(call: Call, patch: CallRecordUpdate): void {
    this.track(this.o.calls.update(call.id, patch));
  }

  /** Keeps a background promise for shutdown, logging its failure: the call path never waits on it. */
  track(p: Promise<unknown>): void {
    this.pending.add(p);
    // One derived promise per tracked one (a call tracks five or six): catch then finally made two.
    p.then(
      () => this.pending.delete(p),
      (err: unknown) => {
        this.pending.delete(p);
        this.o.logger.error({ err }, 'background work failed');
      },
    );
  }

  private localFor(target: Endpoint): Endpoint | undefined {
    return this.o.transport.localFor(target.transport, isIP(target.address) === 6 ? 6 : 4);
  }

  /** Waits for background work (records, engine notifications) to finish. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Stops timers; live calls are left to end by themselves (their records close at the next start otherwise). */
  async close(): Promise<void> {
    clearInterval(this.tickTimer);
    await this.flush();
    this.wheel.stop();
    this.tx.clear();
  }
}

function tag(): string {
  return randomUUID().slice(0, 8);
}

/** The calling number: P-Asserted-Identity when the peer asserts one, else the From user. */
function callerNumber(req: SipMessage): string {
  const pai = req.pAssertedIdentity()?.[0]?.uri;
  const uri = pai ?? req.from()?.uri;
  if (!uri) return '';
  if (uri.kind === 'sip') return uri.user ?? '';
  if (uri.kind === 'tel') return uri.number;
  return '';
}

/** The first Contact URI of a message, detached from its text (a dialog keeps it). */
function contactOf(m: SipMessage): string | undefined {
  const contact = m.contact();
  const uri = Array.isArray(contact) ? contact[0]?.uri.toString() : undefined;
  return uri === undefined ? undefined : detached(uri);
}

/** True when a Route URI names this proxy (its address and port). */
function isOurs(routeUri: string | undefined, local: Endpoint): boolean {
  if (!routeUri) return false;
  return routeUri.includes(`${uriHost(local.address)}:${local.port}`);
}

/** Removes our Via (the top one); false when nothing would be left to route the response by. */
function popVia(res: SipMessage): boolean {
  const vias = res.via();
  if (!vias || vias.length < 2) return false;
  res.setHeader(
    'Via',
    vias.slice(1).map((v) => v.raw),
  );
  return true;
}

/** The route set from us towards the callee: Record-Route entries above ours in its 2xx, nearest first. */
function routesTowardsCallee(res: SipMessage, local: Endpoint | undefined): string[] {
  const rr = res.recordRoute() ?? [];
  const ours = local ? rr.findIndex((r) => r.uri.toString().includes(`${uriHost(local.address)}:${local.port}`)) : -1;
  return ours <= 0
    ? []
    : rr
        .slice(0, ours)
        .map((r) => detached(r.raw))
        .reverse();
}

/** Answers a server transaction still waiting for its final response (afterwards its request is gone: no-op). */
function answer(st: ServerTransaction, status: number, reason: string, opts?: ResponseOptions): void {
  if (st.request) st.respond(status, respond(st.request, status, reason, opts));
}

/** A response to `req` as bytes. */
function respond(req: SipMessage, status: number, reason?: string, opts?: ResponseOptions): Buffer {
  return createResponse(req, status, reason, opts).toBuffer();
}
