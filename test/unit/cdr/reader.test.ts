// The importers on the Asterisk test-suite Master.csv samples (one row truncated on purpose), on Asterisk's
// quoting, on the optional columns of cdr-csv, and on FreeSWITCH cdr_csv and cdr_custom through their mappings.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixturePath } from '../../helpers/fixtures.js';
import {
  SHIPPED_TEMPLATES,
  mappingFromObject,
  mappingFromTemplate,
  shippedMapping,
  splitFields,
} from '../../../src/adapters/cdr/index.js';
import { readText } from './helpers.js';

const good = readFileSync(fixturePath('cdr', 'asterisk', 'testsuite_cdrlib_good.csv'), 'utf8');
const buggy = readFileSync(fixturePath('cdr', 'asterisk', 'testsuite_cdrlib_buggy.csv'), 'utf8');

describe('Asterisk cdr-csv: the test-suite samples', () => {
  test('good.csv: all five rows read, fields where cdr_csv.c puts them', async () => {
    const { records, bad, summary } = await readText(good);
    assert.deepEqual(bad, []);
    assert.equal(records.length, 5);
    assert.deepEqual(summary, { lines: 5, records: 5, bad: 0, skipped: 0 });
    const r = records[0]!;
    assert.equal(r.line, 1);
    assert.equal(r.id, '1231977075.0');
    assert.equal(r.accountcode, '');
    assert.equal(r.src, 'test');
    assert.equal(r.dst, '100');
    assert.equal(r.dcontext, 'context');
    assert.equal(r.clid, '"Test User" <test>');
    assert.equal(r.channel, 'SIP/test-02897fd8');
    assert.equal(r.dstchannel, '');
    assert.equal(r.lastapp, 'Hangup');
    // Local time in Paris (UTC+1 in January).
    assert.equal(new Date(r.start).toISOString(), '2009-01-14T22:51:15.000Z');
    assert.equal(new Date(r.end).toISOString(), '2009-01-14T22:51:20.000Z');
    assert.equal(r.answer, r.start);
    assert.equal(r.duration, 5);
    assert.equal(r.billsec, 5);
    assert.equal(r.disposition, 'ANSWERED');
    assert.equal(r.userfield, '');
    assert.equal(r.answered, true);
  });

  test('good.csv: billsec above duration is held to the time between answer and end', async () => {
    const { records } = await readText(good);
    assert.equal(records[1]!.billsec, 5);
  });

  test('good.csv: FAILED, NO ANSWER and BUSY rows are not answered calls', async () => {
    const { records } = await readText(good);
    assert.deepEqual(
      records.slice(2).map((r) => [r.disposition, r.answered, r.billsec, r.answer]),
      [
        ['FAILED', false, 0, undefined],
        ['NO ANSWER', false, 0, undefined],
        ['BUSY', false, 0, undefined],
      ],
    );
  });

  test('buggy.csv: the truncated row is reported with its line and why, and skipped', async () => {
    const { records, bad, summary } = await readText(buggy);
    assert.equal(records.length, 0);
    assert.equal(bad.length, 1);
    assert.equal(bad[0]!.line, 1);
    assert.match(bad[0]!.reason, /field 18 opens a quote that is never closed/);
    assert.equal(summary.bad, 1);
  });

  test('a truncated row in the middle swallows no row after it', async () => {
    const text = good + buggy + good;
    const { records, bad } = await readText(text);
    assert.deepEqual(
      bad.map((b) => b.line),
      [6],
    );
    assert.equal(records.length, 10);
    assert.deepEqual(
      records.map((r) => r.line),
      [1, 2, 3, 4, 5, 7, 8, 9, 10, 11],
    );
  });

  test('CRLF line ends, a last line without end of line, and empty lines', async () => {
    const lines = good.trimEnd().split('\n');
    const { records, summary } = await readText(`${lines[0]}\r\n\r\n${lines[1]}`);
    assert.equal(records.length, 2);
    assert.equal(records[0]!.id, '1231977075.0');
    assert.equal(summary.skipped, 1);
    assert.equal(records[1]!.line, 3);
  });
});

describe('Asterisk cdr-csv: the optional columns', () => {
  const base =
    '"acct","201","0142685300","from-internal","""Alice"" <201>","PJSIP/201-00000001","PJSIP/trunk-00000002","Dial","PJSIP/0142685300@trunk,60","2026-11-23 10:00:00","2026-11-23 10:00:05","2026-11-23 10:01:05",65,60,"ANSWERED","DOCUMENTATION"';

  test('16 columns (the defaults: no uniqueid, no userfield)', async () => {
    const { records } = await readText(base);
    assert.equal(records[0]!.id, undefined);
    assert.equal(records[0]!.accountcode, 'acct');
    assert.equal(records[0]!.billsec, 60);
  });

  test('17 columns: a uniqueid, or a userfield, told apart by its shape', async () => {
    assert.equal((await readText(`${base},"1763888400.7"`)).records[0]!.id, '1763888400.7');
    const u = (await readText(`${base},"customer 42"`)).records[0]!;
    assert.equal(u.id, undefined);
    assert.equal(u.userfield, 'customer 42');
  });

  test('21 columns (newcdrcolumns): peeraccount, linkedid and sequence after uniqueid and userfield', async () => {
    const { records } = await readText(`${base},"pbx1-1763888400.7","uf","peer","1763888400.6",12`);
    assert.equal(records[0]!.id, 'pbx1-1763888400.7');
    assert.equal(records[0]!.userfield, 'uf');
    assert.equal(records[0]!.linkedid, '1763888400.6');
  });

  test('too few or too many columns: a bad row that says how many', async () => {
    const { bad } = await readText(`"a","b","c"\n${base},"1","2","3","4","5","6"`);
    assert.deepEqual(
      bad.map((b) => [b.line, b.reason]),
      [
        [1, 'has 3 fields; an Asterisk cdr-csv row has 16 to 21 (the row is cut short?)'],
        [2, 'has 22 fields; an Asterisk cdr-csv row has 16 to 21 (is --format right?)'],
      ],
    );
  });

  test('bad values: a date that is none, a duration that is no number, a missing dst', async () => {
    const text = [
      base.replace('"2026-11-23 10:00:00"', '"yesterday"'),
      base.replace(',65,60,', ',abc,60,'),
      base.replace('"0142685300","from-internal"', '"","from-internal"'),
      base.replace('"2026-11-23 10:01:05"', '"2026-11-23 09:00:00"'),
    ].join('\n');
    const { records, bad } = await readText(text);
    assert.equal(records.length, 0);
    assert.deepEqual(
      bad.map((b) => [b.line, b.reason]),
      [
        [1, 'start "yesterday" is not a date'],
        [2, 'duration "abc" is not a number of seconds'],
        [3, 'has no called number (dst)'],
        [4, 'ends (2026-11-23 09:00:00) before it starts (2026-11-23 10:00:00)'],
      ],
    );
  });

  test('times: UTC files (usegmtime=yes), and daylight saving in the zone', async () => {
    const utc = (await readText(base, { timezone: 'UTC' })).records[0]!;
    assert.equal(new Date(utc.start).toISOString(), '2026-11-23T10:00:00.000Z');
    const summer = (
      await readText(
        base
          .replace('"2026-11-23 10:00:00"', '"2026-07-01 10:00:00"')
          .replace(/"2026-11-23 10:0[01]:0\d"/g, '"2026-07-01 10:01:05"'),
      )
    ).records[0]!;
    assert.equal(new Date(summer.start).toISOString(), '2026-07-01T08:00:00.000Z');
  });
});

describe('splitFields: quoting as PBXs write it', () => {
  const cases: Array<[string, string[] | RegExp]> = [
    ['"a","b",5', ['a', 'b', '5']],
    ['"""Test User"" <test>",""', ['"Test User" <test>', '']],
    ['"x",,"z"', ['x', '', 'z']],
    ['"a,b","c"', ['a,b', 'c']],
    ['"a", "b" ,c', ['a', 'b', 'c']],
    ['a,b,', ['a', 'b', '']],
    ['"a","b', /field 2 opens a quote that is never closed/],
    ['"a"x,"b"', /unexpected "x" after the closing quote of field 1/],
    ['', ['']],
  ];
  for (const [line, want] of cases) {
    test(JSON.stringify(line), () => {
      const out: string[] = [];
      const why = splitFields(line, out);
      if (want instanceof RegExp) assert.match(why ?? '', want);
      else {
        assert.equal(why, undefined);
        assert.deepEqual(out, want);
      }
    });
  }
  test('another separator and quote (cdr_custom separator_character, quote_character)', () => {
    const out: string[] = [];
    assert.equal(splitFields("'a;b';c;'it''s'", out, ';', "'"), undefined);
    assert.deepEqual(out, ['a;b', 'c', "it's"]);
  });
});

describe('FreeSWITCH cdr_csv and Asterisk cdr_custom through mappings', () => {
  test('every shipped template gives a mapping with start or end and dst', () => {
    for (const name of Object.keys(SHIPPED_TEMPLATES)) {
      const m = shippedMapping(name)!;
      assert.ok(m.columns!.includes('dst'), name);
      assert.ok(m.columns!.includes('end') || m.columns!.includes('start'), name);
    }
  });

  test('the example template (the default): fields by position', async () => {
    const line =
      '"Extension 1000","1000","0612345678","default","2026-11-23 10:00:00","2026-11-23 10:00:04","2026-11-23 10:05:04","304","300","NORMAL_CLEARING","a7b6c1e2-0000-4000-8000-000000000001","b7b6c1e2-0000-4000-8000-000000000002","","PCMA","PCMA"';
    const { records, bad } = await readText(line, { format: 'freeswitch-csv' });
    assert.deepEqual(bad, []);
    const r = records[0]!;
    assert.equal(r.id, 'a7b6c1e2-0000-4000-8000-000000000001');
    assert.equal(r.blegUuid, 'b7b6c1e2-0000-4000-8000-000000000002');
    assert.equal(r.src, '1000');
    assert.equal(r.dst, '0612345678');
    assert.equal(r.dcontext, 'default');
    assert.equal(r.disposition, 'NORMAL_CLEARING');
    assert.equal(r.billsec, 300);
    assert.equal(r.answered, true);
    assert.equal(new Date(r.answer!).toISOString(), '2026-11-23T09:00:04.000Z');
  });

  test('an unanswered FreeSWITCH call: empty answer_stamp, billsec 0', async () => {
    const line =
      '"","1000","0612345678","default","2026-11-23 10:00:00","","2026-11-23 10:00:20","20","0","NO_ANSWER","u1","","","PCMA","PCMA"';
    const r = (await readText(line, { format: 'freeswitch-csv' })).records[0]!;
    assert.equal(r.answered, false);
    assert.equal(r.answer, undefined);
  });

  test('the sql template: INSERT statements, with its space before accountcode', async () => {
    const line =
      'INSERT INTO cdr VALUES ("","1000","0899123456","default","2026-11-23 10:00:00","2026-11-23 10:00:02","2026-11-23 10:10:02","602","600","NORMAL_CLEARING","u2","", "acct");';
    const r = (await readText(line, { format: 'freeswitch-csv', mapping: shippedMapping('sql')! })).records[0]!;
    assert.equal(r.dst, '0899123456');
    assert.equal(r.accountcode, 'acct');
    assert.equal(r.billsec, 600);
  });

  test('the asterisk template: channel names and last application', async () => {
    const line =
      '"","1000","0044207946001","default","""Ext"" <1000>","sofia/internal/1000@10.0.0.1","sofia/gateway/op/0044207946001","bridge","sofia/gateway/op/0044207946001","2026-11-23 10:00:00","2026-11-23 10:00:02","2026-11-23 10:10:02","602","600","NORMAL_CLEARING","","u3",""';
    const r = (await readText(line, { format: 'freeswitch-csv', mapping: shippedMapping('freeswitch:asterisk')! }))
      .records[0]!;
    assert.equal(r.channel, 'sofia/internal/1000@10.0.0.1');
    assert.equal(r.dstchannel, 'sofia/gateway/op/0044207946001');
    assert.equal(r.lastapp, 'bridge');
    assert.equal(r.id, 'u3');
  });

  test('Asterisk cdr_custom (basic-pbx mapping): every field quoted, sequence bare, empty answer ""', async () => {
    const line =
      '"""Alice"" <201>","201","0142685300","Outbound-Dial","PJSIP/201-00000001","PJSIP/dcs-trunk-00000002","Dial","PJSIP/0142685300@dcs-trunk","2026-11-23 10:00:00","","2026-11-23 10:00:30","30","0","NO ANSWER","DOCUMENTATION","","1763888400.3","",7';
    const r = (await readText(line, { format: 'csv', mapping: shippedMapping('asterisk-custom')! })).records[0]!;
    assert.equal(r.clid, '"Alice" <201>');
    assert.equal(r.dcontext, 'Outbound-Dial');
    assert.equal(r.id, '1763888400.3');
    assert.equal(r.answered, false);
  });

  test('the mapping of basic-pbx/cdr_custom.conf, read from the file itself, is the shipped one', () => {
    const conf = readFileSync(fixturePath('asterisk', 'basic-pbx', 'cdr_custom.conf'), 'utf8');
    const line = conf.split('\n').find((l) => l.startsWith('Master.csv =>'))!;
    assert.deepEqual(mappingFromTemplate('file', line).columns, shippedMapping('asterisk-custom')!.columns);
  });

  test('the templates of the vanilla cdr_csv.conf.xml are the shipped ones', () => {
    const xml = readFileSync(
      fixturePath('freeswitch', 'conf', 'vanilla', 'autoload_configs', 'cdr_csv.conf.xml'),
      'utf8',
    );
    for (const m of xml.matchAll(/<template name="([^"]+)">(.*)<\/template>/g)) {
      assert.equal(SHIPPED_TEMPLATES[`freeswitch:${m[1]}`], m[2], m[1]);
    }
  });

  test('cdr_custom `fields =` with a literal, qualifiers and a user variable', () => {
    const m = shippedMapping('asterisk-custom-fields')!;
    assert.deepEqual(m.columns!.slice(0, 4), ['clid', null, 'src', 'dst']);
    assert.equal(m.columns![17], 'uniqueid');
    assert.equal(m.columns![20], null);
  });

  test('a generic CSV with a header, through a user mapping; epoch times', async () => {
    const m = mappingFromObject('mine.yaml', {
      header: true,
      fields: {
        src: 'From',
        dst: 'To',
        start: 'Started',
        end: 'Ended',
        billsec: 'Talk',
        uniqueid: 'Id',
        direction: 'Dir',
      },
      separator: ';',
    });
    const text = 'Id;From;To;Started;Ended;Talk;Dir\nx1;201;0899123456;1763888400;1763889000;590;out\n';
    const { records, bad, summary } = await readText(text, { format: 'csv', mapping: m });
    assert.deepEqual(bad, []);
    assert.equal(summary.skipped, 1);
    const r = records[0]!;
    assert.equal(r.id, 'x1');
    assert.equal(r.start, 1763888400_000);
    assert.equal(r.billsec, 590);
    assert.equal(r.answer, 1763889000_000 - 590_000);
    assert.equal(r.direction, 'out');
  });

  test('a user mapping that names what is not a field is refused with its name', () => {
    assert.throws(
      () => mappingFromObject('m.yaml', { columns: ['src', 'dest'] }),
      /m.yaml: column 2: "dest" is not a field/,
    );
    assert.throws(() => mappingFromObject('m.yaml', { columns: ['src', 'start'] }), /does not name dst/);
  });
});
