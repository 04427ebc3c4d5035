// The shapes every part of the PBX audit shares: a finding (one weakness, where it is and how to close it), a check
// (one rule with its id, the recommendation it enforces and its texts) and the result of an audit run.
import type { RecommendationId } from './recommendations.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** 4 for critical down to 0 for info: larger is worse. */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(s);
}

export function isSeverity(s: string): s is Severity {
  return (SEVERITIES as readonly string[]).includes(s);
}

/** One step of the way an outside caller takes through the dialplan: which context, which line, what happens. */
export interface PathStep {
  context: string;
  file: string;
  line: number;
  what: string;
}

/** One weakness. `file` is relative to the audited folder; `subject` names the mailbox, peer, context or user. */
export interface Finding {
  check: string;
  recommendation: RecommendationId;
  severity: Severity;
  file: string;
  line: number;
  subject: string;
  message: string;
  fix: string;
  /** For dialplan findings: the way from where the caller lands to the line that does the harm. */
  path?: PathStep[];
}

/** The shape `--json` prints: exactly these keys, in this order. */
export type FindingJson = Pick<
  Finding,
  'check' | 'recommendation' | 'severity' | 'file' | 'line' | 'subject' | 'message' | 'fix'
>;

export function findingJson(f: Finding): FindingJson {
  return {
    check: f.check,
    recommendation: f.recommendation,
    severity: f.severity,
    file: f.file,
    line: f.line,
    subject: f.subject,
    message: f.message,
    fix: f.fix,
  };
}

/**
 * The words of a check, kept in one object per check (and one per language) so that a translation is a new object,
 * not a change to the check's logic. `meaning` says in plain words what the weakness lets an attacker do.
 */
export interface CheckTexts {
  title: string;
  meaning: string;
  fix: string;
}

/** What the documentation and the report say about a check. */
export interface CheckInfo {
  id: string;
  recommendation: RecommendationId;
  /** The worst severity this check reports. */
  severity: Severity;
  /** What in the configuration the check looks at (for docs/audit.md). */
  looksAt: string;
  texts: CheckTexts;
}

/** A check over a model `M`. Checks never read files: they get the parsed model. */
export interface Check<M> extends CheckInfo {
  run(model: M, ctx: AuditContext): Finding[];
}

/** What a check may need besides the model. */
export interface AuditContext {
  /** The day the audit speaks for (end-of-life dates are compared with it). */
  asOf: Date;
  /** A version the user gave (`--pbx-version`), if any. */
  pbxVersion?: string;
}

/** Something noticed while reading the configuration: a missing include, a line that is not understood. */
export interface ReadNote {
  level: 'error' | 'warning' | 'info';
  file: string;
  line: number;
  message: string;
}

export type PbxKind = 'asterisk' | 'freeswitch';

export interface AuditResult {
  pbx: PbxKind;
  dir: string;
  asOf: string;
  findings: Finding[];
  notes: ReadNote[];
  filesRead: string[];
  checks: CheckInfo[];
  version?: { value: string; source: string };
}

/** Builds findings of one check: fills in id and recommendation, and the check's fix when none is given. */
export function findingOf(
  check: Pick<CheckInfo, 'id' | 'recommendation' | 'severity' | 'texts'>,
  f: Omit<Finding, 'check' | 'recommendation' | 'fix' | 'severity'> & { severity?: Severity; fix?: string },
): Finding {
  const out: Finding = {
    check: check.id,
    recommendation: check.recommendation,
    severity: f.severity ?? check.severity,
    file: f.file,
    line: f.line,
    subject: f.subject,
    message: f.message,
    fix: f.fix ?? check.texts.fix,
  };
  if (f.path) out.path = f.path;
  return out;
}

/** Worst first, then by file, line and check, so that output is stable. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      a.check.localeCompare(b.check) ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.subject.localeCompare(b.subject),
  );
}
