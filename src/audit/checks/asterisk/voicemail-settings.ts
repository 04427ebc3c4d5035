// voicemail.conf [general]: minpassword (the shortest PIN a user may choose) and maxlogins (failed tries before the
// call is dropped). Asterisk's defaults are minpassword=0 (any length) and maxlogins=3.
import type { Check, Finding } from '../../types.js';
import { findingOf } from '../../types.js';
import type { AsteriskModel } from '../../asterisk/index.js';
import { get } from '../../asterisk/model.js';

function where(model: AsteriskModel): { file: string; line: number } {
  const g = model.voicemail.general;
  const first = model.voicemail.mailboxes[0]?.entry;
  return { file: g?.file ?? first?.file ?? 'voicemail.conf', line: g?.line ?? first?.line ?? 0 };
}

export const voicemailMinPassword: Check<AsteriskModel> = {
  id: 'asterisk.voicemail-minpassword',
  recommendation: 'R-PIN-POLICY',
  severity: 'medium',
  looksAt: 'voicemail.conf [general] minpassword, when mailboxes are defined',
  texts: {
    title: 'Users may choose a PIN that is too short',
    meaning: 'Without minpassword, a user can change the voicemail PIN to a 1- or 2-digit code that is found at once.',
    fix: 'Set minpassword=6 in the [general] section of voicemail.conf.',
  },
  run(model) {
    if (model.voicemail.mailboxes.length === 0) return [];
    const e = get(model.voicemail.general, 'minpassword');
    const n = e ? Number(e.value) : 0;
    if (e && Number.isFinite(n) && n >= 4) return [];
    const at = e ? { file: e.file, line: e.line } : where(model);
    const message = e
      ? `minpassword=${e.value}: users may set a voicemail PIN of fewer than 4 digits`
      : 'minpassword is not set: Asterisk lets users set a voicemail PIN of any length';
    return [findingOf(this, { ...at, subject: 'voicemail [general]', message })];
  },
};

export const voicemailMaxLogins: Check<AsteriskModel> = {
  id: 'asterisk.voicemail-maxlogins',
  recommendation: 'R-LOCKOUT',
  severity: 'medium',
  looksAt: 'voicemail.conf [general] maxlogins (Asterisk’s default is 3)',
  texts: {
    title: 'Too many PIN tries per call on the voicemail',
    meaning: 'Each call lets an attacker try more codes before it is dropped, so a PIN is guessed in fewer calls.',
    fix:
      'Set maxlogins=3 in voicemail.conf [general]; Asterisk only drops the call, so also let Tollguard ban ' +
      'sources that fail repeatedly.',
  },
  run(model) {
    const e = get(model.voicemail.general, 'maxlogins');
    if (!e) return [];
    const n = Number(e.value);
    if (Number.isFinite(n) && n > 0 && n <= 3) return [];
    const out: Finding[] = [
      findingOf(this, {
        file: e.file,
        line: e.line,
        subject: 'voicemail [general]',
        message: `maxlogins=${e.value}: a caller may try ${n > 0 ? n : 'unlimited'} PINs per call (at most 3)`,
      }),
    ];
    return out;
  },
};
