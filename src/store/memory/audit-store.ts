// Audit reports in the process's memory (tests, `--store memory:`).
import type { AuditReport, AuditReportStore, AuditReportSummary } from '../ports.js';
import { auditListLimit } from '../audit-row.js';

const newestFirst = (a: AuditReport, b: AuditReport) =>
  b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

export class MemoryAuditReportStore implements AuditReportStore {
  private readonly reports = new Map<string, AuditReport>();

  private of(tenantId: string): AuditReport[] {
    return [...this.reports.values()].filter((r) => r.tenantId === tenantId).sort(newestFirst);
  }

  async put(report: AuditReport): Promise<void> {
    if (this.reports.has(report.id)) throw new Error(`audit report ${report.id} exists already`);
    this.reports.set(report.id, structuredClone(report));
  }

  async get(tenantId: string, id?: string): Promise<AuditReport | undefined> {
    const r = id === undefined ? this.of(tenantId)[0] : this.reports.get(id);
    return r && r.tenantId === tenantId ? structuredClone(r) : undefined;
  }

  async list(tenantId: string, limit?: number): Promise<AuditReportSummary[]> {
    return this.of(tenantId)
      .slice(0, auditListLimit(limit))
      .map(({ result: _result, ...summary }) => structuredClone(summary));
  }

  async prune(tenantId: string, keep: number): Promise<number> {
    const old = this.of(tenantId).slice(Math.max(0, keep));
    for (const r of old) this.reports.delete(r.id);
    return old.length;
  }
}
