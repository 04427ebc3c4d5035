// A firewall with two tenants and one account of each kind, for API tests through inject(): `acme` and `beta`, an
// integrator of every tenant, an admin and a viewer of acme, an admin of beta. Clients log in as the console does
// (session cookie + CSRF token) or use a bearer token.
import type { FastifyInstance } from 'fastify';
import { startTestFirewall, portBase, type TestFirewall } from './firewall.js';
import { Accounts } from '../../src/accounts/accounts.js';
import type { Role } from '../../src/store/ports.js';

export const PASSWORD = 'Rq7-vanilla-Tiger';

export type Who = 'integrator' | 'acme-admin' | 'acme-viewer' | 'beta-admin';

const ACCOUNTS: Record<Who, { role: Role; tenants: string[] }> = {
  integrator: { role: 'integrator', tenants: ['*'] },
  'acme-admin': { role: 'tenant-admin', tenants: ['acme'] },
  'acme-viewer': { role: 'viewer', tenants: ['acme'] },
  'beta-admin': { role: 'tenant-admin', tenants: ['beta'] },
};

export interface Answer {
  status: number;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface Client {
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
}

export interface ApiHarness {
  t: TestFirewall;
  app: FastifyInstance;
  /** The accounts, through a second connection to the firewall's store. */
  accounts: Accounts;
  /** A client logged in through /api/login as `who` (cookie and CSRF token sent as the console sends them). */
  as(who: Who): Promise<Client>;
  /** A client with a bearer token of `who`. */
  withToken(who: Who): Promise<Client>;
  /** No credentials. */
  anonymous: Client;
  stop(): Promise<void>;
}

function clientOf(app: FastifyInstance, headers: Record<string, string>): Client {
  return {
    async request(method, url, body, extra = {}) {
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers: { ...headers, ...extra },
        ...(body !== undefined ? { payload: body as object } : {}),
      });
      let json: unknown;
      try {
        json = res.json();
      } catch {
        json = undefined;
      }
      return { status: res.statusCode, json, body: res.body, headers: res.headers as Answer['headers'] };
    },
  };
}

export async function startApiHarness(o: { policy?: Record<string, unknown> } = {}): Promise<ApiHarness> {
  const base = portBase();
  const tenant = (id: string, n: number) => ({
    id,
    name: id === 'acme' ? 'Acme SARL' : 'Beta SAS',
    pbx: { addresses: [`127.0.0.${n}:${base + n}`] },
    trunk: { address: `127.0.0.${n + 1}:${base + n + 1}` },
    policy: { country: 'FR', ...o.policy },
  });
  const t = await startTestFirewall({
    sipPort: base,
    pbxPort: base + 2,
    trunkPort: base + 3,
    extra: { tenants: [tenant('acme', 2), tenant('beta', 4)] },
  });
  const app = t.fw.http;
  // A second connection to the firewall's store, as `tollguard account create` alongside a running firewall.
  const store = await t.openStore();
  const accounts = new Accounts(store.accounts, () => ['acme', 'beta']);
  for (const [who, a] of Object.entries(ACCOUNTS)) {
    await accounts.create({ username: who, password: PASSWORD, ...a });
  }
  return {
    t,
    app,
    accounts,
    async as(who) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/login',
        payload: { username: who, password: PASSWORD },
      });
      if (res.statusCode !== 200) throw new Error(`login as ${who}: ${res.statusCode} ${res.body}`);
      const cookie = String(res.headers['set-cookie']).split(';')[0]!;
      return clientOf(app, { cookie, 'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken });
    },
    async withToken(who) {
      const a = (await accounts.byUsername(who))!;
      const { token } = await accounts.createToken(a.id, 'test');
      return clientOf(app, { authorization: `Bearer ${token}` });
    },
    anonymous: clientOf(app, {}),
    stop: async () => {
      await store.close();
      await t.stop();
    },
  };
}
