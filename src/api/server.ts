// The HTTP side: REST API and console on one Fastify instance. Every route is declared with `route()` (its access
// level and schemas) after the authentication hook; tests call them through inject() without opening a port.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/ports.js';
import type { Metrics } from '../metrics.js';
import type { LiveCall } from '../adapters/sip-proxy/proxy.js';
import type { DecisionView } from '../adapters/decider.js';
import { version } from '../version.js';
import { registerPolicyRoutes, type PolicyControl } from './routes/policy.js';
import { registerBanRoutes, type BanControl } from './routes/bans.js';
import { registerCallRoutes } from './routes/calls.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerReplayRoutes } from './routes/replay.js';
import type { TenantSetup } from '../engine/index.js';
import { registerAccountRoutes } from './routes/accounts.js';
import { registerAuth } from './auth.js';
import { Accounts } from '../accounts/accounts.js';
import { openApiDocument, route, RouteTable } from './route.js';
import { registerConsole } from '../web/console.js';

export interface ApiContext {
  store: Store;
  logger: Logger;
  /** Ids of the tenants this firewall protects. */
  tenantIds: () => string[];
  /** A tenant's name for people, when it has one. */
  tenantName?: (id: string) => string | undefined;
  metrics: Metrics;
  /** Accounts, sessions and tokens (built over `store.accounts` when not given). */
  accounts?: Accounts;
  /** Whether /metrics answers without credentials (a Prometheus on a trusted network); off by default. */
  publicMetrics?: boolean;
  /** The live side of the firewall: its calls, and cutting one by hand. */
  firewall: {
    liveCalls(tenantIds?: readonly string[]): LiveCall[];
    cut(callId: string, decision: DecisionView): boolean;
  };
  /** Policies and quarantines (absent when no engine runs, e.g. a test with its own decider). */
  policies?: PolicyControl;
  /** Bans at the SIP edge. */
  bans?: BanControl;
  /** A tenant's current policy with the files it names read (tariffs), for replays; else `policies` is used. */
  tenantSetup?: (tenantId: string) => TenantSetup | undefined;
}

export function buildApi(ctx: ApiContext): FastifyInstance {
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.logger.child({ component: 'api' }) as FastifyBaseLogger,
    // One line per request would drown the call log lines; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
  }) as unknown as FastifyInstance;
  const table = new RouteTable();
  const accounts = ctx.accounts ?? new Accounts(ctx.store.accounts, ctx.tenantIds);
  registerAuth(app, table, accounts, ctx.tenantName ?? (() => undefined), ctx.logger.child({ component: 'auth' }));

  route(app, table, {
    method: 'GET',
    url: '/api/health',
    tag: 'firewall',
    summary: 'Whether the firewall is up (no login needed)',
    access: 'public',
    handler: async () => ({ status: 'ok', version, store: ctx.store.kind, tenants: ctx.tenantIds().length }),
  });
  route(app, table, {
    method: 'GET',
    url: '/api/openapi.json',
    tag: 'firewall',
    summary: 'This document',
    access: 'public',
    handler: async () => openApiDocument(table, { version }),
  });
  route(app, table, {
    method: 'GET',
    url: '/api/calls/live',
    tag: 'calls',
    summary: 'Calls up now (being set up or answered), of the tenants this account sees',
    access: 'read',
    handler: async ({ principal }) => ({ calls: ctx.firewall.liveCalls(principal!.tenantIds()) }),
  });
  route(app, table, {
    method: 'POST',
    url: '/api/calls/:id/cut',
    tag: 'calls',
    summary: 'Cut a live call by hand (BYE on both legs, or CANCEL before answer)',
    access: 'write',
    params: z.object({ id: z.string().min(1) }),
    handler: async ({ params, principal }, reply) => {
      const decision: DecisionView = {
        action: 'cut',
        enforced: true,
        signals: [
          {
            rule: 'manual',
            signal: 'MANUAL_CUT',
            action: 'cut',
            severity: 'high',
            message: `cut by hand by ${principal!.username}`,
          },
        ],
      };
      const mine = ctx.firewall.liveCalls(principal!.tenantIds()).some((c) => c.id === params.id);
      if (!mine || !ctx.firewall.cut(params.id, decision)) {
        return reply.code(404).send({ code: 'TG_ERR_NOT_FOUND', message: `no live call ${params.id}` });
      }
      return { ok: true };
    },
  });
  route(app, table, {
    method: 'GET',
    url: '/api/tenants',
    tag: 'policy',
    summary: 'The tenants this account sees: id, name, country and mode of their policy',
    access: 'read',
    handler: async ({ principal }) => ({
      tenants: principal!.tenantIds().map((id) => {
        const p = ctx.policies?.get(id);
        return { id, name: ctx.tenantName?.(id) ?? id, ...(p ? { country: p.country, mode: p.mode } : {}) };
      }),
    }),
  });
  registerAccountRoutes(app, table, accounts);
  if (ctx.policies) registerPolicyRoutes(app, table, ctx.policies);
  if (ctx.bans) registerBanRoutes(app, table, ctx.bans);
  registerCallRoutes(app, table, ctx.store);
  registerAuditRoutes(app, table, ctx);
  registerReplayRoutes(app, table, ctx);
  registerConsole(app, table, ctx);
  route(app, table, {
    method: 'GET',
    url: '/metrics',
    tag: 'firewall',
    summary: 'Prometheus metrics (an integrator of every tenant, or anyone when api.publicMetrics is on)',
    access: ctx.publicMetrics ? 'public' : 'integrator',
    produces: 'text/plain',
    handler: async ({ principal }, reply) => {
      if (!ctx.publicMetrics && !principal!.seesAll()) {
        return reply.code(403).send({ code: 'TG_ERR_FORBIDDEN', message: 'metrics cover every tenant' });
      }
      reply.type(ctx.metrics.registry.contentType);
      return ctx.metrics.registry.metrics();
    },
  });
  return app;
}
