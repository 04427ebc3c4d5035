// acl.conf.xml lists that let any Internet address in (the vanilla "lan" list: default allow with one deny), judged
// by where they are applied: on a SIP profile or the event socket such a list protects nothing.
import type { Check, Finding, Severity } from '../../types.js';
import { findingOf } from '../../types.js';
import type { FreeswitchModel } from '../../freeswitch/model.js';
import { fsAclOpen } from './acl.js';

export const fsAclAny: Check<FreeswitchModel> = {
  id: 'freeswitch.acl-any',
  recommendation: 'R-EXPOSURE',
  severity: 'high',
  looksAt:
    'acl.conf.xml network lists (default, cidr and domain nodes, most specific match wins), and where sip profiles ' +
    '(apply-inbound-acl, apply-register-acl) and the event socket use them',
  texts: {
    title: 'An ACL that lets anyone in',
    meaning:
      'The list looks like a restriction, but any address on the Internet still passes it. Where it is applied, ' +
      'it protects nothing; where it is not, someone may apply it believing it does.',
    fix: 'Give the list default="deny" and allow only the networks that need it.',
  },
  run(model) {
    const uses = new Map<string, string[]>();
    const use = (name: string, where: string): void => {
      for (const n of name.split(',').map((s) => s.trim())) uses.set(n, [...(uses.get(n) ?? []), where]);
    };
    for (const p of model.profiles) {
      for (const k of ['apply-inbound-acl', 'apply-register-acl', 'apply-proxy-acl']) {
        const s = p.settings.get(k);
        if (s) use(s.value, `sip profile ${p.name} ${k}`);
      }
    }
    const esAcl = model.eventSocket?.settings.get('apply-inbound-acl');
    if (esAcl) use(esAcl.value, 'the event socket');
    const out: Finding[] = [];
    for (const acl of model.acls.values()) {
      if (!fsAclOpen(model, acl.name)) continue;
      const where = uses.get(acl.name) ?? [];
      const severity: Severity = where.length > 0 ? 'high' : 'low';
      out.push(
        findingOf(this, {
          severity,
          file: acl.file,
          line: acl.line,
          subject: `acl ${acl.name}`,
          message: `ACL ${acl.name} (default=${acl.default}) lets any Internet address in; ${
            where.length > 0 ? `it is applied to ${where.join(', ')}` : 'it is not applied anywhere yet'
          }`,
        }),
      );
    }
    return out;
  },
};
