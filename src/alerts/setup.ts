// Builds the alert dispatcher from the configuration: one channel per `alerts.channels` entry, each tenant routed
// to the channels it names (all of them by default), each channel with its least severity; and each tenant's digest
// times (its own over `alerts.digest`).
import type { Config, AlertChannelConfig, TenantConfig } from '../config/schema.js';
import { defaultTimeZone } from '../engine/policy.js';
import type { Logger } from '../log/logger.js';
import type { AlertLog } from '../store/ports.js';
import { AlertDispatcher, type Route } from './dispatcher.js';
import type { AlertChannel } from './types.js';
import { FIREWALL } from './from-edge.js';
import { smtpChannel } from './channels/smtp.js';
import { webhookChannel } from './channels/webhook.js';
import { syslogChannel } from './channels/syslog.js';
import { parseDigestTime, type DigestTime } from './digest.js';
import type { ScheduledTenant } from './digest-schedule.js';
import { consoleLinks } from './links.js';

export function channelOf(c: AlertChannelConfig): AlertChannel {
  switch (c.type) {
    case 'smtp':
      return smtpChannel({
        host: c.host,
        port: c.port,
        secure: c.secure,
        requireTls: c.requireTls,
        allowSelfSigned: c.allowSelfSigned,
        from: c.from,
        to: c.to,
        ...(c.user !== undefined ? { user: c.user, password: c.password ?? '' } : {}),
      });
    case 'webhook':
      return webhookChannel({ url: c.url, shape: c.shape, ...(c.secret ? { secret: c.secret } : {}) });
    case 'syslog':
      return syslogChannel({ host: c.host, port: c.port, protocol: c.protocol, facility: c.facility });
  }
}

/** A tenant as its digests describe it, with its digest times: its own, else `alerts.digest`'s. */
export function digestTenantOf(config: Config, t: TenantConfig): ScheduledTenant {
  const own = t.alerts.digest ?? {};
  const times: DigestTime[] = [];
  const daily = own.daily ?? config.alerts.digest.daily;
  const weekly = own.weekly ?? config.alerts.digest.weekly;
  if (daily) times.push(parseDigestTime('day', daily)!); // the schema checked both
  if (weekly) times.push(parseDigestTime('week', weekly)!);
  return {
    id: t.id,
    name: t.name ?? t.id,
    timeZone: t.policy.timezone ?? defaultTimeZone(t.policy.country),
    currency: t.policy.currency,
    mode: t.policy.mode,
    times,
  };
}

/** Alerting as configured: the dispatcher, and how to stop it (in-flight deliveries, then the channels). */
export interface Alerting {
  dispatcher: AlertDispatcher;
  /** Tenants with digest times and a channel that takes digests: what the digest scheduler runs on. */
  digestTenants: ScheduledTenant[];
  close(): Promise<void>;
}

/**
 * The dispatcher for `config`; channels are built once and shared by the tenants that use them. `consoleUrl` is
 * asked for at each alert: the console's address may only be known once the API listens.
 */
export function buildAlerting(
  config: Config,
  alerts: AlertLog,
  logger: Logger,
  delivered?: (channel: string, ok: boolean) => void,
  consoleUrl?: () => string | undefined,
): Alerting {
  const channels = new Map(
    config.alerts.channels.map((c) => [
      c.id,
      { route: { channel: channelOf(c), minSeverity: c.minSeverity, digests: c.digests } },
    ]),
  );
  const routes = new Map<string, Route[]>();
  for (const t of config.tenants) {
    const ids = t.alerts.channels ?? [...channels.keys()];
    routes.set(
      t.id,
      ids.map((id) => channels.get(id)!.route),
    );
  }
  const names = new Map(config.tenants.map((t) => [t.id, t.name ?? t.id]));
  const dispatcher = new AlertDispatcher({
    alerts,
    logger,
    // Firewall-wide alerts (bans, locks) go to every channel.
    routesFor: (id) => routes.get(id) ?? (id === FIREWALL ? [...channels.values()].map((c) => c.route) : []),
    tenantName: (id) => names.get(id) ?? (id === FIREWALL ? 'Tollguard firewall' : id),
    updateIntervalMs: config.alerts.updateMinutes * 60_000,
    ...(delivered ? { delivered } : {}),
    linkFor: (a) => {
      const url = consoleUrl?.();
      return url ? consoleLinks(url).incident(a.id) : undefined;
    },
  });
  return {
    dispatcher,
    digestTenants: config.tenants
      .map((t) => digestTenantOf(config, t))
      .filter((t) => t.times.length > 0 && routes.get(t.id)!.some((r) => r.digests !== false)),
    close: async () => {
      await dispatcher.close();
      await Promise.all([...channels.values()].map((c) => c.route.channel.close?.()));
    },
  };
}
