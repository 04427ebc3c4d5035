// A row of the `bans` table as SQLite and PostgreSQL return it (BIGINT may come back as a string), as a Ban.
import type { Ban } from './ports.js';

export function banOfRow(r: Record<string, unknown>): Ban {
  const b: Ban = {
    address: r.address as string,
    signal: r.signal as string,
    reason: r.reason as string,
    since: Number(r.since),
    until: Number(r.until),
    offences: Number(r.offences),
  };
  if (r.set_by !== null && r.set_by !== undefined) b.by = r.set_by as string;
  return b;
}
