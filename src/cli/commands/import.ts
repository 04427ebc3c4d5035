// `tollguard import FILE`: stores a PBX's call records in the call log (for the console, reports and, later,
// learning each customer's normal). Each row's id comes from its content (and the tenant), so importing the same
// file again, or a rotated file that overlaps, adds nothing twice. Internal calls (phone to phone) are not stored:
// the call log holds calls in and out.
import { createReadStream } from 'node:fs';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfigFile } from '../../config/load.js';
import { TollguardError } from '../../errors.js';
import { openStore } from '../../store/index.js';
import type { CallRecord } from '../../store/ports.js';
import { Tariffs, tenantNumbering } from '../../numbering/index.js';
import { defaultTimeZone } from '../../engine/index.js';
import { LegReader, Progress, readCdr, type CdrRecord } from '../../adapters/cdr/index.js';
import { ProfileLearner } from '../../adapters/cdr/learn.js';
import { TenantProfile } from '../../engine/profile.js';
import { LocalClock } from '../../engine/local-time.js';
import { badRowReporter, cdrSourceOptions, resolveSource, type CdrSourceOptions } from './replay.js';

interface ImportFlags extends CdrSourceOptions {
  store?: string;
  json?: boolean;
}

const DEFAULT_STORE = 'sqlite:tollguard-data/tollguard.db';

export function registerImportCommand(program: Command): void {
  const cmd = program
    .command('import')
    .description('store call records (CDRs) in the call log; importing the same records again adds nothing')
    .argument('<file>', 'the CDR file (Asterisk Master.csv, FreeSWITCH cdr-csv, any CSV with --mapping)');
  cdrSourceOptions(cmd)
    .option('--store <url>', `store URL (default: the configuration\u2019s, else ${DEFAULT_STORE})`)
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, opts: ImportFlags) => {
      const src = resolveSource(file, opts);
      const url = opts.store ?? (opts.config ? loadConfigFile(opts.config).store.url : DEFAULT_STORE);
      if (url.startsWith('sqlite:'))
        mkdirSync(path.dirname(path.resolve(url.slice('sqlite:'.length))), { recursive: true });
      const store = await openStore(url);
      const setup = src.setups.find((s) => s.id === src.tenantId)!;
      const numbering = tenantNumbering(setup.policy);
      const legs = new LegReader({ numbering, ...(src.trunks ? { trunks: src.trunks } : {}) });
      const tariffs = setup.tariffs ?? Tariffs.defaults(setup.policy.currency);
      const progress = new Progress(src.size);
      const bad = badRowReporter(file);
      const counts = { imported: 0, already: 0, internal: 0 };
      // The profile learns what this import adds (what was imported before is in the stored profile already).
      const profile = new TenantProfile(
        new LocalClock(setup.policy.timezone ?? defaultTimeZone(setup.policy.country)),
        setup.policy.country,
      );
      profile.restore(await store.profiles.load(src.tenantId));
      const learner = new ProfileLearner(profile);
      let pending: CdrRecord[] = [];
      let seen = 0;
      const write = async () => {
        const batch = pending;
        pending = [];
        for (const r of batch) {
          const view = legs.read(r);
          if (view.leg === 'internal') {
            counts.internal++;
            continue;
          }
          const id = `cdr-${r.key}`;
          if (await store.calls.get(id)) {
            counts.already++;
            continue;
          }
          const outbound = view.leg !== 'inbound';
          const d = numbering.classify(view.called);
          const price = tariffs.priceOf(d);
          const rec: CallRecord = {
            id,
            tenantId: src.tenantId,
            direction: outbound ? 'outbound' : 'inbound',
            startedAt: r.start,
            endedAt: r.end,
            caller: view.caller,
            called: view.called,
            destinationClass: d.cls,
            disposition: r.answered ? 'completed' : 'unanswered',
            endReason: `cdr: ${(r.disposition || 'unknown').toLowerCase()}${view.leg === 'trunk-to-trunk' ? ' (trunk-to-trunk)' : ''}`,
          };
          if (r.id !== undefined) rec.callRef = r.id;
          if (r.answer !== undefined) rec.answeredAt = r.answer;
          if (d.e164 !== undefined) rec.calledE164 = d.e164;
          if (d.country !== undefined) rec.country = d.country;
          if (r.sourceAddress) rec.sourceAddress = r.sourceAddress;
          if (r.userAgent) rec.userAgent = r.userAgent;
          if (outbound) {
            rec.estimatedCost = r.answered ? price.setup + (price.perMinute * r.billsec) / 60 : 0;
            rec.currency = price.currency;
          }
          await store.calls.open(rec);
          counts.imported++;
          if (outbound)
            learner.add({
              rec: r,
              attempt: {
                time: r.start,
                destination: d,
                ...(view.callerExtension !== undefined ? { callerExtension: view.callerExtension } : {}),
              },
              cost: rec.estimatedCost ?? 0,
            });
        }
      };
      let read;
      try {
        read = await readCdr(
          createReadStream(file, { highWaterMark: 1 << 20 }),
          {
            format: src.format,
            ...(src.mapping ? { mapping: src.mapping } : {}),
            // As replay reads them: local times in the tenant's zone, the country's main zone when it names none.
            timezone: src.readTimezone ?? setup.policy.timezone ?? defaultTimeZone(setup.policy.country),
            keys: { salt: src.tenantId },
          },
          {
            record: (r) => {
              seen++;
              pending.push(r);
            },
            bad: (b) => {
              progress.done();
              bad.bad(b);
            },
            progress: (bytes) => {
              progress.update(bytes, seen);
              return write();
            },
          },
        );
        await write();
        learner.close();
        const now = Date.now();
        await store.profiles.save(profile.changes().map((c) => ({ tenantId: src.tenantId, updatedAt: now, ...c })));
      } catch (err) {
        await store.close();
        throw new TollguardError('TG_ERR_STORE', `import stopped: ${(err as Error).message}`);
      }
      await store.close();
      progress.done();
      bad.end(read.bad);
      const summary = {
        file,
        tenant: src.tenantId,
        store: url.replace(/\/\/[^@/]*@/, '//***@'),
        lines: read.lines,
        records: read.records,
        imported: counts.imported,
        alreadyImported: counts.already,
        internalNotStored: counts.internal,
        badRows: read.bad,
        profileLearned: learner.learned,
      };
      if (opts.json) process.stdout.write(JSON.stringify(summary) + '\n');
      else
        process.stdout.write(
          `imported ${summary.imported} call(s) from ${file} into ${summary.store} (tenant ${summary.tenant}); ` +
            `${summary.alreadyImported} already there, ${summary.internalNotStored} internal not stored, ${summary.badRows} bad row(s) skipped; ` +
            `the tenant's profile learned ${summary.profileLearned} outbound call(s)\n`,
        );
      if (read.records === 0 && read.bad > 0) {
        throw new TollguardError(
          'TG_ERR_USAGE',
          `no row of ${file} could be read as ${src.format}; is --format right?`,
        );
      }
    });
}
