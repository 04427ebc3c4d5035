// Incidents through the API: the alerts of the caller's tenants (open ones, or all), and acknowledging one (which
// closes the incident: the next event of the same signal opens a new one). The console's Incidents page reads these.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AlertRecord, Store } from '../../store/ports.js';
import { apiError, route, type RouteTable } from '../route.js';
import type { Principal } from '../../accounts/principal.js';

/** Most alerts in one answer. */
export const MAX_ALERTS = 1000;

/** The tenants a request is about: the one asked for when the principal sees it, else every tenant it sees. */
export function tenantScope(principal: Principal, tenant: string | undefined): string[] | undefined {
  if (tenant === undefined || tenant === '') return principal.tenantIds();
  return principal.sees(tenant) ? [tenant] : undefined;
}

const flag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

/** Open incidents first (most severe, then latest), then the acknowledged ones, latest first. */
export function incidentOrder(a: AlertRecord, b: AlertRecord): number {
  const open = Number(a.acknowledgedAt !== undefined) - Number(b.acknowledgedAt !== undefined);
  if (open !== 0) return open;
  if (a.acknowledgedAt === undefined) {
    const rank = SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity);
    if (rank !== 0) return rank;
  }
  return b.lastAt - a.lastAt;
}

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];

export function registerAlertRoutes(app: FastifyInstance, table: RouteTable, store: Store): void {
  route(app, table, {
    method: 'GET',
    url: '/api/alerts',
    summary: 'Incidents of your tenants, open ones first (open=true: only those not acknowledged)',
    tag: 'alerts',
    access: 'read',
    query: z.strictObject({
      open: flag,
      tenant: z.string().optional(),
      limit: z.coerce.number().int().min(1).max(MAX_ALERTS).optional(),
    }),
    handler: async ({ query, principal }, reply) => {
      const tenantIds = tenantScope(principal!, query.tenant);
      if (!tenantIds) return apiError(reply, 404, 'TG_ERR_NOT_FOUND', `no tenant ${query.tenant}`);
      if (tenantIds.length === 0) return { alerts: [] };
      const alerts = await store.alerts.list({
        tenantIds,
        ...(query.open !== undefined ? { open: query.open } : {}),
        limit: query.limit ?? 200,
      });
      return { alerts: alerts.sort(incidentOrder) };
    },
  });

  route(app, table, {
    method: 'POST',
    url: '/api/alerts/:id/acknowledge',
    summary: 'Acknowledge an incident: someone is on it (the next event opens a new incident)',
    tag: 'alerts',
    access: 'write',
    params: z.strictObject({ id: z.string().min(1).max(200) }),
    handler: async ({ params, principal }, reply) => {
      const tenantIds = principal!.tenantIds();
      // The alert is looked for among the caller's tenants only: another tenant's alert is "not found", as is none.
      const find = async (open?: boolean) =>
        (await store.alerts.list({ tenantIds, limit: 10_000, ...(open ? { open } : {}) })).find(
          (a) => a.id === params.id,
        );
      const mine = tenantIds.length ? ((await find(true)) ?? (await find())) : undefined;
      if (!mine) return apiError(reply, 404, 'TG_ERR_NOT_FOUND', `no incident ${params.id}`);
      if (mine.acknowledgedAt !== undefined) return { alert: mine, alreadyAcknowledged: true };
      const at = Date.now();
      await store.alerts.acknowledge(mine.id, principal!.username, at);
      return { alert: { ...mine, acknowledgedAt: at, acknowledgedBy: principal!.username } };
    },
  });
}
