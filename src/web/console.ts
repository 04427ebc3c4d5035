// The web console on the API's Fastify instance: its files at `/`, and the API routes only the console needed
// (dashboard, incidents, checking a policy as it is typed). server.ts calls this once.
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../api/server.js';
import type { RouteTable } from '../api/route.js';
import { registerAlertRoutes } from '../api/routes/alerts.js';
import { registerDashboardRoutes } from '../api/routes/dashboard.js';
import { registerPolicyCheckRoute } from '../api/routes/policy-check.js';
import { registerStatic, webRoot } from './static.js';

export function registerConsole(
  app: FastifyInstance,
  table: RouteTable,
  ctx: Pick<ApiContext, 'store' | 'firewall' | 'policies'>,
  root: string | undefined = webRoot(),
): void {
  registerAlertRoutes(app, table, ctx.store);
  registerDashboardRoutes(app, table, {
    store: ctx.store,
    liveCalls: (ids) => ctx.firewall.liveCalls(ids),
    ...(ctx.policies ? { quarantines: (ids: readonly string[]) => ctx.policies!.quarantines(ids) } : {}),
  });
  registerPolicyCheckRoute(app, table);
  registerStatic(app, root);
}
