// VoiceMailMain() reachable from outside (remote voicemail): the door to a mailbox's forward and dial-out settings,
// protected by nothing but the mailbox PIN, or by nothing at all with the `s` option.
import type { Check } from '../../types.js';
import { findingOf } from '../../types.js';
import type { AsteriskModel } from '../../asterisk/index.js';
import { pathText } from '../common.js';
import { outsideEvents } from './events.js';

export const outsideVoicemail: Check<AsteriskModel> = {
  id: 'asterisk.outside-voicemail',
  recommendation: 'R-EXTERNAL-SERVICES',
  severity: 'high',
  looksAt: 'VoiceMailMain() reached from the contexts of trunks and guests, and its s option (no PIN asked)',
  texts: {
    title: 'Voicemail reachable from outside',
    meaning:
      'Callers from outside can log into any mailbox by keying its number and PIN. A guessed PIN lets them listen ' +
      'to messages and, where the mailbox can dial out or set a forward, call abroad on the company’s bill.',
    fix:
      'Offer remote voicemail only if it is needed; then require strong PINs (see the PIN findings), keep ' +
      'maxlogins=3 and never use the s option from outside.',
  },
  run(model) {
    return outsideEvents(model, 'voicemail-main').map((r) => {
      const e = r.event;
      return findingOf(this, {
        severity: e.skipPassword ? 'critical' : 'high',
        file: e.step.file,
        line: e.step.line,
        subject: r.entry.context,
        message: `a caller landing in ${r.entry.context} (${r.entry.who}) reaches VoiceMailMain(${
          e.mailbox || 'any mailbox'
        })${e.skipPassword ? ' with the s option: no PIN is asked' : ''}; path: ${pathText(e.path)}`,
        path: e.path,
      });
    });
  },
};
