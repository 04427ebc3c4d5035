// Composition root: builds the store, the engine, the SIP side and the API from a validated configuration, and
// takes them down in order on shutdown. Nothing else in the code base wires components together.
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/schema.js';
import { parseNetwork, parseHostPort } from './config/address.js';
import type { Logger } from './log/logger.js';
import { openStore } from './store/index.js';
import { buildApi } from './api/server.js';
import { version } from './version.js';
import { createMetrics } from './metrics.js';
import { parseSipListen } from './config/schema.js';
import { SipTransports } from './sip/transport/transports.js';
import type { Endpoint, TransportKind } from './sip/transport/endpoint.js';
import type { TimerValues } from './sip/transaction/transactions.js';
import { SideTable } from './adapters/sip-proxy/sides.js';
import { SipProxy, type ProxyTenant } from './adapters/sip-proxy/proxy.js';
import type { CallDecider } from './adapters/decider.js';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { Engine, type TenantSetup } from './engine/index.js';
import { Tariffs, tenantNumbering } from './numbering/index.js';
import type { TenantPolicy } from './engine/policy.js';
import { tenantPolicySchema } from './engine/policy.js';
import { loadConfigFile, formatIssue, type ConfigIssue } from './config/load.js';
import type { PolicyControl } from './api/routes/policy.js';
import type { NewAlert } from './store/alert-fold.js';
import { alertingCallLog, alertOfDecision, alertOfQuarantine } from './alerts/from-calls.js';
import { buildAlerting } from './alerts/setup.js';
import { DigestScheduler } from './alerts/digest-schedule.js';
import { consoleLinks, consoleUrlOf } from './alerts/links.js';
import { EdgeGuard } from './edge/guard.js';
import { alertOfBan, alertOfLock } from './alerts/from-edge.js';
import { Accounts } from './accounts/accounts.js';

/** How often the traffic profiles learned are saved: a crash loses at most this much learning. */
const PROFILE_SAVE_MS = 5 * 60_000;

/** A running Tollguard: where it listens, and how to stop it. */
export interface RunningFirewall {
  /** The API/console URL actually bound (the port is known after listen, even when 0 was asked). */
  apiUrl: string;
  /** The API and console server (tests call it through inject()). */
  http: FastifyInstance;
  /** The SIP endpoints actually bound. */
  sip: Endpoint[];
  /** The engine deciding the calls (absent when a test replaced the decider). */
  engine?: Engine;
  /**
   * Applies a new configuration's policies live, without dropping calls. Throws, keeping the old policies, when a
   * tenant's policy cannot be built. Changes to addresses and tenants need a restart: they are returned, not applied.
   */
  reload(config: Config): { applied: string[]; needRestart: string[] };
  /** The console account a first start made (no account existed), with its password: to be shown once. */
  firstAccount?: { username: string; password: string };
  /** Where the token for this machine's `tollguard` commands was written, if it was. */
  cliTokenFile?: string;
  stop(): Promise<void>;
}

/** What the firewall is built with besides its configuration; tests may replace parts. */
export interface FirewallDeps {
  decider: CallDecider;
  /** SIP timers beyond the configuration's T1 (a test shortens timer C, which no one should configure). */
  timers?: Partial<TimerValues>;
}

/** Options of a start that do not belong in the configuration. */
export interface StartOptions {
  /** Folder files named in the configuration (tariffs) are relative to; the working directory by default. */
  configDir?: string;
  /** The configuration file, re-read on reload (SIGHUP, the API); none in a quick start. */
  configFile?: string;
}

/** Each tenant's policy with the files it names read (the engine reads no files). */
export function tenantSetups(config: Config, configDir = process.cwd()): TenantSetup[] {
  return config.tenants.map((t) => {
    const setup: TenantSetup = { id: t.id, policy: t.policy };
    if (t.policy.tariffs) {
      const file = path.resolve(configDir, t.policy.tariffs);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new Error(`tenants ${t.id}: cannot read the tariffs file ${file}: ${(err as Error).message}`);
      }
      setup.tariffs = Tariffs.fromCsv(text, file, Tariffs.defaults(t.policy.currency));
    }
    return setup;
  });
}

/**
 * A tenant's emergency numbers as the proxy asks when the engine failed: read with the same dial plan the engine's
 * numbering uses (the country's, with the policy's edits), apart from the engine so an engine failure spares them.
 */
function emergencyNumbers(policy: TenantPolicy): (called: string) => boolean {
  const numbering = tenantNumbering(policy);
  return (called) => numbering.classify(called).cls === 'emergency';
}

function endpointOf(hostPort: string, transport: TransportKind): Endpoint {
  const hp = parseHostPort(hostPort)!;
  return { transport, address: hp.host, port: hp.port ?? (transport === 'tls' ? 5061 : 5060) };
}

export async function startFirewall(
  config: Config,
  logger: Logger,
  overrides: Partial<FirewallDeps> = {},
  options: StartOptions = {},
): Promise<RunningFirewall> {
  // Alerts are raised off the call path: queued by the dispatcher, which is built once the store is open.
  let raise = (_a: NewAlert): void => {};
  // Policies are built first: a bad policy stops the start before any socket opens.
  const engine = overrides.decider
    ? undefined
    : new Engine(tenantSetups(config, options.configDir), {
        quarantined: (q) => {
          logger.warn({ quarantine: q }, 'quarantined: further outbound calls refused until released');
          raise(alertOfQuarantine(q));
        },
        // Signals on a live call that ends nothing (spend near a cap); a cut is alerted as the proxy records it.
        liveDecision: (e) => {
          if (e.cut) return;
          const d = e.attempt.destination;
          const spent = engine?.costOf(e.callId, e.time);
          const call = {
            id: e.callId,
            tenantId: e.tenantId,
            direction: e.attempt.direction,
            startedAt: e.attempt.time,
            caller: e.attempt.caller,
            called: e.attempt.called,
            ...(d.e164 !== undefined ? { calledE164: d.e164 } : {}),
            destinationClass: d.cls,
            ...(d.country !== undefined ? { country: d.country } : {}),
            ...(spent ? { estimatedCost: spent.cost, currency: spent.currency } : {}),
          };
          const a = alertOfDecision(
            call,
            { ...e.decision, action: 'alert', signals: e.fresh },
            { at: e.time, price: engine?.priceOf(e.tenantId, d) },
          );
          if (a) raise(a);
        },
      });
  const deps: FirewallDeps = {
    decider: overrides.decider ?? engine!,
  };
  const store = await openStore(config.store.url);
  // Calls whose end was never seen (a crash, kill -9) are closed and marked, so none stays "live" forever.
  const lost = await store.calls.closeUnfinished(Date.now());
  if (lost > 0) logger.warn({ lost }, 'closed calls left unfinished by the previous run (their end was lost)');

  let current = config;
  const accounts = new Accounts(store.accounts, () => current.tenants.map((t) => t.id), {
    lockoutMinutes: config.api.lockoutMinutes,
    sessionHours: config.api.sessionHours,
  });
  const firstAccount = await accounts.ensureFirstAccount();
  if (firstAccount) logger.warn({ username: firstAccount.username }, 'first start: console account created');
  const cliTokenFile = config.api.cliTokenFile
    ? await writeCliToken(accounts, config.api.cliTokenFile, logger)
    : undefined;

  const metrics = createMetrics();
  // Links in alerts point at the console; its port is known once the API listens (below).
  let consoleUrl = config.alerts.consoleUrl;
  const alerting = buildAlerting(
    config,
    store.alerts,
    logger.child({ component: 'alerts' }),
    (channel, ok) => (ok ? metrics.alertsSent : metrics.alertsFailed).inc({ channel }),
    () => consoleUrl,
  );
  raise = (a) => {
    alerting.dispatcher.raise(a).catch((err: unknown) => logger.error({ err, alert: a.title }, 'alert not stored'));
  };

  const sides = new SideTable(config.tenants);
  const proxyTenants = new Map<string, ProxyTenant>();
  const listen = config.sip.listen.map((l) => parseSipListen(l)!);
  const defaultTransport: TransportKind = listen[0]?.transport ?? 'udp';
  for (const t of config.tenants) {
    proxyTenants.set(t.id, {
      id: t.id,
      pbx: endpointOf(t.pbx.addresses[0]!, defaultTransport),
      trunk: endpointOf(t.trunk.address, defaultTransport),
      failMode: t.policy.failMode,
      isEmergency: emergencyNumbers(t.policy),
    });
  }
  // The edge guard: bans kept in the store come back; new bans are kept, logged, counted and alerted (a scan is one
  // incident per signal, firewall-wide).
  const edge = new EdgeGuard(config.edge, (address) => sides.lookup(address) !== undefined, {
    banned: (ban) => {
      metrics.bans.inc({ signal: ban.signal });
      logger.warn({ ban }, 'source banned');
      proxy.track(store.bans.put(ban));
      raise(alertOfBan(ban));
    },
    locked: (l) => {
      logger.warn({ lock: l }, 'username locked after failed authentications');
      raise(alertOfLock(l));
    },
  });
  await store.bans.purge(Date.now() - 7 * 86_400_000);
  // Retention (R-CONFIDENTIAL): each tenant's old records go, now and once a day.
  const purgeOld = async (): Promise<void> => {
    for (const t of config.tenants) {
      const n = await store.calls.purge(t.id, Date.now() - t.retentionDays * 86_400_000);
      if (n > 0) logger.info({ tenant: t.id, deleted: n, retentionDays: t.retentionDays }, 'old call records purged');
    }
    await accounts.purgeSessions();
  };
  await purgeOld();
  const purgeTimer = setInterval(
    () => void purgeOld().catch((err: unknown) => logger.error({ err }, 'purge failed')),
    86_400_000,
  );
  purgeTimer.unref();
  edge.restore(await store.bans.list());
  // Traffic profiles (R-ANOMALY) come back from the store, so no warm-up starts again; what the engine learns is
  // saved in the background, the scopes that changed only, every PROFILE_SAVE_MS and at stop.
  const saveProfiles = async (): Promise<void> => {
    if (!engine) return;
    const now = Date.now();
    const rows = engine.profileChanges().map((c) => ({ ...c, updatedAt: now }));
    if (rows.length) await store.profiles.save(rows);
  };
  if (engine) {
    for (const t of config.tenants) {
      const n = engine.restoreProfile(t.id, await store.profiles.load(t.id));
      if (n > 0) logger.info({ tenant: t.id, scopes: n }, 'traffic profile restored');
    }
  }
  const profileTimer = setInterval(
    () => void saveProfiles().catch((err: unknown) => logger.error({ err }, 'profiles not saved')),
    PROFILE_SAVE_MS,
  );
  profileTimer.unref();
  const remote = config.tenants.find((t) => t.remoteUsers);
  // The proxy is built after the transports it sends through; messages only arrive once they are started.
  const transports: SipTransports = new SipTransports({
    listen,
    onMessage: (m) => proxy.handle(m),
    onTransportError: (source, reason) => logger.debug({ source, reason }, 'transport error'),
  });
  const proxy = new SipProxy({
    transport: transports,
    sides,
    tenants: proxyTenants,
    decider: deps.decider,
    calls: alertingCallLog(store.calls, (a) => raise(a), {
      ...(engine ? { priceOf: (id, d) => engine.priceOf(id, d) } : {}),
    }),
    logger: logger.child({ component: 'proxy' }),
    metrics,
    edge,
    rejectStatus: config.sip.rejectStatus,
    unknownSource: config.sip.unknownSource,
    decisionTimeoutMs: config.sip.decisionTimeoutMs,
    timers: { ...overrides.timers, T1: config.sip.t1Ms },
    ...(remote ? { remoteTenant: proxyTenants.get(remote.id)! } : {}),
  });
  await transports.start();
  const reload = (next: Config): { applied: string[]; needRestart: string[] } => {
    const needRestart: string[] = [];
    const policyless = (c: Config) =>
      JSON.stringify({ ...c, log: undefined, tenants: c.tenants.map((t) => ({ ...t, policy: undefined })) });
    if (policyless(next) !== policyless(current)) needRestart.push('addresses, tenants, store, API or SIP settings');
    // Only tenants that exist now get their new policy; new tenants wait for a restart (their addresses are not routed).
    const tenants = current.tenants.map((c) => next.tenants.find((n) => n.id === c.id) ?? c);
    const applied = tenants
      .filter((t, i) => JSON.stringify(t.policy) !== JSON.stringify(current.tenants[i]!.policy))
      .map((t) => t.id);
    if (engine && applied.length > 0) engine.configure(tenantSetups({ ...current, tenants }, options.configDir));
    // What the proxy itself reads of a policy (when the engine fails) follows it too.
    for (const t of tenants) {
      const pt = proxyTenants.get(t.id);
      if (!pt || !applied.includes(t.id)) continue;
      pt.failMode = t.policy.failMode;
      pt.isEmergency = emergencyNumbers(t.policy);
    }
    current = { ...current, tenants };
    logger.info({ applied, needRestart }, 'policies reloaded');
    return { applied, needRestart };
  };
  const issuesOf = (err: unknown) => [{ path: '', message: (err as Error).message }];
  const policies: PolicyControl | undefined = engine && {
    get: (id) => current.tenants.find((t) => t.id === id)?.policy,
    apply: (id, input) => {
      const parsed = tenantPolicySchema.safeParse(input);
      if (!parsed.success) {
        return { ok: false, issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
      }
      try {
        const tenants = current.tenants.map((t) => (t.id === id ? { ...t, policy: parsed.data } : t));
        reload({ ...current, tenants });
        return { ok: true, policy: parsed.data };
      } catch (err) {
        return { ok: false, issues: issuesOf(err) };
      }
    },
    reloadFile: () => {
      if (!options.configFile)
        return { ok: false, issues: [{ path: '', message: 'started without a configuration file' }] };
      try {
        return { ok: true, ...reload(loadConfigFile(options.configFile)) };
      } catch (err) {
        const listed = (err as { details?: unknown }).details;
        if (Array.isArray(listed)) {
          return {
            ok: false,
            issues: (listed as ConfigIssue[]).map((i) => ({ path: i.path, message: formatIssue(i) })),
          };
        }
        return { ok: false, issues: issuesOf(err) };
      }
    },
    quarantines: (ids) => engine.quarantines(ids ? [...ids] : undefined),
    release: (id, extension, by) => {
      const n = engine.release(id, extension);
      logger.warn({ tenant: id, extension, released: n, by }, 'quarantine released');
      return n;
    },
  };
  const api = buildApi({
    store,
    logger,
    metrics,
    firewall: proxy,
    tenantIds: () => current.tenants.map((t) => t.id),
    tenantName: (id) => current.tenants.find((t) => t.id === id)?.name,
    accounts,
    publicMetrics: config.api.publicMetrics,
    ...(policies ? { policies } : {}),
    tenantSetup: (id) =>
      tenantSetups({ ...current, tenants: current.tenants.filter((t) => t.id === id) }, options.configDir)[0],
    bans: {
      list: () => ({ bans: edge.list(Date.now()), locked: edge.lockedUsers(Date.now()) }),
      add: async (address, minutes, reason, by) => {
        const net = parseNetwork(address);
        if (!net) return `${address} is not an IP address or network`;
        // (A network may hold a PBX or trunk address: those stay spared whatever is banned around them.)
        if (sides.lookup(address.split('/')[0]!) && net.prefix === (net.family === 4 ? 32 : 128)) {
          return `${address} is a PBX or trunk address of a tenant: it is never banned`;
        }
        return edge.banManually(address, minutes, reason, by, Date.now());
      },
      lift: async (address) => {
        const lifted = edge.lift(address);
        const stored = await store.bans.remove(address);
        if (lifted || stored) logger.warn({ address }, 'ban lifted');
        return lifted || stored;
      },
    },
  });
  const apiListen = parseHostPort(config.api.listen, { listen: true });
  if (!apiListen) throw new Error(`bad api.listen ${config.api.listen}`); // the schema already refused it
  const apiUrl = await api.listen({ host: apiListen.host, port: apiListen.port ?? 8080 });
  consoleUrl = consoleUrlOf(config.alerts.consoleUrl, config.api.listen, Number(new URL(apiUrl).port));
  // Digests (R-REVIEW), off the call path: a timer, the call log read an hour at a time.
  const digests = new DigestScheduler({
    store,
    dispatcher: alerting.dispatcher,
    tenants: alerting.digestTenants,
    top: config.alerts.digest.top,
    logger: logger.child({ component: 'digests' }),
    links: () => (consoleUrl ? consoleLinks(consoleUrl) : undefined),
  });
  digests.start();
  const sip = transports.localEndpoints;
  logger.info({ version, api: apiUrl, sip, store: store.kind, tenants: config.tenants.length }, 'tollguard started');

  let stopping: Promise<void> | undefined;
  return {
    apiUrl,
    http: api,
    sip,
    ...(engine ? { engine } : {}),
    ...(firstAccount ? { firstAccount } : {}),
    ...(cliTokenFile ? { cliTokenFile } : {}),
    reload,
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(purgeTimer);
        clearInterval(profileTimer);
        await proxy.drain(config.sip.stopGraceSeconds * 1000);
        await proxy.flush();
        await saveProfiles().catch((err: unknown) => logger.error({ err }, 'profiles not saved'));
        await transports.close();
        await proxy.close();
        await api.close();
        // Closing the dispatcher gives up a digest's retries, so the digest check under way ends too.
        await Promise.all([digests.stop(), alerting.close()]);
        await store.close();
        logger.info('tollguard stopped');
      })()),
  };
}

/**
 * Writes a fresh API token of an integrator of every tenant to `file` (mode 0600), for the `tollguard` commands run
 * on this machine; the previous token this machine wrote is revoked. Skipped, with a warning, when no such account
 * exists or the file cannot be written: the commands then need --token.
 */
async function writeCliToken(accounts: Accounts, file: string, logger: Logger): Promise<string | undefined> {
  const name = `tollguard commands on ${hostname()}`;
  const integrator = (await accounts.list()).find((a) => a.role === 'integrator' && a.tenants.includes('*'));
  if (!integrator) {
    logger.warn({ file }, 'no integrator of every tenant: no API token written for the local commands');
    return undefined;
  }
  for (const t of await accounts.tokens()) if (t.name === name) await accounts.removeToken(t.id);
  const { token } = await accounts.createToken(integrator.id, name);
  try {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    return path.resolve(file);
  } catch (err) {
    logger.warn({ file, err: (err as Error).message }, 'the API token for the local commands could not be written');
    return undefined;
  }
}
