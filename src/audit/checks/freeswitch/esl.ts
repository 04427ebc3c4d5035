// Event socket (mod_event_socket, autoload_configs/event_socket.conf.xml): whoever connects with its password runs any
// API command, originate included. Shipped as password ClueCon on listen-ip :: (every address) with no ACL.
import type { Check, Finding } from '../../types.js';
import { findingOf } from '../../types.js';
import type { FreeswitchModel } from '../../freeswitch/model.js';
import { isAnyAddress, isLoopback, judgeSecret } from '../common.js';
import { fsAclOpen } from './acl.js';

export const fsEslPassword: Check<FreeswitchModel> = {
  id: 'freeswitch.esl-password',
  recommendation: 'R-ADMIN-PW',
  severity: 'critical',
  looksAt: 'event_socket.conf.xml password (ClueCon by default), against the password policy',
  texts: {
    title: 'Event socket password left at its default',
    meaning:
      'The event socket controls FreeSWITCH entirely: with its password anyone who reaches the port can place ' +
      'calls to any number and run commands. ClueCon is the shipped password, known to every scanner.',
    fix: 'Set a random password of at least 16 characters in event_socket.conf.xml (and in the programs that use it).',
  },
  run(model) {
    const es = model.eventSocket;
    if (!es) return [];
    const pw = es.settings.get('password');
    const at = pw ?? { file: es.file, line: es.line, value: '' };
    const v = judgeSecret(at.value, 'ClueCon');
    const isDefault = at.value.toLowerCase() === 'cluecon';
    if (!v && !isDefault) return [];
    return [
      findingOf(this, {
        severity: isDefault ? 'critical' : v!.severity,
        file: at.file,
        line: at.line,
        subject: 'event socket',
        message: isDefault
          ? 'the event socket password is ClueCon, the shipped default'
          : `the event socket password: ${pw ? v!.text : 'no password is set'}`,
      }),
    ];
  },
};

export const fsEslExposed: Check<FreeswitchModel> = {
  id: 'freeswitch.esl-exposed',
  recommendation: 'R-EXPOSURE',
  severity: 'high',
  looksAt: 'event_socket.conf.xml listen-ip and apply-inbound-acl (the ACL evaluated from acl.conf.xml)',
  texts: {
    title: 'Event socket reachable from anywhere',
    meaning:
      'The event socket listens on every address of the server and no ACL limits who connects: from the Internet ' +
      'anyone can try its password, and a login gives full control.',
    fix: 'Set listen-ip to 127.0.0.1 (or ::1) and apply-inbound-acl to loopback.auto in event_socket.conf.xml.',
  },
  run(model) {
    const es = model.eventSocket;
    if (!es) return [];
    const ip = es.settings.get('listen-ip');
    if (ip && isLoopback(ip.value)) return [];
    if (ip && !isAnyAddress(ip.value)) return [];
    const acl = es.settings.get('apply-inbound-acl');
    const open = acl ? fsAclOpen(model, acl.value) : true;
    if (open === false || open === undefined) return [];
    const out: Finding[] = [
      findingOf(this, {
        file: ip?.file ?? es.file,
        line: ip?.line ?? es.line,
        subject: 'event socket',
        message: `the event socket listens on every address (listen-ip=${ip?.value ?? 'unset'}) ${
          acl ? `and its ACL ${acl.value} lets any address in` : 'with no apply-inbound-acl'
        }`,
      }),
    ];
    return out;
  },
};
