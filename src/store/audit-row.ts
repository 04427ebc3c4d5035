// A row of the `audit_reports` table as SQLite and PostgreSQL return it (JSON as text in SQLite, parsed in
// PostgreSQL; BIGINT maybe as a string), as an AuditReport; and the list limit both apply.
import type { AuditReport, AuditReportSummary } from './ports.js';

/** Reports listed at once: 100 unless asked, at most 1,000. */
export function auditListLimit(limit: number | undefined): number {
  if (limit === undefined) return 100;
  return Math.max(1, Math.min(1_000, Math.floor(limit)));
}

const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

export function auditSummaryOfRow(r: Record<string, unknown>): AuditReportSummary {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    pbx: r.pbx as AuditReport['pbx'],
    createdAt: Number(r.created_at),
    by: r.created_by as string,
    source: r.source as string,
    counts: json(r.counts) as Record<string, number>,
    worst: r.worst as string,
  };
}

export function auditReportOfRow(r: Record<string, unknown>): AuditReport {
  return { ...auditSummaryOfRow(r), result: json(r.result) };
}

/** The columns of a summary, for the list (the result is the bulk of a row). */
export const AUDIT_SUMMARY_COLUMNS = 'id, tenant_id, pbx, created_at, created_by, source, counts, worst';
