// What every adapter (SIP proxy, redirect server, HTTP API, CDR replay) needs from the engine: a decision at setup,
// the call's progress, and the cuts the engine orders as time passes. The engine implements it; the adapters depend
// on this shape only, so a door never reaches into the engine's insides.

/** An attempt as an adapter describes it (see the engine's CallAttempt for the meaning of each field). */
export interface AttemptInput {
  id: string;
  tenantId: string;
  direction: 'outbound' | 'inbound';
  /** Event time, ms since the epoch. */
  time: number;
  caller: string;
  callerExtension?: string;
  called: string;
  sourceAddress?: string;
  userAgent?: string;
  diversion?: string[];
  historyInfo?: string[];
  referredBy?: string;
  /**
   * The adapter knows this outbound call is the second leg of an inbound trunk call (a CDR showing trunk-to-trunk,
   * DISA). The engine also finds hairpins on its own from live inbound calls.
   */
  bridgedFromInbound?: boolean;
}

export interface SignalView {
  rule: string;
  signal: string;
  action: string;
  severity: string;
  message: string;
  evidence?: unknown;
}

export interface DecisionView {
  action: 'allow' | 'alert' | 'reject' | 'cut' | 'quarantine' | 'ban';
  /** False in monitor mode: `action` is what would have been done; nothing was enforced. */
  enforced: boolean;
  signals: SignalView[];
  destination?: { e164?: string; cls?: string; country?: string };
  /** Set when the engine failed and the tenant's fail mode decided. */
  failed?: { reason: string };
}

export interface CutOrderView {
  callId: string;
  decision: DecisionView;
}

export interface CallDecider {
  evaluate(attempt: AttemptInput): Promise<DecisionView>;
  answered(callId: string, time: number): Promise<unknown>;
  /** The call ended; the engine answers with what it estimates the call cost, when it watched it. */
  ended(
    callId: string,
    time: number,
    info?: { answered?: boolean; cause?: string },
  ): Promise<{ estimatedCost: number; currency: string } | undefined | void>;
  tick(time: number): Promise<CutOrderView[]>;
}

/** True when the decision refuses the call at setup (and is enforced). */
export function refuses(d: DecisionView): boolean {
  return d.enforced && (d.action === 'reject' || d.action === 'quarantine' || d.action === 'ban' || d.action === 'cut');
}

/** The rule that decided, for Reason/Warning headers and the call log: the first signal with the decision's action. */
export function decisiveSignal(d: DecisionView): SignalView | undefined {
  return d.signals.find((s) => s.action === d.action) ?? d.signals[0];
}
