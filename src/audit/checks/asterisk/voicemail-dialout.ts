// voicemail.conf dialout= / callback= (in [general] or a mailbox's options): the contexts a voicemail user can dial
// from the mailbox menu. When such a context reaches the trunk with any number, whoever knows a mailbox PIN can call
// abroad through the company's lines.
import type { Check, Finding } from '../../types.js';
import { findingOf } from '../../types.js';
import type { AsteriskModel } from '../../asterisk/index.js';
import { pathText } from '../common.js';
import { eventsFrom, exampleOf } from './events.js';
import { classifyDialled } from '../../destinations.js';

export const voicemailDialout: Check<AsteriskModel> = {
  id: 'asterisk.voicemail-dialout',
  recommendation: 'R-RIGHTS',
  severity: 'high',
  looksAt: 'voicemail.conf dialout= and callback= contexts, walked through the dialplan to a trunk Dial()',
  texts: {
    title: 'Voicemail can dial out on the trunk',
    meaning:
      'From the voicemail menu a user (or anyone who guessed a mailbox PIN from outside) can place calls to any ' +
      'number through the company’s trunk.',
    fix:
      'Remove dialout= and callback= from voicemail.conf, or point them at a context that only reaches internal ' +
      'extensions.',
  },
  run(model) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const oc of model.voicemail.outContexts) {
      if (!model.dialplan.contexts.has(oc.context)) continue;
      const start = { context: oc.context, file: oc.file, line: oc.line, what: `voicemail ${oc.kind}=${oc.context}` };
      const dials = eventsFrom(model, oc.context, start).filter((e) => e.kind === 'trunk-dial' && e.tainted);
      if (dials.length === 0) continue;
      const key = `${oc.kind}:${oc.context}:${oc.mailbox ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const classes = new Set<string>(
        dials.map((d) => (d.kind === 'trunk-dial' ? classifyDialled(d.number) : 'other')),
      );
      const cls = ['satellite', 'premium', 'international'].find((c) => classes.has(c));
      const first = dials.sort((a, b) => a.path.length - b.path.length)[0]!;
      const trunk = first.kind === 'trunk-dial' ? first.trunk : '';
      out.push(
        findingOf(this, {
          file: oc.file,
          line: oc.line,
          subject: oc.mailbox ?? `voicemail ${oc.kind}=${oc.context}`,
          message:
            `${oc.kind}=${oc.context}${oc.mailbox ? ` (mailbox ${oc.mailbox})` : ''} reaches ${trunk} with a number ` +
            `the caller keys${cls ? `, ${exampleOf(cls)} included` : ''}; path: ${pathText(first.path)}`,
          path: first.path,
        }),
      );
    }
    return out;
  },
};
