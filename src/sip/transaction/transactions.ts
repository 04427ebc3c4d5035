// RFC 3261 §17 transactions, as a stateful proxy needs them: server transactions absorb retransmitted requests and
// repeat the last response; INVITE server transactions retransmit a non-2xx final over UDP until the ACK (timers G, H)
// and absorb that ACK; client transactions retransmit over UDP (timers A, E), time out (B, F; C for an INVITE that is
// ringing, §16.6), ACK non-2xx finals to INVITE themselves, and let 2xx retransmissions through for a while (RFC 6026
// timer M).
import { randomFillSync } from 'node:crypto';
import type { SipMessage } from '../message.js';
import { buildAck } from '../build.js';
import { detached, ownBytes } from '../bytes.js';
import type { Endpoint } from '../transport/endpoint.js';
import { endpointKey } from '../transport/endpoint.js';
import type { Lane, TimerHandle, TimerWheel } from './timer-wheel.js';
import { TurnoverMap } from '../../collections/turnover-map.js';

/** RFC 3261 timer values (ms). */
export interface TimerValues {
  /** RTT estimate: first retransmission interval. Default 500. */
  T1: number;
  /** Longest retransmission interval for non-INVITE requests and INVITE responses. Default 4000. */
  T2: number;
  /** How long a message may stay in the network. Default 5000. */
  T4: number;
  /**
   * Timer C (§16.6 step 11): how long a forwarded INVITE may wait for its final response, restarted by each
   * provisional 101–199; when it fires on an INVITE that had a provisional response, the proxy gives up on it (408
   * upstream, CANCEL downstream). More than three minutes per the RFC. Default 181000.
   */
  C: number;
}

export const defaultTimers: TimerValues = { T1: 500, T2: 4000, T4: 5000, C: 181_000 };

export const MAGIC_COOKIE = 'z9hG4bK';

/** Random bytes drawn a few kilobytes at a time: one call into the system's generator per 341 branches. */
const entropy = Buffer.alloc(4092);
let entropyAt = entropy.length;

/** A new branch parameter: RFC 3261 magic cookie plus 96 random bits. */
export function newBranch(): string {
  if (entropyAt + 12 > entropy.length) {
    randomFillSync(entropy);
    entropyAt = 0;
  }
  const b = entropy.toString('base64url', entropyAt, entropyAt + 12);
  entropyAt += 12;
  // One string: a concatenation kept 32 s by a lingering transaction is two.
  return detached(MAGIC_COOKIE + b);
}

export type ServerTxState = 'proceeding' | 'completed' | 'confirmed' | 'terminated';

export class ServerTransaction {
  state: ServerTxState = 'proceeding';
  /** What a retransmitted request is answered with: the last provisional, or a final other than an INVITE's 2xx. */
  lastResponse: Buffer | undefined;
  lastStatus = 0;
  /** What the owner attaches (the call, the forwarded client transaction). */
  context: unknown;
  /** @internal */ timers: TimerHandle[] = [];
  /** @internal When its current linger ends (0: not lingering); an earlier lane entry with another time is stale. */
  lingerEnd = 0;
  /** @internal */ req: SipMessage | undefined;

  constructor(
    readonly key: string,
    readonly method: string,
    request: SipMessage,
    /** Where responses go: the request's source (RFC 3581 symmetric response). */
    readonly source: Endpoint,
    private readonly layer: TransactionLayer,
  ) {
    this.req = request;
  }

  /**
   * The request, to build responses from, until the final response is sent; undefined after, when only the
   * response's bytes are repeated. A transaction lingers for 32 s after its final response: holding the parsed
   * message that long made every call's messages survive into the old generation, and young-generation pauses grew
   * with them (the setup-time tail under load).
   */
  get request(): SipMessage | undefined {
    return this.req;
  }

  /** Sends a response (bytes already built) and moves the state machine. */
  respond(status: number, bytes: Buffer): void {
    if (this.state === 'terminated' || this.state === 'confirmed') return;
    if (this.state === 'completed' && status >= 200) return; // one final response only
    // A final response is kept as long as the transaction lingers, in memory of its own, to answer a retransmitted
    // request. Not an INVITE's 2xx: a repeated INVITE is then absorbed (RFC 6026 "Accepted"), since the 2xx is
    // retransmitted end to end by the UAS, through us.
    this.lastResponse = status < 200 ? bytes : this.method === 'INVITE' && status < 300 ? undefined : ownBytes(bytes);
    this.lastStatus = status;
    this.layer.send(this.source, bytes);
    if (status < 200) return;
    this.req = undefined;
    this.layer.serverFinal(this, status);
  }
}

export type ClientTxState = 'calling' | 'proceeding' | 'completed' | 'accepted' | 'terminated';

export interface ClientTxEvents {
  /** A response for this transaction (first copy of each final; retransmitted 2xx too, flagged). */
  onResponse(ct: ClientTransaction, response: SipMessage, retransmission: boolean): void;
  /**
   * No final response in time: timer B or F (nothing heard: the transaction is over), or timer C for an INVITE that
   * had provisional responses (`ct.state` is then still 'proceeding': the owner answers 408 upstream and CANCELs it;
   * the transaction stays to take the 487, and ends 64*T1 later whatever comes).
   */
  onTimeout(ct: ClientTransaction): void;
}

export class ClientTransaction {
  state: ClientTxState = 'calling';
  context: unknown;
  /** @internal */ timers: TimerHandle[] = [];
  /** @internal See ServerTransaction.lingerEnd. */
  lingerEnd = 0;
  /** @internal Timer C of an INVITE, restarted by each provisional response. */
  timerC: TimerHandle | undefined;
  lastStatus = 0;
  /**
   * The request and its bytes, for retransmissions and the ACK of a non-2xx final; dropped once a final response
   * came (see ServerTransaction.request for why). The ACK's bytes are kept instead, to repeat on a repeated final.
   */
  /** @internal */ req: SipMessage | undefined;
  /** @internal */ out: Buffer | undefined;
  /** @internal */ ack: Buffer | undefined;

  constructor(
    readonly branch: string,
    readonly method: string,
    request: SipMessage,
    bytes: Buffer,
    readonly target: Endpoint,
    readonly events: ClientTxEvents,
  ) {
    this.req = request;
    this.out = bytes;
  }
}

export interface TransactionLayerOptions {
  send: (to: Endpoint, bytes: Buffer) => void;
  wheel: TimerWheel;
  timers?: Partial<TimerValues>;
}

/** Transaction key of a request per RFC 3261 §17.2.3: top Via branch and sent-by, and the method (ACK → INVITE). */
export function serverKey(req: SipMessage, source: Endpoint): string | undefined {
  const via = req.topVia();
  const branch = via?.branch;
  const method = req.method === 'ACK' ? 'INVITE' : req.method;
  // Detached: a transaction outlives its request by 32 s, its key must not keep the request's text.
  if (branch?.startsWith(MAGIC_COOKIE)) return detached(`${branch}|${via!.host}:${via!.port ?? ''}|${method}`);
  // RFC 2543 peers: no usable branch; Call-ID, CSeq number, From tag and source stand in.
  const cseq = req.cseq();
  return detached(`${req.callId()}|${cseq?.seq}|${req.from()?.tag}|${endpointKey(source)}|${method}`);
}

/** A client transaction's key: our branch and the method (a CANCEL has its INVITE's branch, §9.1). */
function clientKey(branch: string, method: string): string {
  return `${branch}|${method}`;
}

export class TransactionLayer {
  readonly T: TimerValues;
  private readonly server = new TurnoverMap<string, ServerTransaction>();
  private readonly client = new TurnoverMap<string, ClientTransaction>();
  /**
   * Where transactions wait out their terminal timers (H, I, J, D, K, M, and a server INVITE's after its 2xx),
   * one lane per delay: after a final response every transaction waits seconds for retransmissions, and that is most
   * of what the layer holds under load.
   */
  private readonly lingers = new Map<number, Lane<ServerTransaction | ClientTransaction>>();

  constructor(private readonly o: TransactionLayerOptions) {
    this.T = { ...defaultTimers, ...o.timers };
  }

  /** Ends `t` `delayMs` from now, unless it lingers again meanwhile (the later linger replaces this one). */
  private linger(t: ServerTransaction | ClientTransaction, delayMs: number): void {
    let lane = this.lingers.get(delayMs);
    if (!lane) {
      lane = this.o.wheel.lane(delayMs, (x: ServerTransaction | ClientTransaction, due) => {
        if (x.lingerEnd !== due) return;
        if (x instanceof ServerTransaction) this.terminateServer(x);
        else this.terminateClient(x);
      });
      this.lingers.set(delayMs, lane);
    }
    t.lingerEnd = lane.add(t);
  }

  get sizes(): { server: number; client: number } {
    return { server: this.server.size, client: this.client.size };
  }

  send(to: Endpoint, bytes: Buffer): void {
    this.o.send(to, bytes);
  }

  /**
   * Matches an incoming request against the server transactions. Returns the new transaction when the request
   * starts one; undefined when it was a retransmission or an ACK of a non-2xx final (absorbed here), or an ACK/CANCEL
   * the caller must handle itself (`cancelTarget` for CANCEL).
   */
  receiveRequest(
    req: SipMessage,
    source: Endpoint,
  ):
    | { kind: 'new'; tx: ServerTransaction }
    | { kind: 'absorbed' }
    | { kind: 'ack2xx' }
    | { kind: 'cancel'; invite?: ServerTransaction; tx: ServerTransaction } {
    const key = serverKey(req, source);
    if (!key) return { kind: 'absorbed' };
    if (req.method === 'ACK') {
      const st = this.server.get(key);
      if (st && st.state === 'completed') {
        // ACK of our non-2xx final: stop retransmitting, linger to absorb ACK retransmissions (timer I).
        this.clearTimers(st);
        st.state = 'confirmed';
        this.linger(st, source.transport === 'udp' ? this.T.T4 : 0); // timer I
        return { kind: 'absorbed' };
      }
      if (st && st.state === 'confirmed') return { kind: 'absorbed' };
      return { kind: 'ack2xx' };
    }
    const existing = this.server.get(`${key}${req.method === 'CANCEL' ? '|C' : ''}`);
    if (existing) {
      if (existing.lastResponse) this.o.send(existing.source, existing.lastResponse);
      return { kind: 'absorbed' };
    }
    if (req.method === 'CANCEL') {
      const tx = new ServerTransaction(`${key}|C`, 'CANCEL', req, source, this);
      this.server.set(tx.key, tx);
      const inviteKey = key.slice(0, key.lastIndexOf('|')) + '|INVITE';
      return { kind: 'cancel', invite: this.server.get(inviteKey), tx };
    }
    const tx = new ServerTransaction(key, req.method, req, source, this);
    this.server.set(key, tx);
    // A guard: a server transaction never lives for ever, whatever happens downstream. An INVITE's outlasts the
    // client transaction's timers B and C and the wait for the answer to a CANCEL.
    const guard = req.method === 'INVITE' ? Math.max(64 * this.T.T1, this.T.C) + 64 * this.T.T1 : 64 * this.T.T1;
    tx.timers.push(this.o.wheel.set(guard, () => this.terminateServer(tx)));
    return { kind: 'new', tx };
  }

  /** @internal Called by ServerTransaction.respond on a final response. */
  serverFinal(st: ServerTransaction, status: number): void {
    this.clearTimers(st);
    const unreliable = st.source.transport === 'udp';
    if (st.method === 'INVITE' && status >= 300) {
      st.state = 'completed';
      if (unreliable) this.retransmitResponse(st, this.T.T1);
      this.linger(st, 64 * this.T.T1); // timer H
      return;
    }
    if (st.method === 'INVITE') {
      // 2xx: the transaction ends; the 2xx retransmissions come from the UAS through us (RFC 6026 keeps it short).
      // It stays matchable that long, so a retransmitted INVITE is absorbed rather than taken for a new one.
      st.state = 'terminated';
      this.linger(st, 64 * this.T.T1);
      return;
    }
    st.state = 'completed';
    this.linger(st, unreliable ? 64 * this.T.T1 : 0); // timer J
  }

  private retransmitResponse(st: ServerTransaction, interval: number): void {
    st.timers.push(
      this.o.wheel.set(interval, () => {
        if (st.state !== 'completed' || !st.lastResponse) return;
        this.o.send(st.source, st.lastResponse);
        this.retransmitResponse(st, Math.min(interval * 2, this.T.T2)); // timer G
      }),
    );
  }

  private terminateServer(st: ServerTransaction): void {
    this.clearTimers(st);
    st.state = 'terminated';
    st.req = undefined;
    st.lingerEnd = 0;
    if (this.server.get(st.key) === st) this.server.delete(st.key);
  }

  /** Sends a request in a new client transaction (its top Via must carry `branch`). */
  sendRequest(
    branch: string,
    req: SipMessage,
    bytes: Buffer,
    target: Endpoint,
    events: ClientTxEvents,
  ): ClientTransaction {
    const ct = new ClientTransaction(branch, req.method, req, bytes, target, events);
    this.client.set(detached(clientKey(branch, req.method)), ct);
    this.o.send(target, bytes);
    if (target.transport === 'udp') this.retransmitRequest(ct, this.T.T1);
    // Timer B: an INVITE that nobody answers at all in 64*T1. Once it is ringing, timer C takes over: a phone may
    // ring much longer than 32 s, and a call cut at 32 s of ringing was a call lost.
    // Timer F: a non-INVITE without a final answer in 64*T1.
    ct.timers.push(
      this.o.wheel.set(64 * this.T.T1, () => {
        if (ct.state === 'calling' || (ct.method !== 'INVITE' && ct.state === 'proceeding')) {
          this.terminateClient(ct);
          ct.events.onTimeout(ct);
        }
      }),
    );
    if (ct.method === 'INVITE') this.restartTimerC(ct);
    return ct;
  }

  private restartTimerC(ct: ClientTransaction): void {
    if (ct.timerC) ct.timerC.cancelled = true;
    ct.timerC = this.o.wheel.set(this.T.C, () => {
      if (ct.state !== 'proceeding') return;
      ct.events.onTimeout(ct);
      // The owner CANCELs; whatever the callee answers, the transaction is over 64*T1 later.
      ct.timers.push(
        this.o.wheel.set(64 * this.T.T1, () => {
          if (ct.state === 'calling' || ct.state === 'proceeding') this.terminateClient(ct);
        }),
      );
    });
  }

  private retransmitRequest(ct: ClientTransaction, interval: number): void {
    ct.timers.push(
      this.o.wheel.set(interval, () => {
        // INVITE: retransmit only while calling (timer A); non-INVITE: until a final (timer E).
        if (ct.out && (ct.state === 'calling' || (ct.method !== 'INVITE' && ct.state === 'proceeding'))) {
          this.o.send(ct.target, ct.out);
          const next = ct.method === 'INVITE' ? interval * 2 : Math.min(interval * 2, this.T.T2);
          this.retransmitRequest(ct, ct.state === 'proceeding' ? this.T.T2 : next);
        }
      }),
    );
  }

  /** Matches a response to a client transaction by top Via branch and CSeq method; false when none matches. */
  receiveResponse(res: SipMessage): boolean {
    const branch = res.topVia()?.branch;
    const method = res.cseq()?.method;
    if (!branch || !method) return false;
    const ct = this.client.get(clientKey(branch, method));
    if (!ct) return false;
    const status = res.status;
    if (status < 200) {
      if (ct.state === 'calling') ct.state = 'proceeding';
      if (ct.state !== 'proceeding') return true;
      if (ct.method === 'INVITE' && status > 100) this.restartTimerC(ct);
      ct.events.onResponse(ct, res, false);
      return true;
    }
    if (ct.method === 'INVITE' && status < 300) {
      const again = ct.state === 'accepted';
      if (!again) {
        this.clearTimers(ct);
        ct.state = 'accepted';
        ct.lastStatus = status;
        ct.req = ct.out = undefined;
        // Timer M: 2xx retransmissions (and 2xx from other forks) still pass while it lingers.
        this.linger(ct, 64 * this.T.T1);
      }
      ct.events.onResponse(ct, res, again);
      return true;
    }
    if (ct.state === 'completed' || ct.state === 'accepted') {
      // A retransmitted final: ACK again (INVITE), otherwise absorb.
      if (ct.ack && status >= 300) this.o.send(ct.target, ct.ack);
      return true;
    }
    this.clearTimers(ct);
    ct.state = 'completed';
    ct.lastStatus = status;
    if (ct.method === 'INVITE' && ct.req) {
      ct.ack = ownBytes(buildAck(ct.req, res).toBuffer());
      this.o.send(ct.target, ct.ack);
    }
    ct.req = ct.out = undefined;
    const unreliable = ct.target.transport === 'udp';
    this.linger(ct, unreliable ? (ct.method === 'INVITE' ? 32_000 : this.T.T4) : 0); // timer D or K
    ct.events.onResponse(ct, res, false);
    return true;
  }

  /** Ends a client transaction at once (its owner gave up on it). */
  terminateClient(ct: ClientTransaction): void {
    this.clearTimers(ct);
    ct.state = 'terminated';
    ct.req = ct.out = ct.ack = undefined;
    ct.lingerEnd = 0;
    const key = clientKey(ct.branch, ct.method);
    if (this.client.get(key) === ct) this.client.delete(key);
  }

  private clearTimers(t: { timers: TimerHandle[]; timerC?: TimerHandle | undefined }): void {
    for (const h of t.timers) h.cancelled = true;
    t.timers = [];
    if (t.timerC) {
      t.timerC.cancelled = true;
      t.timerC = undefined;
    }
  }

  clear(): void {
    for (const t of this.server.values()) this.clearTimers(t);
    for (const t of this.client.values()) this.clearTimers(t);
    this.server.clear();
    this.client.clear();
  }
}
