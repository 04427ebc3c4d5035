// AMI and the HTTP server (ARI, AMI over HTTP) listening on every address, and who may log in from where: an AMI
// user without permit/deny (or with a list that lets anyone in) on an AMI bound to 0.0.0.0 is an admin login open
// to the Internet.
import type { Check, Finding } from '../../types.js';
import { findingOf } from '../../types.js';
import type { AsteriskModel } from '../../asterisk/index.js';
import { get, isTrue } from '../../asterisk/model.js';
import { openToAnyone, sectionRules } from '../../asterisk/acl.js';
import { isLoopback } from '../common.js';
import { adminView } from './admin.js';

export const adminExposed: Check<AsteriskModel> = {
  id: 'asterisk.admin-exposed',
  recommendation: 'R-EXPOSURE',
  severity: 'high',
  looksAt:
    'manager.conf enabled, bindaddr and each user’s permit/deny/acl; http.conf enabled and bindaddr, with ARI ' +
    'users or manager webenabled=yes behind it',
  texts: {
    title: 'Admin interface reachable from anywhere',
    meaning:
      'The manager interface or the HTTP/ARI server listens on every address of the PBX. From the Internet, ' +
      'anyone can try its passwords; a login lets them place calls and change the configuration.',
    fix:
      'Set bindaddr=127.0.0.1 in manager.conf and http.conf (or the address of the admin network only), and give ' +
      'each AMI user deny=0.0.0.0/0.0.0.0 then permit=127.0.0.1/255.255.255.255.',
  },
  run(model) {
    const v = adminView(model);
    const out: Finding[] = [];
    if (v.ami.enabled && !isLoopback(v.ami.bind?.value ?? '0.0.0.0')) {
      const at = v.ami.bind ?? { file: v.ami.general?.file ?? 'manager.conf', line: v.ami.general?.line ?? 0 };
      const bind = v.ami.bind ? `bindaddr=${v.ami.bind.value}` : 'bindaddr not set (0.0.0.0)';
      const open = v.ami.users.filter((u) => openToAnyone(sectionRules(model.cfg, u.section)));
      if (open.length > 0) {
        for (const u of open) {
          out.push(
            findingOf(this, {
              file: u.section.file,
              line: u.section.line,
              subject: `AMI user ${u.name}`,
              message: `the manager interface listens on every address (${bind}) and user ${u.name} may log in from any address`,
            }),
          );
        }
      } else {
        out.push(
          findingOf(this, {
            severity: 'low',
            file: at.file,
            line: at.line,
            subject: 'AMI',
            message: `the manager interface listens on every address (${bind}); its users are limited by permit/deny, but the port answers the Internet`,
          }),
        );
      }
    }
    if (v.http.enabled && !isLoopback(v.http.bind?.value ?? '0.0.0.0')) {
      const at = v.http.bind ?? { file: v.http.general?.file ?? 'http.conf', line: v.http.general?.line ?? 0 };
      const behind: string[] = [];
      if (v.ari.enabled) behind.push(`ARI (users ${v.ari.users.map((u) => u.name).join(', ')})`);
      if (v.ami.enabled && isTrue(get(v.ami.general, 'webenabled')?.value)) behind.push('the AMI over HTTP');
      out.push(
        findingOf(this, {
          severity: behind.length > 0 ? 'high' : 'medium',
          file: at.file,
          line: at.line,
          subject: 'HTTP server',
          message: `the HTTP server listens on every address (${
            v.http.bind ? `bindaddr=${v.http.bind.value}` : 'bindaddr not set'
          })${behind.length > 0 ? ` and serves ${behind.join(' and ')}` : ''}`,
        }),
      );
    }
    return out;
  },
};
