// A decision and its explanation: every signal a rule raised, with the action the tenant's policy gives it. The
// same JSON goes to the call log, the alert and the console, so what was decided can always be explained.
import type { Action, Severity } from './actions.js';
import { stronger } from './actions.js';

export interface Signal {
  /** The rule that raised it (`destination-class`). */
  rule: string;
  /** Its named signal (`DST_PREMIUM_RATE`). */
  signal: string;
  /** What the tenant's policy makes of it. */
  action: Action;
  severity: Severity;
  /** One sentence a person understands. */
  message: string;
  /** The facts behind it (counts, thresholds, numbers), for the console and the alert. */
  evidence?: Record<string, unknown>;
}

export interface Decision {
  /** The strongest action among the signals (`allow` when none). */
  action: Action;
  /** False in monitor mode: `action` is what would have been done; nothing was enforced. */
  enforced: boolean;
  signals: Signal[];
  destination?: { e164?: string; cls?: string; country?: string };
}

export function decide(signals: Signal[], enforced: boolean, destination?: Decision['destination']): Decision {
  let action: Action = 'allow';
  for (const s of signals) action = stronger(action, s.action);
  return destination ? { action, enforced, signals, destination } : { action, enforced, signals };
}
