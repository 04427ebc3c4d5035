// SIP profiles and gateways open to the Internet: accept-blind-reg / accept-blind-auth (anyone registers or is
// authenticated), auth-calls=false without an inbound ACL (anyone may send calls), a gateway whose calls land in the
// internal context.
import type { Check, Finding } from '../../types.js';
import { findingOf } from '../../types.js';
import type { FreeswitchModel } from '../../freeswitch/model.js';
import { fsAclOpen } from './acl.js';
import { profileAuthenticates } from './outside.js';

const TRUE = /^(true|yes|on|1)$/i;

export const fsProfileExposed: Check<FreeswitchModel> = {
  id: 'freeswitch.profile-exposed',
  recommendation: 'R-EXPOSURE',
  severity: 'critical',
  looksAt:
    'sip_profiles: accept-blind-reg, accept-blind-auth, auth-calls with apply-inbound-acl, context; gateways’ context',
  texts: {
    title: 'SIP profile or gateway open to anyone',
    meaning:
      'This SIP profile accepts registrations or calls from anyone on the Internet without a password; only the ' +
      'dialplan of its context stands between them and the company’s lines.',
    fix:
      'Remove accept-blind-reg and accept-blind-auth; on a profile that takes calls without authentication, set ' +
      'apply-inbound-acl to a list holding only the operator’s addresses, and point it and its gateways at public.',
  },
  run(model) {
    const out: Finding[] = [];
    for (const p of model.profiles) {
      for (const k of ['accept-blind-reg', 'accept-blind-auth']) {
        const s = p.settings.get(k);
        if (!s || !TRUE.test(s.value)) continue;
        out.push(
          findingOf(this, {
            file: s.file,
            line: s.line,
            subject: `sip profile ${p.name}`,
            message: `sip profile ${p.name} has ${k}=${s.value}: anyone ${k.endsWith('reg') ? 'may register as any user' : 'is taken as authenticated'}`,
          }),
        );
      }
      if (!profileAuthenticates(p)) {
        const acl = p.settings.get('apply-inbound-acl');
        const open = acl ? fsAclOpen(model, acl.value) !== false : true;
        if (open) {
          const auth = p.settings.get('auth-calls')!;
          const ctx = p.settings.get('context')?.value ?? 'public';
          out.push(
            findingOf(this, {
              severity: 'medium',
              file: auth.file,
              line: auth.line,
              subject: `sip profile ${p.name}`,
              message: `sip profile ${p.name} takes calls from any address without authentication (auth-calls=${auth.value}, ${
                acl ? `ACL ${acl.value} lets anyone in` : 'no apply-inbound-acl'
              }) into context ${ctx}`,
            }),
          );
        }
      }
      for (const g of p.gateways) {
        const c = g.params.get('context');
        if (!c || c.value === 'public') continue;
        out.push(
          findingOf(this, {
            severity: 'high',
            file: c.file,
            line: c.line,
            subject: `gateway ${g.name}`,
            message: `calls from gateway ${g.name} land in context ${c.value}, not in public`,
          }),
        );
      }
    }
    return out;
  },
};
