// Which tenant a request belongs to and which way it goes, from its source IP address alone (TCP source ports are
// ephemeral): a PBX address makes it outbound, a trunk source inbound, anything else is nobody's (R-EXPOSURE).
import { isIP } from 'node:net';
import type { TenantConfig } from '../../config/schema.js';
import { parseHostPort, parseNetwork, networkContains, type Network } from '../../config/address.js';
import type { Direction } from '../../store/ports.js';

export interface SideMatch {
  tenantId: string;
  direction: Direction;
}

interface Entry {
  net: Network;
  match: SideMatch;
}

/**
 * Source address → tenant and direction. Exact addresses are looked up in a map; networks are scanned (few).
 * An address listed as PBX of one tenant and trunk of another is ambiguous: refused when built.
 */
export class SideTable {
  private readonly exact = new Map<string, SideMatch>();
  private readonly networks: Entry[] = [];

  constructor(tenants: readonly TenantConfig[]) {
    for (const t of tenants) {
      for (const a of t.pbx.addresses) this.add(hostOf(a), { tenantId: t.id, direction: 'outbound' });
      const sources = t.trunk.sources ?? [hostOf(t.trunk.address)];
      for (const s of sources) this.add(s, { tenantId: t.id, direction: 'inbound' });
    }
  }

  /** The tenant and direction of a request from `address`, or undefined when it is nobody's. */
  lookup(address: string): SideMatch | undefined {
    const hit = this.exact.get(address);
    if (hit) return hit;
    for (const e of this.networks) if (networkContains(e.net, address)) return e.match;
    return undefined;
  }

  private add(text: string, match: SideMatch): void {
    const net = parseNetwork(text);
    if (!net) {
      // A DNS name: sides are matched by the addresses packets come from, so a name cannot be matched.
      throw new Error(
        `${match.tenantId}: ${text} is not an IP address; give the PBX and trunk sources as IP addresses`,
      );
    }
    const full = net.family === 4 ? 32 : 128;
    if (net.prefix === full) {
      const key = isIP(text) ? text : text.split('/')[0]!;
      const prev = this.exact.get(key);
      if (prev && (prev.tenantId !== match.tenantId || prev.direction !== match.direction)) {
        throw new Error(`${key} is both ${describe(prev)} and ${describe(match)}`);
      }
      this.exact.set(key, match);
    } else {
      this.networks.push({ net, match });
    }
  }
}

function describe(m: SideMatch): string {
  return `${m.direction === 'outbound' ? 'the PBX' : 'a trunk source'} of ${m.tenantId}`;
}

function hostOf(hostPort: string): string {
  return parseHostPort(hostPort)?.host ?? hostPort;
}
