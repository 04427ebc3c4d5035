// The embedded store: one SQLite file in WAL mode, migrations applied at open. Fits a single node handling
// thousands of calls a second; PostgreSQL takes over behind the same ports when several nodes share a log.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
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
import {
  ACCOUNT_UPDATE_COLUMNS,
  accountOfRow,
  accountValue,
  sessionOfRow,
  tokenOfRow,
  usernameKey,
} from '../account-row.js';
import { SqliteAuditReportStore } from './audit-store.js';

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
    migrate(db);
  } catch (err) {
    throw new TollguardError('TG_ERR_STORE', `cannot open the SQLite store ${file}: ${(err as Error).message}`);
  }
  const calls = new SqliteCallLog(db);
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
      calls.flush();
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

const CALL_COLUMNS: ReadonlyArray<[keyof CallRecord, string]> = [
  ['id', 'id'],
  ['tenantId', 'tenant_id'],
  ['direction', 'direction'],
  ['callRef', 'call_ref'],
  ['startedAt', 'started_at'],
  ['answeredAt', 'answered_at'],
  ['endedAt', 'ended_at'],
  ['caller', 'caller'],
  ['called', 'called'],
  ['calledE164', 'called_e164'],
  ['destinationClass', 'destination_class'],
  ['country', 'country'],
  ['sourceAddress', 'source_address'],
  ['userAgent', 'user_agent'],
  ['disposition', 'disposition'],
  ['sipStatus', 'sip_status'],
  ['decision', 'decision'],
  ['action', 'action'],
  ['rules', 'rules'],
  ['endReason', 'end_reason'],
  ['estimatedCost', 'estimated_cost'],
  ['currency', 'currency'],
];

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
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let st = cache.get(sql);
    if (!st) {
      if (cache.size >= 256) cache.clear();
      cache.set(sql, (st = db.prepare(sql)));
    }
    return st;
  };
}

class SqliteCallLog implements CallLog {
  private readonly insert: Database.Statement;
  private readonly byId: Database.Statement;
  private readonly sql: (sql: string) => Database.Statement;
  private pending: Array<{ id: string; patch: CallRecordUpdate; resolve: () => void; reject: (e: Error) => void }> = [];
  constructor(private readonly db: Database.Database) {
    this.sql = statementCache(db);
    const cols = CALL_COLUMNS.map(([, c]) => c);
    this.insert = db.prepare(`INSERT INTO calls (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`);
    this.byId = db.prepare('SELECT * FROM calls WHERE id = ?');
  }

  async open(record: CallRecord): Promise<void> {
    const params: Row = {};
    for (const [key, col] of CALL_COLUMNS) params[col] = toColumn(key, record[key]);
    this.insert.run(params);
  }

  /**
   * Updates (answered, ended, cost…) are written in one transaction per turn of the event loop: a busy firewall
   * writes several per call, and one commit for all of them costs a fraction of one commit each. A crash before the
   * turn ends loses those updates only: the records exist (`open` writes at once) and the next start closes them as
   * `lost-end`. Reads flush first, so they see every update made before them.
   */
  update(id: string, patch: CallRecordUpdate): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ id, patch, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  /** Writes the queued updates now (also before every read and at close). */
  flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      this.db.transaction(() => {
        for (const u of batch) this.write(u.id, u.patch);
      })();
    } catch (err) {
      for (const u of batch) u.reject(err as Error);
      return;
    }
    for (const u of batch) u.resolve();
  }

  private write(id: string, patch: CallRecordUpdate): void {
    const sets: string[] = [];
    const params: Row = { id };
    for (const [key, col] of CALL_COLUMNS) {
      if (!(key in patch)) continue;
      sets.push(`${col} = @${col}`);
      params[col] = toColumn(key, (patch as Record<string, unknown>)[key]);
    }
    if (sets.length === 0) return;
    this.sql(`UPDATE calls SET ${sets.join(', ')} WHERE id = @id`).run(params);
  }

  async get(id: string): Promise<CallRecord | undefined> {
    this.flush();
    const row = this.byId.get(id) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  async search(q: CallQuery): Promise<CallRecord[]> {
    this.flush();
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

  async closeUnfinished(at: number): Promise<number> {
    this.flush();
    const r = this.sql(
      "UPDATE calls SET disposition = 'lost-end', end_reason = 'lost-end', ended_at = ? WHERE disposition IN ('setup', 'answered')",
    ).run(at);
    return r.changes;
  }

  async purge(tenantId: string, before: number): Promise<number> {
    this.flush();
    return this.sql('DELETE FROM calls WHERE tenant_id = ? AND started_at < ?').run(tenantId, before).changes;
  }

  async summarize(q: CallSummaryQuery): Promise<CallSummary> {
    this.flush();
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
