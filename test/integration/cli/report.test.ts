// tollguard import learns the tenant's profile into the store; tollguard report reads the stored call log of a
// period: text, JSON and an HTML page with charts; a weekend of pumping stands out as a day far above the median.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { officeMasterCsv } from '../../../src/adapters/cdr/index.js';
import { openStore } from '../../../src/store/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tollguard-report-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const csv = path.join(dir, 'Master.csv');
const store = `sqlite:${path.join(dir, 'tg.db')}`;
// Five weeks of a French office; the Saturday of week 1 holds a premium pumping attack.
writeFileSync(csv, officeMasterCsv({ from: '2026-11-02', weeks: 5, seed: 3 }));

test('import stores the calls and the profile it learned from them', async () => {
  const r = runCli(['import', csv, '--country', 'FR', '--store', store, '--json'], { timeoutMs: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { imported: number; profileLearned: number };
  assert.ok(s.imported > 3000);
  assert.ok(s.profileLearned > 1500);
  const st = await openStore(store);
  try {
    const rows = await st.profiles.load('default');
    const tenant = rows.find((x) => x.scope === '')!.data as { calls: number; countries: Record<string, unknown> };
    assert.equal(tenant.calls, s.profileLearned);
    assert.ok('GB' in tenant.countries);
    assert.ok(rows.length >= 9, 'the tenant and its extensions');
  } finally {
    await st.close();
  }
  // Importing again adds nothing, and the profile learns nothing twice.
  const again = JSON.parse(runCli(['import', csv, '--country', 'FR', '--store', store, '--json']).stdout);
  assert.equal(again.profileLearned, 0);
});

test('report: top destinations, closed hours, classes, days and the day that stands out; JSON and HTML', () => {
  const html = path.join(dir, 'report.html');
  const text = runCli([
    'report',
    '--from',
    '2026-11-02',
    '--to',
    '2026-12-06',
    '--country',
    'FR',
    '--store',
    store,
    '--html',
    html,
  ]);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^Calls of tenant default, 2026-11-02 to 2026-12-06 \(Europe\/Paris\)/);
  assert.match(text.stdout, /DAY_SPEND \(call log, high\)/);
  assert.match(text.stdout, /2026-11-14: about [\d.]+ EUR of calls, [\d.]+ times the median day/);
  assert.match(text.stdout, /While closed: \d+ outbound call/);
  const page = readFileSync(html, 'utf8');
  assert.match(page, /<svg /);
  assert.doesNotMatch(page, /<script|https?:\/\//);
  const json = runCli([
    'report',
    '--from',
    '2026-11-14',
    '--to',
    '2026-11-14',
    '--country',
    'FR',
    '--store',
    store,
    '--json',
  ]);
  const r = JSON.parse(json.stdout) as {
    byDay: Array<{ day: string }>;
    offHours: { calls: number };
    topNumbers: Array<{ cls: string }>;
  };
  assert.deepEqual(
    r.byDay.map((d) => d.day),
    ['2026-11-14'],
  );
  assert.equal(r.offHours.calls, 31, 'the 30 pumping calls of that Saturday night, and 112 at 23:15');
  assert.ok(['satellite', 'high-risk', 'premium'].includes(r.topNumbers[0]!.cls));
});

test('report: mistakes are usage errors', () => {
  assert.equal(runCli(['report', '--from', '2026-11-02', '--store', store]).status, 2, 'no --config or --country');
  assert.equal(runCli(['report', '--from', 'yesterday', '--country', 'FR', '--store', store]).status, 2);
  assert.equal(
    runCli(['report', '--from', '2026-11-09', '--to', '2026-11-02', '--country', 'FR', '--store', store]).status,
    2,
  );
});
