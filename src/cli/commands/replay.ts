// `tollguard replay FILE`: the call records of a PBX through the same engine as the live firewall, in order, with
// the records' times, as if live: what it would have refused or cut, and what that saved. `--json`: one line per
// call, then the summary. Exit 0: nothing would have been refused or cut; 1: something would; 2: usage or error.
// `tollguard import` (import.ts) is registered from here too.
import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { loadConfigFile } from '../../config/load.js';
import { tenantSetups } from '../../main.js';
import { tenantPolicySchema, type TenantSetup } from '../../engine/index.js';
import { isTimeZone } from '../../engine/local-time.js';
import { TollguardError } from '../../errors.js';
import {
  CDR_FORMATS,
  Progress,
  SHIPPED_TEMPLATES,
  loadMappingFile,
  renderReport,
  replayCdr,
  shippedMapping,
  type BadRow,
  type CallOutcome,
  type CdrFormat,
  type ColumnMapping,
  type ReplaySessionOptions,
} from '../../adapters/cdr/index.js';
import { registerImportCommand } from './import.js';
import { openStore } from '../../store/index.js';
import type { TenantProfile } from '../../engine/profile.js';

/** Options `replay` and `import` share: the file, its format, and whose calls these are. */
export interface CdrSourceOptions {
  format: CdrFormat;
  country?: string;
  timezone?: string;
  utc?: boolean;
  config?: string;
  tenant?: string;
  mapping?: string;
  trunk?: string;
}

/** Adds the options of a CDR source to a command. */
export function cdrSourceOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--format <format>', 'the file\u2019s format').choices([...CDR_FORMATS]).default('asterisk-csv'),
    )
    .option('--country <CC>', 'country the PBX dials from, e.g. FR (the default policy of that country)')
    .option('--timezone <zone>', 'IANA zone of the PBX (its business hours, and the times in the file)')
    .option('--utc', 'the times in the file are UTC (Asterisk usegmtime=yes)')
    .option('-c, --config <file>', 'take the tenant\u2019s policy from this configuration file')
    .option('--tenant <id>', 'with --config: the tenant (default: the only one)')
    .option(
      '--mapping <file|name>',
      `column mapping: a YAML/JSON file, or a shipped one (${Object.keys(SHIPPED_TEMPLATES).join(', ')})`,
    )
    .option(
      '--trunk <names>',
      'peer names that are trunks, comma-separated (`*` wildcard), besides what channels show',
    );
}

/** Where the records come from and how to read them: the session's own options, plus the file's size. */
export interface CdrSource extends Pick<
  ReplaySessionOptions,
  'file' | 'format' | 'mapping' | 'setups' | 'tenantId' | 'readTimezone' | 'trunks'
> {
  size: number;
}

/** Checks the options and the file before anything is read: every mistake is a usage error (exit 2). */
export function resolveSource(file: string, o: CdrSourceOptions): CdrSource {
  if (!existsSync(file)) throw new TollguardError('TG_ERR_NOT_FOUND', `${file}: no such file`);
  const st = statSync(file);
  if (!st.isFile()) throw new TollguardError('TG_ERR_USAGE', `${file} is not a file`);
  if (o.timezone !== undefined && !isTimeZone(o.timezone)) {
    throw new TollguardError('TG_ERR_USAGE', `--timezone ${o.timezone} is not an IANA time zone (Europe/Paris)`);
  }
  let mapping: ColumnMapping | undefined;
  if (o.mapping !== undefined) {
    if (o.format === 'asterisk-csv') {
      throw new TollguardError(
        'TG_ERR_USAGE',
        '--mapping is for --format freeswitch-csv or csv (cdr-csv has fixed columns)',
      );
    }
    mapping = shippedMapping(o.mapping);
    if (!mapping) {
      if (!existsSync(o.mapping)) {
        throw new TollguardError(
          'TG_ERR_USAGE',
          `--mapping ${o.mapping} is neither a file nor a shipped mapping (${Object.keys(SHIPPED_TEMPLATES).join(', ')})`,
        );
      }
      try {
        mapping = loadMappingFile(o.mapping);
      } catch (err) {
        throw new TollguardError('TG_ERR_USAGE', (err as Error).message);
      }
    }
    if (mapping.timezone !== undefined && !isTimeZone(mapping.timezone)) {
      throw new TollguardError(
        'TG_ERR_USAGE',
        `${mapping.name}: timezone ${mapping.timezone} is not an IANA time zone`,
      );
    }
  } else if (o.format === 'csv') {
    throw new TollguardError(
      'TG_ERR_USAGE',
      `--format csv needs --mapping FILE (which column holds what; see docs/cdr.md) or a shipped mapping (${Object.keys(SHIPPED_TEMPLATES).join(', ')})`,
    );
  }
  let setups: TenantSetup[];
  let tenantId: string;
  if (o.config) {
    if (o.country)
      throw new TollguardError(
        'TG_ERR_USAGE',
        '--country and --config exclude each other (the tenant\u2019s policy has its country)',
      );
    const config = loadConfigFile(o.config);
    try {
      setups = tenantSetups(config, path.dirname(path.resolve(o.config)));
    } catch (err) {
      throw new TollguardError('TG_ERR_CONFIG_INVALID', (err as Error).message);
    }
    const ids = setups.map((s) => s.id);
    if (o.tenant !== undefined) {
      if (!ids.includes(o.tenant))
        throw new TollguardError(
          'TG_ERR_USAGE',
          `${o.config} has no tenant ${o.tenant} (it has: ${ids.join(', ') || 'none'})`,
        );
      tenantId = o.tenant;
    } else if (ids.length === 1) tenantId = ids[0]!;
    else
      throw new TollguardError(
        'TG_ERR_USAGE',
        `${o.config} has ${ids.length} tenants: give --tenant (${ids.join(', ')})`,
      );
  } else {
    if (!o.country) {
      throw new TollguardError(
        'TG_ERR_USAGE',
        'give --country, the country the PBX dials from (FR, BE, DE, GB, US…), or --config FILE',
      );
    }
    if (o.tenant !== undefined) throw new TollguardError('TG_ERR_USAGE', '--tenant needs --config');
    const parsed = tenantPolicySchema.safeParse({
      country: o.country.toUpperCase(),
      ...(o.timezone ? { timezone: o.timezone } : {}),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new TollguardError(
        'TG_ERR_USAGE',
        `--${String(issue.path[0] ?? 'country')} ${issue.path[0] === 'timezone' ? o.timezone : o.country}: ${issue.message}`,
      );
    }
    tenantId = 'default';
    setups = [{ id: tenantId, policy: parsed.data }];
  }
  const src: CdrSource = { file, format: o.format, setups, tenantId, size: st.size };
  if (mapping) src.mapping = mapping;
  if (o.utc) src.readTimezone = 'UTC';
  else if (o.timezone) src.readTimezone = o.timezone;
  if (o.trunk)
    src.trunks = o.trunk
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return src;
}

/** How many bad rows are printed on stderr; all are counted. */
const BAD_ROWS_SHOWN = 50;

/** Reports bad rows on stderr, bounded. */
export function badRowReporter(file: string): { bad(b: BadRow): void; end(total: number): void } {
  let shown = 0;
  return {
    bad(b) {
      if (shown++ < BAD_ROWS_SHOWN) process.stderr.write(`${file}:${b.line}: skipped: ${b.reason}\n`);
    },
    end(total) {
      if (total > BAD_ROWS_SHOWN)
        process.stderr.write(`${file}: … ${total - BAD_ROWS_SHOWN} more bad row(s) skipped (counted in the summary)\n`);
    },
  };
}

/** A call as `--json` prints it: the decision's shape first, then what the record was. */
export function outcomeJson(o: CallOutcome): Record<string, unknown> {
  return {
    id: o.id,
    action: o.action,
    enforced: o.enforced,
    signals: o.signals.map((s) => ({
      rule: s.rule,
      signal: s.signal,
      action: s.action,
      severity: s.severity,
      message: s.message,
      ...(s.evidence ? { evidence: s.evidence } : {}),
    })),
    line: o.line,
    leg: o.leg,
    start: new Date(o.start).toISOString(),
    caller: o.caller,
    ...(o.callerExtension !== undefined ? { extension: o.callerExtension } : {}),
    called: o.called,
    ...(o.destination ? { destination: o.destination } : {}),
    refused: o.refused,
    ...(o.cutAt !== undefined ? { cutAt: new Date(o.cutAt).toISOString() } : {}),
    billsec: o.billsec,
    cost: Math.round(o.replayedCost * 10_000) / 10_000,
    ...(o.minutesSaved > 0 || o.costSaved > 0
      ? { saved: { minutes: Math.round(o.minutesSaved * 10) / 10, cost: Math.round(o.costSaved * 100) / 100 } }
      : {}),
  };
}

/** Buffers stdout writes and waits for the pipe to drain: a slow reader slows the replay, memory stays flat. */
function bufferedStdout(): { write(s: string): void; flush(): Promise<void> } {
  let buf: string[] = [];
  return {
    write: (s) => void buf.push(s),
    flush: async () => {
      if (!buf.length) return;
      const text = buf.join('');
      buf = [];
      if (!process.stdout.write(text)) await new Promise<void>((r) => process.stdout.once('drain', () => r()));
    },
  };
}

interface ReplayFlags extends CdrSourceOptions {
  json?: boolean;
  reorderWindow?: string;
  incidents?: string;
  releaseAfter?: string;
  tick?: string;
  profiles?: string;
}

export function registerReplayCommands(program: Command): void {
  const cmd = program
    .command('replay')
    .description('replay call records (CDRs) through the rules: what would have been refused or cut, and what it saved')
    .argument('<file>', 'the CDR file (Asterisk Master.csv, FreeSWITCH cdr-csv, any CSV with --mapping)');
  cdrSourceOptions(cmd)
    .option('--json', 'one JSON object per call, one a line, then the summary')
    .option('--reorder-window <minutes>', 'how far a record may start before the rows ahead of it (default 360)')
    .option('--incidents <n>', 'how many incidents the summary lists (default 10)')
    .option('--tick <seconds>', 'how often live calls are watched, in seconds of event time (default 1)')
    .option(
      '--profiles <url>',
      'start from the tenant\u2019s profile kept in this store, and keep what the replay learned there',
    )
    .option(
      '--release-after <minutes>',
      'lift a quarantine this long after it was set, as a person would (default: never)',
    )
    .action(async (file: string, opts: ReplayFlags) => {
      const src = resolveSource(file, opts);
      const windowMin = opts.reorderWindow === undefined ? undefined : Number(opts.reorderWindow);
      if (windowMin !== undefined && !(windowMin >= 0))
        throw new TollguardError('TG_ERR_USAGE', '--reorder-window takes minutes (360)');
      const incidents = opts.incidents === undefined ? 10 : Number(opts.incidents);
      if (!Number.isInteger(incidents) || incidents < 0)
        throw new TollguardError('TG_ERR_USAGE', '--incidents takes a count');
      const releaseMin = opts.releaseAfter === undefined ? undefined : Number(opts.releaseAfter);
      if (releaseMin !== undefined && !(releaseMin >= 0))
        throw new TollguardError('TG_ERR_USAGE', '--release-after takes minutes (60)');
      const tick = opts.tick === undefined ? undefined : Number(opts.tick);
      if (tick !== undefined && !(tick > 0 && tick <= 3600))
        throw new TollguardError('TG_ERR_USAGE', '--tick takes seconds (1 to 3600)');
      const profiles = opts.profiles === undefined ? undefined : await openStore(opts.profiles);
      const stored = profiles ? await profiles.profiles.load(src.tenantId) : undefined;
      let learned: TenantProfile | undefined;
      const out = bufferedStdout();
      const progress = new Progress(src.size);
      const bad = badRowReporter(file);
      const report = await replayCdr({
        input: createReadStream(file, { highWaterMark: 1 << 20 }),
        file,
        format: src.format,
        ...(src.mapping ? { mapping: src.mapping } : {}),
        setups: src.setups,
        tenantId: src.tenantId,
        ...(src.readTimezone ? { readTimezone: src.readTimezone } : {}),
        ...(src.trunks ? { trunks: src.trunks } : {}),
        ...(windowMin !== undefined ? { reorderWindowMs: windowMin * 60_000 } : {}),
        ...(releaseMin !== undefined ? { releaseQuarantineAfterMs: releaseMin * 60_000 } : {}),
        ...(tick !== undefined ? { tickMs: tick * 1000 } : {}),
        incidents,
        ...(stored ? { profile: stored, learned: (p: TenantProfile) => void (learned = p) } : {}),
        onCall: opts.json ? (c) => out.write(JSON.stringify(outcomeJson(c)) + '\n') : undefined,
        onBad: (b) => {
          progress.done();
          bad.bad(b);
        },
        onChunk: (bytes, records) => {
          progress.update(bytes, records);
          return out.flush();
        },
      });
      progress.done();
      bad.end(report.badRows);
      if (profiles) {
        const now = Date.now();
        await profiles.profiles.save(learned!.all().map((c) => ({ tenantId: src.tenantId, updatedAt: now, ...c })));
        await profiles.close();
      }
      out.write(opts.json ? JSON.stringify({ summary: report }) + '\n' : renderReport(report));
      await out.flush();
      if (report.calls === 0 && report.badRows > 0) {
        // Nothing could be replayed: an error, with the first reason and a hint when it looks like the wrong format.
        const first = report.badSamples[0]!;
        const hint = /fields|not a date|no called number/.test(first.reason)
          ? `; is --format ${report.format} right?`
          : '';
        throw new TollguardError(
          'TG_ERR_USAGE',
          `no call could be replayed: every row of ${file} was skipped (line ${first.line}: ${first.reason})${hint}`,
        );
      }
      process.exitCode = report.refused + report.cut > 0 ? 1 : 0;
    });
  registerImportCommand(program);
}
