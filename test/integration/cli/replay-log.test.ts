// One replay path: a month of generated office calls (with its planted attacks) replayed from the CDR file by
// `tollguard replay`, and the same file stored by `tollguard import` then replayed from the call log as the API does,
// refuse, cut and alert the same calls. Only the internal calls differ: the call log does not keep them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { officeMasterCsv, replayCallLog, type ReplayReport } from '../../../src/adapters/cdr/index.js';
import { defaultPolicy } from '../../../src/engine/index.js';
import { openStore } from '../../../src/store/index.js';

test('a CDR file replayed, and the same file imported then replayed from the call log: the same decisions', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tollguard-replay-log-'));
  try {
    const file = path.join(dir, 'Master.csv');
    writeFileSync(file, officeMasterCsv({ from: '2026-11-02', weeks: 4, seed: 11 }));
    const replayed = runCli(['replay', file, '--country', 'FR', '--json'], { timeoutMs: 120_000 });
    assert.ok(replayed.status === 0 || replayed.status === 1, replayed.stderr);
    const fromFile = (JSON.parse(replayed.stdout.trim().split('\n').at(-1)!) as { summary: ReplayReport }).summary;
    const db = path.join(dir, 'log.db');
    const imported = runCli(['import', file, '--country', 'FR', '--store', `sqlite:${db}`, '--json'], {
      timeoutMs: 120_000,
    });
    assert.equal(imported.status, 0, imported.stderr);
    const store = await openStore(`sqlite:${db}`);
    try {
      const r = await replayCallLog({
        calls: store.calls,
        range: { tenantId: 'default', from: 0, to: Date.UTC(2030, 0, 1), max: 200_000 },
        runs: [{ setups: [{ id: 'default', policy: defaultPolicy('FR') }] }],
      });
      const fromLog = r.reports[0]!;
      assert.ok(fromFile.refused > 0 && fromFile.calls > 1000, 'the planted attacks are there');
      assert.equal(fromLog.calls, fromFile.calls - fromFile.legs.internal);
      assert.deepEqual(
        { refused: fromLog.refused, cut: fromLog.cut, alerts: fromLog.alerts },
        { refused: fromFile.refused, cut: fromFile.cut, alerts: fromFile.alerts },
      );
      const bySignal = (x: ReplayReport) =>
        Object.fromEntries(x.byRule.map((t) => [`${t.rule}:${t.signal}`, [t.refused, t.cut, t.alerts]]));
      assert.deepEqual(bySignal(fromLog), bySignal(fromFile));
      assert.deepEqual(fromLog.legs['trunk-to-trunk'], fromFile.legs['trunk-to-trunk']);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
