// Call summaries (CallLog.summarize) built and merged in one place: the memory store sums records, SQL back ends
// group rows, and a digest adds up summaries of consecutive slices of its period.
import type { CallRecord, CallSummary, DestinationTotal } from './ports.js';

export function emptySummary(): CallSummary {
  return { inbound: 0, outbound: 0, dispositions: {}, actions: {}, cost: 0, countries: [], classes: [], numbers: [] };
}

/** Most expensive first, then most called, then by key: the same order in every back end. */
export function byCost(a: DestinationTotal, b: DestinationTotal): number {
  return b.cost - a.cost || b.calls - a.calls || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

function topOf(totals: Map<string, DestinationTotal>, top: number): DestinationTotal[] {
  return [...totals.values()].sort(byCost).slice(0, top);
}

function add(totals: Map<string, DestinationTotal>, rows: DestinationTotal[]): void {
  for (const r of rows) {
    const t = totals.get(r.key);
    if (t) {
      t.calls += r.calls;
      t.cost += r.cost;
    } else totals.set(r.key, { ...r });
  }
}

/** The summary of records already filtered to one tenant and period. */
export function summaryOfRecords(records: Iterable<CallRecord>, top: number): CallSummary {
  const s = emptySummary();
  const countries = new Map<string, DestinationTotal>();
  const classes = new Map<string, DestinationTotal>();
  const numbers = new Map<string, DestinationTotal>();
  for (const r of records) {
    const cost = r.estimatedCost ?? 0;
    s[r.direction]++;
    s.dispositions[r.disposition] = (s.dispositions[r.disposition] ?? 0) + 1;
    if (r.action) s.actions[r.action] = (s.actions[r.action] ?? 0) + 1;
    s.cost += cost;
    if (r.direction !== 'outbound') continue;
    if (r.country) add(countries, [{ key: r.country, calls: 1, cost }]);
    if (r.destinationClass) add(classes, [{ key: r.destinationClass, calls: 1, cost }]);
    add(numbers, [{ key: r.calledE164 ?? r.called, calls: 1, cost }]);
  }
  return { ...s, countries: topOf(countries, top), classes: topOf(classes, top), numbers: topOf(numbers, top) };
}

/**
 * Adds summaries of consecutive slices. Destination lists keep `top` rows: exact while each slice's list was
 * complete (countries and classes are few), close for numbers (a number outside every slice's top is missed).
 */
export function mergeSummaries(parts: CallSummary[], top: number): CallSummary {
  const s = emptySummary();
  const countries = new Map<string, DestinationTotal>();
  const classes = new Map<string, DestinationTotal>();
  const numbers = new Map<string, DestinationTotal>();
  for (const p of parts) {
    s.inbound += p.inbound;
    s.outbound += p.outbound;
    s.cost += p.cost;
    for (const [k, n] of Object.entries(p.dispositions)) s.dispositions[k] = (s.dispositions[k] ?? 0) + n;
    for (const [k, n] of Object.entries(p.actions)) s.actions[k] = (s.actions[k] ?? 0) + n;
    add(countries, p.countries);
    add(classes, p.classes);
    add(numbers, p.numbers);
  }
  return { ...s, countries: topOf(countries, top), classes: topOf(classes, top), numbers: topOf(numbers, top) };
}

/** Row of a SQL `GROUP BY direction, disposition, action` with `COUNT(*) AS n` and `SUM(estimated_cost) AS cost`. */
export interface SummaryGroupRow {
  direction: string;
  disposition: string;
  action: string | null;
  n: number | string;
  cost: number | string | null;
}

/** A SQL back end's summary from its grouped rows (PostgreSQL returns COUNT as text). */
export function summaryOfGroups(
  groups: SummaryGroupRow[],
  lists: { countries: DestinationTotal[]; classes: DestinationTotal[]; numbers: DestinationTotal[] },
): CallSummary {
  const s = emptySummary();
  for (const g of groups) {
    const n = Number(g.n);
    if (g.direction === 'inbound' || g.direction === 'outbound') s[g.direction] += n;
    s.dispositions[g.disposition] = (s.dispositions[g.disposition] ?? 0) + n;
    if (g.action) s.actions[g.action] = (s.actions[g.action] ?? 0) + n;
    s.cost += Number(g.cost ?? 0);
  }
  return { ...s, ...lists };
}

/** A destination row as SQL returns it (`k`, `n`, `cost`), with numbers as numbers. */
export function destinationOfRow(r: { k: string; n: number | string; cost: number | string | null }): DestinationTotal {
  return { key: r.k, calls: Number(r.n), cost: Number(r.cost ?? 0) };
}
