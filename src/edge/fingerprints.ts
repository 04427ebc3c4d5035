// Scanner User-Agents: the shipped list (data/scanners/user-agents.txt, with its sources) and a tenant's edits.
// Matched as lower-case substrings: scanners pad, version or slightly rename their User-Agent.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from '../numbering/risk.js';

let shipped: ScannerAgents | undefined;

export class ScannerAgents {
  private constructor(private readonly needles: readonly string[]) {}

  static shipped(): ScannerAgents {
    if (!shipped) {
      const text = readFileSync(path.join(dataDir(), 'scanners', 'user-agents.txt'), 'utf8');
      shipped = new ScannerAgents(parseList(text));
    }
    return shipped;
  }

  static of(values: string[]): ScannerAgents {
    return new ScannerAgents(values.map((v) => v.toLowerCase()));
  }

  withEdits(edits: { add?: string[]; remove?: string[] }): ScannerAgents {
    const remove = new Set((edits.remove ?? []).map((v) => v.toLowerCase()));
    const add = (edits.add ?? []).map((v) => v.toLowerCase());
    return new ScannerAgents([...new Set([...this.needles.filter((n) => !remove.has(n)), ...add])]);
  }

  /** The list value a User-Agent contains, or undefined. */
  match(userAgent: string): string | undefined {
    const ua = userAgent.toLowerCase();
    return this.needles.find((n) => ua.includes(n));
  }

  get values(): readonly string[] {
    return this.needles;
  }
}

function parseList(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim().toLowerCase())
    .filter(Boolean);
}
