// Passwords of the AMI (manager.conf secret=) and ARI (ari.conf password=) users of an enabled interface, against the
// password policy: FreePBX's amp111, Asterisk's sample "mysecret", the user name.
import type { Check, Finding } from '../../types.js';
import { findingOf } from '../../types.js';
import type { AsteriskModel } from '../../asterisk/index.js';
import { judgeSecret } from '../common.js';
import { adminView } from './admin.js';

export const adminSecret: Check<AsteriskModel> = {
  id: 'asterisk.admin-secret',
  recommendation: 'R-ADMIN-PW',
  severity: 'critical',
  looksAt: 'manager.conf users’ secret (when enabled=yes) and ari.conf type=user password (when HTTP is enabled)',
  texts: {
    title: 'Weak or default password on an admin interface',
    meaning:
      'The manager interface (AMI) and ARI can originate calls, change the configuration and run commands. A ' +
      'default password such as FreePBX’s amp111 is the first one tried: whoever logs in controls the PBX.',
    fix:
      'Set a random password of at least 16 characters for each AMI/ARI user (and update the programs that use it, ' +
      'for FreePBX AMPMGRPASS in /etc/amportal.conf), and let these interfaces listen on 127.0.0.1 only.',
  },
  run(model) {
    const v = adminView(model);
    const out: Finding[] = [];
    const users = [...(v.ami.enabled ? v.ami.users : []), ...(v.ari.enabled ? v.ari.users : [])];
    for (const u of users) {
      if (u.hashed) continue;
      const where = u.secret ?? { file: u.section.file, line: u.section.line, value: '' };
      const verdict = judgeSecret(where.value, u.name);
      if (!verdict) continue;
      out.push(
        findingOf(this, {
          severity: verdict.severity,
          file: where.file,
          line: where.line,
          subject: `${u.iface} user ${u.name}`,
          message: `${u.iface} user ${u.name}: ${u.secret ? verdict.text : 'no password is set'}`,
        }),
      );
    }
    return out;
  },
};
