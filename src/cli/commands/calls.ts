// `tollguard calls [search]`: search the call log and export it (text, CSV, JSON lines), straight from the store, with or
// without a running firewall; `tollguard calls purge` deletes a tenant's records older than a number of days
// (R-CONFIDENTIAL: old data is purged; the firewall also does it daily per `retentionDays`).
import type { Command } from 'commander';
import { TollguardError } from '../../errors.js';
import type { CallRecord } from '../../store/ports.js';
import { storeOf, withStoreOptions, type StoreFlags } from '../store-options.js';
import { callQueryOf, csvHeader, csvRows, pagesOf, type CallSearchParams } from '../../store/call-export.js';

function line(r: CallRecord): string {
  const when = new Date(r.startedAt).toISOString().replace('T', ' ').slice(0, 19);
  const number = r.calledE164 ?? r.called;
  const cls = r.destinationClass ? ` ${r.destinationClass}` : '';
  const enforced = (r.decision as { enforced?: boolean } | undefined)?.enforced === false ? ' (monitor)' : '';
  const rules = r.rules?.length ? ` [${r.rules.join(', ')}]` : '';
  const cost = r.estimatedCost ? ` ${r.estimatedCost.toFixed(2)} ${r.currency ?? ''}` : '';
  return `${when}Z ${r.tenantId} ${r.direction === 'outbound' ? 'out' : 'in '} ${r.caller} → ${number}${cls}  ${r.disposition}${r.action && r.action !== 'allow' ? ` ${r.action}${enforced}` : ''}${rules}${cost}\n`;
}

export function registerCallsCommands(program: Command): void {
  const calls = program.command('calls').description('search, export and purge the call log');
  withStoreOptions(
    calls
      .command('search', { isDefault: true })
      .description('search and export the call log (newest first)')
      .option('--tenant <id>', 'one tenant')
      .option('--number <digits>', 'caller, called or E.164 number containing these digits')
      .option('--direction <d>', 'outbound or inbound')
      .option('--action <a>', 'the decision: allow, alert, reject, cut, quarantine')
      .option('--rule <id>', 'a rule that raised a signal (destination-class…)')
      .option('--disposition <d>', 'completed, unanswered, rejected, cut, lost-end…')
      .option('--from <date>', 'started at or after (2026-11-28, 2026-11-28T22:00:00+01:00)')
      .option('--to <date>', 'started before')
      .option('--limit <n>', 'at most this many (default 50; --all: every match)')
      .option('--all', 'every matching call, read page by page')
      .option('--format <f>', 'text, csv or json (one JSON object a line)', 'text'),
  ).action(async (opts: StoreFlags & CallSearchParams & { all?: boolean; format: string }) => {
    if (!['text', 'csv', 'json'].includes(opts.format)) {
      throw new TollguardError('TG_ERR_USAGE', `--format ${opts.format}: give text, csv or json`);
    }
    const r = callQueryOf({ ...opts, limit: opts.limit ?? '50' });
    if ('errors' in r) throw new TollguardError('TG_ERR_USAGE', r.errors.join('\n'));
    const store = await storeOf(opts);
    try {
      if (opts.format === 'csv') process.stdout.write(csvHeader());
      let n = 0;
      for await (const page of pagesOf(store.calls, r.query, opts.all ? Infinity : r.query.limit!)) {
        n += page.length;
        if (opts.format === 'csv') process.stdout.write(csvRows(page));
        else if (opts.format === 'json') for (const c of page) process.stdout.write(JSON.stringify(c) + '\n');
        else for (const c of page) process.stdout.write(line(c));
      }
      if (opts.format === 'text') process.stderr.write(`${n} call(s)\n`);
    } finally {
      await store.close();
    }
  });

  withStoreOptions(
    calls
      .command('purge')
      .description('delete a tenant\u2019s call records older than a number of days')
      .requiredOption('--tenant <id>', 'the tenant')
      .requiredOption('--older-than <days>', 'records that started more than this many days ago'),
  ).action(async (opts: StoreFlags & { tenant: string; olderThan: string }) => {
    const days = Number(opts.olderThan);
    if (!Number.isFinite(days) || days < 0) {
      throw new TollguardError('TG_ERR_USAGE', `--older-than ${opts.olderThan}: give a number of days`);
    }
    const store = await storeOf(opts);
    try {
      const n = await store.calls.purge(opts.tenant, Date.now() - days * 86_400_000);
      process.stdout.write(`deleted ${n} call record(s) of ${opts.tenant} older than ${days} day(s)\n`);
    } finally {
      await store.close();
    }
  });
}
