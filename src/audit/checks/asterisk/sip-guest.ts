// Calls from callers that have no account: chan_sip's allowguest (on unless set to no) and PJSIP's anonymous
// endpoint. Such calls land in a context; the dialplan checks say what they can reach from there.
import type { Check, Finding } from '../../types.js';
import { findingOf } from '../../types.js';
import type { AsteriskModel } from '../../asterisk/index.js';

export const sipGuest: Check<AsteriskModel> = {
  id: 'asterisk.sip-guest',
  recommendation: 'R-EXPOSURE',
  severity: 'medium',
  looksAt: 'sip.conf [general] allowguest (default yes) and a PJSIP endpoint named anonymous',
  texts: {
    title: 'Calls accepted from callers without an account',
    meaning:
      'Anyone on the Internet can send a call into the PBX without any password. Whatever their context allows ' +
      '(see the dialplan findings) is open to them.',
    fix:
      'Set allowguest=no in sip.conf [general] (and remove the PJSIP anonymous endpoint) unless calls from ' +
      'unknown callers are needed; then keep their context limited to the company’s own numbers.',
  },
  run(model) {
    const out: Finding[] = [];
    for (const e of model.channels.endpoints) {
      if (e.role !== 'guest') continue;
      if (e.tech === 'SIP' && e.name === '(guest)') {
        out.push(
          findingOf(this, {
            file: e.file,
            line: e.line,
            subject: `context ${e.context}`,
            message: `chan_sip: ${e.why}; they land in context ${e.context}`,
          }),
        );
      } else if (e.tech === 'PJSIP' && e.name === 'anonymous') {
        out.push(
          findingOf(this, {
            file: e.file,
            line: e.line,
            subject: 'PJSIP/anonymous',
            message: `PJSIP: ${e.why}; they land in context ${e.context}`,
          }),
        );
      }
    }
    return out;
  },
};
