// SIP listening on every address of the machine (chan_sip bindaddr/udpbindaddr/tcpbindaddr unset or 0.0.0.0, PJSIP
// transports bound to 0.0.0.0 or ::) while no address list restricts who may use it: the PBX answers the whole
// Internet, and scanners find it within hours.
import type { Check, Finding } from '../../types.js';
import { findingOf } from '../../types.js';
import type { AsteriskModel } from '../../asterisk/index.js';
import { get, isTrue, loadedDoc, type ConfEntry } from '../../asterisk/model.js';
import { allowsAnyone, sectionRules } from '../../asterisk/acl.js';
import { isAnyAddress } from '../common.js';

export const transportAny: Check<AsteriskModel> = {
  id: 'asterisk.transport-any',
  recommendation: 'R-EXPOSURE',
  severity: 'medium',
  looksAt:
    'sip.conf [general] bindaddr, udpbindaddr, tcpbindaddr (tcpenable), tlsbindaddr (tlsenable) and the peers’ ' +
    'permit/deny; pjsip.conf type=transport bind and type=acl / endpoint permit/deny',
  texts: {
    title: 'SIP open on every address without an address list',
    meaning:
      'The PBX answers SIP from the whole Internet and no permit/deny list limits who may try to register or call. ' +
      'Only the passwords stand between scanners and the company’s lines.',
    fix:
      'Bind SIP to the office-side address, or add permit/deny lists (deny=0.0.0.0/0.0.0.0, permit=<office and ' +
      'operator networks>); a firewall in front of the PBX that lets only the operator in also closes this.',
  },
  run(model) {
    const out: Finding[] = [];
    const sip = loadedDoc(model.cfg, 'sip', 'chan_sip.so');
    const g = sip.general();
    const accounts = sip
      .concrete()
      .filter((s) => !['general', 'authentication'].includes(s.name.toLowerCase()) && !!get(s, 'type'));
    if (g || accounts.length > 0) {
      const open = accounts.filter((s) => {
        const rules = sectionRules(model.cfg, s);
        return rules.length === 0 || allowsAnyone(rules);
      });
      if (accounts.length === 0 || open.length > 0) {
        const binds: [string, ConfEntry | undefined][] = [['udpbindaddr', get(g, 'udpbindaddr') ?? get(g, 'bindaddr')]];
        if (isTrue(get(g, 'tcpenable')?.value))
          binds.push(['tcpbindaddr', get(g, 'tcpbindaddr') ?? get(g, 'bindaddr')]);
        if (isTrue(get(g, 'tlsenable')?.value)) binds.push(['tlsbindaddr', get(g, 'tlsbindaddr')]);
        for (const [name, e] of binds) {
          if (!isAnyAddress(e?.value)) continue;
          const who =
            accounts.length === 0
              ? 'and no account has a permit/deny list'
              : `and ${open.length} of ${accounts.length} accounts have no permit/deny list that restricts them (${open
                  .slice(0, 3)
                  .map((s) => s.name)
                  .join(', ')}${open.length > 3 ? ', …' : ''})`;
          out.push(
            findingOf(this, {
              file: e?.file ?? g?.file ?? sip.files[0] ?? 'sip.conf',
              line: e?.line ?? g?.line ?? 0,
              subject: `chan_sip ${name}`,
              message: `chan_sip listens on every address (${e ? `${e.key}=${e.value}` : `${name} not set`}) ${who}`,
            }),
          );
        }
      }
    }

    const pjsip = loadedDoc(model.cfg, 'pjsip', 'chan_pjsip.so');
    const all = pjsip.concrete();
    const typed = (t: string) => all.filter((s) => get(s, 'type')?.value.toLowerCase() === t);
    // A global type=acl section (res_pjsip_acl) that keeps Internet addresses out protects every transport.
    const guarded = typed('acl').some((s) => {
      const rules = sectionRules(model.cfg, s);
      return rules.length > 0 && !allowsAnyone(rules);
    });
    if (!guarded) {
      const endpoints = typed('endpoint');
      const open = endpoints.filter((s) => {
        const rules = sectionRules(model.cfg, s);
        return rules.length === 0 || allowsAnyone(rules);
      });
      if (endpoints.length === 0 || open.length > 0) {
        for (const t of typed('transport')) {
          const bind = get(t, 'bind');
          if (!isAnyAddress(bind?.value)) continue;
          out.push(
            findingOf(this, {
              file: bind?.file ?? t.file,
              line: bind?.line ?? t.line,
              subject: `PJSIP transport ${t.name}`,
              message: `PJSIP transport ${t.name} is bound to every address (bind=${bind?.value ?? 'unset'}) and no type=acl section restricts who may use it`,
            }),
          );
        }
      }
    }
    return out;
  },
};
