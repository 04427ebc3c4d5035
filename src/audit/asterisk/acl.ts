// Asterisk address lists (permit= / deny= / acl= in sip.conf, pjsip.conf, manager.conf, acl.conf) evaluated the way
// main/acl.c evaluates them: start from "allow", and every rule that matches the address sets the answer, so the
// last matching rule wins. "Reachable from anyone" is asked with two documentation addresses (RFC 5737) that stand for
// any address on the Internet.
import type { AsteriskConfig, ConfEntry, ConfSection } from './model.js';
import { doc, entries } from './model.js';

export interface AclRule {
  sense: 'permit' | 'deny';
  spec: string;
  file: string;
  line: number;
}

/** Addresses that stand for "anyone on the Internet" (TEST-NET-3 and TEST-NET-2). */
export const PUBLIC_PROBES = ['203.0.113.10', '198.51.100.20'] as const;

function ipv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m) return undefined;
  const parts = m.slice(1, 5).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

/** `a.b.c.d/m.m.m.m`, `a.b.c.d/nn` or `a.b.c.d`: network and mask, or undefined (IPv6 and names are skipped). */
export function parseIpv4Net(spec: string): { net: number; mask: number } | undefined {
  const [addr, maskText] = spec.trim().split('/');
  const a = ipv4(addr ?? '');
  if (a === undefined) return undefined;
  let mask = 0xffffffff;
  if (maskText !== undefined) {
    if (/^\d{1,2}$/.test(maskText)) {
      const bits = Number(maskText);
      if (bits > 32) return undefined;
      mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    } else {
      const m = ipv4(maskText);
      if (m === undefined) return undefined;
      mask = m;
    }
  }
  return { net: (a & mask) >>> 0, mask };
}

/** Whether the rules let `ip` (IPv4) in. No rules: allowed. */
export function aclAllows(rules: AclRule[], ip: string): boolean {
  const r = lastMatch(rules, ip);
  return r ? r.sense === 'permit' : true;
}

/** The rule that decides for `ip`: the last one matching it (undefined: none matches, the address is allowed). */
export function lastMatch(rules: AclRule[], ip: string): AclRule | undefined {
  const a = ipv4(ip);
  if (a === undefined) return undefined;
  let match: AclRule | undefined;
  for (const r of rules) {
    for (let spec of r.spec.split(',')) {
      spec = spec.trim();
      let invert = false;
      if (spec.startsWith('!')) {
        invert = true;
        spec = spec.slice(1);
      }
      const n = parseIpv4Net(spec);
      if (!n) continue;
      const hit = (a & n.mask) >>> 0 === n.net;
      if (hit !== invert) match = r;
    }
  }
  return match;
}

/** True when there are rules and they still let an Internet address in (an address list that protects nothing). */
export function allowsAnyone(rules: AclRule[]): boolean {
  return rules.length > 0 && PUBLIC_PROBES.some((ip) => aclAllows(rules, ip));
}

/** True when no rule exists or the rules let an Internet address in. */
export function openToAnyone(rules: AclRule[]): boolean {
  return rules.length === 0 || allowsAnyone(rules);
}

function toRule(e: ConfEntry, sense: 'permit' | 'deny'): AclRule {
  return { sense, spec: e.value, file: e.file, line: e.line };
}

/** The rules of a named ACL of acl.conf. */
export function namedAcl(cfg: AsteriskConfig, name: string): AclRule[] | undefined {
  const section = doc(cfg, 'acl')
    .concrete()
    .find((s) => s.name === name);
  if (!section) return undefined;
  return sectionRules(cfg, section, new Set([name]));
}

/**
 * The permit/deny rules of a section in order, with `acl=` references to acl.conf expanded where they stand.
 * `prefix` reads e.g. `contact_permit`/`contact_deny` instead.
 */
export function sectionRules(
  cfg: AsteriskConfig,
  section: ConfSection,
  seen = new Set<string>(),
  prefix = '',
): AclRule[] {
  const out: AclRule[] = [];
  for (const e of entries(section)) {
    if (e.lkey === `${prefix}acl`) {
      for (const name of e.value.split(',').map((s) => s.trim())) {
        if (seen.has(name)) continue;
        const named = doc(cfg, 'acl')
          .concrete()
          .find((s) => s.name === name);
        if (named) out.push(...sectionRules(cfg, named, new Set([...seen, name])));
      }
    } else if (e.lkey === `${prefix}permit`) out.push(toRule(e, 'permit'));
    else if (e.lkey === `${prefix}deny`) out.push(toRule(e, 'deny'));
  }
  return out;
}
