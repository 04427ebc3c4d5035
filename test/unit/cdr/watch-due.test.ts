// Replay skips the ticks before the engine's watchDue (when a call may next reach a cap, spend cross a threshold,
// a night or day begin): every outcome must be the one a tick every second gives, in enforce and monitor mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { officeMasterCsv, replayCdr } from '../../../src/adapters/cdr/index.js';
import { Engine, tenantPolicySchema } from '../../../src/engine/index.js';

async function outcomes(
  text: string,
  mode: 'enforce' | 'monitor',
  rules: Record<string, unknown> = {},
): Promise<string[]> {
  const out: string[] = [];
  await replayCdr({
    input: Readable.from([text]),
    file: 't',
    format: 'asterisk-csv',
    setups: [{ id: 'acme', policy: tenantPolicySchema.parse({ country: 'FR', mode, rules }) }],
    tenantId: 'acme',
    releaseQuarantineAfterMs: 3_600_000,
    onCall: (c) => out.push(JSON.stringify(c)),
  });
  return out;
}

for (const mode of ['enforce', 'monitor'] as const) {
  test(`${mode}: skipping quiet ticks changes no outcome (cuts to the second, spend alerts, quarantines)`, async () => {
    const text = officeMasterCsv({ from: '2026-11-02', weeks: 4, seed: 5 });
    const skipping = await outcomes(text, mode);
    const due = Engine.prototype.watchDue;
    Engine.prototype.watchDue = () => -Infinity; // watched every tick
    try {
      assert.deepEqual(skipping, await outcomes(text, mode));
    } finally {
      Engine.prototype.watchDue = due;
    }
    assert.ok(
      skipping.some((o) => o.includes('"cutAt"')),
      'some call was cut',
    );
  });
}

test('two spend caps per extension: the second is watched as closely as the first', async () => {
  // Every extension cap reads the list of extensions spending now; the second one once saw none (the list was a
  // one-pass iterator the first had used up), so a replay skipped the ticks where its threshold was crossed.
  const rules = {
    'spend-cap': {
      caps: [
        { scope: 'extension', window: 'hour', alertAt: 40, limit: 1000 },
        { scope: 'extension', window: 'day', alertAt: 1.5, limit: 4 },
      ],
    },
  };
  const text = officeMasterCsv({ from: '2026-11-02', weeks: 2, seed: 7 });
  const skipping = await outcomes(text, 'enforce', rules);
  const due = Engine.prototype.watchDue;
  Engine.prototype.watchDue = () => -Infinity;
  try {
    assert.deepEqual(skipping, await outcomes(text, 'enforce', rules));
  } finally {
    Engine.prototype.watchDue = due;
  }
  assert.ok(
    skipping.some((o) => o.includes('"SPEND_CAP_EXCEEDED"') && o.includes('"cutAt"')),
    'some call was cut by the day cap',
  );
});
