// The embedded store: one SQLite file in WAL mode, migrations applied at open. Fits a single node handling
// thousands of calls a second; PostgreSQL takes over behind the same ports when several nodes share a log.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { TollguardError } from '../../errors.js';
import type {
  Account,
  AccountStore,
  AccountUpdate,
  ApiToken,
  Session,
  Ban,
  BanLog,
  AlertLog,
  AlertQuery,
  AlertRecord,
  AlertCost,
  CallLog,
  CallQuery,
  CallRecord,
  CallRecordUpdate,
  CallSummary,
  CallSummaryQuery,
  DigestLog,
  DigestMark,
  DigestPeriod,
  ProfileRow,
  ProfileStore,
  Store,
} from '../ports.js';
import { destinationOfRow, summaryOfGroups, type SummaryGroupRow } from '../call-summary.js';
import { digestMarkOfRow } from '../digest-row.js';
import { foldAlert, newAlertRecord, queryLimit, type NewAlert } from '../alert-fold.js';
import { sqliteMigrations } from './migrations.js';
import { banOfRow } from '../ban-row.js';
import { BoundedCache } from '../../collections/bounded-cache.js';
import {
  ACCOUNT_UPDATE_COLUMNS,
  accountOfRow,
  accountValue,
  sessionOfRow,
  tokenOfRow,
  usernameKey,
} from '../account-row.js';
import { SqliteAuditReportStore } from './audit-store.js';
import {
  CALL_COLUMN_NAMES,
  CallLogWrites,
  errorOf,
  journalName,
  type CallLogOp,
  type OpResult,
} from './call-log-writes.js';
import type { WriterData, WriterReply, WriterRequest } from './call-log-writer.js';

type Row = Record<string, unknown>;

/** Opens (creating if needed) the database at `file` (':memory:' for a throw-away one) and migrates it. */
export function openSqliteStore(file: string): Store {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a power cut may lose the last transactions, a process crash loses nothing.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    // With a writer thread, checkpoints are its own: none runs inside a commit on this thread.
    if (file !== ':memory:') db.pragma('wal_autocheckpoint = 0');
    migrate(db);
  } catch (err) {
    throw new TollguardError('TG_ERR_STORE', `cannot open the SQLite store ${file}: ${(err as Error).message}`);
  }
  const writer = file === ':memory:' ? new InThreadWriter(db) : new WorkerWriter(file);
  const calls = new SqliteCallLog(db, writer);
  return {
    kind: 'sqlite',
    calls,
    alerts: new SqliteAlertLog(db),
    bans: new SqliteBanLog(db),
    accounts: new SqliteAccountStore(db),
    digests: new SqliteDigestLog(db),
    profiles: new SqliteProfileStore(db),
    audits: new SqliteAuditReportStore(db),
    close: async () => {
      await writer.close();
      db.close();
    },
  };
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  const current = row.v ?? 0;
  if (current > sqliteMigrations.length) {
    throw new Error(
      `the database is at schema version ${current}, newer than this Tollguard (${sqliteMigrations.length})`,
    );
  }
  for (let v = current + 1; v <= sqliteMigrations.length; v++) {
    db.transaction(() => {
      db.exec(sqliteMigrations[v - 1] as string);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(v, Date.now());
    })();
  }
}

/** Record keys, in the order of CALL_COLUMN_NAMES. */
const CALL_KEYS: ReadonlyArray<keyof CallRecord> = [
  'id',
  'tenantId',
  'direction',
  'callRef',
  'startedAt',
  'answeredAt',
  'endedAt',
  'caller',
  'called',
  'calledE164',
  'destinationClass',
  'country',
  'sourceAddress',
  'userAgent',
  'disposition',
  'sipStatus',
  'decision',
  'action',
  'rules',
  'endReason',
  'estimatedCost',
  'currency',
];
const CALL_COLUMNS: ReadonlyArray<[keyof CallRecord, string]> = CALL_KEYS.map((k, i) => [k, CALL_COLUMN_NAMES[i]!]);

function toColumn(key: keyof CallRecord, value: unknown): unknown {
  if (value === undefined) return null;
  if (key === 'decision') return JSON.stringify(value);
  // Stored as ",a,b," so one rule is found with LIKE '%,a,%'.
  if (key === 'rules') return (value as string[]).length ? `,${(value as string[]).join(',')},` : null;
  return value;
}

function fromRow(row: Row): CallRecord {
  const out: Record<string, unknown> = {};
  for (const [key, col] of CALL_COLUMNS) {
    const v = row[col];
    if (v === null || v === undefined) continue;
    if (key === 'decision') out[key] = JSON.parse(v as string);
    else if (key === 'rules') out[key] = (v as string).split(',').filter(Boolean);
    else out[key] = v;
  }
  return out as unknown as CallRecord;
}

/**
 * Prepared statements by their SQL: preparing costs more than running, and the call path writes the same few
 * statements thousands of times a second. Bounded, for the search statements whose SQL follows the filters.
 */
function statementCache(db: Database.Database): (sql: string) => Database.Statement {
  const cache = new BoundedCache<string, Database.Statement>(256);
  return (sql) => cache.get(sql) ?? cache.set(sql, db.prepare(sql));
}

class SqliteCallLog implements CallLog {
  private readonly byId: Database.Statement;
  private readonly sql: (sql: string) => Database.Statement;
  /** Reads run on this connection; every write goes through the writer, in order. */
  constructor(
    private readonly db: Database.Database,
    private readonly w: CallLogWriter,
  ) {
    this.sql = statementCache(db);
    this.byId = db.prepare('SELECT * FROM calls WHERE id = ?');
  }

  /**
   * The record is journalled before this returns (the proxy forwards the call right after: a forwarded call is
   * traced even if the process is killed the next moment), and the promise resolves once the writer thread has
   * committed it, in one transaction with whatever else arrived with it.
   */
  async open(record: CallRecord): Promise<void> {
    const values = new Array<unknown>(CALL_KEYS.length);
    for (let i = 0; i < CALL_KEYS.length; i++) values[i] = toColumn(CALL_KEYS[i]!, record[CALL_KEYS[i]!]);
    await this.w.open(values);
  }

  /**
   * Updates (answered, ended, cost…) go the same way, after the record's open, in one transaction with whatever is
   * written at the same time. Reads wait for every write made before them, so they see them.
   */
  async update(id: string, patch: CallRecordUpdate): Promise<void> {
    let mask = 0;
    const values: unknown[] = [];
    for (let i = 0; i < CALL_KEYS.length; i++) {
      const key = CALL_KEYS[i]!;
      if (!(key in patch)) continue;
      mask |= 1 << i;
      values.push(toColumn(key, (patch as Record<string, unknown>)[key]));
    }
    if (mask !== 0) await this.w.submit({ kind: 'update', id, mask, values });
  }

  /** Every write submitted so far is committed (before a read, and at close). */
  flush(): Promise<void> {
    return this.w.barrier();
  }

  async get(id: string): Promise<CallRecord | undefined> {
    await this.flush();
    const row = this.byId.get(id) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  async search(q: CallQuery): Promise<CallRecord[]> {
    await this.flush();
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.tenantIds) {
      if (q.tenantIds.length === 0) return [];
      where.push(`tenant_id IN (${q.tenantIds.map(() => '?').join(', ')})`);
      params.push(...q.tenantIds);
    }
    if (q.number) {
      where.push("(instr(caller, ?) > 0 OR instr(called, ?) > 0 OR instr(coalesce(called_e164, ''), ?) > 0)");
      params.push(q.number, q.number, q.number);
    }
    const add = (clause: string, value: unknown): void => {
      where.push(clause);
      params.push(value);
    };
    if (q.direction) add('direction = ?', q.direction);
    if (q.action) add('action = ?', q.action);
    if (q.disposition) add('disposition = ?', q.disposition);
    if (q.rule) add("instr(rules, ',' || ? || ',') > 0", q.rule);
    if (q.from !== undefined) add('started_at >= ?', q.from);
    if (q.to !== undefined) add('started_at < ?', q.to);
    const sql =
      'SELECT * FROM calls' +
      (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
      ' ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?';
    params.push(queryLimit(q.limit), Math.max(0, q.offset ?? 0));
    return (this.sql(sql).all(...params) as Row[]).map(fromRow);
  }

  closeUnfinished(at: number): Promise<number> {
    return this.w.submit({
      kind: 'run',
      sql: "UPDATE calls SET disposition = 'lost-end', end_reason = 'lost-end', ended_at = ? WHERE disposition IN ('setup', 'answered')",
      params: [at],
    });
  }

  purge(tenantId: string, before: number): Promise<number> {
    return this.w.submit({
      kind: 'run',
      sql: 'DELETE FROM calls WHERE tenant_id = ? AND started_at < ?',
      params: [tenantId, before],
    });
  }

  async summarize(q: CallSummaryQuery): Promise<CallSummary> {
    await this.flush();
    const range = 'tenant_id = ? AND started_at >= ? AND started_at < ?';
    const groups = this.sql(
      `SELECT direction, disposition, action, COUNT(*) AS n, SUM(estimated_cost) AS cost FROM calls
         WHERE ${range} GROUP BY direction, disposition, action`,
    ).all(q.tenantId, q.from, q.to) as SummaryGroupRow[];
    const list = (key: string) =>
      (
        this.sql(
          `SELECT ${key} AS k, COUNT(*) AS n, COALESCE(SUM(estimated_cost), 0) AS cost FROM calls
             WHERE ${range} AND direction = 'outbound' AND ${key} IS NOT NULL
             GROUP BY k ORDER BY cost DESC, n DESC, k LIMIT ?`,
        ).all(q.tenantId, q.from, q.to, q.top) as Array<{ k: string; n: number; cost: number }>
      ).map(destinationOfRow);
    return summaryOfGroups(groups, {
      countries: list('country'),
      classes: list('destination_class'),
      numbers: list('coalesce(called_e164, called)'),
    });
  }
}

/** Where the call log's writes go: a thread of their own for a file, this thread for a database in memory. */
interface CallLogWriter {
  /**
   * Queues a new record; it is safe from a crash of this process when this returns (journalled or written), and the
   * promise resolves once it is committed.
   */
  open(values: unknown[]): Promise<number>;
  /** Queues one write; resolves with the rows it changed once it is committed. */
  submit(op: CallLogOp): Promise<number>;
  /** Resolves once every write submitted before is committed (or failed). */
  barrier(): Promise<void>;
  close(): Promise<void>;
}

/** Records per journal segment: a segment is deleted as a whole once committed. */
const JOURNAL_SEGMENT = 2048;

/** A waiting caller: resolved when the writer has done operation `seq`. */
interface Waiter {
  seq: number;
  resolve: (changes: number) => void;
  reject: (err: Error) => void;
}

function resultOf(w: Waiter, r: OpResult | undefined): void {
  if (r && 'error' in r) w.reject(errorOf(r));
  else w.resolve(r ? r.changes : 1);
}

/**
 * The writer thread's handle on this side. Operations are numbered and posted in order, those of one turn of the
 * event loop in one message; the thread starts at the first write, so a command that only reads never
 * starts it, and it keeps the process alive only while writes are pending.
 */
class WorkerWriter implements CallLogWriter {
  private worker: Worker | undefined;
  /** The journal segment being appended to, and how many records it holds. */
  private journal: { fd: number; path: string; records: number } | undefined;
  private segment = 0;
  private seq = 0;
  private outbox: CallLogOp[] = [];
  /** Waiting callers in order; those before `head` are answered, their slots emptied (see `done`). */
  private waiters: Array<Waiter | undefined> = [];
  private head = 0;
  private closed: Promise<void> | undefined;

  constructor(private readonly file: string) {}

  submit(op: CallLogOp): Promise<number> {
    if (this.closed) return Promise.reject(new TollguardError('TG_ERR_STORE', 'the call log is closed'));
    return new Promise((resolve, reject) => {
      const seq = ++this.seq;
      if (this.head === this.waiters.length) this.start().ref();
      this.waiters.push({ seq, resolve, reject });
      this.outbox.push(op);
      if (this.outbox.length === 1) setImmediate(this.postSoon);
    });
  }

  open(values: unknown[]): Promise<number> {
    const json = JSON.stringify(values);
    if (!this.closed) this.journalled(json);
    return this.submit({ kind: 'open-json', json });
  }

  /** Appends the record to the journal, one write; a full segment is handed to the writer to delete after it. */
  private journalled(json: string): void {
    try {
      let j = this.journal;
      if (!j) {
        const p = journalName(this.file, process.pid, ++this.segment);
        j = this.journal = { fd: openSync(p, 'a'), path: p, records: 0 };
      }
      writeSync(j.fd, json + '\n');
      if (++j.records >= JOURNAL_SEGMENT) this.retire();
    } catch {
      // No journal (a full disk): the record is only as safe as its commit, a moment later.
      this.journal = undefined;
    }
  }

  /** Closes the current segment; the writer deletes it once every record before it is committed. */
  private retire(): void {
    const j = this.journal;
    if (!j) return;
    this.journal = undefined;
    closeSync(j.fd);
    this.post();
    this.start().postMessage({ retire: j.path } satisfies WriterRequest);
  }

  barrier(): Promise<void> {
    if (this.head === this.waiters.length) return Promise.resolve();
    this.post();
    const seq = this.seq;
    return new Promise((resolve) => {
      this.waiters.push({ seq, resolve: () => resolve(), reject: () => resolve() });
    });
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      const w = this.worker;
      if (!w) return;
      this.retire();
      this.post();
      w.ref();
      await new Promise<void>((resolve) => {
        w.once('exit', () => resolve());
        w.postMessage({ close: true } satisfies WriterRequest);
      });
      this.fail(new TollguardError('TG_ERR_STORE', 'the call log writer stopped'));
    })();
    return this.closed;
  }

  /**
   * Posts what this turn of the event loop submitted, in one message: a message costs more than the records in it
   * (a copy and a wake-up of the writer), and the record is safe in the journal meanwhile.
   */
  private readonly postSoon = (): void => this.post();

  private post(): void {
    if (this.outbox.length === 0 || !this.worker) return;
    const ops = this.outbox;
    this.outbox = [];
    this.worker.postMessage({ first: this.seq - ops.length + 1, ops } satisfies WriterRequest);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // Compiled, the writer is call-log-writer.js next to this file; run from TypeScript sources, the .ts one.
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const w = new Worker(new URL(`./call-log-writer${ext}`, import.meta.url), {
      workerData: { file: this.file, checkpointMs: 1000 } satisfies WriterData,
      execArgv: loaderArgs(process.execArgv),
    });
    w.on('message', (m: WriterReply) => {
      if ('upTo' in m) this.done(m.upTo, m.results);
    });
    w.on('error', (err) => this.fail(new TollguardError('TG_ERR_STORE', `the call log writer failed: ${err.message}`)));
    w.on('exit', () => {
      if (this.worker === w) this.worker = undefined;
      this.fail(new TollguardError('TG_ERR_STORE', 'the call log writer stopped'));
    });
    this.worker = w;
    return w;
  }

  private done(upTo: number, results: Array<[number, OpResult]>): void {
    const special = results.length > 0 ? new Map(results) : undefined;
    const ws = this.waiters;
    while (this.head < ws.length && ws[this.head]!.seq <= upTo) {
      const w = ws[this.head]!;
      // Emptied at once: under steady load the array is compacted only every 1,024 answers, and an answered
      // waiter (its promise's functions, and through them what the caller awaits) would live that long.
      ws[this.head++] = undefined;
      resultOf(w, special?.get(w.seq));
    }
    this.compact();
  }

  /** Every write still waiting fails (the thread died or stopped). */
  private fail(err: Error): void {
    const ws = this.waiters;
    while (this.head < ws.length) {
      const w = ws[this.head]!;
      ws[this.head++] = undefined;
      w.reject(err);
    }
    this.outbox = [];
    this.compact();
  }

  private compact(): void {
    if (this.head === this.waiters.length) {
      this.waiters = [];
      this.head = 0;
      this.worker?.unref();
    } else if (this.head > 1024) {
      this.waiters = this.waiters.slice(this.head);
      this.head = 0;
    }
  }
}

/**
 * The process's options a thread takes: only those that load code (a TypeScript loader when run from sources). A
 * thread refuses the others it would inherit: per-process V8 options (`--max-semi-space-size`), and those of a main
 * script given as text (`--input-type`, `-e`).
 */
export function loaderArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (/^--(import|loader|experimental-loader|require)=/.test(a)) out.push(a);
    else if (/^(--(import|loader|experimental-loader|require)|-r)$/.test(a) && i + 1 < argv.length) {
      out.push(a, argv[++i]!);
    }
  }
  return out;
}

/** A database in memory has one connection: its writes run here, batched per turn of the event loop. */
class InThreadWriter implements CallLogWriter {
  open(values: unknown[]): Promise<number> {
    return this.submit({ kind: 'open', values });
  }

  private readonly writes: CallLogWrites;
  private ops: CallLogOp[] = [];
  private waiters: Waiter[] = [];

  constructor(db: Database.Database) {
    this.writes = new CallLogWrites(db);
  }

  submit(op: CallLogOp): Promise<number> {
    return new Promise((resolve, reject) => {
      this.ops.push(op);
      this.waiters.push({ seq: 0, resolve, reject });
      if (this.ops.length === 1) setImmediate(() => this.flush());
    });
  }

  async barrier(): Promise<void> {
    this.flush();
  }

  async close(): Promise<void> {
    this.flush();
  }

  private flush(): void {
    if (this.ops.length === 0) return;
    const ops = this.ops;
    const waiters = this.waiters;
    this.ops = [];
    this.waiters = [];
    const out = this.writes.apply(ops);
    for (let i = 0; i < waiters.length; i++) resultOf(waiters[i]!, out[i]);
  }
}

class SqliteDigestLog implements DigestLog {
  constructor(private readonly db: Database.Database) {}

  async claim(tenantId: string, period: DigestPeriod, start: string, at: number, staleBefore: number) {
    const r = this.db
      .prepare(
        `INSERT INTO digests (tenant_id, period, start, claimed_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (tenant_id, period, start) DO UPDATE SET claimed_at = excluded.claimed_at
           WHERE digests.sent_at IS NULL AND digests.claimed_at < ?`,
      )
      .run(tenantId, period, start, at, staleBefore);
    return r.changes > 0;
  }

  async sent(tenantId: string, period: DigestPeriod, start: string, at: number): Promise<void> {
    this.db
      .prepare('UPDATE digests SET sent_at = ? WHERE tenant_id = ? AND period = ? AND start = ?')
      .run(at, tenantId, period, start);
  }

  async last(tenantId: string, period: DigestPeriod): Promise<DigestMark | undefined> {
    const r = this.db
      .prepare('SELECT * FROM digests WHERE tenant_id = ? AND period = ? ORDER BY start DESC LIMIT 1')
      .get(tenantId, period) as Row | undefined;
    return r && digestMarkOfRow(r);
  }
}

function alertFromRow(r: Row): AlertRecord {
  const a: AlertRecord = {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    incidentKey: r.incident_key as string,
    severity: r.severity as AlertRecord['severity'],
    title: r.title as string,
    body: r.body as string,
    firstAt: r.first_at as number,
    lastAt: r.last_at as number,
    count: r.count as number,
    callIds: JSON.parse(r.call_ids as string) as string[],
  };
  if (r.cost !== null && r.cost !== undefined) a.cost = JSON.parse(r.cost as string) as AlertCost;
  if (r.acknowledged_at !== null) a.acknowledgedAt = r.acknowledged_at as number;
  if (r.acknowledged_by !== null) a.acknowledgedBy = r.acknowledged_by as string;
  return a;
}

function costColumn(a: AlertRecord): string | null {
  return a.cost ? JSON.stringify(a.cost) : null;
}

class SqliteAlertLog implements AlertLog {
  private readonly sql: (sql: string) => Database.Statement;
  constructor(private readonly db: Database.Database) {
    this.sql = statementCache(db);
  }

  async raise(next: NewAlert): Promise<AlertRecord> {
    return this.db.transaction((): AlertRecord => {
      const open = this.sql(
        'SELECT * FROM alerts WHERE tenant_id = ? AND incident_key = ? AND acknowledged_at IS NULL',
      ).get(next.tenantId, next.incidentKey) as Row | undefined;
      if (open) {
        const a = foldAlert(alertFromRow(open), next);
        this.sql(
          'UPDATE alerts SET severity = ?, title = ?, body = ?, last_at = ?, count = ?, call_ids = ?, cost = ? WHERE id = ?',
        ).run(a.severity, a.title, a.body, a.lastAt, a.count, JSON.stringify(a.callIds), costColumn(a), a.id);
        return a;
      }
      const a = newAlertRecord(randomUUID(), next);
      this.sql(
        `INSERT INTO alerts (id, tenant_id, incident_key, severity, title, body, first_at, last_at, count, call_ids, cost)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        a.id,
        a.tenantId,
        a.incidentKey,
        a.severity,
        a.title,
        a.body,
        a.firstAt,
        a.lastAt,
        a.count,
        JSON.stringify(a.callIds),
        costColumn(a),
      );
      return a;
    })();
  }

  async acknowledge(id: string, by: string, at: number): Promise<boolean> {
    const r = this.sql(
      'UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL',
    ).run(at, by, id);
    return r.changes > 0;
  }

  async list(q: AlertQuery): Promise<AlertRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.tenantIds) {
      if (q.tenantIds.length === 0) return [];
      where.push(`tenant_id IN (${q.tenantIds.map(() => '?').join(', ')})`);
      params.push(...q.tenantIds);
    }
    if (q.open !== undefined) where.push(q.open ? 'acknowledged_at IS NULL' : 'acknowledged_at IS NOT NULL');
    const sql = `SELECT * FROM alerts${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY last_at DESC LIMIT ?`;
    params.push(queryLimit(q.limit));
    return (this.sql(sql).all(...params) as Row[]).map(alertFromRow);
  }
}

class SqliteProfileStore implements ProfileStore {
  constructor(private readonly db: Database.Database) {}

  async load(tenantId: string): Promise<ProfileRow[]> {
    const rows = this.db.prepare('SELECT * FROM profiles WHERE tenant_id = ? ORDER BY scope').all(tenantId) as Row[];
    return rows.map((r) => ({
      tenantId: r.tenant_id as string,
      scope: r.scope as string,
      updatedAt: r.updated_at as number,
      data: JSON.parse(r.data as string) as unknown,
    }));
  }

  async save(rows: ProfileRow[]): Promise<void> {
    const put = this.db.prepare(
      `INSERT INTO profiles (tenant_id, scope, updated_at, data) VALUES (?, ?, ?, ?)
       ON CONFLICT (tenant_id, scope) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data`,
    );
    this.db.transaction(() => {
      for (const r of rows) put.run(r.tenantId, r.scope, r.updatedAt, JSON.stringify(r.data));
    })();
  }

  async remove(tenantId: string): Promise<number> {
    return this.db.prepare('DELETE FROM profiles WHERE tenant_id = ?').run(tenantId).changes;
  }
}

class SqliteBanLog implements BanLog {
  constructor(private readonly db: Database.Database) {}

  async list(): Promise<Ban[]> {
    const rows = this.db.prepare('SELECT * FROM bans ORDER BY since').all() as Row[];
    return rows.map(banOfRow);
  }

  async put(b: Ban): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO bans (address, signal, reason, since, until, offences, set_by) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (address) DO UPDATE SET signal = excluded.signal, reason = excluded.reason,
           since = excluded.since, until = excluded.until, offences = excluded.offences, set_by = excluded.set_by`,
      )
      .run(b.address, b.signal, b.reason, b.since, b.until, b.offences, b.by ?? null);
  }

  async remove(address: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM bans WHERE address = ?').run(address).changes > 0;
  }

  async purge(before: number): Promise<number> {
    return this.db.prepare('DELETE FROM bans WHERE until < ?').run(before).changes;
  }
}

class SqliteAccountStore implements AccountStore {
  constructor(private readonly db: Database.Database) {}

  async create(a: Account): Promise<void> {
    try {
      this.db
        .prepare(
          `INSERT INTO accounts (id, username, username_key, role, tenants, password_hash, created_at, failed_logins,
             locked_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          a.id,
          a.username,
          usernameKey(a.username),
          a.role,
          JSON.stringify(a.tenants),
          a.passwordHash,
          a.createdAt,
          a.failedLogins,
          a.lockedUntil ?? null,
        );
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new TollguardError('TG_ERR_CONFLICT', `an account ${a.username} exists already`);
      }
      throw err;
    }
  }

  async get(id: string): Promise<Account | undefined> {
    const r = this.db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as Row | undefined;
    return r && accountOfRow(r);
  }

  async byUsername(username: string): Promise<Account | undefined> {
    const r = this.db.prepare('SELECT * FROM accounts WHERE username_key = ?').get(usernameKey(username)) as
      Row | undefined;
    return r && accountOfRow(r);
  }

  async list(): Promise<Account[]> {
    return (this.db.prepare('SELECT * FROM accounts ORDER BY username_key').all() as Row[]).map(accountOfRow);
  }

  async update(id: string, patch: AccountUpdate): Promise<boolean> {
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [key, column] of ACCOUNT_UPDATE_COLUMNS) {
      if (!(key in patch)) continue;
      sets.push(`${column} = ?`);
      values.push(accountValue(key, patch[key as keyof AccountUpdate]));
    }
    if (sets.length === 0) return (await this.get(id)) !== undefined;
    return this.db.prepare(`UPDATE accounts SET ${sets.join(', ')} WHERE id = ?`).run(...values, id).changes > 0;
  }

  async remove(id: string): Promise<boolean> {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM sessions WHERE account_id = ?').run(id);
      this.db.prepare('DELETE FROM api_tokens WHERE account_id = ?').run(id);
      return this.db.prepare('DELETE FROM accounts WHERE id = ?').run(id).changes > 0;
    })();
  }

  async putSession(s: Session): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO sessions (id, account_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at`,
      )
      .run(s.id, s.accountId, s.csrfToken, s.createdAt, s.expiresAt);
  }

  async session(id: string): Promise<Session | undefined> {
    const r = this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as Row | undefined;
    return r && sessionOfRow(r);
  }

  async removeSession(id: string): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
  }

  async removeSessionsOf(accountId: string): Promise<number> {
    return this.db.prepare('DELETE FROM sessions WHERE account_id = ?').run(accountId).changes;
  }

  async purgeSessions(before: number): Promise<number> {
    return this.db.prepare('DELETE FROM sessions WHERE expires_at < ?').run(before).changes;
  }

  async putToken(t: ApiToken): Promise<void> {
    this.db
      .prepare('INSERT INTO api_tokens (id, account_id, name, hash, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(t.id, t.accountId, t.name, t.hash, t.createdAt);
  }

  async tokenByHash(hash: string): Promise<ApiToken | undefined> {
    const r = this.db.prepare('SELECT * FROM api_tokens WHERE hash = ?').get(hash) as Row | undefined;
    return r && tokenOfRow(r);
  }

  async tokens(accountId?: string): Promise<ApiToken[]> {
    const rows = (
      accountId === undefined
        ? this.db.prepare('SELECT * FROM api_tokens ORDER BY created_at').all()
        : this.db.prepare('SELECT * FROM api_tokens WHERE account_id = ? ORDER BY created_at').all(accountId)
    ) as Row[];
    return rows.map(tokenOfRow);
  }

  async removeToken(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM api_tokens WHERE id = ?').run(id).changes > 0;
  }
}
