// `tollguard replay` as a user runs it (the compiled command: run `npx tsc -p .` first; `npm test` does): the
// --json shape (one object per call, then the summary), the readable summary, and the exit codes: 0 nothing
// would have been stopped, 1 something would, 2 usage (a missing file, a bad format) with a clear message.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixturePath, repoRoot } from '../../helpers/fixtures.js';
import { runCli } from '../../helpers/cli.js';

const good = fixturePath('cdr', 'asterisk', 'testsuite_cdrlib_good.csv');
const buggy = fixturePath('cdr', 'asterisk', 'testsuite_cdrlib_buggy.csv');
let dir: string;
let attack: string;
let mixed: string;

const q = (s: string) => `"${s}"`;
/** A Master.csv row of an extension dialling out (18 columns). */
const out = (id: string, ext: string, dst: string, start: string, answer: string, end: string, billsec: number) =>
  [
    q(''),
    q(ext),
    q(dst),
    q('from-internal'),
    q(`"" <${ext}>`),
    q(`PJSIP/${ext}-00000001`),
    q('PJSIP/trunk-00000002'),
    q('Dial'),
    q(`PJSIP/${dst}@trunk,60`),
    q(start),
    q(answer),
    q(end),
    String(billsec + 5),
    String(billsec),
    q('ANSWERED'),
    q('DOCUMENTATION'),
    q(id),
    q(''),
  ].join(',');

before(() => {
  assert.ok(existsSync(path.join(repoRoot, 'dist', 'src', 'cli', 'commands', 'replay.js')), 'run npx tsc -p . first');
  dir = mkdtempSync(path.join(tmpdir(), 'tollguard-replay-'));
  attack = path.join(dir, 'Master.csv');
  writeFileSync(
    attack,
    [
      out(
        '1795424400.1',
        '201',
        '0899123456',
        '2026-11-23 10:00:00',
        '2026-11-23 10:00:05',
        '2026-11-23 10:10:05',
        600,
      ),
      out(
        '1795424400.2',
        '202',
        '0142685300',
        '2026-11-23 10:00:00',
        '2026-11-23 10:00:05',
        '2026-11-23 10:05:05',
        300,
      ),
    ].join('\n') + '\n',
  );
  mixed = path.join(dir, 'mixed.csv');
  writeFileSync(mixed, readFileSync(good, 'utf8') + readFileSync(buggy, 'utf8'));
});

after(() => rmSync(dir, { recursive: true, force: true }));

describe('tollguard replay', () => {
  test('--json: one object per call {id, action, enforced, signals, …}, then the summary; exit 1', () => {
    const r = runCli(['replay', attack, '--format', 'asterisk-csv', '--country', 'FR', '--json']);
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 3);
    for (const c of lines.slice(0, 2)) {
      assert.deepEqual(Object.keys(c).slice(0, 4), ['id', 'action', 'enforced', 'signals']);
      assert.ok(Array.isArray(c.signals));
    }
    const byId = new Map(lines.slice(0, 2).map((c) => [c.id, c]));
    const p = byId.get('1795424400.1')!;
    assert.equal(p.action, 'reject');
    assert.equal(p.enforced, true);
    assert.ok((p.signals as Array<{ signal: string }>).some((s) => s.signal === 'DST_PREMIUM_RATE'));
    assert.equal(byId.get('1795424400.2')!.action, 'allow');
    const s = lines[2]!.summary as Record<string, unknown>;
    assert.equal(s.calls, 2);
    assert.equal(s.refused, 1);
    assert.equal(s.cut, 0);
    assert.equal(s.badRows, 0);
  });

  test('the readable summary: the answer first, by rule, the worst incident', () => {
    const r = runCli(['replay', attack, '--country', 'FR']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^Replayed 2 call\(s\) from .*Master\.csv/);
    assert.match(r.stdout, /would have refused 1 call\(s\) and cut 0/);
    assert.match(r.stdout, /Saved: 10 min of talk, about 15\.80 EUR/);
    assert.match(r.stdout, /DST_PREMIUM_RATE +destination-class/);
    assert.match(
      r.stdout,
      /Worst incidents first\n {2}1\. 2026-11-23 Mon 10:00–10:00 {2}extension 201 {2}DST_PREMIUM_RATE/,
    );
  });

  test('the test-suite Master.csv: five internal calls, nothing to stop, exit 0', () => {
    const r = runCli(['replay', good, '--country', 'FR', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 6);
    assert.deepEqual(
      lines.slice(0, 5).map((c) => [c.id, c.action, c.leg]),
      Array(5).fill(['1231977075.0', 'allow', 'internal']),
    );
  });

  test('the truncated row: reported on stderr with its line, skipped, counted', () => {
    const r = runCli(['replay', mixed, '--country', 'FR', '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /mixed\.csv:6: skipped: field 18 opens a quote that is never closed/);
    const summary = JSON.parse(r.stdout.trimEnd().split('\n').pop()!).summary as { calls: number; badRows: number };
    assert.equal(summary.calls, 5);
    assert.equal(summary.badRows, 1);
  });

  test('a file with no readable row: exit 2, with the first reason', () => {
    const r = runCli(['replay', buggy, '--country', 'FR']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /tollguard: no call could be replayed: every row of .* was skipped \(line 1: field 18/);
  });

  test('a missing file: exit 2 and a clear message', () => {
    const r = runCli(['replay', path.join(dir, 'nope.csv'), '--country', 'FR']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /tollguard: .*nope\.csv: no such file/);
    assert.equal(r.stdout, '');
  });

  test('a bad format: exit 2, naming the formats', () => {
    const r = runCli(['replay', attack, '--format', 'excel', '--country', 'FR']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /asterisk-csv, freeswitch-csv, csv/);
  });

  test('no country, csv without a mapping, a bad zone: exit 2 with what to give', () => {
    assert.match(runCli(['replay', attack]).stderr, /give --country/);
    assert.match(
      runCli(['replay', attack, '--format', 'csv', '--country', 'FR']).stderr,
      /--format csv needs --mapping/,
    );
    const z = runCli(['replay', attack, '--country', 'FR', '--timezone', 'Mars/Olympus']);
    assert.equal(z.status, 2);
    assert.match(z.stderr, /is not an IANA time zone/);
  });

  test('tollguard import: stores the calls once; importing again adds nothing', () => {
    const store = `sqlite:${path.join(dir, 'calls.db')}`;
    const first = runCli(['import', attack, '--country', 'FR', '--store', store, '--json']);
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(
      (({ records, imported, alreadyImported }) => ({ records, imported, alreadyImported }))(JSON.parse(first.stdout)),
      { records: 2, imported: 2, alreadyImported: 0 },
    );
    const again = runCli(['import', attack, '--country', 'FR', '--store', store, '--json']);
    assert.equal(again.status, 0, again.stderr);
    const s = JSON.parse(again.stdout) as { imported: number; alreadyImported: number };
    assert.equal(s.imported, 0);
    assert.equal(s.alreadyImported, 2);
  });
});
