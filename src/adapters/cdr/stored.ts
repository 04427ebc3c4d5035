// Replay of the stored call log: "what would this policy have done last week?". The tenant's records are read in
// start order from the store's newest-first search (time slices small enough for one page each), become the same
// ReplayCall a CDR row becomes, and go through one ReplayRun per policy, all fed the same records in one read.
// Bounded: at most `max` records, and the answer says when the range held more.
import type { CallLog, CallRecord } from '../../store/ports.js';
import type { TenantSetup } from '../../engine/index.js';
import type { CallOutcome, ReplayCall } from './replay.js';
import { ReplayRun } from './session.js';
import type { ReplayReport } from './summary.js';

/** Records read per search (the store answers at most 10,000); small enough that one search is a short pause. */
export const STORED_PAGE = 2_000;
/** Records replayed between two pauses: the live firewall shares this event loop. */
const STEP = 500;

/**
 * A stored record as a call to replay. Its direction is as recorded; an imported record marked `(trunk-to-trunk)`
 * is a hairpin again. A refused call has no answer (replayed as an attempt that was never answered); a call still up
 * ends at `rangeEnd`. The caller of an outbound call is its extension, as the proxy sees it.
 */
export function callOfRecord(r: CallRecord, line: number, rangeEnd: number): ReplayCall {
  const end = Math.max(r.startedAt, r.endedAt ?? Math.max(rangeEnd, r.answeredAt ?? r.startedAt));
  const answer = r.answeredAt !== undefined && r.answeredAt <= end ? r.answeredAt : undefined;
  const leg =
    r.direction === 'inbound'
      ? 'inbound'
      : /\(trunk-to-trunk\)/.test(r.endReason ?? '')
        ? 'trunk-to-trunk'
        : 'outbound';
  const call: ReplayCall = {
    id: r.id,
    line,
    start: r.startedAt,
    end,
    billsec: answer === undefined ? 0 : (end - answer) / 1000,
    answered: answer !== undefined,
    view: {
      leg,
      caller: r.caller,
      ...(leg === 'outbound' && r.caller !== '' ? { callerExtension: r.caller } : {}),
      called: r.called,
      why: `stored ${leg} call, ${r.disposition}`,
    },
  };
  if (answer !== undefined) call.answer = answer;
  if (r.userAgent) call.userAgent = r.userAgent;
  if (r.sourceAddress) call.sourceAddress = r.sourceAddress;
  return call;
}

export interface StoredRange {
  tenantId: string;
  /** startedAt ≥ from, < to (ms). */
  from: number;
  to: number;
  /** Records read at most. */
  max: number;
}

/** What reading the range found besides the records. */
export interface StoredReadState {
  records: number;
  /** The range held more than `max` records: those after the last one read were not replayed. */
  more: boolean;
  /** Searches made (for the tests' and the log's sake). */
  searches: number;
}

/**
 * The range's records in start order, page by page. A slice of time is halved until its records fit one page;
 * more than a page within one millisecond is read by offset.
 */
export async function* recordsInStartOrder(
  calls: CallLog,
  range: StoredRange,
  state: StoredReadState,
  page = STORED_PAGE,
): AsyncGenerator<CallRecord[]> {
  const search = (from: number, to: number, limit: number, offset = 0) => {
    state.searches++;
    return calls.search({ tenantIds: [range.tenantId], from, to, limit, offset });
  };
  let lo = range.from;
  let span = Math.max(1, range.to - range.from);
  while (lo < range.to) {
    let hi = Math.min(range.to, lo + span);
    let found = await search(lo, hi, page + 1);
    while (found.length > page && hi - lo > 1) {
      hi = lo + Math.floor((hi - lo) / 2);
      found = await search(lo, hi, page + 1);
    }
    if (found.length > page) {
      // More than a page started in this one millisecond: read it by offset (bounded by what may still be read).
      found = [];
      for (let offset = 0; found.length < range.max - state.records + 1; offset += page) {
        const part = await search(lo, hi, page, offset);
        found.push(...part);
        if (part.length < page) break;
      }
    }
    // The next slice is sized for about 80% of a page at this slice's density (at most 4 times longer or shorter),
    // so a steady week is about one search per page and a quiet one a few searches.
    const width = hi - lo;
    span = Math.max(1, Math.round(found.length > 0 ? (width * 0.8 * page) / found.length : width * 4));
    span = Math.min(Math.max(span, Math.ceil(width / 4)), width * 4);
    found.reverse();
    const room = range.max - state.records;
    if (found.length > room) {
      state.more = true;
      if (room > 0) {
        state.records += room;
        yield found.slice(0, room);
      }
      return;
    }
    state.records += found.length;
    if (found.length > 0) yield found;
    lo = hi;
    if (state.records >= range.max) {
      state.more = lo < range.to && (await search(lo, range.to, 1)).length > 0;
      return;
    }
  }
}

export interface CallLogReplayOptions {
  calls: CallLog;
  range: StoredRange;
  /** One entry per policy to replay: the engine's tenants (with the policy of `tenantId` to try). */
  runs: Array<{ setups: TenantSetup[]; onCall?(o: CallOutcome): void }>;
  tickMs?: number;
  /** How many incidents each report lists (default 10). */
  incidents?: number;
  /** Between pages: lets the event loop serve other requests while a long replay runs. */
  pause?(): Promise<void>;
}

export interface CallLogReplay {
  reports: ReplayReport[];
  state: StoredReadState;
}

/** Replays the range's stored records through every run, reading them once. */
export async function replayCallLog(o: CallLogReplayOptions): Promise<CallLogReplay> {
  const began = Date.now();
  const runs = o.runs.map(
    (r) =>
      new ReplayRun({
        setups: r.setups,
        tenantId: o.range.tenantId,
        ...(o.tickMs !== undefined ? { tickMs: o.tickMs } : {}),
        ...(r.onCall ? { onCall: r.onCall } : {}),
      }),
  );
  const state: StoredReadState = { records: 0, more: false, searches: 0 };
  let line = 0;
  for await (const page of recordsInStartOrder(o.calls, o.range, state)) {
    for (let i = 0; i < page.length; i += STEP) {
      for (const rec of page.slice(i, i + STEP)) {
        const call = callOfRecord(rec, ++line, o.range.to);
        for (const run of runs) run.add(call);
      }
      await o.pause?.();
    }
  }
  const reports = runs.map((run) =>
    run.finish({ file: 'call log', format: 'stored', lines: state.records, foldedBLegs: 0, began }, o.incidents),
  );
  return { reports, state };
}
