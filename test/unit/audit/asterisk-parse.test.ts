// The Asterisk configuration reader: comments as main/config.c reads them, sections, templates and inheritance,
// includes (relative, globbed, missing, looping, /etc/asterisk/…), FreePBX pieces read without their main file, and
// the fixture folders read whole without errors.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { parseConfText } from '../../../src/audit/asterisk/parse.js';
import { familyOf, loadAsteriskDir } from '../../../src/audit/asterisk/load.js';
import { doc, entries, get, getAll, moduleLoaded } from '../../../src/audit/asterisk/model.js';
import { ASTERISK_FIXTURES, withConfDir } from './helpers.js';

const entryItems = (text: string) =>
  parseConfText(text, 'x.conf').items.flatMap((i) =>
    i.kind === 'entry' ? [`${i.line}:${i.key}${i.op}${i.value}`] : [],
  );

describe('comments', () => {
  test('a semicolon starts a comment; \\; is a literal semicolon', () => {
    assert.deepEqual(entryItems('[s]\na = 1 ; comment\nb = x\\;y ; c\n; whole line\n'), ['2:a=1', '3:b=x;y']);
  });

  test(';-- opens a block comment that --; closes, across lines, and blocks nest', () => {
    const text = ['[s]', 'a=1 ;-- start', 'b=2', ';-- nested', 'c=3 --;', 'd=4 --; e=5', 'f=6'].join('\n');
    assert.deepEqual(entryItems(text), ['2:a=1', '6:e=5', '7:f=6']);
  });

  test('FreePBX banners (;----…;) are line comments, not blocks', () => {
    const text = ';--------------------------------------------------------------------------------;\n[s]\na=1\n';
    assert.deepEqual(entryItems(text), ['3:a=1']);
  });

  test('an unclosed block comment is reported at the line that opened it', () => {
    const parsed = parseConfText('[s]\na=1\n;-- never closed\nb=2\n', 'x.conf');
    assert.deepEqual(entryItems('[s]\na=1\n;-- never closed\nb=2\n'), ['2:a=1']);
    assert.equal(parsed.notes[0]?.line, 3);
    assert.match(parsed.notes[0]!.message, /never closed/);
  });
});

describe('lines', () => {
  test('= and => and +=, section options, directives', () => {
    const parsed = parseConfText(
      '[tpl](!)\n[child](tpl,other)\n[more](+)\n[both](!,tpl)\nexten => 1,1,NoOp()\nkey=value\nkey+=more\n#include "a.conf"\n#tryinclude <b/*.conf>\n',
      'x.conf',
    );
    const sections = parsed.items.filter((i) => i.kind === 'section');
    assert.deepEqual(
      sections.map((s) => (s.kind === 'section' ? [s.name, s.template, s.append, s.inherits.join('|')] : [])),
      [
        ['tpl', true, false, ''],
        ['child', false, false, 'tpl|other'],
        ['more', false, true, ''],
        ['both', true, false, 'tpl'],
      ],
    );
    const ops = parsed.items.filter((i) => i.kind === 'entry').map((i) => (i.kind === 'entry' ? i.op : ''));
    assert.deepEqual(ops, ['=>', '=', '+=']);
    const inc = parsed.items.filter((i) => i.kind === 'include');
    assert.deepEqual(
      inc.map((i) => (i.kind === 'include' ? [i.path, i.optional] : [])),
      [
        ['a.conf', false],
        ['b/*.conf', true],
      ],
    );
  });

  test('a file that is only an absolute path is a copied symbolic link', () => {
    const parsed = parseConfText('/var/www/html/admin/modules/core/etc/sip.conf', 'sip.conf');
    assert.equal(parsed.linkTarget, '/var/www/html/admin/modules/core/etc/sip.conf');
    assert.equal(parsed.items.length, 0);
  });
});

describe('templates and inheritance', () => {
  test('template values come first, the section’s own override them, several templates in order', () => {
    withConfDir(
      {
        'sip.conf': [
          '[general]',
          '[base](!)',
          'type=friend',
          'context=phones',
          'host=dynamic',
          '[codecs](!)',
          'allow=ulaw',
          'context=other',
          '[101](base,codecs)',
          'secret=Xx9yYz8wQq',
          'context=own',
          '[102](base)',
        ].join('\n'),
      },
      (dir) => {
        const sip = doc(loadAsteriskDir(dir), 'sip');
        const s101 = sip.named('101')[0]!;
        assert.deepEqual(
          entries(s101).map((e) => `${e.key}=${e.value}${e.from ? `<${e.from}` : ''}`),
          [
            'type=friend<base',
            'context=phones<base',
            'host=dynamic<base',
            'allow=ulaw<codecs',
            'context=other<codecs',
            'secret=Xx9yYz8wQq',
            'context=own',
          ],
        );
        assert.equal(get(s101, 'context')?.value, 'own');
        assert.equal(get(s101, 'CONTEXT')?.value, 'own', 'keys are compared without case');
        assert.equal(get(sip.named('102')[0], 'context')?.value, 'phones');
        assert.equal(get(sip.named('102')[0], 'context')?.line, 4);
        assert.deepEqual(
          sip.concrete().map((s) => s.name),
          ['general', '101', '102'],
        );
      },
    );
  });

  test('a missing template is reported; (+) appends to the earlier section', () => {
    withConfDir({ 'pjsip.conf': '[a](nope)\nx=1\n[a](+)\ny=2\n' }, (dir) => {
      const cfg = loadAsteriskDir(dir);
      assert.ok(cfg.notes.some((n) => /inherits from \[nope\]/.test(n.message)));
      const a = doc(cfg, 'pjsip').named('a');
      assert.equal(a.length, 1);
      assert.deepEqual(
        a[0]!.own.map((e) => e.key),
        ['x', 'y'],
      );
    });
  });

  test('+= appends to the last value of the key', () => {
    withConfDir({ 'x.conf': '[s]\nallow=ulaw\nallow+=,alaw\n' }, (dir) => {
      assert.equal(get(doc(loadAsteriskDir(dir), 'x').named('s')[0], 'allow')?.value, 'ulaw,alaw');
    });
  });
});

describe('includes', () => {
  test('relative, globbed (sorted), from a subfolder (paths stay relative to the folder), sections go on', () => {
    withConfDir(
      {
        'pjsip.conf': '[global]\ntype=global\n#include pjsip.d/*.conf\nafter=1\n',
        'pjsip.d/b.conf': '[ep-b]\ntype=endpoint\n#include more.conf\n',
        'pjsip.d/a.conf': 'in_global=1\n[ep-a]\ntype=endpoint\n',
        'more.conf': 'context=from-more\n',
      },
      (dir) => {
        const cfg = loadAsteriskDir(dir);
        const pjsip = doc(cfg, 'pjsip');
        assert.deepEqual(pjsip.files, ['pjsip.conf', 'pjsip.d/a.conf', 'pjsip.d/b.conf', 'more.conf']);
        assert.equal(
          get(pjsip.named('global')[0], 'in_global')?.file,
          'pjsip.d/a.conf',
          'the includer’s section goes on',
        );
        const b = pjsip.named('ep-b')[0]!;
        assert.equal(get(b, 'context')?.value, 'from-more');
        assert.equal(get(b, 'context')?.file, 'more.conf');
        assert.equal(get(b, 'after')?.line, 4, 'after the include, the last section opened goes on');
        assert.equal(cfg.docs.has('more'), false, 'an included file is not a family of its own');
      },
    );
  });

  test('#include of a missing file warns, #tryinclude does not; /etc/asterisk/ maps into the folder; loops are cut', () => {
    withConfDir(
      {
        'extensions.conf':
          '[ctx]\n#include missing.conf\n#tryinclude maybe.conf\n#include /etc/asterisk/ext-2.conf\n#include /opt/else.conf\n',
        'ext-2.conf': 'exten => 1,1,NoOp()\n#include extensions.conf\n',
      },
      (dir) => {
        const cfg = loadAsteriskDir(dir);
        const messages = cfg.notes.map((n) => `${n.level}:${n.file}:${n.line}:${n.message}`);
        assert.ok(messages.some((m) => m.startsWith('warning:extensions.conf:2:#include missing.conf')));
        assert.ok(messages.some((m) => m.startsWith('info:extensions.conf:3:#tryinclude maybe.conf')));
        assert.ok(messages.some((m) => /warning:extensions.conf:5:.*outside the configuration folder/.test(m)));
        assert.ok(messages.some((m) => /included from itself/.test(m)));
        assert.equal(getAll(doc(cfg, 'extensions').named('ctx')[0], 'exten')[0]?.file, 'ext-2.conf');
      },
    );
  });

  test('FreePBX pieces read without their main file: values before any section belong to [general]', () => {
    withConfDir(
      {
        'sip.conf': '/var/www/html/admin/modules/core/etc/sip.conf',
        'sip_general_additional.conf': 'context=from-sip-external\nalwaysauthreject=yes\n',
        'sip_general_custom.conf': 'alwaysauthreject=no\n',
        'sip_additional.conf': '[200]\ntype=friend\nsecret=x\n',
      },
      (dir) => {
        const cfg = loadAsteriskDir(dir);
        const sip = doc(cfg, 'sip');
        assert.equal(get(sip.general(), 'context')?.value, 'from-sip-external');
        assert.equal(get(sip.general(), 'alwaysauthreject')?.value, 'no', 'custom comes after additional');
        assert.equal(get(sip.named('200')[0], 'secret')?.file, 'sip_additional.conf');
        assert.ok(cfg.notes.some((n) => n.file === 'sip.conf' && /link to/.test(n.message)));
      },
    );
  });

  test('families by file name, .conf.sample standing for .conf, modules.conf', () => {
    assert.equal(familyOf('sip_additional.conf'), 'sip');
    assert.equal(familyOf('sip_notify_custom.conf'), 'sip_notify');
    assert.equal(familyOf('pjsip.endpoint.conf'), 'pjsip');
    assert.equal(familyOf('extensions_override_freepbx.conf'), 'extensions');
    assert.equal(familyOf('voicemail.conf.sample'), 'voicemail');
    withConfDir(
      {
        'sip.conf.sample': '[general]\ncontext=sample\n',
        'iax.conf': '[general]\n',
        'iax.conf.sample': '[general]\nbindport=1\n',
        'modules.conf': '[modules]\nautoload=yes\nnoload => chan_sip.so\n',
      },
      (dir) => {
        const cfg = loadAsteriskDir(dir);
        assert.equal(get(doc(cfg, 'sip').general(), 'context')?.value, 'sample');
        assert.equal(get(doc(cfg, 'iax').general(), 'bindport'), undefined, 'a real file wins over its sample');
        assert.equal(moduleLoaded(cfg, 'chan_sip.so'), false);
        assert.equal(moduleLoaded(cfg, 'chan_pjsip'), true);
      },
    );
  });
});

describe('the fixture folders', () => {
  for (const [name, dir] of Object.entries(ASTERISK_FIXTURES)) {
    test(`${name}: every configuration file is read, without errors`, () => {
      const cfg = loadAsteriskDir(dir);
      const confFiles = readdirSync(dir).filter((f) => /\.conf(\.sample)?$/.test(f));
      for (const f of confFiles) assert.ok(cfg.filesRead.includes(f), `${f} was read`);
      assert.deepEqual(
        cfg.notes.filter((n) => n.level === 'error'),
        [],
      );
      // What is noticed is only what is really there: FreePBX's voicemail.conf includes two files missing from the dump.
      const warnings = cfg.notes.filter((n) => n.level === 'warning').map((n) => `${n.file}:${n.line}`);
      assert.deepEqual(warnings, name === 'freepbx' ? ['voicemail.conf:3', 'voicemail.conf:4'] : []);
    });
  }

  test('FreePBX: the generated files are read with their family', () => {
    const cfg = loadAsteriskDir(ASTERISK_FIXTURES.freepbx);
    assert.equal(get(doc(cfg, 'manager').named('admin')[0], 'secret')?.value, 'amp111');
    assert.equal(get(doc(cfg, 'sip').named('200')[0], 'context')?.value, 'from-internal');
    assert.equal(get(doc(cfg, 'sip').general(), 'context')?.file, 'sip_general_additional.conf');
    assert.ok(doc(cfg, 'pjsip').files.includes('pjsip.transports.conf'));
    assert.equal(get(doc(cfg, 'http').general(), 'bindaddr')?.file, 'http_additional.conf');
  });

  test('samples: block comments of manager.conf.sample hide their text', () => {
    const cfg = loadAsteriskDir(ASTERISK_FIXTURES.samples);
    const manager = doc(cfg, 'manager');
    assert.deepEqual(
      manager.sections.map((s) => s.name),
      ['general'],
    );
  });
});
