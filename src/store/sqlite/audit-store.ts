// Audit reports in the SQLite file (table audit_reports, migration 6).
import type Database from 'better-sqlite3';
import type { AuditReport, AuditReportStore, AuditReportSummary } from '../ports.js';
import { AUDIT_SUMMARY_COLUMNS, auditListLimit, auditReportOfRow, auditSummaryOfRow } from '../audit-row.js';

type Row = Record<string, unknown>;

export class SqliteAuditReportStore implements AuditReportStore {
  constructor(private readonly db: Database.Database) {}

  async put(r: AuditReport): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO audit_reports (id, tenant_id, pbx, created_at, created_by, source, counts, worst, result)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        r.id,
        r.tenantId,
        r.pbx,
        r.createdAt,
        r.by,
        r.source,
        JSON.stringify(r.counts),
        r.worst,
        JSON.stringify(r.result),
      );
  }

  async get(tenantId: string, id?: string): Promise<AuditReport | undefined> {
    const row = (
      id === undefined
        ? this.db
            .prepare('SELECT * FROM audit_reports WHERE tenant_id = ? ORDER BY created_at DESC, id DESC LIMIT 1')
            .get(tenantId)
        : this.db.prepare('SELECT * FROM audit_reports WHERE tenant_id = ? AND id = ?').get(tenantId, id)
    ) as Row | undefined;
    return row && auditReportOfRow(row);
  }

  async list(tenantId: string, limit?: number): Promise<AuditReportSummary[]> {
    const rows = this.db
      .prepare(
        `SELECT ${AUDIT_SUMMARY_COLUMNS} FROM audit_reports WHERE tenant_id = ?
           ORDER BY created_at DESC, id DESC LIMIT ?`,
      )
      .all(tenantId, auditListLimit(limit)) as Row[];
    return rows.map(auditSummaryOfRow);
  }

  async prune(tenantId: string, keep: number): Promise<number> {
    return this.db
      .prepare(
        `DELETE FROM audit_reports WHERE tenant_id = ? AND id NOT IN (
           SELECT id FROM audit_reports WHERE tenant_id = ? ORDER BY created_at DESC, id DESC LIMIT ?)`,
      )
      .run(tenantId, tenantId, Math.max(0, keep)).changes;
  }
}
