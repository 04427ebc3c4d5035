// Voicemail PINs that are not defaults but still break the PIN policy (too short, a digit three times, not digits).
import type { Check } from '../../types.js';
import { findingOf } from '../../types.js';
import type { AsteriskModel } from '../../asterisk/index.js';
import { judgePin } from '../common.js';

export const voicemailPinPolicy: Check<AsteriskModel> = {
  id: 'asterisk.voicemail-pin-policy',
  recommendation: 'R-PIN-POLICY',
  severity: 'high',
  looksAt: 'voicemail.conf: each mailbox PIN not already reported as a default, against the PIN policy',
  texts: {
    title: 'Voicemail PIN against the PIN rules',
    meaning: 'A short or repetitive code is found quickly by someone trying codes on the voicemail prompt.',
    fix: 'Give the mailbox a PIN of at least 6 digits with no digit more than twice.',
  },
  run(model) {
    const out = [];
    for (const mb of model.voicemail.mailboxes) {
      const v = judgePin(mb.pin, mb.mailbox);
      // A trivial code is reported once, by asterisk.voicemail-pin-default.
      if (v.trivial.length > 0 || v.other.length === 0) continue;
      const locked = mb.locked ? ' (written with the - prefix: the user cannot change it)' : '';
      out.push(
        findingOf(this, {
          file: mb.entry.file,
          line: mb.entry.line,
          subject: `${mb.mailbox}@${mb.context}`,
          message: `voicemail PIN of mailbox ${mb.mailbox}@${mb.context}: ${v.other.map((f) => f.message).join('; ')}${locked}`,
        }),
      );
    }
    return out;
  },
};
