// vars.xml default_password: every user of the vanilla directory has password=$${default_password}, and the shipped
// value is 1234. FreeSWITCH even warns about it at start-up; scanners try it first.
import type { Check, Finding } from '../../types.js';
import { findingOf } from '../../types.js';
import type { FreeswitchModel } from '../../freeswitch/model.js';
import { DEFAULT_PINS } from '../../../credentials/index.js';
import { judgeSecret } from '../common.js';

export const fsDefaultPassword: Check<FreeswitchModel> = {
  id: 'freeswitch.default-password',
  recommendation: 'R-PIN-DEFAULT',
  severity: 'critical',
  looksAt: 'vars.xml X-PRE-PROCESS set default_password, and the users whose password is $${default_password}',
  texts: {
    title: 'Default SIP password left at its shipped value',
    meaning:
      'Every phone account that uses $${default_password} shares one password, and 1234 is the first one scanners ' +
      'try: anyone can register as these users and call abroad.',
    fix:
      'Give each user its own random password in its directory file and set default_password in vars.xml to a ' +
      'long random value.',
  },
  run(model) {
    const v = model.cfg.vars.get('default_password');
    if (!v) return [];
    const shared = model.users.filter((u) => /\$\$\{default_password\}/.test(u.params.get('password')?.raw ?? ''));
    const verdict = judgeSecret(v.value);
    const isDefault = v.value === '1234' || (DEFAULT_PINS as readonly string[]).includes(v.value);
    if (!isDefault && !verdict) return [];
    const users = shared.map((u) => u.id);
    const out: Finding[] = [
      findingOf(this, {
        severity: isDefault ? 'critical' : verdict!.severity,
        file: v.file,
        line: v.line,
        subject: 'default_password',
        message:
          `default_password is ${isDefault ? 'left at a well-known default' : `weak (${verdict!.text})`}` +
          (users.length > 0
            ? `, and it is the password of ${users.length} user(s): ${users.slice(0, 8).join(', ')}${users.length > 8 ? ', …' : ''}`
            : ''),
      }),
    ];
    return out;
  },
};
