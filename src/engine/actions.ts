// Actions and severities, and the order that makes one decision out of many signals: the strongest action wins.

/**
 * What the engine may order for a call:
 * - `allow`: let it through (a signal with `allow` is kept as information);
 * - `alert`: let it through and tell someone;
 * - `cut`: end a call in progress (at setup, it refuses the call);
 * - `reject`: refuse the call at setup;
 * - `quarantine`: refuse this call and every further outbound call of the extension or tenant until a person
 *   releases it;
 * - `ban`: refuse a source address for a time (the edge guard's action; the engine never bans).
 */
export type Action = 'allow' | 'alert' | 'cut' | 'reject' | 'quarantine' | 'ban';

export const ACTIONS: readonly Action[] = ['allow', 'alert', 'cut', 'reject', 'quarantine', 'ban'];

const STRENGTH: Record<Action, number> = { allow: 0, alert: 1, cut: 2, reject: 3, quarantine: 4, ban: 5 };

export function strength(a: Action): number {
  return STRENGTH[a];
}

export function stronger(a: Action, b: Action): Action {
  return STRENGTH[b] > STRENGTH[a] ? b : a;
}

/** True for actions that stop the call (at setup, or while it goes on). */
export function stops(a: Action): boolean {
  return STRENGTH[a] >= STRENGTH.cut;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
