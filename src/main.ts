// Composition root: builds the store, the engine, the SIP side and the API from a validated configuration, and
// takes them down in order on shutdown. Nothing else in the code base wires components together.
import type { Config } from './config/schema.js';
import { parseHostPort } from './config/address.js';
import type { Logger } from './log/logger.js';
import { openStore } from './store/index.js';
import { buildApi } from './api/server.js';
import { version } from './version.js';
import { createMetrics } from './metrics.js';
import { parseSipListen } from './config/schema.js';
import { SipTransports } from './sip/transport/transports.js';
import type { Endpoint, TransportKind } from './sip/transport/endpoint.js';
import { SideTable } from './adapters/sip-proxy/sides.js';
import { SipProxy, type ProxyTenant } from './adapters/sip-proxy/proxy.js';
import type { CallDecider } from './adapters/decider.js';

/** A running Tollguard: where it listens, and how to stop it. */
export interface RunningFirewall {
  /** The API/console URL actually bound (the port is known after listen, even when 0 was asked). */
  apiUrl: string;
  /** The SIP endpoints actually bound. */
  sip: Endpoint[];
  stop(): Promise<void>;
}

/** What the firewall is built with besides its configuration; tests may replace parts. */
export interface FirewallDeps {
  decider: CallDecider;
}

/**
 * Until the engine is wired in, calls are allowed and recorded with an empty decision: the firewall then traces
 * every call (R-MONITOR) and the rest of the path is exercised.
 */
const allowAll: CallDecider = {
  evaluate: async () => ({ action: 'allow', enforced: true, signals: [] }),
  answered: async () => undefined,
  ended: async () => {},
  tick: async () => [],
};

function endpointOf(hostPort: string, transport: TransportKind): Endpoint {
  const hp = parseHostPort(hostPort)!;
  return { transport, address: hp.host, port: hp.port ?? (transport === 'tls' ? 5061 : 5060) };
}

export async function startFirewall(
  config: Config,
  logger: Logger,
  overrides: Partial<FirewallDeps> = {},
): Promise<RunningFirewall> {
  const deps: FirewallDeps = {
    decider: overrides.decider ?? allowAll,
  };
  const store = await openStore(config.store.url);
  // Calls whose end was never seen (a crash, kill -9) are closed and marked, so none stays "live" forever.
  const lost = await store.calls.closeUnfinished(Date.now());
  if (lost > 0) logger.warn({ lost }, 'closed calls left unfinished by the previous run (their end was lost)');

  const metrics = createMetrics();

  const sides = new SideTable(config.tenants);
  const tenants = new Map<string, ProxyTenant>();
  const listen = config.sip.listen.map((l) => parseSipListen(l)!);
  const defaultTransport: TransportKind = listen[0]?.transport ?? 'udp';
  for (const t of config.tenants) {
    tenants.set(t.id, {
      id: t.id,
      pbx: endpointOf(t.pbx.addresses[0]!, defaultTransport),
      trunk: endpointOf(t.trunk.address, defaultTransport),
      failMode: 'open',
    });
  }
  // The proxy is built after the transports it sends through; messages only arrive once they are started.
  const transports: SipTransports = new SipTransports({
    listen,
    onMessage: (m) => proxy.handle(m),
    onTransportError: (source, reason) => logger.debug({ source, reason }, 'transport error'),
  });
  const proxy = new SipProxy({
    transport: transports,
    sides,
    tenants,
    decider: deps.decider,
    calls: store.calls,
    logger: logger.child({ component: 'proxy' }),
    metrics,
  });
  await transports.start();
  const api = buildApi({ store, logger, metrics, firewall: proxy, tenantIds: () => config.tenants.map((t) => t.id) });
  const apiListen = parseHostPort(config.api.listen, { listen: true });
  if (!apiListen) throw new Error(`bad api.listen ${config.api.listen}`); // the schema already refused it
  const apiUrl = await api.listen({ host: apiListen.host, port: apiListen.port ?? 8080 });
  const sip = transports.localEndpoints;
  logger.info({ version, api: apiUrl, sip, store: store.kind, tenants: config.tenants.length }, 'tollguard started');

  let stopping: Promise<void> | undefined;
  return {
    apiUrl,
    sip,
    stop: () =>
      (stopping ??= (async () => {
        await transports.close();
        await proxy.close();
        await api.close();
        await store.close();
        logger.info('tollguard stopped');
      })()),
  };
}
