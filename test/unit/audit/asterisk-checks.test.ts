// The Asterisk checks: the findings really present in the fixtures (samples, basic-pbx, the FreePBX dump), every
// weakness of a planted configuration found, and a hardened configuration reported clean.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { auditAsterisk } from '../../../src/audit/run.js';
import { ASTERISK_CHECKS } from '../../../src/audit/checks/asterisk/index.js';
import { RECOMMENDATION_IDS } from '../../../src/audit/recommendations.js';
import { SEVERITIES, type Finding } from '../../../src/audit/types.js';
import { ASTERISK_FIXTURES, AS_OF, withConfDir } from './helpers.js';
import { HARDENED_ASTERISK, WEAK_ASTERISK } from './planted.js';

const run = (dir: string) => auditAsterisk(dir, { asOf: AS_OF });
const of = (fs: Finding[], check: string) => fs.filter((f) => f.check === check);
const brief = (f: Finding) => `${f.severity} ${f.file}:${f.line} ${f.subject}`;

describe('every check declares itself', () => {
  test('ids unique, a known recommendation, a severity, texts and what it looks at', () => {
    const ids = new Set<string>();
    for (const c of ASTERISK_CHECKS) {
      assert.ok(!ids.has(c.id), c.id);
      ids.add(c.id);
      assert.ok(RECOMMENDATION_IDS.includes(c.recommendation), c.id);
      assert.ok(SEVERITIES.includes(c.severity), c.id);
      assert.ok(c.texts.title && c.texts.meaning && c.texts.fix && c.looksAt, c.id);
    }
  });
});

describe('the FreePBX dump', () => {
  const r = run(ASTERISK_FIXTURES.freepbx);
  test('the AMI secret amp111 of user admin', () => {
    assert.deepEqual(of(r.findings, 'asterisk.admin-secret').map(brief), ['critical manager.conf:19 AMI user admin']);
    assert.match(of(r.findings, 'asterisk.admin-secret')[0]!.message, /amp111/);
  });
  test('write=system,command,…,originate,config and an AMI bound to 0.0.0.0 whose user is limited to 127.0.0.1', () => {
    assert.deepEqual(of(r.findings, 'asterisk.manager-write').map(brief), ['medium manager.conf:23 AMI user admin']);
    assert.deepEqual(of(r.findings, 'asterisk.admin-exposed').map(brief), ['low manager.conf:15 AMI']);
  });
  test('peer 200: deny=0.0.0.0/0.0.0.0 then permit=0.0.0.0/0.0.0.0 lets anyone in; its hex secret lacks upper case', () => {
    assert.deepEqual(of(r.findings, 'asterisk.acl-any').map(brief), ['medium sip_additional.conf:32 SIP/200']);
    assert.deepEqual(of(r.findings, 'asterisk.sip-secret').map(brief), ['low sip_additional.conf:11 SIP/200']);
  });
  test('allowguest unset (guests land in from-sip-external), SIP on every address, Asterisk 11.7.0 end of life', () => {
    assert.deepEqual(of(r.findings, 'asterisk.sip-guest').map(brief), [
      'medium sip_general_additional.conf:14 context from-sip-external',
    ]);
    assert.deepEqual(of(r.findings, 'asterisk.transport-any').map(brief), [
      'medium pjsip.transports.conf:14 PJSIP transport 0.0.0.0-udp',
      'medium sip_general_additional.conf:1 chan_sip udpbindaddr',
    ]);
    assert.deepEqual(of(r.findings, 'asterisk.version-eol').map(brief), [
      'high sip_general_additional.conf:22 Asterisk 11.7.0',
    ]);
    assert.equal(r.version?.value, '11.7.0');
  });
  test('nothing else: 9 findings (its extensions.conf is a link, so the dialplan contexts are missing)', () => {
    assert.equal(r.findings.length, 9);
  });
});

describe('the samples', () => {
  const r = run(ASTERISK_FIXTURES.samples);
  test('voicemail.conf.sample: 4242 and 5678 for mailbox 1234, minpassword unset', () => {
    assert.deepEqual(of(r.findings, 'asterisk.voicemail-pin-default').map(brief), [
      'critical voicemail.conf.sample:531 1234@default',
      'critical voicemail.conf.sample:556 1234@other',
    ]);
    assert.deepEqual(of(r.findings, 'asterisk.voicemail-minpassword').map(brief), [
      'medium voicemail.conf.sample:24 voicemail [general]',
    ]);
  });
  test('extensions.conf.sample: [default] reaches VoiceMailMain through include => demo, with the path', () => {
    const vm = of(r.findings, 'asterisk.outside-voicemail');
    assert.deepEqual(
      vm.map((f) => `${f.file}:${f.line}`),
      ['extensions.conf.sample:498', 'extensions.conf.sample:624'],
    );
    assert.ok(vm.every((f) => f.path && f.path.some((p) => p.what === 'include => demo')));
  });
  test('sip.conf.sample: guests accepted into public, SIP on 0.0.0.0; 7 findings in all', () => {
    assert.deepEqual(of(r.findings, 'asterisk.sip-guest').map(brief), ['medium sip.conf.sample:126 context public']);
    assert.deepEqual(of(r.findings, 'asterisk.transport-any').map(brief), [
      'medium sip.conf.sample:191 chan_sip udpbindaddr',
    ]);
    assert.equal(r.findings.length, 7);
  });
});

describe('basic-pbx', () => {
  const r = run(ASTERISK_FIXTURES.basicPbx);
  test('the trunk context reaches VoiceMailMain (External-Features), PJSIP bound to 0.0.0.0, minpassword unset', () => {
    assert.deepEqual(
      r.findings.map((f) => `${f.check} ${brief(f)}`),
      [
        'asterisk.outside-voicemail high extensions.conf:36 DCS-Incoming',
        'asterisk.transport-any medium pjsip.conf:6 PJSIP transport transport-udp-nat',
        'asterisk.voicemail-minpassword medium voicemail.conf:1 voicemail [general]',
      ],
    );
  });
  test('its strong PJSIP passwords and voicemail PINs pass', () => {
    assert.equal(of(r.findings, 'asterisk.sip-secret').length, 0);
    assert.equal(of(r.findings, 'asterisk.voicemail-pin-default').length, 0);
  });
});

describe('a planted weak configuration', () => {
  const r = withConfDir(WEAK_ASTERISK, run);
  test('every check finds its weakness', () => {
    const found = new Set(r.findings.map((f) => f.check));
    assert.deepEqual(
      ASTERISK_CHECKS.map((c) => c.id).filter((id) => !found.has(id)),
      [],
    );
  });
  test('the trunk dial from outside with its path: from-trunk → include => phones → Dial', () => {
    const f = of(r.findings, 'asterisk.outside-trunk-dial').find((x) => x.line === 9)!;
    assert.equal(f.severity, 'critical');
    assert.equal(f.subject, 'from-trunk');
    assert.deepEqual(f.path!.map((p) => p.what).slice(1), [
      'include => phones',
      '00442079460000 matches _00X.',
      'Dial(SIP/operator/00442079460000)',
    ]);
    assert.match(f.message, /path: from-trunk: .* → phones: include => phones/);
  });
  test('DISA no-password, VoiceMailMain s, forward from outside, voicemail dial-out', () => {
    assert.equal(of(r.findings, 'asterisk.outside-disa')[0]!.severity, 'critical');
    assert.match(of(r.findings, 'asterisk.outside-voicemail')[0]!.message, /no PIN is asked/);
    assert.match(of(r.findings, 'asterisk.outside-forward')[0]!.message, /CF/);
    assert.match(of(r.findings, 'asterisk.voicemail-dialout')[0]!.message, /dialout=vm-out reaches SIP\/operator/);
  });
  test('PINs: -100 (the - prefix, equal to the mailbox), 1234, and 11198 against the policy', () => {
    assert.deepEqual(
      of(r.findings, 'asterisk.voicemail-pin-default').map((f) => f.subject),
      ['100@default', '101@default'],
    );
    assert.match(of(r.findings, 'asterisk.voicemail-pin-default')[0]!.message, /extension number.*- prefix/);
    assert.deepEqual(
      of(r.findings, 'asterisk.voicemail-pin-policy').map((f) => f.subject),
      ['102@default'],
    );
  });
  test('secrets equal to the user name (chan_sip and pjsip), ARI and AMI defaults, identify on any address', () => {
    assert.deepEqual(
      of(r.findings, 'asterisk.sip-secret')
        .map((f) => `${f.severity} ${f.subject}`)
        .sort(),
      ['critical PJSIP/200', 'critical SIP/100'],
    );
    assert.deepEqual(
      of(r.findings, 'asterisk.admin-secret')
        .map((f) => f.subject)
        .sort(),
      ['AMI user admin', 'ARI user asterisk'],
    );
    assert.ok(
      of(r.findings, 'asterisk.acl-any').some((f) => f.severity === 'critical' && f.subject === 'PJSIP/operator-pj'),
    );
  });
  test('phones can dial international and premium numbers', () => {
    assert.deepEqual(
      of(r.findings, 'asterisk.phone-destinations')
        .map((f) => f.message.split(' numbers')[0])
        .sort(),
      [
        'phones in phones (SIP/100, SIP/101, PJSIP/200) can dial international',
        'phones in phones (SIP/100, SIP/101, PJSIP/200) can dial premium',
        'phones in phones (SIP/100, SIP/101, PJSIP/200) can dial satellite',
      ],
    );
  });
});

describe('a hardened configuration', () => {
  test('is reported clean', () => {
    const r = withConfDir(HARDENED_ASTERISK, run);
    assert.deepEqual(r.findings, []);
    assert.deepEqual(
      r.notes.filter((n) => n.level !== 'info'),
      [],
    );
  });
});
