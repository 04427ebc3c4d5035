// Accounts and API tokens through the API: an integrator manages the accounts of its tenants, a tenant admin those
// of its tenant (never an integrator), everyone their own password and tokens. `tollguard account` does the same on
// the store directly, for the first account and a lost password.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Accounts, ROLES, viewOf } from '../../accounts/accounts.js';
import { route, type RouteTable } from '../route.js';
import type { Principal } from '../../accounts/principal.js';
import { TollguardError } from '../../errors.js';
import type { Account, Role } from '../../store/ports.js';

const role = z.enum(ROLES as [Role, ...Role[]]);
const idParams = z.object({ id: z.string().min(1) });

function failure(err: unknown) {
  if (err instanceof TollguardError) {
    const status = err.code === 'TG_ERR_NOT_FOUND' ? 404 : err.code === 'TG_ERR_CONFLICT' ? 409 : 400;
    const issues = Array.isArray(err.details)
      ? (err.details as string[]).map((m) => ({ path: m.split(':')[0]!, message: m }))
      : undefined;
    return { status, body: { code: err.code, message: err.message, ...(issues ? { issues } : {}) } };
  }
  throw err;
}

export function registerAccountRoutes(app: FastifyInstance, table: RouteTable, accounts: Accounts): void {
  /** The account `id` when `principal` may manage it; 404 hides accounts it may not even see. */
  const manageable = async (principal: Principal, id: string): Promise<Account | undefined> => {
    const a = await accounts.get(id);
    return a && Accounts.canManage(principal, a) ? a : undefined;
  };

  route(app, table, {
    method: 'GET',
    url: '/api/accounts',
    tag: 'accounts',
    summary: 'The accounts this account may manage',
    access: 'write',
    handler: async ({ principal }) => ({
      accounts: (await accounts.list()).filter((a) => Accounts.canManage(principal!, a)).map(viewOf),
    }),
  });

  route(app, table, {
    method: 'POST',
    url: '/api/accounts',
    tag: 'accounts',
    summary: 'Create an account (password per R-PW-POLICY)',
    access: 'write',
    body: z.object({
      username: z.string(),
      password: z.string(),
      role,
      tenants: z.array(z.string()).min(1),
    }),
    handler: async ({ body, principal }, reply) => {
      if (!Accounts.canManage(principal!, body)) {
        return reply
          .code(403)
          .send({ code: 'TG_ERR_FORBIDDEN', message: 'this account may not create that role on those tenants' });
      }
      try {
        return reply.code(201).send({ account: viewOf(await accounts.create(body)) });
      } catch (err) {
        const f = failure(err);
        return reply.code(f.status).send(f.body);
      }
    },
  });

  route(app, table, {
    method: 'PUT',
    url: '/api/accounts/:id',
    tag: 'accounts',
    summary: 'Change an account: role, tenants, password, or unlock it',
    access: 'write',
    params: idParams,
    body: z.object({
      role: role.optional(),
      tenants: z.array(z.string()).min(1).optional(),
      password: z.string().optional(),
      unlock: z.boolean().optional(),
    }),
    handler: async ({ params, body, principal }, reply) => {
      const a = await manageable(principal!, params.id);
      if (!a) return reply.code(404).send({ code: 'TG_ERR_NOT_FOUND', message: `no account ${params.id}` });
      const next = { role: body.role ?? a.role, tenants: body.tenants ?? a.tenants };
      if (!Accounts.canManage(principal!, next)) {
        return reply
          .code(403)
          .send({ code: 'TG_ERR_FORBIDDEN', message: 'this account may not give that role on those tenants' });
      }
      try {
        if (body.role !== undefined || body.tenants !== undefined) await accounts.change(a.id, next);
        if (body.password !== undefined) await accounts.setPassword(a.id, body.password);
        if (body.unlock) await accounts.unlock(a.id);
      } catch (err) {
        const f = failure(err);
        return reply.code(f.status).send(f.body);
      }
      return { account: viewOf((await accounts.get(a.id))!) };
    },
  });

  route(app, table, {
    method: 'DELETE',
    url: '/api/accounts/:id',
    tag: 'accounts',
    summary: 'Remove an account with its sessions and tokens',
    access: 'write',
    params: idParams,
    handler: async ({ params, principal }, reply) => {
      if (params.id === principal!.accountId) {
        return reply.code(400).send({ code: 'TG_ERR_USAGE', message: 'an account cannot remove itself' });
      }
      const a = await manageable(principal!, params.id);
      if (!a) return reply.code(404).send({ code: 'TG_ERR_NOT_FOUND', message: `no account ${params.id}` });
      await accounts.remove(a.id);
      return { removed: a.id };
    },
  });

  route(app, table, {
    method: 'POST',
    url: '/api/me/password',
    tag: 'accounts',
    summary: 'Change one\u2019s own password (the current one is asked again)',
    access: 'read',
    body: z.object({ current: z.string(), password: z.string() }),
    handler: async ({ body, principal }, reply) => {
      const a = (await accounts.get(principal!.accountId))!;
      const check = await accounts.checkCredentials(a.username, body.current);
      if (!check.ok) {
        return reply.code(check.reason === 'locked' ? 423 : 401).send({
          code: check.reason === 'locked' ? 'TG_ERR_LOCKED' : 'TG_ERR_AUTH',
          message: 'the current password is wrong',
        });
      }
      try {
        await accounts.setPassword(a.id, body.password);
      } catch (err) {
        const f = failure(err);
        return reply.code(f.status).send(f.body);
      }
      return { ok: true, message: 'password changed: log in again' };
    },
  });

  route(app, table, {
    method: 'GET',
    url: '/api/tokens',
    tag: 'accounts',
    summary: 'The API tokens of this account (never the tokens themselves)',
    access: 'read',
    handler: async ({ principal }) => ({
      tokens: (await accounts.tokens(principal!.accountId)).map(({ hash: _h, ...t }) => t),
    }),
  });

  route(app, table, {
    method: 'POST',
    url: '/api/tokens',
    tag: 'accounts',
    summary: 'Make an API token acting as this account; the token is shown once',
    access: 'read',
    body: z.object({ name: z.string().min(1).max(100) }),
    handler: async ({ body, principal }, reply) => {
      const { token, record } = await accounts.createToken(principal!.accountId, body.name);
      const { hash: _h, ...shown } = record;
      return reply.code(201).send({ token, ...shown });
    },
  });

  route(app, table, {
    method: 'DELETE',
    url: '/api/tokens/:id',
    tag: 'accounts',
    summary: 'Revoke one of this account\u2019s API tokens',
    access: 'read',
    params: idParams,
    handler: async ({ params, principal }, reply) => {
      const mine = (await accounts.tokens(principal!.accountId)).some((t) => t.id === params.id);
      if (!mine || !(await accounts.removeToken(params.id))) {
        return reply.code(404).send({ code: 'TG_ERR_NOT_FOUND', message: `no token ${params.id}` });
      }
      return { revoked: params.id };
    },
  });
}
