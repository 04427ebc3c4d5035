// Replay's reading thread: the file's bytes in, calls to replay out, in start order. Reading, splitting, checking
// rows, reading legs and putting records in start order took about a third of a replay's time on the thread that
// runs the engine; here they run beside it, on the machine's other core. The very same code as in-thread
// (readCdr → StartOrder → callOfCdr), so the engine gets the same calls in the same order.
import { PassThrough } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import type { TenantPolicy } from '../../engine/policy.js';
import { LegReader } from './legs.js';
import type { ColumnMapping } from './mappings.js';
import { StartOrder } from './order.js';
import { readCdr, type CdrFormat } from './reader.js';
import type { BadRow } from './record.js';
import type { ReplayCall } from './replay.js';
import { callOfCdr, numberingOf } from './call-of-cdr.js';

export interface ReaderData {
  format: CdrFormat;
  mapping?: ColumnMapping;
  timezone: string;
  trunks?: string[];
  /** The tenant's policy: its dial plan tells outside numbers from extensions (legs). */
  policy: TenantPolicy;
  reorderWindowMs: number;
}

/** Main → reader: a chunk of the file, or its end. */
export type ReaderRequest = { chunk: Uint8Array | string } | { end: true };

/**
 * Reader → main, after each chunk it read: the calls that came out of the start order and the bad rows, in file
 * order (`badAt[i]`: how many of `calls` come before `bads[i]`), bytes and records read so far; at the end, `done`.
 */
export type ReaderReply =
  | {
      calls: ReplayCall[];
      bads: BadRow[];
      badAt: number[];
      bytes: number;
      records: number;
      done?: { lines: number; folded: number };
    }
  | { error: string };

const port = parentPort;
if (port) {
  const d = workerData as ReaderData;
  const input = new PassThrough();
  const legs = new LegReader({ numbering: numberingOf(d.policy), ...(d.trunks ? { trunks: d.trunks } : {}) });
  let calls: ReplayCall[] = [];
  let bads: BadRow[] = [];
  let badAt: number[] = [];
  let records = 0;
  let bytes = 0;
  const order = new StartOrder((r) => calls.push(callOfCdr(r, legs)), d.reorderWindowMs);
  const send = (done?: { lines: number; folded: number }): void => {
    port.postMessage({ calls, bads, badAt, bytes, records, ...(done ? { done } : {}) } satisfies ReaderReply);
    calls = [];
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
        badAt.push(calls.length);
        bads.push(b);
      },
      progress: (n) => {
        bytes = n;
        send();
      },
    },
  ).then(
    (read) => {
      order.flush();
      send({ lines: read.lines, folded: order.folded });
    },
    (err: unknown) => port.postMessage({ error: (err as Error).message } satisfies ReaderReply),
  );
}
