// `tollguard report --from DATE [--to DATE]`: what a tenant's calls of a period add up to, from the stored call log
// (no running firewall needed): top destinations, calls while closed, cost by class and by day, what was unusual.
// Text for a person, `--json` for a program, `--html FILE` for a page with charts to send or archive.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { TollguardError } from '../../errors.js';
import { tenantSetups } from '../../main.js';
import { defaultPolicy, defaultTimeZone, type TenantPolicy } from '../../engine/policy.js';
import { LocalClock, addDays } from '../../engine/local-time.js';
import { businessHoursRule, closedAt } from '../../rules/business-hours.js';
import { pagesOf } from '../../store/call-export.js';
import { CallReportBuilder, type ClosedAt } from '../../report/call-report.js';
import { renderCallReportText } from '../../report/render-text.js';
import { renderCallReportHtml } from '../../report/render-html.js';
import { configOf, storeOf, withStoreOptions, type StoreFlags } from '../store-options.js';

interface ReportFlags extends StoreFlags {
  from: string;
  to?: string;
  tenant?: string;
  country?: string;
  json?: boolean;
  html?: string;
}

/** The tenant's policy: from --config (its only tenant, or --tenant), else the default policy of --country. */
function tenantOf(o: ReportFlags): { id: string; policy: TenantPolicy } {
  const config = configOf(o);
  if (config) {
    const setups = tenantSetups(config, path.dirname(path.resolve(o.config!)));
    const ids = setups.map((s) => s.id);
    const id = o.tenant ?? (ids.length === 1 ? ids[0] : undefined);
    const s = setups.find((x) => x.id === id);
    if (!s)
      throw new TollguardError(
        'TG_ERR_USAGE',
        o.tenant
          ? `${o.config} has no tenant ${o.tenant} (it has: ${ids.join(', ')})`
          : `give --tenant (${ids.join(', ')})`,
      );
    return { id: s.id, policy: s.policy };
  }
  if (!o.country)
    throw new TollguardError('TG_ERR_USAGE', 'give --config FILE (the tenant\u2019s policy) or --country CC (FR, BE…)');
  try {
    return { id: o.tenant ?? 'default', policy: defaultPolicy(o.country.toUpperCase()) };
  } catch {
    throw new TollguardError('TG_ERR_USAGE', `--country ${o.country} is not a country with a known numbering plan`);
  }
}

/** A local date (`2026-11-02`, the day's start in the tenant's zone) or an ISO time, as ms. */
export function timeOf(text: string, clock: LocalClock, flag: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const asUtc = Date.parse(`${text}T00:00:00Z`);
    if (Number.isNaN(asUtc)) throw new TollguardError('TG_ERR_USAGE', `${flag} ${text} is not a date`);
    return asUtc - clock.offsetAt(asUtc - clock.offsetAt(asUtc) * 60_000) * 60_000;
  }
  const t = Date.parse(text);
  if (Number.isNaN(t))
    throw new TollguardError('TG_ERR_USAGE', `${flag} ${text} is not a date (2026-11-02) or an ISO time`);
  return t;
}

export function registerReportCommand(program: Command): void {
  withStoreOptions(
    program
      .command('report')
      .description('report on a tenant\u2019s stored calls of a period: destinations, closed hours, costs, anomalies')
      .requiredOption('--from <date>', 'first local day (2026-11-02) or an ISO time')
      .option('--to <date>', 'last local day, included (or an ISO time, excluded); default: now')
      .option('--tenant <id>', 'the tenant (default: the configuration\u2019s only one, else `default`)')
      .option('--country <CC>', 'without --config: the country whose default hours and holidays apply')
      .option('--json', 'print the report as JSON')
      .option('--html <file>', 'also write the report as an HTML page with charts'),
  ).action(async (o: ReportFlags) => {
    const tenant = tenantOf(o);
    const clock = new LocalClock(tenant.policy.timezone ?? defaultTimeZone(tenant.policy.country));
    const from = timeOf(o.from, clock, '--from');
    // A day given as --to is included: the period ends at the next local midnight.
    const end =
      o.to === undefined
        ? Date.now()
        : /^\d{4}-\d{2}-\d{2}$/.test(o.to)
          ? timeOf(addDays(o.to, 1), clock, '--to')
          : timeOf(o.to, clock, '--to');
    if (!(end > from)) throw new TollguardError('TG_ERR_USAGE', '--to must come after --from');
    const hoursOptions = businessHoursRule.options.parse(
      (tenant.policy.rules as Record<string, unknown>)['business-hours'] || {},
    ) as Parameters<typeof closedAt>[1];
    const hoursState = businessHoursRule.state!(hoursOptions) as Parameters<typeof closedAt>[2];
    const closed: ClosedAt = (t) => closedAt(clock.at(t), hoursOptions, hoursState, tenant.policy.country)?.because;
    const builder = new CallReportBuilder({
      tenant: tenant.id,
      country: tenant.policy.country,
      currency: tenant.policy.currency,
      clock,
      closedAt: closed,
      from,
      to: end,
    });
    const store = await storeOf(o);
    try {
      for await (const page of pagesOf(store.calls, { tenantIds: [tenant.id], from, to: end }, Infinity))
        for (const r of page) builder.add(r);
    } finally {
      await store.close();
    }
    const report = builder.build();
    if (o.html) writeFileSync(o.html, renderCallReportHtml(report));
    process.stdout.write(o.json ? JSON.stringify(report) + '\n' : renderCallReportText(report));
    if (o.html && !o.json) process.stderr.write(`wrote ${o.html}\n`);
  });
}
