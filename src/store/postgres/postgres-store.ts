// The PostgreSQL back end: the call log shared by several Tollguard nodes, behind the same ports as SQLite.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
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
import { postgresMigrations } from './migrations.js';
import { banOfRow } from '../ban-row.js';
import {
  ACCOUNT_UPDATE_COLUMNS,
  accountOfRow,
  accountValue,
  sessionOfRow,
  tokenOfRow,
  usernameKey,
} from '../account-row.js';
import { PgAuditReportStore } from './audit-store.js';

type Row = Record<string, unknown>;

// BIGINT columns hold ms timestamps, well inside Number's exact range: read them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));

/** Connects with a `postgres://` URL, migrates, and returns the store. */
export async function openPostgresStore(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end().catch(() => {});
    const safe = url.replace(/\/\/[^@/]*@/, '//***@');
    throw new TollguardError('TG_ERR_STORE', `cannot open the PostgreSQL store ${safe}: ${(err as Error).message}`);
  }
  return {
    kind: 'postgres',
    calls: new PgCallLog(pool),
    alerts: new PgAlertLog(pool),
    bans: new PgBanLog(pool),
    accounts: new PgAccountStore(pool),
    digests: new PgDigestLog(pool),
    profiles: new PgProfileStore(pool),
    audits: new PgAuditReportStore(pool),
    close: () => pool.end(),
  };
}

async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    // One node migrates at a time; the others wait on the lock, then find nothing to do.
    await client.query('SELECT pg_advisory_lock(7466910)');
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)',
    );
    const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
    const current = rows[0]?.v ?? 0;
    if (current > postgresMigrations.length) {
      throw new Error(
        `the database is at schema version ${current}, newer than this Tollguard (${postgresMigrations.length})`,
      );
    }
    for (let v = current + 1; v <= postgresMigrations.length; v++) {
      await client.query('BEGIN');
      try {
        await client.query(postgresMigrations[v - 1] as string);
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [v, Date.now()]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(7466910)').catch(() => {});
    client.release();
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
  return value;
}

function fromRow(row: Row): CallRecord {
  const out: Record<string, unknown> = {};
  for (const [key, col] of CALL_COLUMNS) {
    const v = row[col];
    if (v !== null && v !== undefined) out[key] = v;
  }
  return out as unknown as CallRecord;
}

class PgCallLog implements CallLog {
  constructor(private readonly pool: pg.Pool) {}

  async open(record: CallRecord): Promise<void> {
    const cols = CALL_COLUMNS.map(([, c]) => c);
    const values = CALL_COLUMNS.map(([k]) => toColumn(k, record[k]));
    await this.pool.query(
      `INSERT INTO calls (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
      values,
    );
  }

  async update(id: string, patch: CallRecordUpdate): Promise<void> {
    const sets: string[] = [];
    const values: unknown[] = [id];
    for (const [key, col] of CALL_COLUMNS) {
      if (!(key in patch)) continue;
      values.push(toColumn(key, (patch as Record<string, unknown>)[key]));
      sets.push(`${col} = $${values.length}`);
    }
    if (sets.length === 0) return;
    await this.pool.query(`UPDATE calls SET ${sets.join(', ')} WHERE id = $1`, values);
  }

  async get(id: string): Promise<CallRecord | undefined> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM calls WHERE id = $1', [id]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async search(q: CallQuery): Promise<CallRecord[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (clause: (p: string) => string, value: unknown): void => {
      values.push(value);
      where.push(clause(`$${values.length}`));
    };
    if (q.tenantIds) {
      if (q.tenantIds.length === 0) return [];
      add((p) => `tenant_id = ANY(${p})`, q.tenantIds);
    }
    if (q.number)
      add(
        (p) => `(strpos(caller, ${p}) > 0 OR strpos(called, ${p}) > 0 OR strpos(coalesce(called_e164, ''), ${p}) > 0)`,
        q.number,
      );
    if (q.direction) add((p) => `direction = ${p}`, q.direction);
    if (q.action) add((p) => `action = ${p}`, q.action);
    if (q.disposition) add((p) => `disposition = ${p}`, q.disposition);
    if (q.rule) add((p) => `${p} = ANY(rules)`, q.rule);
    if (q.from !== undefined) add((p) => `started_at >= ${p}`, q.from);
    if (q.to !== undefined) add((p) => `started_at < ${p}`, q.to);
    values.push(queryLimit(q.limit), Math.max(0, q.offset ?? 0));
    const sql =
      'SELECT * FROM calls' +
      (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
      ` ORDER BY started_at DESC, id DESC LIMIT $${values.length - 1} OFFSET $${values.length}`;
    const { rows } = await this.pool.query<Row>(sql, values);
    return rows.map(fromRow);
  }

  async closeUnfinished(at: number): Promise<number> {
    const r = await this.pool.query(
      "UPDATE calls SET disposition = 'lost-end', end_reason = 'lost-end', ended_at = $1 WHERE disposition IN ('setup', 'answered')",
      [at],
    );
    return r.rowCount ?? 0;
  }

  async purge(tenantId: string, before: number): Promise<number> {
    const r = await this.pool.query('DELETE FROM calls WHERE tenant_id = $1 AND started_at < $2', [tenantId, before]);
    return r.rowCount ?? 0;
  }

  async summarize(q: CallSummaryQuery): Promise<CallSummary> {
    const range = 'tenant_id = $1 AND started_at >= $2 AND started_at < $3';
    const args = [q.tenantId, q.from, q.to];
    const list = async (key: string) =>
      (
        await this.pool.query<{ k: string; n: string; cost: number }>(
          `SELECT ${key} AS k, COUNT(*) AS n, COALESCE(SUM(estimated_cost), 0) AS cost FROM calls
             WHERE ${range} AND direction = 'outbound' AND ${key} IS NOT NULL
             GROUP BY k ORDER BY cost DESC, n DESC, k LIMIT $4`,
          [...args, q.top],
        )
      ).rows.map(destinationOfRow);
    const [groups, countries, classes, numbers] = await Promise.all([
      this.pool.query<SummaryGroupRow>(
        `SELECT direction, disposition, action, COUNT(*) AS n, SUM(estimated_cost) AS cost FROM calls
           WHERE ${range} GROUP BY direction, disposition, action`,
        args,
      ),
      list('country'),
      list('destination_class'),
      list('coalesce(called_e164, called)'),
    ]);
    return summaryOfGroups(groups.rows, { countries, classes, numbers });
  }
}

class PgDigestLog implements DigestLog {
  constructor(private readonly pool: pg.Pool) {}

  async claim(tenantId: string, period: DigestPeriod, start: string, at: number, staleBefore: number) {
    const r = await this.pool.query(
      `INSERT INTO digests (tenant_id, period, start, claimed_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, period, start) DO UPDATE SET claimed_at = excluded.claimed_at
         WHERE digests.sent_at IS NULL AND digests.claimed_at < $5`,
      [tenantId, period, start, at, staleBefore],
    );
    return (r.rowCount ?? 0) > 0;
  }

  async sent(tenantId: string, period: DigestPeriod, start: string, at: number): Promise<void> {
    await this.pool.query('UPDATE digests SET sent_at = $4 WHERE tenant_id = $1 AND period = $2 AND start = $3', [
      tenantId,
      period,
      start,
      at,
    ]);
  }

  async last(tenantId: string, period: DigestPeriod): Promise<DigestMark | undefined> {
    const { rows } = await this.pool.query<Row>(
      'SELECT * FROM digests WHERE tenant_id = $1 AND period = $2 ORDER BY start DESC LIMIT 1',
      [tenantId, period],
    );
    return rows[0] && digestMarkOfRow(rows[0]);
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
    callIds: r.call_ids as string[],
  };
  if (r.cost !== null && r.cost !== undefined) a.cost = r.cost as AlertCost;
  if (r.acknowledged_at !== null) a.acknowledgedAt = r.acknowledged_at as number;
  if (r.acknowledged_by !== null) a.acknowledgedBy = r.acknowledged_by as string;
  return a;
}

function costColumn(a: AlertRecord): string | null {
  return a.cost ? JSON.stringify(a.cost) : null;
}

class PgAlertLog implements AlertLog {
  constructor(private readonly pool: pg.Pool) {}

  async raise(next: NewAlert): Promise<AlertRecord> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // The row lock serialises nodes folding into the same incident.
      const { rows } = await client.query<Row>(
        'SELECT * FROM alerts WHERE tenant_id = $1 AND incident_key = $2 AND acknowledged_at IS NULL FOR UPDATE',
        [next.tenantId, next.incidentKey],
      );
      let a: AlertRecord;
      if (rows[0]) {
        a = foldAlert(alertFromRow(rows[0]), next);
        await client.query(
          'UPDATE alerts SET severity = $2, title = $3, body = $4, last_at = $5, count = $6, call_ids = $7, cost = $8 WHERE id = $1',
          [a.id, a.severity, a.title, a.body, a.lastAt, a.count, JSON.stringify(a.callIds), costColumn(a)],
        );
      } else {
        a = newAlertRecord(randomUUID(), next);
        await client.query(
          `INSERT INTO alerts (id, tenant_id, incident_key, severity, title, body, first_at, last_at, count, call_ids, cost)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
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
          ],
        );
      }
      await client.query('COMMIT');
      return a;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async acknowledge(id: string, by: string, at: number): Promise<boolean> {
    const r = await this.pool.query(
      'UPDATE alerts SET acknowledged_at = $2, acknowledged_by = $3 WHERE id = $1 AND acknowledged_at IS NULL',
      [id, at, by],
    );
    return (r.rowCount ?? 0) > 0;
  }

  async list(q: AlertQuery): Promise<AlertRecord[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (q.tenantIds) {
      if (q.tenantIds.length === 0) return [];
      values.push(q.tenantIds);
      where.push(`tenant_id = ANY($${values.length})`);
    }
    if (q.open !== undefined) where.push(q.open ? 'acknowledged_at IS NULL' : 'acknowledged_at IS NOT NULL');
    values.push(queryLimit(q.limit));
    const { rows } = await this.pool.query<Row>(
      `SELECT * FROM alerts${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY last_at DESC LIMIT $${values.length}`,
      values,
    );
    return rows.map(alertFromRow);
  }
}

class PgProfileStore implements ProfileStore {
  constructor(private readonly pool: pg.Pool) {}

  async load(tenantId: string): Promise<ProfileRow[]> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM profiles WHERE tenant_id = $1 ORDER BY scope', [
      tenantId,
    ]);
    return rows.map((r) => ({
      tenantId: r.tenant_id as string,
      scope: r.scope as string,
      updatedAt: r.updated_at as number,
      data: r.data,
    }));
  }

  async save(rows: ProfileRow[]): Promise<void> {
    if (rows.length === 0) return;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // A few hundred rows a statement: one round trip per batch, not per scope.
      for (let i = 0; i < rows.length; i += 200) {
        const batch = rows.slice(i, i + 200);
        const values: unknown[] = [];
        const tuples = batch.map((r) => {
          values.push(r.tenantId, r.scope, r.updatedAt, JSON.stringify(r.data));
          const n = values.length;
          return `($${n - 3}, $${n - 2}, $${n - 1}, $${n}::jsonb)`;
        });
        await client.query(
          `INSERT INTO profiles (tenant_id, scope, updated_at, data) VALUES ${tuples.join(', ')}
           ON CONFLICT (tenant_id, scope) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data`,
          values,
        );
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async remove(tenantId: string): Promise<number> {
    const r = await this.pool.query('DELETE FROM profiles WHERE tenant_id = $1', [tenantId]);
    return r.rowCount ?? 0;
  }
}

class PgBanLog implements BanLog {
  constructor(private readonly pool: pg.Pool) {}

  async list(): Promise<Ban[]> {
    const { rows } = await this.pool.query('SELECT * FROM bans ORDER BY since');
    return rows.map(banOfRow);
  }

  async put(b: Ban): Promise<void> {
    await this.pool.query(
      `INSERT INTO bans (address, signal, reason, since, until, offences, set_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (address) DO UPDATE SET signal = excluded.signal, reason = excluded.reason,
         since = excluded.since, until = excluded.until, offences = excluded.offences, set_by = excluded.set_by`,
      [b.address, b.signal, b.reason, b.since, b.until, b.offences, b.by ?? null],
    );
  }

  async remove(address: string): Promise<boolean> {
    const r = await this.pool.query('DELETE FROM bans WHERE address = $1', [address]);
    return (r.rowCount ?? 0) > 0;
  }

  async purge(before: number): Promise<number> {
    const r = await this.pool.query('DELETE FROM bans WHERE until < $1', [before]);
    return r.rowCount ?? 0;
  }
}

class PgAccountStore implements AccountStore {
  constructor(private readonly pool: pg.Pool) {}

  private async one(sql: string, params: unknown[]): Promise<Row | undefined> {
    const { rows } = await this.pool.query(sql, params);
    return rows[0] as Row | undefined;
  }

  async create(a: Account): Promise<void> {
    try {
      await this.pool.query(
        `INSERT INTO accounts (id, username, username_key, role, tenants, password_hash, created_at, failed_logins,
           locked_until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          a.id,
          a.username,
          usernameKey(a.username),
          a.role,
          JSON.stringify(a.tenants),
          a.passwordHash,
          a.createdAt,
          a.failedLogins,
          a.lockedUntil ?? null,
        ],
      );
    } catch (err) {
      // 23505: unique_violation.
      if ((err as { code?: string }).code === '23505') {
        throw new TollguardError('TG_ERR_CONFLICT', `an account ${a.username} exists already`);
      }
      throw err;
    }
  }

  async get(id: string): Promise<Account | undefined> {
    const r = await this.one('SELECT * FROM accounts WHERE id = $1', [id]);
    return r && accountOfRow(r);
  }

  async byUsername(username: string): Promise<Account | undefined> {
    const r = await this.one('SELECT * FROM accounts WHERE username_key = $1', [usernameKey(username)]);
    return r && accountOfRow(r);
  }

  async list(): Promise<Account[]> {
    const { rows } = await this.pool.query('SELECT * FROM accounts ORDER BY username_key');
    return (rows as Row[]).map(accountOfRow);
  }

  async update(id: string, patch: AccountUpdate): Promise<boolean> {
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [key, column] of ACCOUNT_UPDATE_COLUMNS) {
      if (!(key in patch)) continue;
      values.push(accountValue(key, patch[key as keyof AccountUpdate]));
      sets.push(`${column} = $${values.length}`);
    }
    if (sets.length === 0) return (await this.get(id)) !== undefined;
    values.push(id);
    const r = await this.pool.query(`UPDATE accounts SET ${sets.join(', ')} WHERE id = $${values.length}`, values);
    return (r.rowCount ?? 0) > 0;
  }

  async remove(id: string): Promise<boolean> {
    // Sessions and tokens go with it (ON DELETE CASCADE).
    const r = await this.pool.query('DELETE FROM accounts WHERE id = $1', [id]);
    return (r.rowCount ?? 0) > 0;
  }

  async putSession(s: Session): Promise<void> {
    await this.pool.query(
      `INSERT INTO sessions (id, account_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at`,
      [s.id, s.accountId, s.csrfToken, s.createdAt, s.expiresAt],
    );
  }

  async session(id: string): Promise<Session | undefined> {
    const r = await this.one('SELECT * FROM sessions WHERE id = $1', [id]);
    return r && sessionOfRow(r);
  }

  async removeSession(id: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE id = $1', [id]);
  }

  async removeSessionsOf(accountId: string): Promise<number> {
    const r = await this.pool.query('DELETE FROM sessions WHERE account_id = $1', [accountId]);
    return r.rowCount ?? 0;
  }

  async purgeSessions(before: number): Promise<number> {
    const r = await this.pool.query('DELETE FROM sessions WHERE expires_at < $1', [before]);
    return r.rowCount ?? 0;
  }

  async putToken(t: ApiToken): Promise<void> {
    await this.pool.query(
      'INSERT INTO api_tokens (id, account_id, name, hash, created_at) VALUES ($1, $2, $3, $4, $5)',
      [t.id, t.accountId, t.name, t.hash, t.createdAt],
    );
  }

  async tokenByHash(hash: string): Promise<ApiToken | undefined> {
    const r = await this.one('SELECT * FROM api_tokens WHERE hash = $1', [hash]);
    return r && tokenOfRow(r);
  }

  async tokens(accountId?: string): Promise<ApiToken[]> {
    const { rows } =
      accountId === undefined
        ? await this.pool.query('SELECT * FROM api_tokens ORDER BY created_at')
        : await this.pool.query('SELECT * FROM api_tokens WHERE account_id = $1 ORDER BY created_at', [accountId]);
    return (rows as Row[]).map(tokenOfRow);
  }

  async removeToken(id: string): Promise<boolean> {
    const r = await this.pool.query('DELETE FROM api_tokens WHERE id = $1', [id]);
    return (r.rowCount ?? 0) > 0;
  }
}
