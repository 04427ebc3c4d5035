// One replay from a stream to a report: reader → start order → replayer → summary. The CLI and the tests both run
// this, so what the tests check is what `tollguard replay` does.
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
import type { BadRow } from './record.js';
import { Replayer, type CallOutcome } from './replay.js';
import { SummaryBuilder, type ReplayReport } from './summary.js';

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
}

/** The dial plan a tenant's policy gives, as the engine builds it. */
export function numberingOf(policy: TenantPolicy): Numbering {
  const plan = { ...defaultDialPlan(policy.country), ...(policy.dialPlan ?? {}) };
  const risk = policy.risk ? RiskList.shipped().withEdits(policy.risk) : RiskList.shipped();
  return new Numbering(plan, risk);
}

export async function replayCdr(o: ReplaySessionOptions): Promise<ReplayReport> {
  const began = Date.now();
  const setup = o.setups.find((s) => s.id === o.tenantId);
  if (!setup) throw new Error(`unknown tenant ${o.tenantId}`);
  const zone = setup.policy.timezone ?? defaultTimeZone(setup.policy.country);
  const summary = new SummaryBuilder(new LocalClock(zone));
  const replayer = new Replayer({
    setups: o.setups,
    tenantId: o.tenantId,
    legs: new LegReader({ numbering: numberingOf(setup.policy), ...(o.trunks ? { trunks: o.trunks } : {}) }),
    tariffs: setup.tariffs ?? Tariffs.defaults(setup.policy.currency),
    ...(o.tickMs !== undefined ? { tickMs: o.tickMs } : {}),
    ...(o.releaseQuarantineAfterMs !== undefined ? { releaseQuarantineAfterMs: o.releaseQuarantineAfterMs } : {}),
    onCall: (c) => {
      summary.add(c);
      o.onCall?.(c);
    },
  });
  const order = new StartOrder((r) => replayer.add(r), o.reorderWindowMs ?? DEFAULT_REORDER_WINDOW_MS);
  let records = 0;
  const read = await readCdr(
    o.input,
    { format: o.format, ...(o.mapping ? { mapping: o.mapping } : {}), timezone: o.readTimezone ?? zone },
    {
      record: (r) => {
        records++;
        order.push(r);
      },
      bad: (b) => {
        summary.bad(b);
        o.onBad?.(b);
      },
      progress: o.onChunk ? (bytes) => o.onChunk!(bytes, records) : undefined,
    },
  );
  order.flush();
  replayer.close();
  return summary.build(
    {
      file: o.file,
      format: o.mapping ? `${o.format} (${o.mapping.name})` : o.format,
      tenant: o.tenantId,
      timezone: zone,
      mode: setup.policy.mode,
      currency: setup.policy.currency,
      lines: read.lines,
      foldedBLegs: order.folded,
      lateRecords: replayer.late,
      quarantinesReleased: replayer.released,
      elapsedMs: Date.now() - began,
    },
    o.incidents,
  );
}
