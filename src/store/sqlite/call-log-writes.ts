// The call log's writes, as one ordered list of small operations: what the SQLite call log posts to its writer thread
// (or, for a database in memory, runs on its own thread). Kept apart so both sides run exactly the same statements.
import path from 'node:path';
import type Database from 'better-sqlite3';
import { BoundedCache } from '../../collections/bounded-cache.js';

/** Columns of `calls`, in the order of an `open`'s values. */
export const CALL_COLUMN_NAMES = [
  'id',
  'tenant_id',
  'direction',
  'call_ref',
  'started_at',
  'answered_at',
  'ended_at',
  'caller',
  'called',
  'called_e164',
  'destination_class',
  'country',
  'source_address',
  'user_agent',
  'disposition',
  'sip_status',
  'decision',
  'action',
  'rules',
  'end_reason',
  'estimated_cost',
  'currency',
] as const;

/**
 * One write: a new record (its column values in CALL_COLUMN_NAMES order); an update of some columns of one record
 * (`mask` has bit i set for column i, `values` in that order); or a statement whose changed-row count is wanted.
 */
export type CallLogOp =
  | { kind: 'open'; values: unknown[] }
  // The same, as the JSON line the journal holds: a string crosses to the writer thread as one copy, where an array
  // of values is serialized and rebuilt field by field on the SIP thread's time.
  | { kind: 'open-json'; json: string }
  | { kind: 'update'; id: string; mask: number; values: unknown[] }
  | { kind: 'run'; sql: string; params: unknown[] };

/** What one operation came to: the rows it changed, or why it failed. */
export type OpResult = { changes: number } | { error: string; code?: string };

/**
 * Runs operations on the writer connection in order, in one transaction: one commit for many records costs a fraction
 * of one commit each. An operation that fails (a record opened twice) fails alone; its statement is rolled back and
 * the others commit. A failed commit fails them all.
 */
export class CallLogWrites {
  private readonly insert: Database.Statement;
  private readonly updates = new Map<number, Database.Statement>();
  private readonly statements = new BoundedCache<string, Database.Statement>(64);
  private readonly batch: (ops: CallLogOp[], out: OpResult[]) => void;

  constructor(private readonly db: Database.Database) {
    const cols = CALL_COLUMN_NAMES;
    this.insert = db.prepare(`INSERT INTO calls (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
    this.batch = db.transaction((ops: CallLogOp[], out: OpResult[]) => {
      for (const op of ops) {
        try {
          out.push({ changes: this.one(op) });
        } catch (err) {
          const e = err as { message: string; code?: string };
          out.push(e.code === undefined ? { error: e.message } : { error: e.message, code: e.code });
        }
      }
    });
  }

  /** Runs `ops` in one transaction; one result per operation, in order. */
  apply(ops: CallLogOp[]): OpResult[] {
    const out: OpResult[] = [];
    try {
      this.batch(ops, out);
    } catch (err) {
      const e = err as { message: string; code?: string };
      return ops.map(() => (e.code === undefined ? { error: e.message } : { error: e.message, code: e.code }));
    }
    return out;
  }

  private one(op: CallLogOp): number {
    if (op.kind === 'open') return this.insert.run(op.values).changes;
    if (op.kind === 'open-json') return this.insert.run(JSON.parse(op.json) as unknown[]).changes;
    if (op.kind === 'update') {
      if (op.mask === 0) return 0;
      return this.updateFor(op.mask).run(...op.values, op.id).changes;
    }
    const st = this.statements.get(op.sql) ?? this.statements.set(op.sql, this.db.prepare(op.sql));
    return st.run(...op.params).changes;
  }

  /** The UPDATE for one set of columns, prepared once: a call's few updates (answered, ended, cost) repeat. */
  private updateFor(mask: number): Database.Statement {
    let st = this.updates.get(mask);
    if (!st) {
      const sets: string[] = [];
      for (let i = 0; i < CALL_COLUMN_NAMES.length; i++) if (mask & (1 << i)) sets.push(`${CALL_COLUMN_NAMES[i]} = ?`);
      st = this.db.prepare(`UPDATE calls SET ${sets.join(', ')} WHERE id = ?`);
      if (this.updates.size < 256) this.updates.set(mask, st);
    }
    return st;
  }
}

/** Rebuilds the error an operation failed with, its SQLite code kept (SQLITE_CONSTRAINT_PRIMARYKEY…). */
export function errorOf(r: Extract<OpResult, { error: string }>): Error {
  const e = new Error(r.error) as Error & { code?: string };
  if (r.code !== undefined) e.code = r.code;
  return e;
}

/**
 * The journal of records opened and not yet known committed: a file per process and segment next to the database,
 * `calls.db-open-<pid>-<n>.jsonl`, one JSON line of column values per record, appended with one write each. A
 * write to a file survives the process being killed (as SQLite's WAL does with synchronous = NORMAL), so a record is
 * safe as soon as `open` returns, without waiting for the writer thread. A segment is deleted once the writer has
 * committed everything in it; what a dead process left is written into the database by the next writer.
 */
export function journalName(file: string, pid: number, n: number): string {
  return `${file}-open-${pid}-${n}.jsonl`;
}

const JOURNAL = /-open-(\d+)-(\d+)\.jsonl$/;

/** Journal segments of `file` left by processes no longer running, oldest first. */
export function orphanJournals(file: string, list: string[], alive: (pid: number) => boolean): string[] {
  const base = path.basename(file);
  const found: Array<{ name: string; pid: number; n: number }> = [];
  for (const name of list) {
    if (!name.startsWith(`${base}-open-`)) continue;
    const m = JOURNAL.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (alive(pid)) continue;
    found.push({ name, pid, n: Number(m[2]) });
  }
  return found.sort((a, b) => a.pid - b.pid || a.n - b.n).map((f) => f.name);
}

/**
 * Writes a journal's records into the database, skipping those already there; returns how many were missing. A line
 * cut short by the kill is skipped (its record was not yet journalled when the process died).
 */
export function replayJournal(db: Database.Database, text: string): number {
  const cols = CALL_COLUMN_NAMES;
  const put = db.prepare(`INSERT OR IGNORE INTO calls (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
  let added = 0;
  db.transaction(() => {
    for (const line of text.split('\n')) {
      if (!line) continue;
      let values: unknown;
      try {
        values = JSON.parse(line);
      } catch {
        continue;
      }
      if (!Array.isArray(values) || values.length !== cols.length) continue;
      added += put.run(values).changes;
    }
  })();
  return added;
}
