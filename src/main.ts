// Composition root: builds the store, the engine, the SIP side and the API from a validated configuration, and
// takes them down in order on shutdown. Nothing else in the code base wires components together.
import type { Config } from './config/schema.js';
import { parseHostPort } from './config/address.js';
import type { Logger } from './log/logger.js';
import { openStore } from './store/index.js';
import { buildApi } from './api/server.js';
import { version } from './version.js';
import { createMetrics } from './metrics.js';

/** A running Tollguard: where it listens, and how to stop it. */
export interface RunningFirewall {
  /** The API/console URL actually bound (the port is known after listen, even when 0 was asked). */
  apiUrl: string;
  stop(): Promise<void>;
}

export async function startFirewall(config: Config, logger: Logger): Promise<RunningFirewall> {
  const store = await openStore(config.store.url);
  // Calls whose end was never seen (a crash, kill -9) are closed and marked, so none stays "live" forever.
  const lost = await store.calls.closeUnfinished(Date.now());
  if (lost > 0) logger.warn({ lost }, 'closed calls left unfinished by the previous run (their end was lost)');

  const metrics = createMetrics();
  const api = buildApi({ store, logger, metrics, tenantIds: () => config.tenants.map((t) => t.id) });
  const listen = parseHostPort(config.api.listen, { listen: true });
  if (!listen) throw new Error(`bad api.listen ${config.api.listen}`); // the schema already refused it
  const apiUrl = await api.listen({ host: listen.host, port: listen.port ?? 8080 });
  logger.info({ version, api: apiUrl, store: store.kind, tenants: config.tenants.length }, 'tollguard started');

  let stopping: Promise<void> | undefined;
  return {
    apiUrl,
    stop: () =>
      (stopping ??= (async () => {
        await api.close();
        await store.close();
        logger.info('tollguard stopped');
      })()),
  };
}
