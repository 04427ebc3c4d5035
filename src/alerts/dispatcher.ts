// Takes alerts as the engine and the firewall raise them, folds them into incidents in the store, and tells people
// through the tenant's channels: at once for a new incident, then at most one update per interval (unless it grows
// more severe), so one attack is one alert with updates, not five hundred mails. Delivery is queued and retried with
// backoff; a failing channel is logged and counted, and never blocks call handling. Digests go through the same
// queue and retries.
import type { Logger } from '../log/logger.js';
import type { AlertLog, AlertRecord, Severity } from '../store/ports.js';
import type { NewAlert } from '../store/alert-fold.js';
import { SEVERITY_RANK } from '../store/alert-fold.js';
import { atLeast, type AlertChannel } from './types.js';
import type { Digest } from './digest.js';

export interface Route {
  channel: AlertChannel;
  /** Least severe alert this channel receives. */
  minSeverity: Severity;
  /** False: this channel gets no digests. Default true. */
  digests?: boolean;
}

export interface DispatcherOptions {
  alerts: AlertLog;
  logger: Logger;
  /** The channels of a tenant (its own, or the defaults). */
  routesFor: (tenantId: string) => Route[];
  tenantName: (tenantId: string) => string;
  /** Console URL of an alert, when the console's public address is known. */
  linkFor?: (alert: AlertRecord) => string | undefined;
  /** Least time between two updates of one incident on a channel (ms); default 5 minutes. */
  updateIntervalMs?: number;
  /** Attempts per delivery, first included; default 5. */
  maxAttempts?: number;
  /** First retry delay (ms), doubled each time; default 1 s. */
  retryBaseMs?: number;
  /** Deliveries waiting at once; beyond it the oldest updates are dropped (counted). Default 10,000. */
  maxQueue?: number;
  now?: () => number;
  /** Told of each delivery's outcome (metrics): `ok` true once sent, false once given up. */
  delivered?: (channel: string, ok: boolean) => void;
}

export interface DispatcherStats {
  sent: number;
  failed: number;
  retried: number;
  dropped: number;
  suppressed: number;
}

/** One message to one channel, with what to call it in logs, and who waits for its outcome (digests). */
interface Delivery {
  route: Route;
  what: string;
  send: () => Promise<void>;
  attempt: number;
  settled?: (ok: boolean) => void;
}

export class AlertDispatcher {
  readonly stats: DispatcherStats = { sent: 0, failed: 0, retried: 0, dropped: 0, suppressed: 0 };
  /** Per channel and incident: when it was last told, at which severity. */
  private readonly lastTold = new Map<string, { at: number; rank: number }>();
  private readonly queue: Delivery[] = [];
  private inFlight = 0;
  /** Deliveries waiting for their retry. */
  private readonly timers = new Map<NodeJS.Timeout, Delivery>();
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly o: DispatcherOptions) {}

  /** Records the alert (folding it into its incident) and schedules the notifications; resolves once stored. */
  async raise(alert: NewAlert): Promise<AlertRecord> {
    const stored = await this.o.alerts.raise(alert);
    if (this.closed) return stored;
    const now = (this.o.now ?? Date.now)();
    const interval = this.o.updateIntervalMs ?? 5 * 60_000;
    this.o.routesFor(stored.tenantId).forEach((route, index) => {
      if (!atLeast(stored.severity, route.minSeverity)) return;
      const key = `${index}:${route.channel.kind}:${stored.id}`;
      const last = this.lastTold.get(key);
      const rank = SEVERITY_RANK[stored.severity];
      if (last && now - last.at < interval && rank <= last.rank) {
        this.stats.suppressed++;
        return;
      }
      this.lastTold.set(key, { at: now, rank });
      const n = {
        alert: stored,
        kind: stored.count === 1 ? ('new' as const) : ('update' as const),
        tenantName: this.o.tenantName(stored.tenantId),
        link: this.o.linkFor?.(stored),
      };
      this.enqueue({ route, attempt: 1, what: `alert ${stored.id}`, send: () => route.channel.send(n) });
    });
    if (this.lastTold.size > 100_000) this.lastTold.clear(); // bounded: worst case one extra update
    return stored;
  }

  /**
   * Sends a digest through the tenant's channels that take digests; resolves once each delivery succeeded or was
   * given up, with how many did which (none at all when the tenant has no such channel).
   */
  digest(d: Digest): Promise<{ sent: number; failed: number }> {
    const routes = this.closed
      ? []
      : this.o.routesFor(d.tenantId).filter((r) => r.digests !== false && r.channel.sendDigest);
    const outcome = { sent: 0, failed: 0 };
    if (routes.length === 0) return Promise.resolve(outcome);
    return new Promise((resolve) => {
      let left = routes.length;
      for (const route of routes) {
        this.enqueue({
          route,
          attempt: 1,
          what: `digest ${d.tenantId}/${d.period}/${d.start}`,
          send: () => route.channel.sendDigest!(d),
          settled: (ok) => {
            outcome[ok ? 'sent' : 'failed']++;
            if (--left === 0) resolve(outcome);
          },
        });
      }
    });
  }

  /** Resolves when nothing is queued, in flight or waiting for a retry (tests, shutdown). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0 && this.timers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops retrying; gives in-flight deliveries up to `graceMs` to finish. */
  async close(graceMs = 5_000): Promise<void> {
    this.closed = true;
    for (const [t, d] of this.timers) {
      clearTimeout(t);
      d.settled?.(false);
    }
    this.timers.clear();
    await Promise.race([this.idle(), new Promise((r) => setTimeout(r, graceMs).unref())]);
  }

  private enqueue(d: Delivery): void {
    if (this.queue.length >= (this.o.maxQueue ?? 10_000)) {
      this.queue.shift()!.settled?.(false);
      this.stats.dropped++;
    }
    this.queue.push(d);
    this.pump();
  }

  private pump(): void {
    // A few deliveries at once: enough for several channels, not a flood of sockets.
    while (this.inFlight < 4 && this.queue.length > 0) {
      const d = this.queue.shift()!;
      this.inFlight++;
      d.send()
        .then(
          () => {
            this.stats.sent++;
            this.o.delivered?.(d.route.channel.kind, true);
            d.settled?.(true);
          },
          (err: unknown) => this.retry(d, err),
        )
        .finally(() => {
          this.inFlight--;
          this.pump();
          this.checkIdle();
        });
    }
  }

  private retry(d: Delivery, err: unknown): void {
    const max = this.o.maxAttempts ?? 5;
    const log = { channel: d.route.channel.kind, what: d.what, attempt: d.attempt, err: (err as Error).message };
    if (d.attempt >= max || this.closed) {
      this.stats.failed++;
      this.o.delivered?.(d.route.channel.kind, false);
      this.o.logger.error(log, 'alert delivery failed for good');
      d.settled?.(false);
      return;
    }
    this.stats.retried++;
    this.o.logger.warn(log, 'alert delivery failed; will retry');
    const delay = (this.o.retryBaseMs ?? 1000) * 2 ** (d.attempt - 1);
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.enqueue({ ...d, attempt: d.attempt + 1 });
    }, delay);
    this.timers.set(t, d);
  }

  private checkIdle(): void {
    if (this.queue.length === 0 && this.inFlight === 0 && this.timers.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
