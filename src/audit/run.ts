// Runs an audit: reads the folder into its model (the only place files are read), runs every check of that PBX over
// the model, and returns the findings sorted worst first with what was noticed while reading.
import { statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { TollguardError } from '../errors.js';
import type { AuditContext, AuditResult, Check, CheckInfo, Finding, PbxKind } from './types.js';
import { sortFindings } from './types.js';
import { loadAsteriskDir } from './asterisk/load.js';
import { buildAsteriskModel, type AsteriskModel } from './asterisk/index.js';
import { ASTERISK_CHECKS } from './checks/asterisk/index.js';
import { asteriskVersion } from './checks/asterisk/version-eol.js';
import { loadFreeswitchDir } from './freeswitch/load.js';
import { buildFreeswitchModel, type FreeswitchModel } from './freeswitch/model.js';
import { FREESWITCH_CHECKS } from './checks/freeswitch/index.js';

export interface AuditOptions {
  asOf?: Date;
  pbxVersion?: string;
}

/** Refuses a path that is not a readable folder, with a stable code (the CLI exits 2). */
function assertDir(dir: string): void {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new TollguardError('TG_ERR_CONFIG_READ', `audit: ${dir}: no such folder`);
  }
  if (!isDir) throw new TollguardError('TG_ERR_CONFIG_READ', `audit: ${dir}: not a folder`);
  try {
    readdirSync(dir);
  } catch (err) {
    throw new TollguardError('TG_ERR_CONFIG_READ', `audit: ${dir}: cannot be read (${(err as Error).message})`);
  }
}

function info(c: CheckInfo): CheckInfo {
  return { id: c.id, recommendation: c.recommendation, severity: c.severity, looksAt: c.looksAt, texts: c.texts };
}

/** Runs the checks; one that throws becomes an error note instead of ending the audit. */
function runChecks<M>(
  checks: readonly Check<M>[],
  model: M,
  ctx: AuditContext,
  notes: AuditResult['notes'],
): Finding[] {
  const out: Finding[] = [];
  for (const c of checks) {
    try {
      out.push(...c.run(model, ctx));
    } catch (err) {
      notes.push({ level: 'error', file: '', line: 0, message: `check ${c.id} failed: ${(err as Error).message}` });
    }
  }
  return sortFindings(out);
}

export function auditAsterisk(dir: string, opts: AuditOptions = {}): AuditResult & { model: AsteriskModel } {
  assertDir(dir);
  const ctx: AuditContext = { asOf: opts.asOf ?? new Date() };
  if (opts.pbxVersion) ctx.pbxVersion = opts.pbxVersion;
  const model = buildAsteriskModel(loadAsteriskDir(dir));
  const notes = [...model.cfg.notes, ...model.dialplan.notes];
  const findings = runChecks(ASTERISK_CHECKS, model, ctx, notes);
  const result: AuditResult & { model: AsteriskModel } = {
    pbx: 'asterisk',
    dir: path.resolve(dir),
    asOf: ctx.asOf.toISOString(),
    findings,
    notes,
    filesRead: model.cfg.filesRead,
    checks: ASTERISK_CHECKS.map(info),
    model,
  };
  const v = asteriskVersion(model, opts.pbxVersion);
  if (v) result.version = { value: v.value, source: v.source };
  return result;
}

export function auditFreeswitch(dir: string, opts: AuditOptions = {}): AuditResult & { model: FreeswitchModel } {
  assertDir(dir);
  const ctx: AuditContext = { asOf: opts.asOf ?? new Date() };
  if (opts.pbxVersion) ctx.pbxVersion = opts.pbxVersion;
  const model = buildFreeswitchModel(loadFreeswitchDir(dir));
  const notes = [...model.cfg.notes];
  const findings = runChecks(FREESWITCH_CHECKS, model, ctx, notes);
  const result: AuditResult & { model: FreeswitchModel } = {
    pbx: 'freeswitch',
    dir: path.resolve(dir),
    asOf: ctx.asOf.toISOString(),
    findings,
    notes,
    filesRead: model.cfg.filesRead,
    checks: FREESWITCH_CHECKS.map(info),
    model,
  };
  if (opts.pbxVersion) result.version = { value: opts.pbxVersion, source: '--pbx-version' };
  return result;
}

export function audit(pbx: PbxKind, dir: string, opts: AuditOptions = {}): AuditResult {
  return pbx === 'asterisk' ? auditAsterisk(dir, opts) : auditFreeswitch(dir, opts);
}
