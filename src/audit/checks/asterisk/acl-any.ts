// permit=/deny=/acl= lists that, read the way Asterisk reads them (the last matching rule wins), still let any
// Internet address in: a list that looks like protection and protects nothing (deny=0.0.0.0/0.0.0.0 followed by
// permit=0.0.0.0/0.0.0.0, as FreePBX writes by default). Also a PJSIP identify that matches every address, which
// makes anyone the trunk.
import type { Check, Finding } from '../../types.js';
import { findingOf } from '../../types.js';
import type { AsteriskModel } from '../../asterisk/index.js';
import { get, loadedDoc, type ConfSection } from '../../asterisk/model.js';
import { allowsAnyone, lastMatch, PUBLIC_PROBES, sectionRules, type AclRule } from '../../asterisk/acl.js';

export const aclAny: Check<AsteriskModel> = {
  id: 'asterisk.acl-any',
  recommendation: 'R-EXPOSURE',
  severity: 'critical',
  looksAt:
    'permit/deny/acl of sip.conf and iax.conf accounts, PJSIP endpoints and type=acl sections (acl.conf names ' +
    'expanded), and PJSIP identify match=',
  texts: {
    title: 'An address list that lets anyone in',
    meaning:
      'The permit/deny lines look like a restriction, but as Asterisk reads them (the last matching line wins) ' +
      'any address on the Internet is still accepted, so password guessing from anywhere goes on.',
    fix:
      'End the list with the networks that may use the account: deny=0.0.0.0/0.0.0.0 first, then ' +
      'permit=<the office or operator network>; never permit=0.0.0.0/0.0.0.0.',
  },
  run(model) {
    const out: Finding[] = [];
    const role = new Map<string, string>();
    for (const e of model.channels.endpoints) role.set(`${e.tech}/${e.name}`, e.role);
    const check = (subject: string, rules: AclRule[], s: ConfSection, what: string): void => {
      if (!allowsAnyone(rules)) return;
      const decisive = lastMatch(rules, PUBLIC_PROBES[0]) ?? rules[rules.length - 1]!;
      const r = role.get(subject);
      out.push(
        findingOf(this, {
          severity: r === 'phone' || r === undefined ? 'medium' : 'high',
          file: decisive.file,
          line: decisive.line,
          subject,
          message: `${what} of ${subject} [${s.name}] lets any address in (${decisive.sense}=${decisive.spec} decides)`,
        }),
      );
    };
    for (const [family, module, tech] of [
      ['sip', 'chan_sip.so', 'SIP'],
      ['iax', 'chan_iax2.so', 'IAX2'],
    ] as const) {
      for (const s of loadedDoc(model.cfg, family, module).concrete()) {
        if (s.name.toLowerCase() === 'general') continue;
        check(`${tech}/${s.name}`, sectionRules(model.cfg, s), s, 'the permit/deny list');
      }
    }
    for (const s of loadedDoc(model.cfg, 'pjsip', 'chan_pjsip.so').concrete()) {
      const type = get(s, 'type')?.value.toLowerCase();
      if (type === 'endpoint' || type === 'acl') {
        const subject = type === 'endpoint' ? `PJSIP/${s.name}` : `acl ${s.name}`;
        check(subject, sectionRules(model.cfg, s), s, 'the permit/deny list');
        check(subject, sectionRules(model.cfg, s, new Set(), 'contact_'), s, 'the contact_permit/deny list');
      } else if (type === 'identify') {
        const ep = get(s, 'endpoint')?.value ?? s.name;
        for (const m of s.own.concat(s.inherited).filter((e) => e.lkey === 'match')) {
          const rules: AclRule[] = [
            { sense: 'deny', spec: '0.0.0.0/0', file: m.file, line: m.line },
            { sense: 'permit', spec: m.value, file: m.file, line: m.line },
          ];
          if (!allowsAnyone(rules)) continue;
          out.push(
            findingOf(this, {
              severity: 'critical',
              file: m.file,
              line: m.line,
              subject: `PJSIP/${ep}`,
              message: `identify [${s.name}] match=${m.value} takes a call from any address for endpoint ${ep}: anyone is let in as the trunk`,
            }),
          );
        }
      }
    }
    return out;
  },
};
