// A store in the process's memory: for tests, replay of historical call records, and `--store memory:`.
// Nothing survives a restart.
import { randomUUID } from 'node:crypto';
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
import { summaryOfRecords } from '../call-summary.js';
import { TollguardError } from '../../errors.js';
import { usernameKey } from '../account-row.js';
import { foldAlert, newAlertRecord, queryLimit, type NewAlert } from '../alert-fold.js';
import { MemoryAuditReportStore } from './audit-store.js';

export function openMemoryStore(): Store {
  return {
    kind: 'memory',
    calls: new MemoryCallLog(),
    alerts: new MemoryAlertLog(),
    bans: new MemoryBanLog(),
    accounts: new MemoryAccountStore(),
    digests: new MemoryDigestLog(),
    profiles: new MemoryProfileStore(),
    audits: new MemoryAuditReportStore(),
    close: async () => {},
  };
}

class MemoryProfileStore implements ProfileStore {
  private readonly rows = new Map<string, Map<string, ProfileRow>>();

  async load(tenantId: string): Promise<ProfileRow[]> {
    return [...(this.rows.get(tenantId)?.values() ?? [])].map((r) => structuredClone(r));
  }

  async save(rows: ProfileRow[]): Promise<void> {
    for (const r of rows) {
      let t = this.rows.get(r.tenantId);
      if (!t) this.rows.set(r.tenantId, (t = new Map()));
      t.set(r.scope, structuredClone(r));
    }
  }

  async remove(tenantId: string): Promise<number> {
    const n = this.rows.get(tenantId)?.size ?? 0;
    this.rows.delete(tenantId);
    return n;
  }
}

class MemoryBanLog implements BanLog {
  private readonly bans = new Map<string, Ban>();

  async list(): Promise<Ban[]> {
    return [...this.bans.values()].map((b) => ({ ...b }));
  }

  async put(ban: Ban): Promise<void> {
    this.bans.set(ban.address, { ...ban });
  }

  async remove(address: string): Promise<boolean> {
    return this.bans.delete(address);
  }

  async purge(before: number): Promise<number> {
    let n = 0;
    for (const [a, b] of this.bans) if (b.until < before && this.bans.delete(a)) n++;
    return n;
  }
}

function matches(r: CallRecord, q: CallQuery): boolean {
  if (q.tenantIds && !q.tenantIds.includes(r.tenantId)) return false;
  if (
    q.number &&
    !(r.caller.includes(q.number) || r.called.includes(q.number) || (r.calledE164 ?? '').includes(q.number))
  )
    return false;
  if (q.direction && r.direction !== q.direction) return false;
  if (q.action && r.action !== q.action) return false;
  if (q.disposition && r.disposition !== q.disposition) return false;
  if (q.rule && !(r.rules ?? []).includes(q.rule)) return false;
  if (q.from !== undefined && r.startedAt < q.from) return false;
  if (q.to !== undefined && r.startedAt >= q.to) return false;
  return true;
}

class MemoryCallLog implements CallLog {
  private readonly records = new Map<string, CallRecord>();

  async open(record: CallRecord): Promise<void> {
    if (this.records.has(record.id)) throw new Error(`call ${record.id} is already in the log`);
    this.records.set(record.id, structuredClone(record));
  }
  async update(id: string, patch: CallRecordUpdate): Promise<void> {
    const r = this.records.get(id);
    if (r) Object.assign(r, structuredClone(patch));
  }
  async get(id: string): Promise<CallRecord | undefined> {
    const r = this.records.get(id);
    return r && structuredClone(r);
  }
  async search(q: CallQuery): Promise<CallRecord[]> {
    const all = [...this.records.values()].filter((r) => matches(r, q));
    all.sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    const offset = Math.max(0, q.offset ?? 0);
    return all.slice(offset, offset + queryLimit(q.limit)).map((r) => structuredClone(r));
  }
  async closeUnfinished(at: number): Promise<number> {
    let n = 0;
    for (const r of this.records.values()) {
      if (r.disposition === 'setup' || r.disposition === 'answered') {
        Object.assign(r, { disposition: 'lost-end', endReason: 'lost-end', endedAt: at });
        n++;
      }
    }
    return n;
  }
  async purge(tenantId: string, before: number): Promise<number> {
    let n = 0;
    for (const [id, r] of this.records) {
      if (r.tenantId === tenantId && r.startedAt < before) {
        this.records.delete(id);
        n++;
      }
    }
    return n;
  }
  async summarize(q: CallSummaryQuery): Promise<CallSummary> {
    const inRange = [...this.records.values()].filter(
      (r) => r.tenantId === q.tenantId && r.startedAt >= q.from && r.startedAt < q.to,
    );
    return summaryOfRecords(inRange, q.top);
  }
}

class MemoryDigestLog implements DigestLog {
  private readonly marks = new Map<string, DigestMark>();

  async claim(tenantId: string, period: DigestPeriod, start: string, at: number, staleBefore: number) {
    const key = `${tenantId}|${period}|${start}`;
    const m = this.marks.get(key);
    if (m && (m.sentAt !== undefined || m.claimedAt >= staleBefore)) return false;
    this.marks.set(key, { tenantId, period, start, claimedAt: at });
    return true;
  }
  async sent(tenantId: string, period: DigestPeriod, start: string, at: number): Promise<void> {
    const m = this.marks.get(`${tenantId}|${period}|${start}`);
    if (m) m.sentAt = at;
  }
  async last(tenantId: string, period: DigestPeriod): Promise<DigestMark | undefined> {
    let last: DigestMark | undefined;
    for (const m of this.marks.values()) {
      if (m.tenantId === tenantId && m.period === period && (!last || m.start > last.start)) last = m;
    }
    return last && { ...last };
  }
}

class MemoryAlertLog implements AlertLog {
  private readonly alerts = new Map<string, AlertRecord>();

  async raise(next: NewAlert): Promise<AlertRecord> {
    for (const a of this.alerts.values()) {
      if (a.tenantId === next.tenantId && a.incidentKey === next.incidentKey && a.acknowledgedAt === undefined) {
        const folded = foldAlert(a, next);
        this.alerts.set(a.id, folded);
        return structuredClone(folded);
      }
    }
    const a = newAlertRecord(randomUUID(), next);
    this.alerts.set(a.id, a);
    return structuredClone(a);
  }
  async acknowledge(id: string, by: string, at: number): Promise<boolean> {
    const a = this.alerts.get(id);
    if (!a || a.acknowledgedAt !== undefined) return false;
    a.acknowledgedAt = at;
    a.acknowledgedBy = by;
    return true;
  }
  async list(q: AlertQuery): Promise<AlertRecord[]> {
    return [...this.alerts.values()]
      .filter((a) => !q.tenantIds || q.tenantIds.includes(a.tenantId))
      .filter((a) => q.open === undefined || (a.acknowledgedAt === undefined) === q.open)
      .sort((a, b) => b.lastAt - a.lastAt)
      .slice(0, queryLimit(q.limit))
      .map((a) => structuredClone(a));
  }
}

class MemoryAccountStore implements AccountStore {
  private readonly accounts = new Map<string, Account>();
  private readonly sessions = new Map<string, Session>();
  private readonly apiTokens = new Map<string, ApiToken>();

  async create(a: Account): Promise<void> {
    for (const o of this.accounts.values()) {
      if (usernameKey(o.username) === usernameKey(a.username)) {
        throw new TollguardError('TG_ERR_CONFLICT', `an account ${a.username} exists already`);
      }
    }
    this.accounts.set(a.id, structuredClone(a));
  }

  async get(id: string): Promise<Account | undefined> {
    const a = this.accounts.get(id);
    return a && structuredClone(a);
  }

  async byUsername(username: string): Promise<Account | undefined> {
    const key = usernameKey(username);
    for (const a of this.accounts.values()) if (usernameKey(a.username) === key) return structuredClone(a);
    return undefined;
  }

  async list(): Promise<Account[]> {
    return [...this.accounts.values()]
      .map((a) => structuredClone(a))
      .sort((x, y) => usernameKey(x.username).localeCompare(usernameKey(y.username)));
  }

  async update(id: string, patch: AccountUpdate): Promise<boolean> {
    const a = this.accounts.get(id);
    if (!a) return false;
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) delete (a as unknown as Record<string, unknown>)[k];
      else (a as unknown as Record<string, unknown>)[k] = structuredClone(v);
    }
    return true;
  }

  async remove(id: string): Promise<boolean> {
    await this.removeSessionsOf(id);
    for (const [k, t] of this.apiTokens) if (t.accountId === id) this.apiTokens.delete(k);
    return this.accounts.delete(id);
  }

  async putSession(s: Session): Promise<void> {
    this.sessions.set(s.id, { ...s });
  }

  async session(id: string): Promise<Session | undefined> {
    const s = this.sessions.get(id);
    return s && { ...s };
  }

  async removeSession(id: string): Promise<void> {
    this.sessions.delete(id);
  }

  async removeSessionsOf(accountId: string): Promise<number> {
    let n = 0;
    for (const [k, s] of this.sessions) if (s.accountId === accountId && this.sessions.delete(k)) n++;
    return n;
  }

  async purgeSessions(before: number): Promise<number> {
    let n = 0;
    for (const [k, s] of this.sessions) if (s.expiresAt < before && this.sessions.delete(k)) n++;
    return n;
  }

  async putToken(t: ApiToken): Promise<void> {
    this.apiTokens.set(t.id, { ...t });
  }

  async tokenByHash(hash: string): Promise<ApiToken | undefined> {
    for (const t of this.apiTokens.values()) if (t.hash === hash) return { ...t };
    return undefined;
  }

  async tokens(accountId?: string): Promise<ApiToken[]> {
    return [...this.apiTokens.values()]
      .filter((t) => accountId === undefined || t.accountId === accountId)
      .map((t) => ({ ...t }))
      .sort((x, y) => x.createdAt - y.createdAt);
  }

  async removeToken(id: string): Promise<boolean> {
    return this.apiTokens.delete(id);
  }
}
