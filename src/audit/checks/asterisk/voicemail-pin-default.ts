// Voicemail PINs that are defaults or trivial (0000, 1234, the mailbox number, a run): the first codes tried on a
// remote voicemail prompt, from where a forward or a dial-out runs up the bill.
import type { Check } from '../../types.js';
import { findingOf } from '../../types.js';
import type { AsteriskModel } from '../../asterisk/index.js';
import { judgePin } from '../common.js';

export const voicemailPinDefault: Check<AsteriskModel> = {
  id: 'asterisk.voicemail-pin-default',
  recommendation: 'R-PIN-DEFAULT',
  severity: 'critical',
  looksAt: 'voicemail.conf: each `mailbox => [-]pin,…` line (the `-` form too), against the PIN policy',
  texts: {
    title: 'Voicemail PIN left at a default or trivial code',
    meaning:
      'Anyone who calls the voicemail from outside can guess this code in a few tries, then listen to messages, ' +
      'set a forward or use the dial-out of the mailbox to call abroad at the company’s expense.',
    fix: 'Give the mailbox a PIN of at least 6 digits that is not its number, not a run and not a well-known code.',
  },
  run(model) {
    const out = [];
    for (const mb of model.voicemail.mailboxes) {
      const v = judgePin(mb.pin, mb.mailbox);
      if (v.trivial.length === 0) continue;
      const why = mb.pin === '' ? 'the mailbox has no PIN' : v.trivial.map((f) => f.message).join('; ');
      const locked = mb.locked ? ' (written with the - prefix: the user cannot change it from the phone)' : '';
      out.push(
        findingOf(this, {
          file: mb.entry.file,
          line: mb.entry.line,
          subject: `${mb.mailbox}@${mb.context}`,
          message: `voicemail PIN of mailbox ${mb.mailbox}@${mb.context}: ${why}${locked}`,
        }),
      );
    }
    return out;
  },
};
