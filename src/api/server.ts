// The HTTP side: REST API and console on one Fastify instance. Routes are added here as the API grows; tests call
// them through inject() without opening a port.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/ports.js';
import type { Metrics } from '../metrics.js';
import type { LiveCall } from '../adapters/sip-proxy/proxy.js';
import type { DecisionView } from '../adapters/decider.js';
import { version } from '../version.js';
import { registerPolicyRoutes, type PolicyControl } from './routes/policy.js';
import { registerBanRoutes, type BanControl } from './routes/bans.js';
import { registerCallRoutes } from './routes/calls.js';

export interface ApiContext {
  store: Store;
  logger: Logger;
  /** Ids of the tenants this firewall protects. */
  tenantIds: () => string[];
  metrics: Metrics;
  /** The live side of the firewall: its calls, and cutting one by hand. */
  firewall: {
    liveCalls(tenantIds?: readonly string[]): LiveCall[];
    cut(callId: string, decision: DecisionView): boolean;
  };
  /** Policies and quarantines (absent when no engine runs, e.g. a test with its own decider). */
  policies?: PolicyControl;
  /** Bans at the SIP edge. */
  bans?: BanControl;
}

export function buildApi(ctx: ApiContext): FastifyInstance {
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.logger.child({ component: 'api' }) as FastifyBaseLogger,
    // One line per request would drown the call log lines; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
  }) as unknown as FastifyInstance;
  app.get('/api/health', async () => ({
    status: 'ok',
    version,
    store: ctx.store.kind,
    tenants: ctx.tenantIds().length,
  }));
  app.get('/api/calls/live', async () => ({ calls: ctx.firewall.liveCalls() }));
  app.post<{ Params: { id: string } }>('/api/calls/:id/cut', async (req, reply) => {
    const decision: DecisionView = {
      action: 'cut',
      enforced: true,
      signals: [
        { rule: 'manual', signal: 'MANUAL_CUT', action: 'cut', severity: 'high', message: 'cut by hand from the API' },
      ],
    };
    if (!ctx.firewall.cut(req.params.id, decision)) {
      return reply.code(404).send({ code: 'TG_ERR_NOT_FOUND', message: `no live call ${req.params.id}` });
    }
    return { ok: true };
  });
  if (ctx.policies) registerPolicyRoutes(app, ctx.policies, ctx.tenantIds);
  if (ctx.bans) registerBanRoutes(app, ctx.bans);
  registerCallRoutes(app, ctx.store, ctx.tenantIds);
  app.get('/metrics', async (_req, reply) => {
    reply.type(ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
  return app;
}
