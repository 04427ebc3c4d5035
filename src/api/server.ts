// The HTTP side: REST API and console on one Fastify instance. Routes are added here as the API grows; tests call
// them through inject() without opening a port.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/ports.js';
import type { Metrics } from '../metrics.js';
import { version } from '../version.js';

export interface ApiContext {
  store: Store;
  logger: Logger;
  /** Ids of the tenants this firewall protects. */
  tenantIds: () => string[];
  metrics: Metrics;
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
  app.get('/metrics', async (_req, reply) => {
    reply.type(ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
  return app;
}
