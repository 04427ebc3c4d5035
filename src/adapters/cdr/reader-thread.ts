// Replay's reading thread: the file's bytes in, calls to replay out, in start order. Reading, splitting, checking
// rows, reading legs and putting records in start order took about a third of a replay's time on the thread that
// runs the engine; here they run beside it, on the machine's other core. The very same code as in-thread (readCdr →
// StartOrder → LegReader; callAt builds the call callOfCdr builds), so the engine gets the same calls in the same
// order.
import { PassThrough } from 'node:stream';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { TenantPolicy } from '../../engine/policy.js';
import { LegReader } from './legs.js';
import type { ColumnMapping } from './mappings.js';
import { StartOrder } from './order.js';
import { readCdr, type CdrFormat } from './reader.js';
import type { BadRow } from './record.js';
import { ColumnWriter, type CallColumns } from './call-columns.js';
import { tenantNumbering } from '../../numbering/index.js';

export interface ReaderData {
  format: CdrFormat;
  mapping?: ColumnMapping;
  timezone: string;
  trunks?: string[];
  /** The tenant's policy: its dial plan tells outside numbers from extensions (legs). */
  policy: TenantPolicy;
  reorderWindowMs: number;
  /** Where the calls go: the main thread takes them from it one batch at a time, when it is ready for them. */
  calls: MessagePort;
}

/** Main → reader: a chunk of the file, or its end. */
export type ReaderRequest = { chunk: Uint8Array | string } | { end: true };

/**
 * Reader → main, on `calls`: a batch of calls that came out of the start order and the bad rows, in file order
 * (`badAt[i]`: how many of `calls` come before `bads[i]`), and the records read so far; `bytes` (read so far) on the
 * batch that ends a chunk; `done` on the last.
 */
export interface ReaderBatch {
  calls: CallColumns;
  bads: BadRow[];
  badAt: number[];
  records: number;
  bytes?: number;
  done?: { lines: number; folded: number };
}

/** Reader → main, on the thread's own port: a batch is waiting (`ready`), or reading failed. */
export type ReaderNotice = { ready: true } | { error: string };

/**
 * Calls per batch: small, so the main thread holds few calls not yet replayed (a batch per 1 MB chunk, about 4,000
 * calls, outlived young-generation collections and was copied and promoted).
 */
const BATCH = 256;

const port = parentPort;
if (port) {
  const d = workerData as ReaderData;
  const input = new PassThrough();
  const legs = new LegReader({ numbering: tenantNumbering(d.policy), ...(d.trunks ? { trunks: d.trunks } : {}) });
  const calls = new ColumnWriter(BATCH);
  let bads: BadRow[] = [];
  let badAt: number[] = [];
  let records = 0;
  const order = new StartOrder((r) => {
    calls.push(r, legs.read(r));
    if (calls.count >= BATCH) send();
  }, d.reorderWindowMs);
  const send = (bytes?: number, done?: { lines: number; folded: number }): void => {
    const b: ReaderBatch = { calls: calls.take(), bads, badAt, records };
    if (bytes !== undefined) b.bytes = bytes;
    if (done) b.done = done;
    d.calls.postMessage(b, [b.calls.nums.buffer as ArrayBuffer]);
    port.postMessage({ ready: true } satisfies ReaderNotice);
    bads = [];
    badAt = [];
  };
  port.on('message', (m: ReaderRequest) => {
    if ('chunk' in m) input.write(m.chunk);
    else input.end();
  });
  readCdr(
    input,
    { format: d.format, ...(d.mapping ? { mapping: d.mapping } : {}), timezone: d.timezone },
    {
      record: (r) => {
        records++;
        order.push(r);
      },
      bad: (b) => {
        badAt.push(calls.count);
        bads.push(b);
      },
      progress: (bytes) => send(bytes),
    },
  ).then(
    (read) => {
      order.flush();
      send(undefined, { lines: read.lines, folded: order.folded });
    },
    (err: unknown) => port.postMessage({ error: (err as Error).message } satisfies ReaderNotice),
  );
}
