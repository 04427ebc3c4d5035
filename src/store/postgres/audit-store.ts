// Audit reports in PostgreSQL (table audit_reports, migration 6), shared by the nodes of one store.
import type pg from 'pg';
import type { AuditReport, AuditReportStore, AuditReportSummary } from '../ports.js';
import { AUDIT_SUMMARY_COLUMNS, auditListLimit, auditReportOfRow, auditSummaryOfRow } from '../audit-row.js';

type Row = Record<string, unknown>;

export class PgAuditReportStore implements AuditReportStore {
  constructor(private readonly pool: pg.Pool) {}

  async put(r: AuditReport): Promise<void> {
    await this.pool.query(
      `INSERT INTO audit_reports (id, tenant_id, pbx, created_at, created_by, source, counts, worst, result)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        r.id,
        r.tenantId,
        r.pbx,
        r.createdAt,
        r.by,
        r.source,
        JSON.stringify(r.counts),
        r.worst,
        JSON.stringify(r.result),
      ],
    );
  }

  async get(tenantId: string, id?: string): Promise<AuditReport | undefined> {
    const { rows } =
      id === undefined
        ? await this.pool.query<Row>(
            'SELECT * FROM audit_reports WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1',
            [tenantId],
          )
        : await this.pool.query<Row>('SELECT * FROM audit_reports WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
    return rows[0] && auditReportOfRow(rows[0]);
  }

  async list(tenantId: string, limit?: number): Promise<AuditReportSummary[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${AUDIT_SUMMARY_COLUMNS} FROM audit_reports WHERE tenant_id = $1
         ORDER BY created_at DESC, id DESC LIMIT $2`,
      [tenantId, auditListLimit(limit)],
    );
    return rows.map(auditSummaryOfRow);
  }

  async prune(tenantId: string, keep: number): Promise<number> {
    const r = await this.pool.query(
      `DELETE FROM audit_reports WHERE tenant_id = $1 AND id NOT IN (
         SELECT id FROM audit_reports WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2)`,
      [tenantId, Math.max(0, keep)],
    );
    return r.rowCount ?? 0;
  }
}
