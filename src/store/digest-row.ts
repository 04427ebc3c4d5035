// A row of the `digests` table as SQLite and PostgreSQL return it, as a DigestMark.
import type { DigestMark, DigestPeriod } from './ports.js';

export function digestMarkOfRow(r: Record<string, unknown>): DigestMark {
  const m: DigestMark = {
    tenantId: r.tenant_id as string,
    period: r.period as DigestPeriod,
    start: r.start as string,
    claimedAt: Number(r.claimed_at),
  };
  if (r.sent_at !== null && r.sent_at !== undefined) m.sentAt = Number(r.sent_at);
  return m;
}
