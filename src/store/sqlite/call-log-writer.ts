// The SQLite call log's writer thread: the one connection that writes call records, off the event loop that relays
// SIP. Operations arrive in order, numbered; those that arrive together are written in one transaction, then
// acknowledged up to the last one written. The WAL is checkpointed here too, after the acknowledgement and never
// during a commit, so neither the SIP thread nor a waiting record pays for it.
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { CallLogWrites, orphanJournals, replayJournal, type CallLogOp, type OpResult } from './call-log-writes.js';

/**
 * Main → writer: operations numbered from `first`; a journal segment to delete once what came before is committed;
 * the end.
 */
export type WriterRequest = { first: number; ops: CallLogOp[] } | { retire: string } | { close: true };
/** Writer → main: every operation up to `upTo` is done; `results` holds those with something to say. */
export type WriterReply = { upTo: number; results: Array<[number, OpResult]> } | { closed: true };

export interface WriterData {
  file: string;
  /** A PASSIVE checkpoint runs this often (ms) while records are written. */
  checkpointMs: number;
}

const port = parentPort;
if (port) {
  const { file, checkpointMs } = workerData as WriterData;
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // Checkpoints are this thread's own, on a timer (below), not inside a commit.
  db.pragma('wal_autocheckpoint = 0');
  // Records a killed process journalled but may not have committed: in before anything else is written.
  const dir = path.dirname(path.resolve(file));
  for (const name of orphanJournals(path.resolve(file), readdirSync(dir), alive)) {
    const p = path.join(dir, name);
    replayJournal(db, readFileSync(p, 'utf8'));
    unlinkSync(p);
  }
  const writes = new CallLogWrites(db);
  let queue: CallLogOp[] = [];
  let last = 0;
  let written = false;
  let closing = false;

  const flush = (): void => {
    if (queue.length === 0) return;
    const ops = queue;
    queue = [];
    const first = last - ops.length + 1;
    const out = writes.apply(ops);
    const results: Array<[number, OpResult]> = [];
    for (let i = 0; i < out.length; i++) {
      const r = out[i]!;
      if ('error' in r || ops[i]!.kind === 'run') results.push([first + i, r]);
    }
    written = true;
    port.postMessage({ upTo: last, results } satisfies WriterReply);
  };

  const checkpoint = setInterval(() => {
    if (!written) return;
    written = false;
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or failed: the next one catches up; the WAL only grows meanwhile.
    }
  }, checkpointMs);

  port.on('message', (m: WriterRequest) => {
    if ('close' in m) {
      closing = true;
      flush();
      clearInterval(checkpoint);
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
      } finally {
        db.close();
      }
      port.postMessage({ closed: true } satisfies WriterReply);
      port.close();
      return;
    }
    if (closing) return;
    if ('retire' in m) {
      flush();
      try {
        unlinkSync(m.retire);
      } catch {
        // Already gone.
      }
      return;
    }
    for (const op of m.ops) queue.push(op);
    last = m.first + m.ops.length - 1;
    // Whatever else is already waiting in the port arrives before this runs, and goes into the same transaction.
    if (queue.length === m.ops.length) setImmediate(flush);
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
