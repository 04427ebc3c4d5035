// The FreeSWITCH reader (X-PRE-PROCESS set/include, $${} expansion, lines through includes) and checks: the vanilla
// configuration's real weaknesses, a planted weak configuration, a hardened one reported clean.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadFreeswitchDir } from '../../../src/audit/freeswitch/load.js';
import { buildFreeswitchModel } from '../../../src/audit/freeswitch/model.js';
import { auditFreeswitch } from '../../../src/audit/run.js';
import { FREESWITCH_CHECKS } from '../../../src/audit/checks/freeswitch/index.js';
import { RECOMMENDATION_IDS } from '../../../src/audit/recommendations.js';
import type { Finding } from '../../../src/audit/types.js';
import { AS_OF, FREESWITCH_VANILLA, withConfDir } from './helpers.js';
import { HARDENED_FREESWITCH, WEAK_FREESWITCH } from './planted.js';

const of = (fs: Finding[], check: string) => fs.filter((f) => f.check === check);
const brief = (f: Finding) => `${f.severity} ${f.file}:${f.line} ${f.subject}`;

function xmlFiles(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) return xmlFiles(p, base);
    return n.endsWith('.xml') ? [path.relative(base, p)] : [];
  });
}

describe('the reader', () => {
  test('vanilla: every file read, without errors or warnings', () => {
    const cfg = loadFreeswitchDir(FREESWITCH_VANILLA);
    assert.deepEqual(cfg.filesRead, xmlFiles(FREESWITCH_VANILLA).sort());
    assert.deepEqual(
      cfg.notes.filter((n) => n.level !== 'info'),
      [],
    );
  });

  test('vanilla: vars, users through the directory include, contexts, profiles, ACLs, event socket', () => {
    const m = buildFreeswitchModel(loadFreeswitchDir(FREESWITCH_VANILLA));
    assert.deepEqual(m.cfg.vars.get('default_password'), {
      name: 'default_password',
      value: '1234',
      file: 'vars.xml',
      line: 15,
    });
    assert.deepEqual(
      m.users.map((u) => u.id),
      ['1000', '1001', 'brian', 'default', 'example.com'],
    );
    const u1000 = m.users[0]!;
    assert.equal(u1000.params.get('password')?.value, '1234');
    assert.equal(u1000.params.get('password')?.raw, '$${default_password}');
    assert.deepEqual(
      [u1000.params.get('vm-password')?.file, u1000.params.get('vm-password')?.line],
      ['directory/default/1000.xml', 5],
    );
    assert.deepEqual([...m.contexts.keys()].sort(), ['default', 'public']);
    assert.deepEqual(m.profiles.map((p) => p.name).sort(), ['external', 'internal']);
    assert.equal(m.profiles.find((p) => p.name === 'internal')?.settings.get('apply-inbound-acl')?.line, 128);
    assert.deepEqual([...m.acls.keys()], ['lan', 'domains']);
    assert.equal(m.eventSocket?.settings.get('password')?.value, 'ClueCon');
  });

  test('set, then $${} from then on; include relative to the including file; broken XML reported with its line', () => {
    withConfDir(
      {
        'vars.xml': '<include>\n<X-PRE-PROCESS cmd="set" data="a=1"/>\n</include>\n',
        'x/top.xml': '<include>\n<X-PRE-PROCESS cmd="include" data="sub/*.xml"/>\n</include>\n',
        'x/sub/one.xml': '<include>\n  <user id="u$${a}"/>\n</include>\n',
        'bad.xml': '<include>\n<user id="x">\n</include>\n',
      },
      (dir) => {
        const cfg = loadFreeswitchDir(dir);
        const top = cfg.roots.find((r) => r.file === 'x/top.xml')!.node;
        const user = top.children[0]!.children[0]!;
        assert.deepEqual([user.attrs.id, user.file, user.line], ['u1', 'x/sub/one.xml', 2]);
        assert.ok(cfg.notes.some((n) => n.level === 'error' && n.file === 'bad.xml'));
      },
    );
  });
});

describe('checks declare themselves', () => {
  test('ids unique, known recommendations', () => {
    assert.equal(new Set(FREESWITCH_CHECKS.map((c) => c.id)).size, FREESWITCH_CHECKS.length);
    for (const c of FREESWITCH_CHECKS) assert.ok(RECOMMENDATION_IDS.includes(c.recommendation), c.id);
  });
});

describe('vanilla', () => {
  const r = auditFreeswitch(FREESWITCH_VANILLA, { asOf: AS_OF });
  test('default_password=1234, the password of 1000, 1001 and brian', () => {
    const f = of(r.findings, 'freeswitch.default-password');
    assert.deepEqual(f.map(brief), ['critical vars.xml:15 default_password']);
    assert.match(f[0]!.message, /3 user\(s\): 1000, 1001, brian/);
  });
  test('vm-password equal to the extension (1000, 1001) and 9999 for brian', () => {
    assert.deepEqual(of(r.findings, 'freeswitch.vm-password-default').map(brief), [
      'critical directory/default/1000.xml:5 user 1000',
      'critical directory/default/1001.xml:5 user 1001',
      'critical directory/default/brian.xml:47 user brian',
    ]);
    assert.match(of(r.findings, 'freeswitch.vm-password-default')[0]!.message, /extension number/);
  });
  test('toll_allow with international for 1000 and 1001', () => {
    assert.deepEqual(
      of(r.findings, 'freeswitch.toll-allow').map((f) => f.subject),
      ['user 1000', 'user 1001'],
    );
  });
  test('event socket: ClueCon, on :: with no ACL', () => {
    assert.deepEqual(of(r.findings, 'freeswitch.esl-password').map(brief), [
      'critical autoload_configs/event_socket.conf.xml:6 event socket',
    ]);
    assert.deepEqual(of(r.findings, 'freeswitch.esl-exposed').map(brief), [
      'high autoload_configs/event_socket.conf.xml:4 event socket',
    ]);
  });
  test('ACL lan lets anyone in (unused), external takes unauthenticated calls, public transfers narrow numbers', () => {
    assert.deepEqual(of(r.findings, 'freeswitch.acl-any').map(brief), ['low autoload_configs/acl.conf.xml:12 acl lan']);
    assert.deepEqual(of(r.findings, 'freeswitch.profile-exposed').map(brief), [
      'medium sip_profiles/external.xml:58 sip profile external',
    ]);
    assert.deepEqual(of(r.findings, 'freeswitch.public-to-default').map(brief), [
      'info dialplan/public.xml:42 context public',
      'info dialplan/public.xml:48 context public',
    ]);
  });
  test('users: example.com has $${default_provider_password} = "password", default registers without one', () => {
    assert.deepEqual(of(r.findings, 'freeswitch.user-password').map(brief), [
      'critical directory/default/example.com.xml:22 user example.com',
      'low directory/default/default.xml:2 user default',
    ]);
    assert.equal(r.findings.length, 14);
  });
});

describe('planted', () => {
  test('a weak configuration: every check finds its weakness', () => {
    const r = withConfDir(WEAK_FREESWITCH, (dir) => auditFreeswitch(dir, { asOf: AS_OF }));
    const found = new Set(r.findings.map((f) => f.check));
    assert.deepEqual(
      FREESWITCH_CHECKS.map((c) => c.id).filter((id) => !found.has(id)),
      [],
    );
    assert.ok(of(r.findings, 'freeswitch.public-to-default').some((f) => f.severity === 'critical'));
    assert.deepEqual(
      of(r.findings, 'freeswitch.user-password').map((f) => `${f.severity} ${f.subject}`),
      ['critical user 1001', 'high user open'],
    );
    assert.equal(of(r.findings, 'freeswitch.vm-password-policy')[0]?.subject, 'user 1001');
    assert.equal(of(r.findings, 'freeswitch.acl-any')[0]?.severity, 'high', 'lan is applied to a profile');
    assert.ok(of(r.findings, 'freeswitch.profile-exposed').some((f) => /accept-blind-reg/.test(f.message)));
    assert.ok(of(r.findings, 'freeswitch.profile-exposed').some((f) => f.subject === 'gateway op'));
  });
  test('a hardened configuration is reported clean', () => {
    const r = withConfDir(HARDENED_FREESWITCH, (dir) => auditFreeswitch(dir, { asOf: AS_OF }));
    assert.deepEqual(r.findings, []);
    assert.deepEqual(
      r.notes.filter((n) => n.level !== 'info'),
      [],
    );
  });
});
