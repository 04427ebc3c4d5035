// Directory users' own SIP passwords (those not taken from $${default_password}, which the default-password check
// covers), against the password policy; and users that can register with no password at all.
import type { Check, Finding } from '../../types.js';
import { findingOf } from '../../types.js';
import type { FreeswitchModel } from '../../freeswitch/model.js';
import { judgeSecret } from '../common.js';

export const fsUserPassword: Check<FreeswitchModel> = {
  id: 'freeswitch.user-password',
  recommendation: 'R-PW-POLICY',
  severity: 'critical',
  looksAt: 'directory users’ password param (not $${default_password}), a1-hash, and users with neither',
  texts: {
    title: 'Weak SIP password of a user',
    meaning: 'A guessed SIP password gives the attacker a phone of the company, with its right to call abroad.',
    fix: 'Give the user a random password of at least 16 characters, different from its number.',
  },
  run(model) {
    const out: Finding[] = [];
    for (const u of model.users) {
      const pw = u.params.get('password');
      if (!pw) {
        if (u.params.has('a1-hash') || u.cidr) continue;
        const ctx = u.variables.get('user_context')?.value ?? 'public';
        out.push(
          findingOf(this, {
            severity: ctx === 'public' ? 'low' : 'high',
            file: u.file,
            line: u.line,
            subject: `user ${u.id}`,
            message: `user ${u.id} has no password: anyone can register as it (its calls land in context ${ctx})`,
          }),
        );
        continue;
      }
      if (/\$\$\{default_password\}/.test(pw.raw ?? '')) continue;
      if (/‹|\$\$\{/.test(pw.value)) continue; // set at start-up or never set: unknown to the audit
      const v = judgeSecret(pw.value, u.id);
      if (!v) continue;
      out.push(
        findingOf(this, {
          severity: v.severity,
          file: pw.file,
          line: pw.line,
          subject: `user ${u.id}`,
          message: `the SIP password of user ${u.id}: ${v.text}`,
        }),
      );
    }
    return out;
  },
};
