// The most costly weakness: from a context where a trunk or guest call lands, a way through the dialplan (include,
// Goto, Gosub, Macro, DISA, voicemail dial-out, menus) to a Dial() on the trunk with a number the caller chooses.
// The path is shown so that the integrator sees which line to change.
import type { Check } from '../../types.js';
import { findingOf } from '../../types.js';
import type { AsteriskModel } from '../../asterisk/index.js';
import { pathText } from '../common.js';
import { exampleOf, outsideEvents, worstClass } from './events.js';

export const outsideTrunkDial: Check<AsteriskModel> = {
  id: 'asterisk.outside-trunk-dial',
  recommendation: 'R-DISA',
  severity: 'critical',
  looksAt:
    'extensions.conf walked from every context a trunk, a guest or [default] lands in, following include, Goto, ' +
    'GotoIf, Gosub, Macro, ExecIf, Dial(Local/…), DISA, menus and voicemail dial-out, to a Dial() on a trunk',
  texts: {
    title: 'A caller from outside can dial out on the trunk',
    meaning:
      'Someone calling in from the outside (or sending calls without an account) can make the PBX call any number, ' +
      'international and premium ones included, at the company’s expense. This is how most toll fraud happens.',
    fix:
      'Make the context of trunks and guests reach only the company’s own extensions: remove the include, Goto or ' +
      'menu entry shown in the path, and keep outbound routes in contexts that only phones use.',
  },
  run(model) {
    return outsideEvents(model, 'trunk-dial', (e) => e.tainted).map((r) => {
      const e = r.event;
      const cls = worstClass(r.classes);
      const behind = e.authenticated ? ' behind Authenticate()/VMAuthenticate(): only a PIN protects it' : '';
      return findingOf(this, {
        severity: e.authenticated ? 'medium' : 'critical',
        file: e.step.file,
        line: e.step.line,
        subject: r.entry.context,
        message:
          `a caller landing in ${r.entry.context} (${r.entry.who}) reaches ${e.trunk} with a number of their choice` +
          `${cls ? ` (${exampleOf(cls)} for instance)` : ''}${behind}; path: ${pathText(e.path)}`,
        path: e.path,
      });
    });
  },
};
