// Voicemail PINs of directory users (vm-password, or the SIP password when it is omitted, as mod_voicemail does):
// equal to the extension (vanilla 1000 to 1019), a default (9999), or otherwise against the PIN policy.
import type { Check, Finding } from '../../types.js';
import { findingOf } from '../../types.js';
import type { FreeswitchModel, FsParam, FsUser } from '../../freeswitch/model.js';
import { judgePin } from '../common.js';

function pinOf(u: FsUser): { p: FsParam; fromPassword: boolean } | undefined {
  const vm = u.params.get('vm-password');
  if (vm) return { p: vm, fromPassword: false };
  const pw = u.params.get('password');
  return pw ? { p: pw, fromPassword: true } : undefined;
}

function texts(which: 'default' | 'policy') {
  return which === 'default'
    ? {
        title: 'Voicemail PIN equal to the extension or a default',
        meaning:
          'The voicemail PIN is the extension number or a well-known code: anyone calling the voicemail guesses it ' +
          'at once, then listens to messages or changes the greeting and settings.',
        fix: 'Set vm-password to a code of at least 6 digits that is not the extension, a run or a common code.',
      }
    : {
        title: 'Voicemail PIN against the PIN rules',
        meaning: 'A short or repetitive code is found quickly by someone trying codes on the voicemail prompt.',
        fix: 'Set vm-password to a code of at least 6 digits with no digit more than twice.',
      };
}

function run(this: Check<FreeswitchModel>, model: FreeswitchModel, which: 'default' | 'policy'): Finding[] {
  const out: Finding[] = [];
  for (const u of model.users) {
    const pin = pinOf(u);
    if (!pin || /‹|\$\$\{/.test(pin.p.value)) continue;
    // A SIP password used as the PIN is usually not digits: only judge it when it looks like a code.
    if (pin.fromPassword && !/^\d+$/.test(pin.p.value)) continue;
    const v = judgePin(pin.p.value, u.id);
    const failures = which === 'default' ? v.trivial : v.trivial.length > 0 ? [] : v.other;
    if (failures.length === 0) continue;
    const src = pin.fromPassword ? ' (no vm-password: the SIP password is the PIN)' : '';
    out.push(
      findingOf(this, {
        file: pin.p.file,
        line: pin.p.line,
        subject: `user ${u.id}`,
        message: `voicemail PIN of user ${u.id}${src}: ${failures.map((f) => f.message).join('; ')}`,
      }),
    );
  }
  return out;
}

export const fsVmPasswordDefault: Check<FreeswitchModel> = {
  id: 'freeswitch.vm-password-default',
  recommendation: 'R-PIN-DEFAULT',
  severity: 'critical',
  looksAt: 'directory users’ vm-password (or password when it is omitted), against the PIN policy',
  texts: texts('default'),
  run(model) {
    return run.call(this, model, 'default');
  },
};

export const fsVmPasswordPolicy: Check<FreeswitchModel> = {
  id: 'freeswitch.vm-password-policy',
  recommendation: 'R-PIN-POLICY',
  severity: 'high',
  looksAt: 'directory users’ vm-password not already reported as a default, against the PIN policy',
  texts: texts('policy'),
  run(model) {
    return run.call(this, model, 'policy');
  },
};
