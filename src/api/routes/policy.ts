// Policy and quarantine routes: read a tenant's policy, check and apply a new one live, reload the configuration
// file, list quarantines and release them (`tollguard release` calls this).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route, type RouteTable } from '../route.js';
import type { Quarantine, TenantPolicy } from '../../engine/index.js';

/** Issues with a policy, as the configuration loader words them. */
export interface PolicyIssue {
  path: string;
  message: string;
}

/** What the API may do with policies; the composition root implements it over the engine and the config file. */
export interface PolicyControl {
  get(tenantId: string): TenantPolicy | undefined;
  /** Validates and applies live; on any issue nothing changes. */
  apply(tenantId: string, input: unknown): { ok: true; policy: TenantPolicy } | { ok: false; issues: PolicyIssue[] };
  /** Re-reads the configuration file and applies its policies (as SIGHUP does). */
  reloadFile(): { ok: true; applied: string[]; needRestart: string[] } | { ok: false; issues: PolicyIssue[] };
  quarantines(tenantIds?: readonly string[]): Quarantine[];
  /** Releases; `by` names who did it, for the log. */
  release(tenantId: string, extension?: string, by?: string): number;
}

const tenantParams = z.object({ id: z.string().min(1) });
const notFound = (id: string) => ({ code: 'TG_ERR_NOT_FOUND', message: `no tenant ${id}` });

export function registerPolicyRoutes(app: FastifyInstance, table: RouteTable, policies: PolicyControl): void {
  route(app, table, {
    method: 'GET',
    url: '/api/tenants/:id/policy',
    tag: 'policy',
    summary: 'A tenant\u2019s policy as it runs now',
    access: 'read',
    params: tenantParams,
    handler: async ({ params, principal }, reply) => {
      const p = principal!.sees(params.id) ? policies.get(params.id) : undefined;
      return p ? { tenant: params.id, policy: p } : reply.code(404).send(notFound(params.id));
    },
  });

  route(app, table, {
    method: 'PUT',
    url: '/api/tenants/:id/policy',
    tag: 'policy',
    summary: 'Validate a policy and apply it live; on any issue nothing changes (400 with every issue)',
    access: 'write',
    params: tenantParams,
    // The policy schema validates inside apply(), where its issues are worded as the configuration loader words them.
    body: z.unknown(),
    handler: async ({ params, body, principal }, reply) => {
      if (!principal!.sees(params.id)) return reply.code(404).send(notFound(params.id));
      const r = policies.apply(params.id, body);
      if (!r.ok) {
        return reply
          .code(400)
          .send({ code: 'TG_ERR_CONFIG_INVALID', message: 'the policy is invalid; nothing changed', issues: r.issues });
      }
      return { tenant: params.id, policy: r.policy, applied: true };
    },
  });

  route(app, table, {
    method: 'POST',
    url: '/api/config/reload',
    tag: 'policy',
    summary: 'Re-read the configuration file and apply its policies (as SIGHUP does)',
    access: 'integrator',
    handler: async ({ principal }, reply) => {
      if (!principal!.seesAll()) {
        return reply
          .code(403)
          .send({ code: 'TG_ERR_FORBIDDEN', message: 'the configuration file covers every tenant' });
      }
      const r = policies.reloadFile();
      if (!r.ok) {
        return reply.code(400).send({
          code: 'TG_ERR_CONFIG_INVALID',
          message: 'the configuration is invalid; nothing changed',
          issues: r.issues,
        });
      }
      return r;
    },
  });

  route(app, table, {
    method: 'GET',
    url: '/api/quarantines',
    tag: 'policy',
    summary: 'Extensions and tenants quarantined (outbound calls refused until released)',
    access: 'read',
    query: z.object({ tenant: z.string().optional() }),
    handler: async ({ query, principal }) => {
      const mine = principal!.tenantIds();
      return { quarantines: policies.quarantines(query.tenant ? mine.filter((t) => t === query.tenant) : mine) };
    },
  });

  route(app, table, {
    method: 'POST',
    url: '/api/quarantines/release',
    tag: 'policy',
    summary: 'Release a quarantine: a tenant\u2019s, or one extension\u2019s',
    access: 'write',
    body: z.object({ tenant: z.string().min(1), extension: z.string().min(1).optional() }),
    handler: async ({ body, principal }, reply) => {
      if (!principal!.sees(body.tenant)) return reply.code(404).send(notFound(body.tenant));
      return { released: policies.release(body.tenant, body.extension, principal!.username) };
    },
  });
}
