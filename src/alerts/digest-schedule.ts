// Sends each tenant's digests when due, once. The store remembers each digest claimed and sent, so a restart
// neither sends one twice nor skips one (the periods missed while stopped are sent on start, the newest few, and the
// older ones are logged as skipped), and nodes sharing a PostgreSQL store send it once between them. A digest whose
// every channel failed stays claimed and unsent, and is tried again once its claim is stale. All of it runs off the
// call path: a timer, one check at a time, the call log read an hour of calls per query.
import type { Logger } from '../log/logger.js';
import type { DigestPeriod, Store } from '../store/ports.js';
import { LocalClock } from '../engine/local-time.js';
import type { AlertDispatcher } from './dispatcher.js';
import { computeDigest, duePeriods, windowOf, type DigestTenant, type DigestTime } from './digest.js';
import type { ConsoleLinks } from './links.js';

/** A tenant with its digest times (none: no digests). */
export interface ScheduledTenant extends DigestTenant {
  times: DigestTime[];
}

export interface DigestSchedulerOptions {
  store: Pick<Store, 'calls' | 'alerts' | 'digests'>;
  dispatcher: Pick<AlertDispatcher, 'digest'>;
  tenants: ScheduledTenant[];
  /** Rows per destination list and open incidents listed. */
  top: number;
  logger: Logger;
  /** Console links, once the console's address is known. */
  links?: () => ConsoleLinks | undefined;
  now?: () => number;
  /** How often due digests are looked for (ms); default one minute. */
  checkEveryMs?: number;
  /** An unsent claim older than this is taken again (ms); default 30 minutes. */
  staleMs?: number;
  /** Missed periods sent after a stop, the newest ones: default 7 days and 4 weeks. */
  catchUp?: Record<DigestPeriod, number>;
}

export class DigestScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly clocks = new Map<string, LocalClock>();

  constructor(private readonly o: DigestSchedulerOptions) {}

  /** Checks now, then every `checkEveryMs`; a check still running when the next is due is not doubled. */
  start(): void {
    if (this.o.tenants.length === 0) return;
    const tick = (): void => {
      if (this.running || this.stopped) return;
      this.running = this.check()
        .then(() => undefined)
        .catch((err: unknown) => this.o.logger.error({ err }, 'digest check failed'))
        .finally(() => (this.running = undefined));
    };
    this.timer = setInterval(tick, this.o.checkEveryMs ?? 60_000);
    this.timer.unref();
    tick();
  }

  /** Sends every digest due now; returns how many were sent. */
  async check(): Promise<number> {
    const now = (this.o.now ?? Date.now)();
    let sent = 0;
    for (const t of this.o.tenants) {
      for (const time of t.times) {
        if (this.stopped) return sent;
        sent += await this.sendDue(t, time, now);
      }
    }
    return sent;
  }

  /** Stops checking; resolves once the check under way ends (close the dispatcher alongside, so it does not wait). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private async sendDue(t: ScheduledTenant, time: DigestTime, now: number): Promise<number> {
    const { store, logger } = this.o;
    let clock = this.clocks.get(t.timeZone);
    if (!clock) this.clocks.set(t.timeZone, (clock = new LocalClock(t.timeZone)));
    const last = await store.digests.last(t.id, time.period);
    const max = this.o.catchUp?.[time.period] ?? (time.period === 'day' ? 7 : 4);
    const { starts, skipped } = duePeriods(time, clock, now, last, max);
    const where = { tenant: t.id, period: time.period };
    if (skipped > 0) {
      logger.warn(
        { ...where, skipped, from: last?.start },
        'digests of periods long past skipped (Tollguard was stopped)',
      );
    }
    let sent = 0;
    for (const start of starts) {
      if (this.stopped) break;
      const staleBefore = now - (this.o.staleMs ?? 30 * 60_000);
      if (!(await store.digests.claim(t.id, time.period, start, now, staleBefore))) continue;
      const digest = await computeDigest(store, t, windowOf(time.period, start, clock), {
        top: this.o.top,
        links: this.o.links?.(),
        now,
      });
      const r = await this.o.dispatcher.digest(digest);
      if (r.sent > 0) {
        await store.digests.sent(t.id, time.period, start, (this.o.now ?? Date.now)());
        logger.info({ ...where, start, channels: r.sent, failed: r.failed }, 'digest sent');
        sent++;
      } else if (r.failed > 0) {
        logger.error(
          { ...where, start, failed: r.failed },
          'digest not delivered: every channel failed; tried again later',
        );
      }
    }
    return sent;
  }
}
