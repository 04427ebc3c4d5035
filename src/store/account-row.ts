// Rows of the accounts, sessions and api_tokens tables as the SQL back ends read them (the same columns in SQLite
// and PostgreSQL; tenants kept as JSON text).
import type { Account, ApiToken, Role, Session } from './ports.js';

type Row = Record<string, unknown>;

/** The key usernames are unique on: `Alice` and `alice` are one login. */
export function usernameKey(username: string): string {
  return username.normalize('NFC').toLowerCase();
}

export function accountOfRow(r: Row): Account {
  const a: Account = {
    id: r.id as string,
    username: r.username as string,
    role: r.role as Role,
    tenants: JSON.parse(r.tenants as string) as string[],
    passwordHash: r.password_hash as string,
    createdAt: Number(r.created_at),
    failedLogins: Number(r.failed_logins),
  };
  if (r.locked_until !== null && r.locked_until !== undefined) a.lockedUntil = Number(r.locked_until);
  return a;
}

export function sessionOfRow(r: Row): Session {
  return {
    id: r.id as string,
    accountId: r.account_id as string,
    csrfToken: r.csrf_token as string,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
  };
}

export function tokenOfRow(r: Row): ApiToken {
  return {
    id: r.id as string,
    accountId: r.account_id as string,
    name: r.name as string,
    hash: r.hash as string,
    createdAt: Number(r.created_at),
  };
}

/** Account columns an update may set, with their column names. */
export const ACCOUNT_UPDATE_COLUMNS: ReadonlyArray<[keyof Account, string]> = [
  ['role', 'role'],
  ['tenants', 'tenants'],
  ['passwordHash', 'password_hash'],
  ['failedLogins', 'failed_logins'],
  ['lockedUntil', 'locked_until'],
];

/** The SQL value of an account field. */
export function accountValue(key: keyof Account, v: unknown): unknown {
  if (key === 'tenants') return JSON.stringify(v);
  return v ?? null;
}
