// Searching and exporting the call log, the same for the API and `tollguard calls`: a query from text parameters
// (every mistake named), and CSV with one row a call (R-MONITOR: the trace a customer shows its operator).
import type { CallLog, CallQuery, CallRecord, Direction, Disposition } from './ports.js';

/** The text parameters of a search, as a URL query or command options give them. */
export interface CallSearchParams {
  tenant?: string | undefined;
  number?: string | undefined;
  direction?: string | undefined;
  action?: string | undefined;
  rule?: string | undefined;
  disposition?: string | undefined;
  /** ISO 8601 (`2026-11-28`, `2026-11-28T22:00:00+01:00`) or ms since the epoch; a bare date is UTC midnight. */
  from?: string | undefined;
  to?: string | undefined;
  limit?: string | undefined;
  offset?: string | undefined;
}

const DIRECTIONS: readonly Direction[] = ['outbound', 'inbound'];
const DISPOSITIONS: readonly Disposition[] = [
  'setup',
  'answered',
  'completed',
  'unanswered',
  'rejected',
  'cut',
  'lost-end',
];
const ACTIONS = ['allow', 'alert', 'reject', 'cut', 'quarantine', 'ban'];

function time(text: string, name: string, errors: string[]): number | undefined {
  const t = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(t)) errors.push(`${name}: "${text}" is not a date (2026-11-28, 2026-11-28T22:00:00+01:00)`);
  return Number.isFinite(t) ? t : undefined;
}

/** The store query for `p`, or every mistake in it. `tenantIds` limits it to the tenants the caller may read. */
export function callQueryOf(
  p: CallSearchParams,
  tenantIds?: readonly string[],
): { query: CallQuery } | { errors: string[] } {
  const errors: string[] = [];
  const q: CallQuery = {};
  if (p.tenant) {
    if (tenantIds && !tenantIds.includes(p.tenant)) errors.push(`tenant: no tenant ${p.tenant}`);
    q.tenantIds = [p.tenant];
  } else if (tenantIds) q.tenantIds = [...tenantIds];
  if (p.number) q.number = p.number;
  if (p.direction) {
    if (DIRECTIONS.includes(p.direction as Direction)) q.direction = p.direction as Direction;
    else errors.push(`direction: "${p.direction}" is not one of ${DIRECTIONS.join(', ')}`);
  }
  if (p.disposition) {
    if (DISPOSITIONS.includes(p.disposition as Disposition)) q.disposition = p.disposition as Disposition;
    else errors.push(`disposition: "${p.disposition}" is not one of ${DISPOSITIONS.join(', ')}`);
  }
  if (p.action) {
    if (ACTIONS.includes(p.action)) q.action = p.action;
    else errors.push(`action: "${p.action}" is not one of ${ACTIONS.join(', ')}`);
  }
  if (p.rule) q.rule = p.rule;
  if (p.from) {
    const t = time(p.from, 'from', errors);
    if (t !== undefined) q.from = t;
  }
  if (p.to) {
    const t = time(p.to, 'to', errors);
    if (t !== undefined) q.to = t;
  }
  for (const k of ['limit', 'offset'] as const) {
    const v = p[k];
    if (v === undefined || v === '') continue;
    if (!/^\d+$/.test(v) || (k === 'limit' && (Number(v) < 1 || Number(v) > 10_000))) {
      errors.push(`${k}: "${v}" is not ${k === 'limit' ? 'a number from 1 to 10000' : 'a whole number'}`);
    } else q[k] = Number(v);
  }
  return errors.length ? { errors } : { query: q };
}

/** The columns of the CSV export, in order. */
const COLUMNS: ReadonlyArray<[string, (r: CallRecord) => unknown]> = [
  ['id', (r) => r.id],
  ['tenant', (r) => r.tenantId],
  ['direction', (r) => r.direction],
  ['started_at', (r) => iso(r.startedAt)],
  ['answered_at', (r) => iso(r.answeredAt)],
  ['ended_at', (r) => iso(r.endedAt)],
  ['caller', (r) => r.caller],
  ['called', (r) => r.called],
  ['called_e164', (r) => r.calledE164],
  ['class', (r) => r.destinationClass],
  ['country', (r) => r.country],
  ['source', (r) => r.sourceAddress],
  ['user_agent', (r) => r.userAgent],
  ['disposition', (r) => r.disposition],
  ['sip_status', (r) => r.sipStatus],
  ['action', (r) => r.action],
  ['enforced', (r) => (r.decision as { enforced?: boolean } | undefined)?.enforced],
  ['rules', (r) => r.rules?.join(' ')],
  [
    'signals',
    (r) => (r.decision as { signals?: Array<{ signal: string }> } | undefined)?.signals?.map((s) => s.signal).join(' '),
  ],
  ['end_reason', (r) => r.endReason],
  ['estimated_cost', (r) => r.estimatedCost],
  ['currency', (r) => r.currency],
  ['call_ref', (r) => r.callRef],
];

function iso(t: number | undefined): string | undefined {
  return t === undefined ? undefined : new Date(t).toISOString();
}

/** A CSV field: quoted when it holds a comma, a quote or a line end (RFC 4180); formulas defused for spreadsheets. */
function field(v: unknown): string {
  if (v === undefined || v === null) return '';
  let s = String(v);
  // A cell starting with = + - @ is run as a formula by spreadsheets: a caller name could carry one.
  if (/^[=+\-@]/.test(s) && !/^[+-]?\d/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvHeader(): string {
  return COLUMNS.map(([name]) => name).join(',') + '\r\n';
}

export function csvRows(records: readonly CallRecord[]): string {
  return records.map((r) => COLUMNS.map(([, get]) => field(get(r))).join(',') + '\r\n').join('');
}

/**
 * The records matching `q` from its offset, page after page of at most 10,000 (a search's largest page), until
 * `max` records or the last page: how an export reads the whole trace without holding it.
 */
export async function* pagesOf(calls: CallLog, q: CallQuery, max: number): AsyncGenerator<CallRecord[]> {
  let offset = q.offset ?? 0;
  const end = offset + max;
  for (;;) {
    const page = await calls.search({ ...q, offset, limit: Math.min(10_000, end - offset) });
    if (page.length) yield page;
    offset += page.length;
    if (page.length < 10_000 || offset >= end) return;
  }
}
