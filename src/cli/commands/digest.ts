// `tollguard digest`: a tenant's digest (R-REVIEW) now, from the store: printed for a look (text or JSON), or sent
// through the tenant's channels. By hand, it is not remembered as the scheduled one: the firewall still sends that.
import type { Command } from 'commander';
import { loadConfigFile } from '../../config/load.js';
import { TollguardError } from '../../errors.js';
import { createLogger } from '../../log/logger.js';
import { openStore } from '../../store/index.js';
import { LocalClock } from '../../engine/local-time.js';
import { computeDigest, latestDue, periodHolding, windowOf, type DigestTime } from '../../alerts/digest.js';
import { digestSubject, digestText } from '../../alerts/digest-render.js';
import { buildAlerting, digestTenantOf } from '../../alerts/setup.js';
import { consoleLinks, consoleUrlOf } from '../../alerts/links.js';

interface DigestOptions {
  config: string;
  store?: string;
  tenant: string;
  period: string;
  date?: string;
  send?: boolean;
  json?: boolean;
}

export function registerDigestCommands(program: Command): void {
  program
    .command('digest')
    .description('a tenant\u2019s daily or weekly digest: print it, or send it through its channels now')
    .requiredOption('--config <file>', 'the configuration (the tenant, its zone and channels, the store)')
    .requiredOption('--tenant <id>', 'the tenant')
    .option('--period <p>', 'day or week', 'day')
    .option('--date <YYYY-MM-DD>', 'a local day of the period (default: the last one complete)')
    .option('--store <url>', 'store URL (default: the configuration\u2019s)')
    .option('--send', 'send it through the tenant\u2019s channels (not remembered as the scheduled digest)')
    .option('--json', 'print the digest as JSON')
    .action(async (opts: DigestOptions) => {
      if (opts.period !== 'day' && opts.period !== 'week') {
        throw new TollguardError('TG_ERR_USAGE', `--period ${opts.period}: give day or week`);
      }
      if (opts.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.date)) {
        throw new TollguardError('TG_ERR_USAGE', `--date ${opts.date}: give a day as YYYY-MM-DD`);
      }
      const config = loadConfigFile(opts.config);
      const t = config.tenants.find((x) => x.id === opts.tenant);
      if (!t) {
        throw new TollguardError(
          'TG_ERR_USAGE',
          `--tenant ${opts.tenant}: no such tenant (${config.tenants.map((x) => x.id).join(', ') || 'none'})`,
        );
      }
      const tenant = digestTenantOf(config, t);
      // The tenant's own schedule says where a week starts; without one, a week starts on Monday.
      const time: DigestTime =
        tenant.times.find((x) => x.period === opts.period) ??
        (opts.period === 'day' ? { period: 'day', minute: 0 } : { period: 'week', minute: 0, weekday: 1 });
      const clock = new LocalClock(tenant.timeZone);
      const now = Date.now();
      const start = opts.date ? periodHolding(time, opts.date) : latestDue({ ...time, minute: 0 }, clock, now);
      const url = consoleUrlOf(config.alerts.consoleUrl, config.api.listen);
      const store = await openStore(opts.store ?? config.store.url);
      try {
        const digest = await computeDigest(store, tenant, windowOf(time.period, start, clock), {
          top: config.alerts.digest.top,
          links: url ? consoleLinks(url) : undefined,
          now,
        });
        if (opts.json) process.stdout.write(JSON.stringify(digest, null, 2) + '\n');
        else if (!opts.send) process.stdout.write(`Subject: ${digestSubject(digest)}\n\n${digestText(digest)}`);
        if (!opts.send) return;
        const logger = createLogger({ level: 'warn', format: 'auto' });
        const alerting = buildAlerting(config, store.alerts, logger);
        try {
          const r = await alerting.dispatcher.digest(digest);
          if (r.sent + r.failed === 0) {
            throw new TollguardError(
              'TG_ERR_USAGE',
              `${tenant.id} has no channel that takes digests (alerts.channels)`,
            );
          }
          process.stderr.write(
            `digest ${tenant.id}/${time.period}/${start}: sent to ${r.sent} channel(s), ${r.failed} failed\n`,
          );
          if (r.sent === 0) process.exitCode = 2; // an error: no channel took it
        } finally {
          await alerting.close();
        }
      } finally {
        await store.close();
      }
    });
}
