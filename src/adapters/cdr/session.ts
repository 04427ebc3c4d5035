// One replay from a stream to a report: reader → start order → replayer → summary. The CLI and the tests both run
// this, so what the tests check is what `tollguard replay` does; the API's replay of the stored call log runs the
// same ReplayRun over stored records (stored.ts).
import type { Readable } from 'node:stream';
import type { TenantSetup } from '../../engine/index.js';
import { defaultTimeZone } from '../../engine/policy.js';
import { LocalClock } from '../../engine/local-time.js';
import { Numbering, RiskList, Tariffs, defaultDialPlan } from '../../numbering/index.js';
import type { TenantPolicy } from '../../engine/policy.js';
import { LegReader } from './legs.js';
import type { ColumnMapping } from './mappings.js';
import { DEFAULT_REORDER_WINDOW_MS, StartOrder } from './order.js';
import { readCdr, type CdrFormat } from './reader.js';
import type { BadRow, CdrRecord } from './record.js';
import { Replayer, type CallOutcome, type ReplayCall } from './replay.js';
import { SummaryBuilder, type ProfileWarmup, type ReplayReport } from './summary.js';
import { spanText, type TenantProfile } from '../../engine/profile.js';
import { profileOptions, warm, warmupText } from '../../rules/profile.js';

export interface ReplaySessionOptions {
  input: Readable;
  /** Shown in the report. */
  file: string;
  format: CdrFormat;
  mapping?: ColumnMapping;
  setups: TenantSetup[];
  tenantId: string;
  /** Zone the file's times are written in; default the tenant's zone. */
  readTimezone?: string;
  /** Peer names that are trunks (besides what the channel names show). */
  trunks?: string[];
  reorderWindowMs?: number;
  /** Watch interval while calls are up, ms of event time (default 1000: cuts fall to the second). */
  tickMs?: number;
  /** Lift a quarantine this long after it was set (a person releasing it); default never. */
  releaseQuarantineAfterMs?: number;
  onCall?(o: CallOutcome): void;
  onBad?(b: BadRow): void;
  /** After each chunk read: bytes so far and records so far; may return a promise (output backpressure). */
  onChunk?(bytes: number, records: number): void | Promise<void>;
  /** How many incidents the report lists (default 10). */
  incidents?: number;
  /** A stored profile to start from; `learned` gets the profile at the end (to store it). */
  profile?: Iterable<{ scope: string; data: unknown }>;
  learned?(profile: TenantProfile): void;
}

/** The dial plan a tenant's policy gives, as the engine builds it. */
export function numberingOf(policy: TenantPolicy): Numbering {
  const plan = { ...defaultDialPlan(policy.country), ...(policy.dialPlan ?? {}) };
  const risk = policy.risk ? RiskList.shipped().withEdits(policy.risk) : RiskList.shipped();
  return new Numbering(plan, risk);
}

/** A CDR row as a call to replay: the LegReader says what it is. */
export function callOfCdr(rec: CdrRecord, legs: LegReader): ReplayCall {
  const call: ReplayCall = {
    line: rec.line,
    start: rec.start,
    end: rec.end,
    billsec: rec.billsec,
    answered: rec.answered,
    view: legs.read(rec),
  };
  if (rec.id !== undefined) call.id = rec.id;
  if (rec.answer !== undefined) call.answer = rec.answer;
  if (rec.userAgent) call.userAgent = rec.userAgent;
  if (rec.sourceAddress) call.sourceAddress = rec.sourceAddress;
  return call;
}

export interface ReplayRunOptions {
  setups: TenantSetup[];
  tenantId: string;
  /** Watch interval while calls are up, ms of event time (default 1000: cuts fall to the second). */
  tickMs?: number;
  /** Lift a quarantine this long after it was set (a person releasing it); default never. */
  releaseQuarantineAfterMs?: number;
  onCall?(o: CallOutcome): void;
  /** A stored profile to start from (`--profiles`): the replay goes on learning from it, warm from the start. */
  profile?: Iterable<{ scope: string; data: unknown }>;
}

/**
 * One replay of one tenant's policy: a fresh engine fed calls in start order, and the summary of what became of
 * them. A CDR file and the stored call log both replay through this, so they decide, watch and count alike.
 */
export class ReplayRun {
  readonly setup: TenantSetup;
  readonly zone: string;
  readonly summary: SummaryBuilder;
  readonly replayer: Replayer;

  constructor(o: ReplayRunOptions) {
    const setup = o.setups.find((s) => s.id === o.tenantId);
    if (!setup) throw new Error(`unknown tenant ${o.tenantId}`);
    this.setup = setup;
    this.zone = setup.policy.timezone ?? defaultTimeZone(setup.policy.country);
    const summary = (this.summary = new SummaryBuilder(new LocalClock(this.zone)));
    const rule = profileOptions(setup.policy.rules as Record<string, unknown>);
    this.warmup = rule && { rule, notCompared: 0, from: undefined };
    this.replayer = new Replayer({
      setups: o.setups,
      tenantId: o.tenantId,
      tariffs: setup.tariffs ?? Tariffs.defaults(setup.policy.currency),
      ...(o.tickMs !== undefined ? { tickMs: o.tickMs } : {}),
      ...(o.releaseQuarantineAfterMs !== undefined ? { releaseQuarantineAfterMs: o.releaseQuarantineAfterMs } : {}),
      onCall: (c) => {
        summary.add(c);
        if (this.warmup && this.warmup.from === undefined && (c.leg === 'outbound' || c.leg === 'trunk-to-trunk')) {
          if (warm(this.profile.scope(), c.start, this.warmup.rule, false)) this.warmup.from = c.start;
          else this.warmup.notCompared++;
        }
        o.onCall?.(c);
      },
    });
    if (o.profile) this.replayer.engine.restoreProfile(o.tenantId, o.profile);
  }

  /** The tenant's profile, learned as the replay goes (to save with `--profiles`). */
  get profile(): TenantProfile {
    return this.replayer.engine.profileOf(this.setup.id)!;
  }

  private readonly warmup:
    { rule: NonNullable<ReturnType<typeof profileOptions>>; notCompared: number; from: number | undefined } | undefined;

  /** Where the profile's warm-up stands, for the report. */
  private warmupReport(end: number): ProfileWarmup | undefined {
    const w = this.warmup;
    if (!w) return undefined;
    const p = this.profile.scope();
    let extensions = 0;
    let extensionsWarm = 0;
    for (const [, x] of this.profile.extensions()) {
      extensions++;
      if (warm(x, end, w.rule, true)) extensionsWarm++;
    }
    return {
      needs: warmupText(w.rule),
      ...(w.from !== undefined ? { warmFrom: new Date(w.from).toISOString() } : {}),
      notCompared: w.notCompared,
      history: p ? spanText(end - p.since) : 'none',
      calls: p?.calls ?? 0,
      extensions,
      extensionsWarm,
    };
  }

  /** One call, in start order. */
  add(call: ReplayCall): void {
    this.replayer.add(call);
  }

  /** Every call still up ends at its recorded end (or its cut); then the report. */
  finish(
    meta: { file: string; format: string; lines: number; foldedBLegs: number; began: number },
    incidents?: number,
  ): ReplayReport {
    this.replayer.close();
    return this.summary.build(
      {
        file: meta.file,
        format: meta.format,
        tenant: this.setup.id,
        timezone: this.zone,
        mode: this.setup.policy.mode,
        currency: this.setup.policy.currency,
        lines: meta.lines,
        foldedBLegs: meta.foldedBLegs,
        lateRecords: this.replayer.late,
        quarantinesReleased: this.replayer.released,
        elapsedMs: Date.now() - meta.began,
      },
      incidents,
      this.warmupReport(this.profile.scope()?.last ?? 0),
    );
  }
}

export async function replayCdr(o: ReplaySessionOptions): Promise<ReplayReport> {
  const began = Date.now();
  const run = new ReplayRun({
    setups: o.setups,
    tenantId: o.tenantId,
    ...(o.tickMs !== undefined ? { tickMs: o.tickMs } : {}),
    ...(o.releaseQuarantineAfterMs !== undefined ? { releaseQuarantineAfterMs: o.releaseQuarantineAfterMs } : {}),
    ...(o.onCall ? { onCall: o.onCall } : {}),
    ...(o.profile ? { profile: o.profile } : {}),
  });
  const legs = new LegReader({ numbering: numberingOf(run.setup.policy), ...(o.trunks ? { trunks: o.trunks } : {}) });
  const order = new StartOrder((r) => run.add(callOfCdr(r, legs)), o.reorderWindowMs ?? DEFAULT_REORDER_WINDOW_MS);
  let records = 0;
  const read = await readCdr(
    o.input,
    { format: o.format, ...(o.mapping ? { mapping: o.mapping } : {}), timezone: o.readTimezone ?? run.zone },
    {
      record: (r) => {
        records++;
        order.push(r);
      },
      bad: (b) => {
        run.summary.bad(b);
        o.onBad?.(b);
      },
      progress: o.onChunk ? (bytes) => o.onChunk!(bytes, records) : undefined,
    },
  );
  order.flush();
  const report = run.finish(
    {
      file: o.file,
      format: o.mapping ? `${o.format} (${o.mapping.name})` : o.format,
      lines: read.lines,
      foldedBLegs: order.folded,
      began,
    },
    o.incidents,
  );
  o.learned?.(run.profile);
  return report;
}
