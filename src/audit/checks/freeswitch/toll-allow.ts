// Directory users whose toll_allow variable includes international: the vanilla dialplan (and most derived from it)
// lets them call abroad. Rights should be given to the users who need them, not to every user.
import type { Check, Finding } from '../../types.js';
import { findingOf } from '../../types.js';
import type { FreeswitchModel } from '../../freeswitch/model.js';

export const fsTollAllow: Check<FreeswitchModel> = {
  id: 'freeswitch.toll-allow',
  recommendation: 'R-RIGHTS',
  severity: 'medium',
  looksAt: 'directory users’ toll_allow variable (international)',
  texts: {
    title: 'User allowed to call abroad',
    meaning:
      'This user may call international numbers. If its account is taken over, the attacker can too, and those ' +
      'calls cost the most.',
    fix: 'Remove international from toll_allow for the users who do not need it (keep domestic,local).',
  },
  run(model) {
    const out: Finding[] = [];
    for (const u of model.users) {
      const t = u.variables.get('toll_allow');
      if (!t || !/\binternational\b/i.test(t.value)) continue;
      out.push(
        findingOf(this, {
          file: t.file,
          line: t.line,
          subject: `user ${u.id}`,
          message: `user ${u.id} has toll_allow=${t.value}: it may call international numbers`,
        }),
      );
    }
    return out;
  },
};
