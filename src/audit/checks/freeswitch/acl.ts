// FreeSWITCH network lists evaluated as switch_core's ACLs evaluate them: among the nodes that match an address the
// most specific one (longest prefix) decides, and the list's default applies when none matches. `domain=` nodes
// stand for the cidr= of the directory's users. Built-in lists (*.auto) only hold local networks.
import type { FreeswitchModel, FsAcl } from '../../freeswitch/model.js';
import { parseIpv4Net, PUBLIC_PROBES } from '../../asterisk/acl.js';

function ipv4(ip: string): number {
  const n = parseIpv4Net(ip)!;
  return n.net;
}

function prefixLength(mask: number): number {
  let n = 0;
  for (let m = mask >>> 0; m & 0x80000000; m = (m << 1) >>> 0) n++;
  return n;
}

/** Whether the list lets `ip` (IPv4) in. */
export function fsAclAllows(model: FreeswitchModel, acl: FsAcl, ip: string): boolean {
  const a = ipv4(ip);
  let best: { len: number; allow: boolean } | undefined;
  for (const node of acl.nodes) {
    const cidrs = node.cidr
      ? node.cidr.split(',')
      : node.domain
        ? model.users.filter((u) => u.cidr).flatMap((u) => u.cidr!.split(','))
        : [];
    for (const c of cidrs) {
      const n = parseIpv4Net(c.trim());
      if (!n || (a & n.mask) >>> 0 !== n.net) continue;
      const len = prefixLength(n.mask);
      if (!best || len >= best.len) best = { len, allow: node.type === 'allow' };
    }
  }
  return best ? best.allow : acl.default === 'allow';
}

/** Whether a list named in apply-inbound-acl lets an Internet address in; undefined when the list is unknown. */
export function fsAclOpen(model: FreeswitchModel, name: string): boolean | undefined {
  if (/\.auto$/.test(name)) return false;
  const acl = model.acls.get(name);
  if (!acl) return undefined;
  return PUBLIC_PROBES.some((ip) => fsAclAllows(model, acl, ip));
}
