// SIP and IAX2 secrets (chan_sip secret=, pjsip type=auth password=, iax.conf secret=), templates resolved, against
// the password policy: empty, equal to or containing the user name, a default or common word, too short. Accounts
// with no secret at all that anyone can register or call as are reported too.
import type { Check, Finding } from '../../types.js';
import { findingOf } from '../../types.js';
import type { AsteriskModel } from '../../asterisk/index.js';
import { get, loadedDoc, type ConfSection } from '../../asterisk/model.js';
import { judgeSecret } from '../common.js';

function typeOf(s: ConfSection): string | undefined {
  return get(s, 'type')?.value.toLowerCase();
}

export const sipSecret: Check<AsteriskModel> = {
  id: 'asterisk.sip-secret',
  recommendation: 'R-PW-POLICY',
  severity: 'critical',
  looksAt:
    'sip.conf peers/friends/users (secret, defaultuser/username), pjsip.conf type=auth (password, username), ' +
    'iax.conf users (secret), templates resolved, against the password policy',
  texts: {
    title: 'Weak SIP or IAX2 password',
    meaning:
      'Scanners on the Internet try common passwords and the user name on every SIP account. A guessed password ' +
      'gives the attacker a phone of the company, and its right to call abroad.',
    fix:
      'Give the account a random password of at least 16 characters (letters of both cases and digits), different ' +
      'from its user name, and set it again on the phone.',
  },
  run(model) {
    const out: Finding[] = [];
    const report = (
      s: ConfSection,
      tech: string,
      secret: { value: string; file: string; line: number },
      login: string,
      also?: string,
    ): void => {
      let v = judgeSecret(secret.value, login);
      if ((!v || v.kind === 'composition') && also && also !== login) {
        const w = judgeSecret(secret.value, also);
        if (w && w.kind === 'login') v = w;
      }
      if (!v) return;
      out.push(
        findingOf(this, {
          severity: v.severity,
          file: secret.file,
          line: secret.line,
          subject: `${tech}/${s.name}`,
          message: `the password of ${tech}/${s.name} (user ${login}): ${v.text}`,
        }),
      );
    };

    const sip = loadedDoc(model.cfg, 'sip', 'chan_sip.so');
    for (const s of sip.concrete()) {
      const lname = s.name.toLowerCase();
      if (lname === 'general' || lname === 'authentication') continue;
      const type = typeOf(s) ?? 'friend';
      if (!['peer', 'friend', 'user'].includes(type)) continue;
      const login = get(s, 'defaultuser')?.value || get(s, 'username')?.value || s.name;
      const secret = get(s, 'secret');
      if (secret) report(s, 'SIP', secret, login, s.name);
      else if (!get(s, 'md5secret') && !get(s, 'remotesecret')) {
        const host = (get(s, 'host')?.value ?? 'dynamic').toLowerCase();
        if (host !== 'dynamic' && type === 'peer') continue; // a trunk matched by its address needs no secret
        out.push(
          findingOf(this, {
            file: s.file,
            line: s.line,
            subject: `SIP/${s.name}`,
            message: `SIP/${s.name} has no secret: anyone can register or call as ${s.name}`,
          }),
        );
      }
    }

    const pjsip = loadedDoc(model.cfg, 'pjsip', 'chan_pjsip.so');
    const endpointOf = new Map<string, string>();
    for (const s of pjsip.concrete()) {
      if (typeOf(s) !== 'endpoint') continue;
      const a = get(s, 'auth')?.value;
      if (a) endpointOf.set(a, s.name);
    }
    for (const s of pjsip.concrete()) {
      if (typeOf(s) !== 'auth') continue;
      const authType = (get(s, 'auth_type')?.value ?? 'userpass').toLowerCase();
      if (authType !== 'userpass') continue;
      const login = get(s, 'username')?.value || s.name;
      const pw = get(s, 'password');
      // An auth used only to register to the operator holds the operator's password: judged the same way.
      if (pw) report(s, 'PJSIP', pw, login, endpointOf.get(s.name) ?? s.name);
      else if (endpointOf.has(s.name)) {
        out.push(
          findingOf(this, {
            file: s.file,
            line: s.line,
            subject: `PJSIP/${s.name}`,
            message: `the auth section ${s.name} of endpoint ${endpointOf.get(s.name)} has no password`,
          }),
        );
      }
    }

    const iax = loadedDoc(model.cfg, 'iax', 'chan_iax2.so');
    for (const s of iax.concrete()) {
      if (s.name.toLowerCase() === 'general') continue;
      const type = typeOf(s);
      if (type !== 'user' && type !== 'friend') continue;
      const secret = get(s, 'secret');
      if (secret) report(s, 'IAX2', secret, get(s, 'username')?.value || s.name, s.name);
    }
    return out;
  },
};
