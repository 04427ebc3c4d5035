// Prometheus metrics (prom-client): one registry per running firewall, so tests can start several side by side.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  /** Calls by direction and decision (allow, alert, reject, cut, quarantine). */
  calls: Counter<'tenant' | 'direction' | 'action'>;
  liveCalls: Gauge<'tenant'>;
  /** Signals raised by rules. */
  signals: Counter<'rule' | 'signal'>;
  /** SIP messages refused by the SIP layer, by code (bad input is evidence). */
  sipErrors: Counter<'code'>;
  /** Requests from addresses that are neither PBX nor trunk. */
  unknownSources: Counter;
  /** Requests the edge guard refused (banned source, locked username), by the signal that decided. */
  edgeRefused: Counter<'signal'>;
  /** Bans set at the edge, by signal. */
  bans: Counter<'signal'>;
  alertsSent: Counter<'channel'>;
  alertsFailed: Counter<'channel'>;
  /** Time from an INVITE's arrival to its forwarding (or refusal), seconds. */
  setupSeconds: Histogram;
  storeSeconds: Histogram<'op'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  // Process metrics include event-loop lag, which is what a slow firewall shows first.
  collectDefaultMetrics({ register: registry, prefix: 'tollguard_' });
  return {
    registry,
    calls: new Counter({
      name: 'tollguard_calls_total',
      help: 'Calls by tenant, direction and decision',
      labelNames: ['tenant', 'direction', 'action'],
      registers: [registry],
    }),
    liveCalls: new Gauge({
      name: 'tollguard_live_calls',
      help: 'Calls being set up or in progress',
      labelNames: ['tenant'],
      registers: [registry],
    }),
    signals: new Counter({
      name: 'tollguard_signals_total',
      help: 'Signals raised by rules',
      labelNames: ['rule', 'signal'],
      registers: [registry],
    }),
    edgeRefused: new Counter({
      name: 'tollguard_edge_refused_total',
      help: 'Requests refused at the SIP edge (banned source, locked username), by signal',
      labelNames: ['signal'],
      registers: [registry],
    }),
    bans: new Counter({
      name: 'tollguard_bans_total',
      help: 'Sources banned at the SIP edge, by signal',
      labelNames: ['signal'],
      registers: [registry],
    }),
    sipErrors: new Counter({
      name: 'tollguard_sip_errors_total',
      help: 'SIP messages refused, by code',
      labelNames: ['code'],
      registers: [registry],
    }),
    unknownSources: new Counter({
      name: 'tollguard_unknown_source_requests_total',
      help: 'Requests from addresses that are neither PBX nor trunk',
      registers: [registry],
    }),
    alertsSent: new Counter({
      name: 'tollguard_alerts_sent_total',
      help: 'Alert notifications delivered',
      labelNames: ['channel'],
      registers: [registry],
    }),
    alertsFailed: new Counter({
      name: 'tollguard_alerts_failed_total',
      help: 'Alert notifications given up',
      labelNames: ['channel'],
      registers: [registry],
    }),
    setupSeconds: new Histogram({
      name: 'tollguard_setup_seconds',
      help: 'Time from an INVITE arriving to it being forwarded or refused',
      buckets: [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.1, 0.5],
      registers: [registry],
    }),
    storeSeconds: new Histogram({
      name: 'tollguard_store_seconds',
      help: 'Store operation latency',
      labelNames: ['op'],
      buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1],
      registers: [registry],
    }),
  };
}
