// How a new alert folds into the open incident of the same key: one attack is one alert with updates (R-MONITOR).
import type { AlertCost, AlertRecord, Severity } from './ports.js';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** Call ids kept on one incident: enough to investigate, bounded so a flood cannot grow a row without end. */
export const MAX_ALERT_CALL_IDS = 100;

export type NewAlert = Omit<AlertRecord, 'id' | 'lastAt' | 'count' | 'acknowledgedAt' | 'acknowledgedBy'>;

export function foldAlert(open: AlertRecord, next: NewAlert): AlertRecord {
  const callIds = [...open.callIds];
  for (const id of next.callIds) {
    if (callIds.length >= MAX_ALERT_CALL_IDS) break;
    if (!callIds.includes(id)) callIds.push(id);
  }
  return {
    ...open,
    severity: SEVERITY_RANK[next.severity] > SEVERITY_RANK[open.severity] ? next.severity : open.severity,
    title: next.title,
    body: next.body,
    lastAt: Math.max(open.lastAt, next.firstAt),
    count: open.count + 1,
    callIds,
    ...costOf(open.cost, next.cost),
  };
}

/** An incident's cost is the sum of its events' (one tenant, one currency; an event in another is left out). */
function costOf(a: AlertCost | undefined, b: AlertCost | undefined): { cost?: AlertCost } {
  if (!a || !b) return a || b ? { cost: (a ?? b)! } : {};
  if (a.currency !== b.currency) return { cost: a };
  return { cost: { currency: a.currency, spent: a.spent + b.spent, perHour: a.perHour + b.perHour } };
}

export function newAlertRecord(id: string, next: NewAlert): AlertRecord {
  return { ...next, id, lastAt: next.firstAt, count: 1, callIds: next.callIds.slice(0, MAX_ALERT_CALL_IDS) };
}

/** Bounds a query's limit: default 100, at most 10,000. */
export function queryLimit(limit: number | undefined): number {
  if (limit === undefined) return 100;
  return Math.max(1, Math.min(10_000, Math.floor(limit)));
}
