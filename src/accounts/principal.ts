// Who is calling the API: an account, by its session cookie or an API token, and the tenants it may see. Routes ask
// the principal, never the account's fields, whether a tenant's data is theirs to read (R-CONFIDENTIAL).
import type { Role } from '../store/ports.js';

export interface Principal {
  accountId: string;
  username: string;
  role: Role;
  /** How it proved itself: a console session (changes need the CSRF token) or a bearer token. */
  via: 'session' | 'token';
  /** The tenants it may see, among those the firewall protects now. */
  tenantIds(): string[];
  /** Whether it may see the data of `tenantId`. */
  sees(tenantId: string): boolean;
  /** Whether it sees every tenant (firewall-wide data: bans, the configuration file). */
  seesAll(): boolean;
}

/** The principal of an account's fields, over the list of tenants the firewall protects. */
export function principalOf(
  account: { id: string; username: string; role: Role; tenants: readonly string[] },
  via: Principal['via'],
  allTenants: () => string[],
): Principal {
  const every = account.role === 'integrator' && account.tenants.includes('*');
  return {
    accountId: account.id,
    username: account.username,
    role: account.role,
    via,
    tenantIds: () => (every ? allTenants() : allTenants().filter((t) => account.tenants.includes(t))),
    sees: (t) => (every ? allTenants().includes(t) : account.tenants.includes(t) && allTenants().includes(t)),
    seesAll: () => every,
  };
}
