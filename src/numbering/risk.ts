// The risk list: E.164 prefixes classified `satellite` or `high-risk` whatever their numbering-plan type, shipped in
// data/risk/high-risk.yaml with the reason and source of each entry, and edited per tenant.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

export interface RiskEntry {
  /** E.164 digits without `+` (`882`, `2392`). */
  prefix: string;
  cls: 'high-risk' | 'satellite';
  label: string;
  source: string;
}

const fileSchema = z.strictObject({
  entries: z.array(
    z.strictObject({
      prefix: z.string().regex(/^\d{1,15}$/),
      cls: z.enum(['high-risk', 'satellite']),
      label: z.string(),
      source: z.string(),
    }),
  ),
});

/** `data/` of the installed package, found from src/ (tsx) and dist/src/ (compiled) alike. */
export function dataDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return path.join(dir, 'data');
}

let shipped: RiskList | undefined;

export class RiskList {
  private readonly byPrefix: Map<string, RiskEntry>;
  private readonly lengths: number[];

  private constructor(entries: RiskEntry[]) {
    this.byPrefix = new Map(entries.map((e) => [e.prefix, e]));
    this.lengths = [...new Set(entries.map((e) => e.prefix.length))].sort((a, b) => b - a);
  }

  /** The list shipped in data/risk/high-risk.yaml (read once). */
  static shipped(): RiskList {
    if (!shipped) {
      const file = path.join(dataDir(), 'risk', 'high-risk.yaml');
      const r = fileSchema.safeParse(parse(readFileSync(file, 'utf8')));
      if (!r.success) throw new Error(`${file} is not a valid risk list: ${r.error.issues[0]?.message}`);
      shipped = new RiskList(r.data.entries);
    }
    return shipped;
  }

  static of(entries: RiskEntry[]): RiskList {
    return new RiskList(entries);
  }

  /** A copy with a tenant's additions and removals (prefixes with or without `+`). */
  withEdits(edits: {
    add?: Array<{ prefix: string; label?: string | undefined; cls?: 'high-risk' | 'satellite' | undefined }>;
    remove?: string[];
  }): RiskList {
    const m = new Map(this.byPrefix);
    for (const p of edits.remove ?? []) m.delete(p.replace(/^\+/, ''));
    for (const a of edits.add ?? []) {
      const prefix = a.prefix.replace(/^\+/, '');
      m.set(prefix, { prefix, cls: a.cls ?? 'high-risk', label: a.label ?? `+${prefix}`, source: 'tenant policy' });
    }
    return new RiskList([...m.values()]);
  }

  /** The longest entry that prefixes `e164` (`+2399900101` or digits). */
  match(e164: string): RiskEntry | undefined {
    const digits = e164.startsWith('+') ? e164.slice(1) : e164;
    for (const len of this.lengths) {
      if (len > digits.length) continue;
      const e = this.byPrefix.get(digits.slice(0, len));
      if (e) return e;
    }
    return undefined;
  }

  entries(): RiskEntry[] {
    return [...this.byPrefix.values()];
  }
}
