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
  assert.match(cut.body, /Estimated cost: 27\.50 EUR\./);
  assert.equal(cut.firstAt, call.startedAt + 300_000);
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
