// AMI users with write=all or the classes that run commands, originate calls or rewrite the configuration: one
// leaked password then means full control of the PBX. Least privilege: a dashboard needs read only.
import type { Check, Finding } from '../../types.js';
import { findingOf } from '../../types.js';
import type { AsteriskModel } from '../../asterisk/index.js';
import { get } from '../../asterisk/model.js';
import { adminView } from './admin.js';

const POWERFUL = ['all', 'system', 'command', 'originate', 'config'];

export const managerWrite: Check<AsteriskModel> = {
  id: 'asterisk.manager-write',
  recommendation: 'R-ADMIN-PW',
  severity: 'medium',
  looksAt: 'manager.conf users’ write= (all, system, command, originate, config) when the AMI is enabled',
  texts: {
    title: 'Manager user with full rights',
    meaning:
      'This AMI user may run shell commands, originate calls to any number and rewrite the configuration. Whoever ' +
      'gets its password gets all of that.',
    fix:
      'Give each AMI user only the write classes its program needs (often none: read= is enough for a dashboard), ' +
      'and keep such users limited to 127.0.0.1.',
  },
  run(model) {
    const v = adminView(model);
    if (!v.ami.enabled) return [];
    const out: Finding[] = [];
    for (const u of v.ami.users) {
      const w = get(u.section, 'write');
      if (!w) continue;
      const classes = w.value.split(',').map((c) => c.trim().toLowerCase());
      const bad = POWERFUL.filter((c) => classes.includes(c));
      if (bad.length === 0) continue;
      out.push(
        findingOf(this, {
          file: w.file,
          line: w.line,
          subject: `AMI user ${u.name}`,
          message: `AMI user ${u.name} has write=${bad.join(',')}${bad.includes('all') ? '' : ' among its rights'}: it may ${
            bad.includes('all') || bad.includes('system') || bad.includes('command') ? 'run commands, ' : ''
          }${bad.includes('all') || bad.includes('originate') ? 'originate calls, ' : ''}change the PBX`,
        }),
      );
    }
    return out;
  },
};
