// chan_sip alwaysauthreject=no answers "no such user" differently from "wrong password", which tells a scanner which
// extensions exist before it starts guessing their passwords.
import type { Check } from '../../types.js';
import { findingOf } from '../../types.js';
import type { AsteriskModel } from '../../asterisk/index.js';
import { get, isFalse, loadedDoc } from '../../asterisk/model.js';

export const sipAlwaysAuthReject: Check<AsteriskModel> = {
  id: 'asterisk.sip-alwaysauthreject',
  recommendation: 'R-EXPOSURE',
  severity: 'medium',
  looksAt: 'sip.conf [general] alwaysauthreject (Asterisk’s default is yes)',
  texts: {
    title: 'SIP tells scanners which extensions exist',
    meaning:
      'A scanner learns which extension numbers exist from the PBX’s answers, and then only has to guess their ' +
      'passwords.',
    fix: 'Set alwaysauthreject=yes in sip.conf [general].',
  },
  run(model) {
    const e = get(loadedDoc(model.cfg, 'sip', 'chan_sip.so').general(), 'alwaysauthreject');
    if (!e || !isFalse(e.value)) return [];
    return [
      findingOf(this, {
        file: e.file,
        line: e.line,
        subject: 'sip [general]',
        message: `alwaysauthreject=${e.value}: chan_sip answers unknown users differently from wrong passwords`,
      }),
    ];
  },
};
