// insecure=invite (or very, port,invite) on a peer that registers (host=dynamic): calls claiming to be that peer
// are taken without a password, from any address.
import type { Check, Finding } from '../../types.js';
import { findingOf } from '../../types.js';
import type { AsteriskModel } from '../../asterisk/index.js';
import { get, loadedDoc } from '../../asterisk/model.js';

export const sipInsecureInvite: Check<AsteriskModel> = {
  id: 'asterisk.sip-insecure-invite',
  recommendation: 'R-EXPOSURE',
  severity: 'high',
  looksAt: 'sip.conf peers with host=dynamic and insecure=invite, port,invite or very',
  texts: {
    title: 'Calls taken without a password on a registering account',
    meaning:
      'The PBX does not ask a password for calls from this account, and since it registers from anywhere, anyone ' +
      'can place calls as it.',
    fix: 'Remove insecure=invite from accounts that register (host=dynamic); keep it only for trunks with a fixed host.',
  },
  run(model) {
    const out: Finding[] = [];
    for (const s of loadedDoc(model.cfg, 'sip', 'chan_sip.so').concrete()) {
      if (s.name.toLowerCase() === 'general') continue;
      const ins = get(s, 'insecure');
      if (!ins || !/invite|very/i.test(ins.value)) continue;
      if ((get(s, 'host')?.value ?? 'dynamic').toLowerCase() !== 'dynamic') continue;
      out.push(
        findingOf(this, {
          file: ins.file,
          line: ins.line,
          subject: `SIP/${s.name}`,
          message: `SIP/${s.name}: insecure=${ins.value} on a peer with host=dynamic: its calls need no password`,
        }),
      );
    }
    return out;
  },
};
