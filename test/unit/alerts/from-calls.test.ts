// The words of an alert from a decision: what happened, what was done (or would have been, in monitor mode), the
// call, its cost, what to do; one incident per signal; nothing for a decision that only allows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertOfDecision, alertOfQuarantine } from '../../../src/alerts/from-calls.js';
import type { DecisionView } from '../../../src/adapters/decider.js';

const call = {
  id: 'c1',
  tenantId: 'acme',
  direction: 'outbound' as const,
  startedAt: Date.UTC(2026, 10, 29, 2, 14),
  caller: '205',
  called: '00881612345678',
  calledE164: '+881612345678',
  destinationClass: 'satellite',
};

const signal = (over: Partial<DecisionView['signals'][number]>) => ({
  rule: 'destination-class',
  signal: 'DST_SATELLITE',
  action: 'reject',
  severity: 'high',
  message: 'satellite destination +881612345678: reject outside business hours (Sunday)',
  ...over,
});

test('a refusal: title with the number and class, the rule\u2019s advice, the worst severity, one incident per signal', () => {
  const d: DecisionView = {
    action: 'reject',
    enforced: true,
    signals: [
      signal({}),
      signal({
        rule: 'business-hours',
        signal: 'TIME_OUTSIDE_HOURS',
        action: 'allow',
        severity: 'info',
        message: 'closed',
      }),
      signal({
        rule: 'concurrency',
        signal: 'CONC_CLASS_LIMIT',
        severity: 'critical',
        message: '0 satellite calls allowed',
      }),
    ],
  };
  const a = alertOfDecision(call, d)!;
  assert.equal(a.title, 'Refused outbound call from 205 to +881612345678 (satellite): DST_SATELLITE');
  assert.equal(a.severity, 'critical');
  assert.equal(a.incidentKey, 'destination-class:DST_SATELLITE');
  assert.match(a.body, /^What happened: satellite destination/);
  assert.match(a.body, /Also: CONC_CLASS_LIMIT \(concurrency\): 0 satellite calls allowed\./);
  assert.doesNotMatch(a.body, /TIME_OUTSIDE_HOURS/, 'an allow signal is no news');
  assert.match(a.body, /What Tollguard did: Tollguard refused the call at setup\./);
  assert.match(a.body, /- Many calls at once is how a hijacked extension/);
  assert.deepEqual(a.callIds, ['c1']);
});

test('monitor mode says what would have been done; a cut gives the moment and the cost', () => {
  const monitor = alertOfDecision(call, { action: 'reject', enforced: false, signals: [signal({})] })!;
  assert.match(monitor.title, /^\[monitor\] Refused outbound call/);
  assert.match(monitor.body, /Monitor mode: nothing was enforced; Tollguard would have refused the call at setup\./);
  const cut = alertOfDecision(
    { ...call, estimatedCost: 27.5, currency: 'EUR' },
    {
      action: 'cut',
      enforced: true,
      signals: [signal({ rule: 'max-duration', signal: 'DUR_MAX_REACHED', action: 'cut' })],
    },
    { cut: true, at: call.startedAt + 300_000 },
  )!;
  assert.match(cut.title, /^Cut outbound call/);
  assert.match(cut.body, /Tollguard cut the call while it ran\./);
  assert.match(cut.body, /What it cost: about 27\.50 EUR before Tollguard cut it\./);
  assert.deepEqual(cut.cost, { currency: 'EUR', spent: 27.5, perHour: 0 });
  assert.equal(cut.firstAt, call.startedAt + 300_000);
});

const satellite = { perMinute: 5, setup: 0.5, currency: 'EUR', source: 'class:satellite' };

test('cost from the tariffs: a refusal says what an hour would have cost; a cut what it cost up to the cut', () => {
  const refused = alertOfDecision(
    call,
    { action: 'reject', enforced: true, signals: [signal({})] },
    { price: satellite },
  )!;
  assert.match(
    refused.body,
    /What it cost: nothing, it was refused before it connected\. Let through, at 5\.00 EUR a minute and 0\.50 EUR to connect \(class:satellite\), an hour of it would have cost 300\.50 EUR\./,
  );
  assert.deepEqual(refused.cost, { currency: 'EUR', spent: 0, perHour: 300.5 });
  const answeredAt = call.startedAt + 10_000;
  const cut = alertOfDecision(
    { ...call, answeredAt },
    {
      action: 'cut',
      enforced: true,
      signals: [signal({ rule: 'max-duration', signal: 'DUR_MAX_REACHED', action: 'cut' })],
    },
    { cut: true, at: answeredAt + 6 * 60_000, price: satellite },
  )!;
  assert.match(
    cut.body,
    /What it cost: about 30\.50 EUR, 6 min 0 s of talk before Tollguard cut it; at 5\.00 EUR a minute/,
  );
  assert.match(cut.body, /each further hour would have cost 300\.00 EUR\./);
  assert.equal(cut.cost?.spent, 30.5);
  // Monitor mode lets the call go on: what it costs so far.
  const monitor = alertOfDecision(
    { ...call, answeredAt },
    { action: 'cut', enforced: false, signals: [signal({ action: 'cut' })] },
    { at: answeredAt + 60_000, price: satellite },
  )!;
  assert.match(monitor.body, /What it costs: about 5\.50 EUR so far; at 5\.00 EUR a minute/);
});

test('every alert says what to do now, even for a rule without its own advice', () => {
  const a = alertOfDecision(call, {
    action: 'alert',
    enforced: true,
    signals: [signal({ rule: 'some-new-rule', signal: 'NEW_THING', action: 'alert' })],
  })!;
  assert.match(
    a.body,
    /What to do now:\n- Check with the caller whether this call was expected; read this site\u2019s other calls/,
  );
  assert.match(a.body, /tollguard calls --tenant acme/);
});

test('nothing to tell: a decision whose signals all allow raises no alert', () => {
  const d: DecisionView = { action: 'allow', enforced: true, signals: [signal({ action: 'allow', severity: 'info' })] };
  assert.equal(alertOfDecision(call, d), undefined);
  assert.equal(alertOfDecision(call, { action: 'allow', enforced: true, signals: [] }), undefined);
});

test('a quarantine is critical and says how to lift it', () => {
  const a = alertOfQuarantine({
    tenantId: 'acme',
    extension: '205',
    since: call.startedAt,
    rule: 'spend-cap',
    signal: 'SPEND_CAP_EXCEEDED',
    message: 'extension 205 spent about 25.10 EUR this hour; the cap is 25.00 EUR',
    callId: 'c1',
  });
  assert.equal(a.severity, 'critical');
  assert.equal(a.incidentKey, 'quarantine:205');
  assert.match(a.title, /^Quarantined extension 205/);
  assert.match(a.body, /tollguard release --tenant acme --extension 205/);
});
