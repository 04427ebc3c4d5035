// A call-forward feature reachable from outside that stores digits the caller keys (Set(DB(CF/…)=…)): the caller can
// forward an extension to an expensive number and then call it.
import type { Check } from '../../types.js';
import { findingOf } from '../../types.js';
import type { AsteriskModel } from '../../asterisk/index.js';
import { pathText } from '../common.js';
import { outsideEvents } from './events.js';

export const outsideForward: Check<AsteriskModel> = {
  id: 'asterisk.outside-forward',
  recommendation: 'R-EXTERNAL-SERVICES',
  severity: 'critical',
  looksAt: 'Set(DB(CF…)=…) from digits the caller keys, reached from the contexts of trunks and guests',
  texts: {
    title: 'Call forward settable from outside',
    meaning:
      'A caller from outside can forward an extension to any number, then call that extension: the PBX pays for ' +
      'the forwarded leg, international and premium numbers included.',
    fix:
      'Keep call-forward feature codes in the contexts of phones only; when they must be reachable from outside, ' +
      'ask a PIN and refuse international and premium numbers as targets.',
  },
  run(model) {
    return outsideEvents(model, 'forward-set', (e) => e.tainted).map((r) => {
      const e = r.event;
      return findingOf(this, {
        severity: e.authenticated ? 'medium' : 'critical',
        file: e.step.file,
        line: e.step.line,
        subject: r.entry.context,
        message:
          `a caller landing in ${r.entry.context} (${r.entry.who}) can set a forward (${e.family}) to a number of ` +
          `their choice${e.authenticated ? ' after a PIN' : ''}; path: ${pathText(e.path)}`,
        path: e.path,
      });
    });
  },
};
