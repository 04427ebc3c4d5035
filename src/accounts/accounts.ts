// Accounts of the API and console: who they are, the password policy their passwords meet (R-PW-POLICY), the
// lockout after failed logins (R-LOCKOUT), console sessions and machine tokens. Storage is the store's `accounts`
// port; HTTP is the API's business (src/api/auth.ts).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { checkPassword } from '../credentials/index.js';
import { TollguardError } from '../errors.js';
import type { Account, AccountStore, ApiToken, Role, Session } from '../store/ports.js';
import { hashPassword, NO_ACCOUNT_HASH, verifyPassword } from './password-hash.js';
import { principalOf, type Principal } from './principal.js';

export const ROLES: readonly Role[] = ['integrator', 'tenant-admin', 'viewer'];

/** What an account may be created with. */
export interface NewAccount {
  username: string;
  password: string;
  role: Role;
  /** Tenant ids, `['*']` for an integrator of every tenant; a tenant admin has exactly one. */
  tenants: string[];
}

/** An account as the API shows it: never its hash. */
export interface AccountView {
  id: string;
  username: string;
  role: Role;
  tenants: string[];
  createdAt: number;
  lockedUntil?: number;
}

export function viewOf(a: Account): AccountView {
  return {
    id: a.id,
    username: a.username,
    role: a.role,
    tenants: a.tenants,
    createdAt: a.createdAt,
    ...(a.lockedUntil !== undefined ? { lockedUntil: a.lockedUntil } : {}),
  };
}

export interface AccountsOptions {
  /** Failed logins in a row that lock an account (R-LOCKOUT: 3). */
  maxFailedLogins: number;
  /** How long a locked account stays locked. */
  lockoutMinutes: number;
  /** How long a console session lasts after login. */
  sessionHours: number;
  /** Whether an account's tenants must be tenants the firewall protects (off for a command without the config). */
  checkTenantsExist: boolean;
}

export const DEFAULT_ACCOUNTS_OPTIONS: AccountsOptions = {
  maxFailedLogins: 3,
  lockoutMinutes: 15,
  sessionHours: 12,
  checkTenantsExist: true,
};

export type LoginResult =
  | { ok: true; account: Account; session: Session; secret: string }
  | { ok: false; reason: 'bad-credentials' }
  | { ok: false; reason: 'locked'; until: number };

const USERNAME = /^[\p{L}\p{N}._@+-]{2,64}$/u;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** A password that meets R-PW-POLICY, for a first account or a reset: 18 characters from a 56-letter alphabet. */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  for (let attempt = 0; attempt < 100; attempt++) {
    const bytes = randomBytes(18);
    let pw = '';
    for (const b of bytes) pw += alphabet[b % alphabet.length];
    if (checkPassword(pw).ok) return pw;
  }
  throw new Error('could not generate a password that meets the policy');
}

export class Accounts {
  readonly options: AccountsOptions;

  constructor(
    private readonly store: AccountStore,
    /** The tenants the firewall protects now. */
    private readonly allTenants: () => string[],
    options: Partial<AccountsOptions> = {},
  ) {
    this.options = { ...DEFAULT_ACCOUNTS_OPTIONS, ...options };
  }

  /** Every reason `input` cannot be an account (an empty list when it can). */
  problems(input: Omit<NewAccount, 'password'> & { password?: string }): string[] {
    const out: string[] = [];
    if (!USERNAME.test(input.username)) {
      out.push('username: 2 to 64 letters, digits or . _ @ + -');
    }
    if (!ROLES.includes(input.role)) out.push(`role: one of ${ROLES.join(', ')}`);
    out.push(...this.tenantProblems(input.role, input.tenants));
    if (input.password !== undefined) {
      const r = checkPassword(input.password, { login: input.username });
      for (const f of r.failures) out.push(`password: ${f.message}`);
    }
    return out;
  }

  private tenantProblems(role: Role, tenants: readonly string[]): string[] {
    const out: string[] = [];
    if (tenants.includes('*')) {
      if (role !== 'integrator') out.push('tenants: only an integrator may see every tenant (*)');
      else if (tenants.length > 1) out.push('tenants: * stands alone');
      return out;
    }
    if (tenants.length === 0) out.push('tenants: at least one');
    if (role === 'tenant-admin' && tenants.length > 1) out.push('tenants: a tenant admin has exactly one tenant');
    if (this.options.checkTenantsExist) {
      const known = this.allTenants();
      for (const t of tenants) if (!known.includes(t)) out.push(`tenants: no tenant ${t}`);
    }
    return out;
  }

  async create(input: NewAccount, now = Date.now()): Promise<Account> {
    const problems = this.problems(input);
    if (problems.length) throw new TollguardError('TG_ERR_USAGE', problems.join('; '), problems);
    const account: Account = {
      id: randomUUID(),
      username: input.username.normalize('NFC'),
      role: input.role,
      tenants: [...input.tenants],
      passwordHash: await hashPassword(input.password),
      createdAt: now,
      failedLogins: 0,
    };
    await this.store.create(account);
    return account;
  }

  list(): Promise<Account[]> {
    return this.store.list();
  }

  get(id: string): Promise<Account | undefined> {
    return this.store.get(id);
  }

  byUsername(username: string): Promise<Account | undefined> {
    return this.store.byUsername(username);
  }

  /** Changes role and tenants; the account's sessions end (what it may see changed). */
  async change(id: string, patch: { role?: Role; tenants?: string[] }): Promise<Account> {
    const a = await this.store.get(id);
    if (!a) throw new TollguardError('TG_ERR_NOT_FOUND', `no account ${id}`);
    const next = { ...a, ...patch };
    const problems = this.tenantProblems(next.role, next.tenants);
    if (!ROLES.includes(next.role)) problems.push(`role: one of ${ROLES.join(', ')}`);
    if (problems.length) throw new TollguardError('TG_ERR_USAGE', problems.join('; '), problems);
    await this.store.update(id, { role: next.role, tenants: next.tenants });
    await this.store.removeSessionsOf(id);
    return next;
  }

  /** Sets a new password (policy checked), unlocks the account and ends its sessions. */
  async setPassword(id: string, password: string): Promise<void> {
    const a = await this.store.get(id);
    if (!a) throw new TollguardError('TG_ERR_NOT_FOUND', `no account ${id}`);
    const r = checkPassword(password, { login: a.username });
    if (!r.ok) {
      const problems = r.failures.map((f) => `password: ${f.message}`);
      throw new TollguardError('TG_ERR_USAGE', problems.join('; '), problems);
    }
    await this.store.update(id, {
      passwordHash: await hashPassword(password),
      failedLogins: 0,
      lockedUntil: undefined,
    });
    await this.store.removeSessionsOf(id);
  }

  async unlock(id: string): Promise<boolean> {
    return this.store.update(id, { failedLogins: 0, lockedUntil: undefined });
  }

  remove(id: string): Promise<boolean> {
    return this.store.remove(id);
  }

  /**
   * Checks a username and password. The third failure in a row locks the account for `lockoutMinutes` (R-LOCKOUT);
   * while locked, even the right password is refused. An unknown username costs the same time as a wrong password.
   */
  async checkCredentials(
    username: string,
    password: string,
    now = Date.now(),
  ): Promise<{ ok: true; account: Account } | Exclude<LoginResult, { ok: true }>> {
    const a = await this.store.byUsername(username);
    if (!a) {
      await verifyPassword(password, NO_ACCOUNT_HASH);
      return { ok: false, reason: 'bad-credentials' };
    }
    if (a.lockedUntil !== undefined && a.lockedUntil > now)
      return { ok: false, reason: 'locked', until: a.lockedUntil };
    if (!(await verifyPassword(password, a.passwordHash))) {
      // A lock that ran out starts the count again.
      const failed = (a.lockedUntil !== undefined ? 0 : a.failedLogins) + 1;
      if (failed >= this.options.maxFailedLogins) {
        const until = now + this.options.lockoutMinutes * 60_000;
        await this.store.update(a.id, { failedLogins: failed, lockedUntil: until });
        await this.store.removeSessionsOf(a.id);
        return { ok: false, reason: 'locked', until };
      }
      await this.store.update(a.id, { failedLogins: failed, lockedUntil: undefined });
      return { ok: false, reason: 'bad-credentials' };
    }
    if (a.failedLogins !== 0 || a.lockedUntil !== undefined) {
      await this.store.update(a.id, { failedLogins: 0, lockedUntil: undefined });
    }
    return { ok: true, account: a };
  }

  /** Checks the credentials and opens a console session; the secret goes in the cookie, its hash in the store. */
  async login(username: string, password: string, now = Date.now()): Promise<LoginResult> {
    const r = await this.checkCredentials(username, password, now);
    if (!r.ok) return r;
    const secret = randomBytes(32).toString('base64url');
    const session: Session = {
      id: sha256(secret),
      accountId: r.account.id,
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: now,
      expiresAt: now + this.options.sessionHours * 3_600_000,
    };
    await this.store.putSession(session);
    return { ok: true, account: r.account, session, secret };
  }

  async logout(secret: string): Promise<void> {
    await this.store.removeSession(sha256(secret));
  }

  /** The principal and session of a session cookie's secret, if it is valid now. */
  async sessionOf(secret: string, now = Date.now()): Promise<{ principal: Principal; session: Session } | undefined> {
    const session = await this.store.session(sha256(secret));
    if (!session) return undefined;
    if (session.expiresAt <= now) {
      await this.store.removeSession(session.id);
      return undefined;
    }
    const a = await this.store.get(session.accountId);
    if (!a || (a.lockedUntil !== undefined && a.lockedUntil > now)) return undefined;
    return { principal: principalOf(a, 'session', this.allTenants), session };
  }

  /** Makes a token for an account; the token is returned once and only its hash is kept. */
  async createToken(accountId: string, name: string, now = Date.now()): Promise<{ token: string; record: ApiToken }> {
    if (!(await this.store.get(accountId))) throw new TollguardError('TG_ERR_NOT_FOUND', `no account ${accountId}`);
    const token = `tg_${randomBytes(32).toString('base64url')}`;
    const record: ApiToken = { id: randomUUID(), accountId, name, hash: sha256(token), createdAt: now };
    await this.store.putToken(record);
    return { token, record };
  }

  tokens(accountId?: string): Promise<ApiToken[]> {
    return this.store.tokens(accountId);
  }

  removeToken(id: string): Promise<boolean> {
    return this.store.removeToken(id);
  }

  /** The principal of a bearer token, if it names a token of an account that exists. */
  async tokenPrincipal(token: string): Promise<Principal | undefined> {
    const t = await this.store.tokenByHash(sha256(token));
    if (!t) return undefined;
    const a = await this.store.get(t.accountId);
    return a && principalOf(a, 'token', this.allTenants);
  }

  /** Forgets expired sessions (run now and then). */
  purgeSessions(now = Date.now()): Promise<number> {
    return this.store.purgeSessions(now);
  }

  /**
   * On a first start (no account at all): an integrator `admin` of every tenant, with a generated password that is
   * returned to be shown once. Undefined when accounts exist.
   */
  async ensureFirstAccount(): Promise<{ username: string; password: string } | undefined> {
    if ((await this.store.list()).length > 0) return undefined;
    const password = generatePassword();
    await this.create({ username: 'admin', password, role: 'integrator', tenants: ['*'] });
    return { username: 'admin', password };
  }

  /** Whether `principal` may create, change or remove an account of `role` on `tenants`. */
  static canManage(principal: Principal, target: { role: Role; tenants: readonly string[] }): boolean {
    if (principal.role === 'viewer') return false;
    if (principal.seesAll()) return true;
    if (target.tenants.includes('*')) return false;
    if (principal.role === 'tenant-admin' && target.role === 'integrator') return false;
    return target.tenants.length > 0 && target.tenants.every((t) => principal.sees(t));
  }
}
