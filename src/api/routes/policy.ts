// Policy and quarantine routes: read a tenant's policy, check and apply a new one live, reload the configuration
// file, list quarantines and release them (`tollguard release` calls this).
import type { FastifyInstance } from 'fastify';
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
  release(tenantId: string, extension?: string): number;
}

export function registerPolicyRoutes(app: FastifyInstance, policies: PolicyControl, tenantIds: () => string[]): void {
  const known = (id: string) => tenantIds().includes(id);
  const notFound = (id: string) => ({ code: 'TG_ERR_NOT_FOUND', message: `no tenant ${id}` });

  app.get<{ Params: { id: string } }>('/api/tenants/:id/policy', async (req, reply) => {
    const p = policies.get(req.params.id);
    return p ? { tenant: req.params.id, policy: p } : reply.code(404).send(notFound(req.params.id));
  });

  app.put<{ Params: { id: string } }>('/api/tenants/:id/policy', async (req, reply) => {
    if (!known(req.params.id)) return reply.code(404).send(notFound(req.params.id));
    const r = policies.apply(req.params.id, req.body);
    if (!r.ok) {
      return reply
        .code(400)
        .send({ code: 'TG_ERR_CONFIG_INVALID', message: 'the policy is invalid; nothing changed', issues: r.issues });
    }
    return { tenant: req.params.id, policy: r.policy, applied: true };
  });

  app.post('/api/config/reload', async (_req, reply) => {
    const r = policies.reloadFile();
    if (!r.ok) {
      return reply.code(400).send({
        code: 'TG_ERR_CONFIG_INVALID',
        message: 'the configuration is invalid; nothing changed',
        issues: r.issues,
      });
    }
    return r;
  });

  app.get<{ Querystring: { tenant?: string } }>('/api/quarantines', async (req) => ({
    quarantines: policies.quarantines(req.query.tenant ? [req.query.tenant] : undefined),
  }));

  app.post<{ Body: { tenant?: string; extension?: string } }>('/api/quarantines/release', async (req, reply) => {
    const body = (req.body ?? {}) as { tenant?: unknown; extension?: unknown };
    if (typeof body.tenant !== 'string' || (body.extension !== undefined && typeof body.extension !== 'string')) {
      return reply
        .code(400)
        .send({ code: 'TG_ERR_USAGE', message: 'give {"tenant": "<id>"} and optionally "extension"' });
    }
    if (!known(body.tenant)) return reply.code(404).send(notFound(body.tenant));
    return { released: policies.release(body.tenant, body.extension as string | undefined) };
  });
}
