// The SQLite call log's writer thread: the one connection that writes call records, off the event loop that relays
// SIP. Operations arrive in order, numbered; those that arrive together are written in one transaction, then
// acknowledged up to the last one written. The WAL is checkpointed here too, after the acknowledgement and never
// during a commit, so neither the SIP thread nor a waiting record pays for it.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, unlinkSync } from 'node:fs';
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
  runWhenCpuIsFree();
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

/**
 * Puts this thread in Linux's idle scheduling class (SCHED_IDLE): it runs on any CPU nothing else wants, and gives
 * way at once when the SIP thread wakes. At its normal priority it took a CPU from the SIP thread when both woke
 * together, and those waits stretched the call setup tail. A new record is journalled before it reaches this
 * thread, so one written late is not lost; on a machine with no CPU to spare the log falls behind, and catches up
 * when load drops. Node has no call for it, hence util-linux's `chrt` (in every Debian and Ubuntu); where that is
 * missing or refused, the thread keeps its priority.
 */
function runWhenCpuIsFree(): void {
  if (process.platform !== 'linux') return;
  let tid: string;
  try {
    tid = path.basename(readlinkSync('/proc/thread-self'));
  } catch {
    return;
  }
  execFile('chrt', ['--idle', '--pid', '0', tid], { timeout: 5000 }, () => {
    // Best effort: see above.
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
