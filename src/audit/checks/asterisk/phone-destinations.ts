// The contexts phones use: which of international, premium and satellite numbers they can dial on the trunk. Each
// phone should sit in the smallest context it needs; these classes are where fraud costs the most.
import type { Check, Finding, Severity } from '../../types.js';
import { findingOf } from '../../types.js';
import type { AsteriskModel } from '../../asterisk/index.js';
import { classifyDialled } from '../../destinations.js';
import { pathText } from '../common.js';
import { eventsFrom, exampleOf } from './events.js';

const SEVERITY: Record<string, Severity> = { international: 'medium', premium: 'high', satellite: 'high' };

export const phoneDestinations: Check<AsteriskModel> = {
  id: 'asterisk.phone-destinations',
  recommendation: 'R-DESTINATIONS',
  severity: 'high',
  looksAt:
    'the contexts of phones (SIP/PJSIP/IAX2 accounts with a secret, analogue phones), walked with international ' +
    '(00, 011, +), premium (1-900, 09, 0899…) and satellite (881, 870) numbers to a trunk Dial()',
  texts: {
    title: 'Phones can call expensive destinations',
    meaning:
      'A phone in this context can call international, premium or satellite numbers. If its account is taken over ' +
      '(a guessed password, a stolen phone) the attacker can too, and these calls cost the most.',
    fix:
      'Put phones in a context without international, premium and satellite patterns, and give those patterns only ' +
      'to the few users who need them (or protect them with a PIN).',
  },
  run(model) {
    const out: Finding[] = [];
    const contexts = new Map<string, string[]>();
    for (const e of model.channels.endpoints) {
      if (e.role !== 'phone' || !model.dialplan.contexts.has(e.context)) continue;
      const list = contexts.get(e.context) ?? [];
      list.push(`${e.tech}/${e.name}`);
      contexts.set(e.context, list);
    }
    for (const [context, phones] of [...contexts].sort((a, b) => a[0].localeCompare(b[0]))) {
      const ctx = model.dialplan.contexts.get(context)!;
      const who =
        phones.length > 3 ? `${phones.slice(0, 3).join(', ')} and ${phones.length - 3} more` : phones.join(', ');
      const start = { context, file: ctx.file, line: ctx.line, what: `the context of ${who}` };
      const byClass = new Map<string, (typeof events)[number]>();
      const events = eventsFrom(model, context, start);
      for (const e of events) {
        if (e.kind !== 'trunk-dial' || !e.tainted || e.authenticated) continue;
        const cls = classifyDialled(e.number);
        if (cls === 'other') continue;
        const prev = byClass.get(cls);
        if (!prev || e.path.length < prev.path.length) byClass.set(cls, e);
      }
      for (const cls of ['satellite', 'premium', 'international']) {
        const e = byClass.get(cls);
        if (!e || e.kind !== 'trunk-dial') continue;
        out.push(
          findingOf(this, {
            severity: SEVERITY[cls]!,
            file: e.step.file,
            line: e.step.line,
            subject: context,
            message:
              `phones in ${context} (${who}) can dial ${cls} numbers on ${e.trunk} (${exampleOf(cls)}); ` +
              `path: ${pathText(e.path)}`,
            path: e.path,
          }),
        );
      }
    }
    return out;
  },
};
