// Who can send calls into the PBX and into which context: chan_sip peers, PJSIP endpoints, IAX2 users and DAHDI
// channels, each sorted into phones (a person's device that authenticates) and trunks or guests (the operator, an
// unauthenticated caller, a peer matched by address or by name alone). The dialplan checks start from the contexts of
// the second kind; the destination checks from the contexts of phones.
import type { AsteriskConfig, ConfSection } from './model.js';
import { get, isFalse, loadedDoc } from './model.js';

export type Role = 'phone' | 'trunk' | 'guest';
export type Tech = 'SIP' | 'PJSIP' | 'IAX2' | 'DAHDI';

export interface Endpoint {
  tech: Tech;
  name: string;
  role: Role;
  /** Why it was given this role, in plain words. */
  why: string;
  context: string;
  /** Where its context comes from. */
  contextFile: string;
  contextLine: number;
  file: string;
  line: number;
  section?: ConfSection;
}

export interface Channels {
  endpoints: Endpoint[];
  /** Names a Dial() can use to reach the operator, by technology (lower case). */
  trunks: Map<Tech, Set<string>>;
  /** DAHDI channel numbers and groups that lead to the telephone network. */
  dahdiTrunkChannels: Set<number>;
  dahdiTrunkGroups: Set<string>;
  dahdiPhoneChannels: Set<number>;
}

/** `1-4,6` → 1,2,3,4,6. */
function channelNumbers(spec: string): number[] {
  const out: number[] = [];
  for (const part of spec.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(part);
    if (!m) continue;
    const a = Number(m[1]);
    const b = m[2] ? Number(m[2]) : a;
    for (let i = a; i <= b && out.length < 1024; i++) out.push(i);
  }
  return out;
}

function typeOf(s: ConfSection): string | undefined {
  return get(s, 'type')?.value.toLowerCase();
}

function ctxOf(s: ConfSection, fallback: { value: string; file: string; line: number }) {
  const c = get(s, 'context');
  return c ? { value: c.value, file: c.file, line: c.line } : fallback;
}

export function buildChannels(cfg: AsteriskConfig): Channels {
  const endpoints: Endpoint[] = [];
  const trunks = new Map<Tech, Set<string>>([
    ['SIP', new Set()],
    ['PJSIP', new Set()],
    ['IAX2', new Set()],
    ['DAHDI', new Set()],
  ]);
  const add = (e: Endpoint): void => {
    endpoints.push(e);
    if (e.role !== 'phone') trunks.get(e.tech)!.add(e.name.toLowerCase());
  };

  // chan_sip (and the others) only when modules.conf lets Asterisk load the channel driver.
  const sip = loadedDoc(cfg, 'sip', 'chan_sip.so');
  const sipGeneral = sip.general();
  const sipDefault = get(sipGeneral, 'context');
  const sipFallback = sipDefault
    ? { value: sipDefault.value, file: sipDefault.file, line: sipDefault.line }
    : { value: 'default', file: sipGeneral?.file ?? 'sip.conf', line: sipGeneral?.line ?? 0 };
  for (const s of sip.concrete()) {
    const lname = s.name.toLowerCase();
    if (lname === 'general' || lname === 'authentication') continue;
    const type = typeOf(s) ?? 'friend';
    if (!['peer', 'friend', 'user'].includes(type)) continue;
    const host = (get(s, 'host')?.value ?? 'dynamic').toLowerCase();
    const hasSecret = !!(get(s, 'secret')?.value || get(s, 'md5secret')?.value || get(s, 'remotesecret')?.value);
    let role: Role;
    let why: string;
    if (type === 'user') {
      role = 'trunk';
      why = 'type=user: calls are accepted by user name, from any address';
    } else if (host === 'dynamic') {
      role = hasSecret ? 'phone' : 'guest';
      why = hasSecret ? 'registers with a secret (host=dynamic)' : 'host=dynamic without any secret';
    } else {
      role = 'trunk';
      why = `a fixed host (host=${host}): an operator or another system`;
    }
    const c = ctxOf(s, sipFallback);
    add({
      tech: 'SIP',
      name: s.name,
      role,
      why,
      context: c.value,
      contextFile: c.file,
      contextLine: c.line,
      file: s.file,
      line: s.line,
      section: s,
    });
  }
  if (sipGeneral || sip.concrete().length > 0) {
    const allow = get(sipGeneral, 'allowguest');
    if (!isFalse(allow?.value)) {
      add({
        tech: 'SIP',
        name: '(guest)',
        role: 'guest',
        why: allow
          ? `allowguest=${allow.value}: calls from unknown callers are accepted`
          : 'allowguest is not set, and chan_sip accepts calls from unknown callers by default',
        context: sipFallback.value,
        contextFile: sipFallback.file,
        contextLine: sipFallback.line,
        file: allow?.file ?? sipDefault?.file ?? sipGeneral?.file ?? sip.files[0] ?? 'sip.conf',
        line: allow?.line ?? sipDefault?.line ?? sipGeneral?.line ?? 0,
      });
    }
  }

  // PJSIP
  const pjsip = loadedDoc(cfg, 'pjsip', 'chan_pjsip.so');
  const byType = (t: string) => pjsip.concrete().filter((s) => typeOf(s) === t);
  const identified = new Set<string>();
  for (const id of byType('identify')) {
    const ep = get(id, 'endpoint')?.value;
    if (ep) identified.add(ep);
  }
  const registered = new Set<string>();
  const regAuths = new Set<string>();
  for (const r of byType('registration')) {
    registered.add(r.name);
    const ep = get(r, 'endpoint')?.value;
    if (ep) registered.add(ep);
    const oa = get(r, 'outbound_auth')?.value;
    if (oa) regAuths.add(oa);
  }
  for (const s of byType('endpoint')) {
    const auth = get(s, 'auth')?.value;
    const oa = get(s, 'outbound_auth')?.value;
    let role: Role;
    let why: string;
    if (s.name === 'anonymous') {
      role = 'guest';
      why = 'the anonymous endpoint takes calls that match no other endpoint';
    } else if (identified.has(s.name)) {
      role = 'trunk';
      why = 'matched by source address (type=identify)';
    } else if (registered.has(s.name) || (oa && regAuths.has(oa))) {
      role = 'trunk';
      why = 'registers to an operator (type=registration)';
    } else if (!auth) {
      role = 'trunk';
      why = 'no inbound auth=: whoever calls with its name is let in';
    } else {
      role = 'phone';
      why = `authenticates with auth=${auth}`;
    }
    const c = ctxOf(s, { value: 'default', file: s.file, line: s.line });
    add({
      tech: 'PJSIP',
      name: s.name,
      role,
      why,
      context: c.value,
      contextFile: c.file,
      contextLine: c.line,
      file: s.file,
      line: s.line,
      section: s,
    });
  }

  // IAX2
  const iax = loadedDoc(cfg, 'iax', 'chan_iax2.so');
  for (const s of iax.concrete()) {
    if (s.name.toLowerCase() === 'general') continue;
    const type = typeOf(s);
    if (type !== 'user' && type !== 'friend' && type !== 'peer') continue;
    if (type === 'peer') {
      if ((get(s, 'host')?.value ?? 'dynamic').toLowerCase() !== 'dynamic')
        trunks.get('IAX2')!.add(s.name.toLowerCase());
      continue;
    }
    const host = (get(s, 'host')?.value ?? 'dynamic').toLowerCase();
    const hasSecret = !!(get(s, 'secret')?.value || get(s, 'dbsecret')?.value || get(s, 'inkeys')?.value);
    let role: Role;
    let why: string;
    if (s.name.toLowerCase() === 'guest' || !hasSecret) {
      role = 'guest';
      why = hasSecret ? 'the IAX2 guest user' : 'an IAX2 user without a secret: anyone may call as it';
    } else if (host === 'dynamic') {
      role = 'phone';
      why = 'registers with a secret (host=dynamic)';
    } else {
      role = 'trunk';
      why = `a fixed host (host=${host})`;
    }
    const c = ctxOf(s, { value: 'default', file: s.file, line: s.line });
    add({
      tech: 'IAX2',
      name: s.name,
      role,
      why,
      context: c.value,
      contextFile: c.file,
      contextLine: c.line,
      file: s.file,
      line: s.line,
      section: s,
    });
  }

  // DAHDI: settings accumulate down [channels] and apply at each `channel =>` line.
  const dahdiTrunkChannels = new Set<number>();
  const dahdiPhoneChannels = new Set<number>();
  const dahdiTrunkGroups = new Set<string>();
  const dahdi = loadedDoc(cfg, 'chan_dahdi', 'chan_dahdi.so');
  for (const s of dahdi.concrete()) {
    if (s.name.toLowerCase() !== 'channels') continue;
    let context = { value: 'default', file: s.file, line: s.line };
    let signalling = '';
    let group = '';
    for (const e of s.own) {
      if (e.lkey === 'context') context = { value: e.value, file: e.file, line: e.line };
      else if (e.lkey === 'signalling' || e.lkey === 'signaling') signalling = e.value.toLowerCase();
      else if (e.lkey === 'group') group = e.value;
      else if (e.lkey === 'channel') {
        const nums = channelNumbers(e.value);
        const line = /^(fxs|pri|bri|ss7|mfcr2|em|e911|featd|sf)/.test(signalling);
        const role: Role = line ? 'trunk' : 'phone';
        for (const n of nums) (line ? dahdiTrunkChannels : dahdiPhoneChannels).add(n);
        if (line)
          for (const g of group
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean))
            dahdiTrunkGroups.add(g);
        add({
          tech: 'DAHDI',
          name: e.value,
          role,
          why: line
            ? `signalling=${signalling}: a line from the telephone network`
            : `signalling=${signalling || '(none)'}: an analogue phone`,
          context: context.value,
          contextFile: context.file,
          contextLine: context.line,
          file: e.file,
          line: e.line,
        });
      }
    }
  }

  return { endpoints, trunks, dahdiTrunkChannels, dahdiTrunkGroups, dahdiPhoneChannels };
}

/**
 * Whether a Dial() channel string leads to the operator: `SIP/trunk/num`, `SIP/num@trunk`, `PJSIP/num@trunk`,
 * `IAX2/trunk/num`, `IAX2/user:secret@host/num`, `DAHDI/g0/num`, `DAHDI/28/num`. Returns the number dialled on it.
 */
export function trunkOf(
  ch: Channels,
  channel: string,
): { trunk: boolean; name: string; number: string; unknown: boolean } | undefined {
  const m = /^([A-Za-z0-9]+)\/(.*)$/.exec(channel.trim());
  if (!m) return undefined;
  const tech = m[1]!.toUpperCase();
  const rest = m[2]!;
  const trunkSet = (t: Tech) => ch.trunks.get(t)!;
  if (tech === 'SIP' || tech === 'PJSIP' || tech === 'IAX2') {
    const t = tech as Tech;
    const slash = rest.split('/');
    const first = slash[0]!;
    const at = first.indexOf('@');
    if (at >= 0) {
      const user = first.slice(0, at);
      const host = first.slice(at + 1);
      const hostName = host.replace(/:\d+$/, '').toLowerCase();
      if (trunkSet(t).has(hostName)) return { trunk: true, name: `${tech}/${host}`, number: user, unknown: false };
      if (t === 'IAX2' || /\./.test(hostName)) {
        // A host reached directly (IAX2/user:secret@host/number, SIP/number@provider.example).
        const number = t === 'IAX2' ? (slash[1] ?? '').split('@')[0]! : user;
        return { trunk: true, name: `${tech}/${host}`, number, unknown: false };
      }
      return { trunk: false, name: `${tech}/${host}`, number: user, unknown: false };
    }
    const peer = first.toLowerCase();
    const number = (slash[1] ?? '').replace(/^sip:/, '').split('@')[0]!;
    if (trunkSet(t).has(peer)) return { trunk: true, name: `${tech}/${first}`, number, unknown: false };
    return { trunk: false, name: `${tech}/${first}`, number, unknown: peer.includes('<') };
  }
  if (tech === 'DAHDI' || tech === 'ZAP') {
    const [grp, number = ''] = rest.split('/');
    const g = grp ?? '';
    const gm = /^[gGrR](\d+)$/.exec(g);
    if (gm) {
      const known = ch.dahdiTrunkGroups.size === 0 || ch.dahdiTrunkGroups.has(gm[1]!);
      return { trunk: known, name: `DAHDI/${g}`, number, unknown: false };
    }
    const n = Number(g);
    if (Number.isInteger(n)) {
      const trunk = ch.dahdiTrunkChannels.has(n) || !ch.dahdiPhoneChannels.has(n);
      return { trunk, name: `DAHDI/${g}`, number, unknown: false };
    }
    return { trunk: true, name: `DAHDI/${g}`, number, unknown: true };
  }
  return undefined;
}
