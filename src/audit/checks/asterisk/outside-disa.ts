// DISA() reachable from outside: a second dial tone on the company's lines for whoever calls in.
import type { Check } from '../../types.js';
import { findingOf } from '../../types.js';
import type { AsteriskModel } from '../../asterisk/index.js';
import { pathText } from '../common.js';
import { outsideEvents } from './events.js';

export const outsideDisa: Check<AsteriskModel> = {
  id: 'asterisk.outside-disa',
  recommendation: 'R-DISA',
  severity: 'critical',
  looksAt: 'DISA() reached from the contexts of trunks and guests, and its password argument (no-password)',
  texts: {
    title: 'DISA reachable from outside',
    meaning:
      'DISA gives an outside caller a dial tone on the company’s lines. With no password (or a guessed one) the ' +
      'caller can call anywhere in the world on the company’s bill.',
    fix: 'Remove DISA if nobody uses it; otherwise reach it only from a dedicated number, with a long PIN per user.',
  },
  run(model) {
    return outsideEvents(model, 'disa').map((r) => {
      const e = r.event;
      const open = e.password === '' || /^no-?password$/i.test(e.password);
      return findingOf(this, {
        severity: open && !e.authenticated ? 'critical' : 'high',
        file: e.step.file,
        line: e.step.line,
        subject: r.entry.context,
        message: `a caller landing in ${r.entry.context} (${r.entry.who}) reaches DISA ${
          open ? 'with no password' : 'protected by a password'
        } and gets a dial tone in ${e.target}; path: ${pathText(e.path)}`,
        path: e.path,
      });
    });
  },
};
