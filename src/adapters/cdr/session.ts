// One replay from a stream to a report: reader → start order → replayer → summary. The CLI and the tests both run
// this, so what the tests check is what `tollguard replay` does; the API's replay of the stored call log runs the
// same ReplayRun over stored records (stored.ts).
import type { Readable } from 'node:stream';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { TenantSetup } from '../../engine/index.js';
import { defaultTimeZone } from '../../engine/policy.js';
import { LocalClock } from '../../engine/local-time.js';
import { Tariffs, tenantNumbering } from '../../numbering/index.js';
import { loaderArgs } from '../../store/sqlite/sqlite-store.js';
import { callOfCdr } from './call-of-cdr.js';
import { callAt } from './call-columns.js';
import type { ReaderBatch, ReaderData, ReaderNotice, ReaderRequest } from './reader-thread.js';
import { LegReader } from './legs.js';
import type { ColumnMapping } from './mappings.js';
import { DEFAULT_REORDER_WINDOW_MS, StartOrder } from './order.js';
import { readCdr, type CdrFormat } from './reader.js';
import type { BadRow } from './record.js';
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
  /** Read the file on a thread of its own, beside the engine (default true); false reads on this thread. */
  readerThread?: boolean;
}

export { callOfCdr };

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
  const bad = (b: BadRow): void => {
    run.summary.bad(b);
    o.onBad?.(b);
  };
  const read = o.readerThread === false ? await readHere(o, run, bad) : await readInThread(o, run, bad);
  const report = run.finish(
    {
      file: o.file,
      format: o.mapping ? `${o.format} (${o.mapping.name})` : o.format,
      lines: read.lines,
      foldedBLegs: read.folded,
      began,
    },
    o.incidents,
  );
  o.learned?.(run.profile);
  return report;
}

/** Reads, orders and replays on this thread. */
async function readHere(
  o: ReplaySessionOptions,
  run: ReplayRun,
  bad: (b: BadRow) => void,
): Promise<{ lines: number; folded: number }> {
  const legs = new LegReader({
    numbering: tenantNumbering(run.setup.policy),
    ...(o.trunks ? { trunks: o.trunks } : {}),
  });
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
      bad,
      progress: o.onChunk ? (bytes) => o.onChunk!(bytes, records) : undefined,
    },
  );
  order.flush();
  return { lines: read.lines, folded: order.folded };
}

/** Bytes sent to the reading thread and not yet read there: a few chunks, so memory stays flat. */
const READ_AHEAD = 4 << 20;

/**
 * Reads and orders on the reading thread (reader-thread.ts) while this one replays what it sends back, in the same
 * order as readHere: the calls and bad rows of each chunk, then the chunk's progress.
 */
async function readInThread(
  o: ReplaySessionOptions,
  run: ReplayRun,
  bad: (b: BadRow) => void,
): Promise<{ lines: number; folded: number }> {
  // Compiled, the thread is reader-thread.js next to this file; run from TypeScript sources, the .ts one.
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  // Batches come on a channel of their own, taken one at a time: a batch is read into this thread's heap only when
  // it is about to be replayed.
  const channel = new MessageChannel();
  const data: ReaderData = {
    format: o.format,
    ...(o.mapping ? { mapping: o.mapping } : {}),
    timezone: o.readTimezone ?? run.zone,
    ...(o.trunks ? { trunks: o.trunks } : {}),
    policy: run.setup.policy,
    reorderWindowMs: o.reorderWindowMs ?? DEFAULT_REORDER_WINDOW_MS,
    calls: channel.port2,
  };
  const w = new Worker(new URL(`./reader-thread${ext}`, import.meta.url), {
    workerData: data,
    transferList: [channel.port2],
    execArgv: loaderArgs(process.execArgv),
  });
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const poke = (): void => {
    const f = wake;
    wake = undefined;
    f?.();
  };
  w.on('message', (m: ReaderNotice) => {
    if ('error' in m) failure ??= new Error(m.error);
    poke();
  });
  w.on('error', (err) => {
    failure ??= err;
    poke();
  });
  w.on('exit', () => {
    failure ??= new Error('the CDR reading thread stopped');
    poke();
  });
  let sent = 0;
  let readThere = 0;
  let done: { lines: number; folded: number } | undefined;
  const next = (): ReaderBatch | undefined => receiveMessageOnPort(channel.port1)?.message as ReaderBatch | undefined;
  /** Replays the thread's next batch, waiting for it (`wait` false: only one already there). */
  const take = async (wait: boolean): Promise<boolean> => {
    let m = next();
    while (!m) {
      if (failure) throw failure;
      if (!wait) return false;
      await new Promise<void>((r) => (wake = r));
      m = next();
    }
    let b = 0;
    for (let i = 0; i < m.calls.count; i++) {
      while (b < m.bads.length && m.badAt[b] === i) bad(m.bads[b++]!);
      run.add(callAt(m.calls, i));
    }
    while (b < m.bads.length) bad(m.bads[b++]!);
    if (m.done) done = m.done;
    else if (m.bytes !== undefined) {
      readThere = m.bytes;
      if (o.onChunk) {
        const wait = o.onChunk(m.bytes, m.records);
        if (wait) await wait;
      }
    }
    return true;
  };
  const post = (r: ReaderRequest, transfer?: ArrayBuffer[]): void => w.postMessage(r, transfer);
  try {
    for await (const chunk of o.input as AsyncIterable<Buffer | string>) {
      if (typeof chunk === 'string') {
        post({ chunk });
        sent += Buffer.byteLength(chunk);
      } else {
        // A copy of its own, moved rather than cloned (a Buffer may be a view of a larger pooled one).
        const copy = new Uint8Array(chunk);
        post({ chunk: copy }, [copy.buffer]);
        sent += chunk.length;
      }
      while (await take(sent - readThere > READ_AHEAD));
    }
    post({ end: true });
    while (!done) await take(true);
    return done;
  } finally {
    channel.port1.close();
    await w.terminate();
  }
}
