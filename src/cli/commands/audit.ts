// `tollguard audit asterisk DIR` and `tollguard audit freeswitch DIR`: read a PBX configuration folder, run every
// check, print the findings (text, or --json as [{check, recommendation, severity, file, line, subject, message,
// fix}]) and optionally write the customer report (--report html|markdown --customer NAME [--out FILE]). Exit 0 when
// nothing at or above --fail-on (default: info, any finding) was found, 1 when something was, 2 on an error.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { TollguardError } from '../../errors.js';
import { audit } from '../../audit/run.js';
import { findingJson, isSeverity, severityRank, SEVERITIES, type PbxKind, type Severity } from '../../audit/types.js';
import { renderHtml, renderMarkdown, renderText, type ReportOptions } from '../../audit/report.js';

interface AuditOpts {
  json?: boolean;
  failOn: string;
  report?: string;
  customer?: string;
  out?: string;
  integrator?: string;
  letterhead?: string;
  reportConfig?: string;
  pbxVersion?: string;
  asOf?: string;
}

/** The integrator's name and letterhead: from --report-config (YAML or JSON), then the flags. */
function reportOptions(opts: AuditOpts): ReportOptions {
  if (!opts.customer) throw new TollguardError('TG_ERR_USAGE', 'audit: --report needs --customer "Name"');
  const out: ReportOptions = { customer: opts.customer };
  if (opts.reportConfig) {
    let data: unknown;
    try {
      data = parseYaml(readFileSync(opts.reportConfig, 'utf8'));
    } catch (err) {
      throw new TollguardError('TG_ERR_CONFIG_READ', `audit: ${opts.reportConfig}: ${(err as Error).message}`);
    }
    const d = (data ?? {}) as Record<string, unknown>;
    if (typeof d.integrator === 'string') out.integrator = d.integrator;
    if (typeof d.letterhead === 'string') out.letterhead = d.letterhead;
  }
  if (opts.integrator) out.integrator = opts.integrator;
  if (opts.letterhead) out.letterhead = opts.letterhead.replace(/\\n/g, '\n');
  return out;
}

function run(pbx: PbxKind, dir: string, opts: AuditOpts): void {
  if (!isSeverity(opts.failOn)) {
    throw new TollguardError('TG_ERR_USAGE', `audit: --fail-on must be one of ${SEVERITIES.join(', ')}`);
  }
  if (opts.report && opts.report !== 'html' && opts.report !== 'markdown') {
    throw new TollguardError('TG_ERR_USAGE', 'audit: --report must be html or markdown');
  }
  const report = opts.report ? reportOptions(opts) : undefined;
  let asOf: Date | undefined;
  if (opts.asOf) {
    asOf = new Date(opts.asOf);
    if (Number.isNaN(asOf.getTime())) throw new TollguardError('TG_ERR_USAGE', 'audit: --as-of must be a date');
  }
  const result = audit(pbx, dir, {
    ...(asOf ? { asOf } : {}),
    ...(opts.pbxVersion ? { pbxVersion: opts.pbxVersion } : {}),
  });

  if (report) {
    const text = opts.report === 'html' ? renderHtml(result, report) : renderMarkdown(result, report);
    if (opts.out) {
      try {
        writeFileSync(opts.out, text);
      } catch (err) {
        throw new TollguardError('TG_ERR_CONFIG_READ', `audit: cannot write ${opts.out}: ${(err as Error).message}`);
      }
    } else process.stdout.write(text);
  }
  if (!report || opts.out) {
    if (opts.json) process.stdout.write(JSON.stringify(result.findings.map(findingJson)) + '\n');
    else process.stdout.write(renderText(result));
  }
  const threshold = severityRank(opts.failOn as Severity);
  const failed = result.findings.some((f) => severityRank(f.severity) >= threshold);
  const broken = result.notes.some((n) => n.level === 'error');
  if (broken) {
    for (const n of result.notes.filter((x) => x.level === 'error')) {
      process.stderr.write(`tollguard: audit: ${n.file}${n.line ? `:${n.line}` : ''}: ${n.message}\n`);
    }
  }
  process.exitCode = broken ? 2 : failed ? 1 : 0;
}

export function registerAuditCommands(program: Command): void {
  const auditCmd = program
    .command('audit')
    .description('audit a PBX configuration folder: findings tied to recommendations, and a customer report');
  for (const [pbx, what] of [
    ['asterisk', 'an /etc/asterisk folder'],
    ['freeswitch', 'a FreeSWITCH conf/ folder'],
  ] as const) {
    auditCmd
      .command(pbx)
      .description(`audit ${what}: exit 0 clean, 1 findings at or above --fail-on, 2 error`)
      .argument('<dir>', `${what}`)
      .option('--json', 'print [{check, recommendation, severity, file, line, subject, message, fix}]')
      .option('--fail-on <severity>', `exit 1 when a finding is at or above it (${SEVERITIES.join(', ')})`, 'info')
      .option('--report <format>', 'write the customer report: html or markdown')
      .option('--customer <name>', 'the customer named in the report')
      .option('--out <file>', 'write the report to this file (the findings are then printed too)')
      .option('--integrator <name>', 'the integrator named on the report')
      .option('--letterhead <text>', 'letterhead text printed at the top of the report (\\n for new lines)')
      .option('--report-config <file>', 'YAML or JSON file with integrator: and letterhead:')
      .option('--pbx-version <version>', 'the PBX version, when the folder does not say it')
      .option('--as-of <date>', 'the day the audit speaks for (end-of-life dates); default today')
      .action((dir: string, opts: AuditOpts) => run(pbx, dir, opts));
  }
}
