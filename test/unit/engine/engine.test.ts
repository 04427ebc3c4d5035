// The engine as a whole: decisions that explain themselves, monitor mode, emergency numbers, quarantines, policies
// changed live without losing calls or counters, and signals mapped to actions by the tenant's policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, defaultPolicy, tenantPolicySchema } from '../../../src/engine/index.js';
import { engineWith, dial, only, MONDAY_10, SATURDAY_23, signalsOf } from './helpers.js';

test('the default policy of a newcomer who gives only a country', () => {
  const e = new Engine([{ id: 'acme', policy: defaultPolicy('FR') }]);
  const premium = dial(e, { called: '0899123456' });
  assert.equal(premium.action, 'reject');
  assert.equal(premium.enforced, true);
  assert.deepEqual(premium.destination, { e164: '+33899123456', cls: 'premium', country: 'FR' });
  assert.equal(dial(e, { called: '+881612345678' }).action, 'reject');
  assert.equal(dial(e, { called: '00442079460018', callerExtension: '210' }).action, 'allow');
  assert.equal(dial(e, { called: '00442079460018', callerExtension: '211', time: SATURDAY_23 }).action, 'reject');
  assert.equal(dial(e, { called: '112', time: SATURDAY_23 }).action, 'allow');
});

test('a decision is the strongest action and keeps every signal as its explanation', () => {
  const e = engineWith(only({ 'business-hours': {}, 'destination-class': {}, 'forwarded-call': {} }));
  const d = dial(e, { called: '0899123456', time: SATURDAY_23, diversion: ['<sip:201@pbx>;reason=no-answer'] });
  assert.equal(d.action, 'reject');
  assert.deepEqual(signalsOf(d), ['TIME_OUTSIDE_HOURS', 'DST_PREMIUM_RATE', 'FWD_TO_COSTLY']);
  for (const s of d.signals) assert.ok(s.rule && s.message && s.severity && s.action, JSON.stringify(s));
  assert.equal(JSON.parse(JSON.stringify(d)).signals.length, 3, 'the explanation is plain JSON');
});

test('the policy maps signals to actions over the rules\u2019 defaults', () => {
  const e = engineWith({ ...only({ 'destination-class': {} }), signals: { DST_PREMIUM_RATE: 'alert' } });
  assert.equal(dial(e, { called: '0899123456' }).action, 'alert');
  assert.throws(
    () => tenantPolicySchema.parse({ country: 'FR', signals: { NO_SUCH_SIGNAL: 'reject' } }),
    /unknown signal/,
  );
});

test('monitor mode decides and records but enforces nothing: no refusal, no quarantine', () => {
  const e = engineWith({ country: 'FR', mode: 'monitor' });
  const d = dial(e, { called: '0899123456' });
  assert.deepEqual([d.action, d.enforced], ['reject', false]);
  // The call goes on as if allowed, so it is watched and counted.
  assert.equal(e.liveCallCount, 1);
});

test('an emergency number passes even when the extension is quarantined', () => {
  const e = engineWith(only({}));
  e.restoreQuarantine({
    tenantId: 'acme',
    extension: '201',
    since: 0,
    rule: 'spend-cap',
    signal: 'SPEND_CAP_EXCEEDED',
    message: 'x',
    callId: 'c',
  });
  assert.equal(dial(e, { called: '0142685300' }).action, 'reject');
  const sos = dial(e, { called: '112' });
  assert.equal(sos.action, 'alert');
  assert.match(sos.signals[0]!.message, /emergency number: never refused/);
});

test('a policy change applies live: live calls, quarantines and unchanged counters carry over', () => {
  const e = engineWith(only({ concurrency: { open: { tenant: 1 } }, velocity: { extension: { perMinute: 2 } } }));
  assert.equal(dial(e, {}).action, 'allow');
  assert.equal(dial(e, { callerExtension: '202' }).action, 'reject', 'tenant limit 1');
  e.configure([
    {
      id: 'acme',
      policy: tenantPolicySchema.parse(
        only({ concurrency: { open: { tenant: 2 } }, velocity: { extension: { perMinute: 2 } } }),
      ),
    },
  ]);
  assert.equal(e.liveCallCount, 1, 'the live call is still watched');
  assert.equal(dial(e, { callerExtension: '202' }).action, 'allow', 'new limit 2 with 1 live');
  assert.equal(dial(e, { callerExtension: '203' }).action, 'reject');
  // Velocity kept its count across the change: extension 201 made one call; one more passes, a third does not.
  e.configure([{ id: 'acme', policy: tenantPolicySchema.parse(only({ velocity: { extension: { perMinute: 2 } } })) }]);
  assert.equal(dial(e, {}).action, 'allow');
  assert.deepEqual(signalsOf(dial(e, {})), ['VEL_EXTENSION_RATE']);
});

test('a bad policy is refused whole and the running one stays', () => {
  const e = engineWith(only({ 'destination-class': {} }));
  const bad = tenantPolicySchema.safeParse({ country: 'FR', rules: { concurrency: { open: { tenant: -1 } } } });
  assert.equal(bad.success, false);
  assert.throws(() => e.configure([{ id: 'acme', policy: { country: 'FR' } as never }]));
  assert.equal(dial(e, { called: '0899123456' }).action, 'reject', 'the old policy still decides');
});

test('unknown tenant throws (the adapter applies its fail mode); refused calls are not watched', () => {
  const e = engineWith(only({ 'destination-class': {} }));
  assert.throws(
    () => e.decide({ id: 'x', tenantId: 'nobody', direction: 'outbound', time: MONDAY_10, caller: '1', called: '2' }),
    /unknown tenant/,
  );
  dial(e, { called: '0899123456' });
  assert.equal(e.liveCallCount, 0);
  assert.equal(e.end('not-a-call', MONDAY_10), undefined);
});

test('estimated cost: default prices by class, from answer to end', async () => {
  const e = engineWith(only({}));
  const d = dial(e, { called: '0612345678' });
  await e.answered(d.id, MONDAY_10);
  const c = e.end(d.id, MONDAY_10 + 10 * 60_000)!;
  assert.equal(c.currency, 'EUR');
  assert.ok(c.cost > 0 && c.cost < 1, String(c.cost));
  const unanswered = dial(e, { called: '0612345678' });
  assert.equal(e.end(unanswered.id, MONDAY_10 + 60_000)!.cost, 0);
});
