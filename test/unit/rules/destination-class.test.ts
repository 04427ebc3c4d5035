// destination-class alone: what each class may do by day and by night, per group of extensions, and emergency
// numbers untouched whatever the policy says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineWith, dial, only, MONDAY_10, SATURDAY_23, signalsOf, local } from '../engine/helpers.js';

const defaults = only({ 'destination-class': {}, 'business-hours': {} });

test('the default policy by class, in business hours and on a Saturday night (FR)', () => {
  const cases: Array<[string, string, string, string]> = [
    // called, class, action Monday 10:00, action Saturday 23:00
    ['0142685300', 'national', 'allow', 'allow'],
    ['0612345678', 'mobile', 'allow', 'allow'],
    ['0800123456', 'tollfree', 'allow', 'allow'],
    ['0810123456', 'shared-cost', 'allow', 'allow'],
    ['0899123456', 'premium', 'reject', 'reject'],
    ['0892701234', 'premium', 'reject', 'reject'],
    ['00442079460018', 'international', 'allow', 'reject'],
    ['+4930123456', 'international', 'allow', 'reject'],
    ['00881612345678', 'satellite', 'reject', 'reject'],
    ['112', 'emergency', 'allow', 'allow'],
    ['15', 'emergency', 'allow', 'allow'],
  ];
  const e = engineWith(defaults);
  for (const [called, cls, day, night] of cases) {
    const d = dial(e, { called, time: MONDAY_10 });
    assert.equal(d.destination?.cls, cls, called);
    assert.equal(d.action, day, `${called} by day`);
    const n = dial(e, { called, time: SATURDAY_23 });
    assert.equal(n.action, night, `${called} at night`);
  }
});

test('a premium number is refused with DST_PREMIUM_RATE naming the number and the class', () => {
  const d = dial(engineWith(defaults), { called: '0899123456' });
  const s = d.signals.find((x) => x.signal === 'DST_PREMIUM_RATE')!;
  assert.equal(s.rule, 'destination-class');
  assert.equal(s.action, 'reject');
  assert.match(s.message, /premium destination \+33899123456/);
  assert.equal(s.evidence?.class, 'premium');
});

test('business hours edges: 07:59 and 19:00 are closed, 08:00 and 18:59 open (international refused when closed)', () => {
  const e = engineWith(defaults);
  const intl = '00442079460018';
  assert.equal(dial(e, { called: intl, time: local('2026-11-23 07:59') }).action, 'reject');
  assert.equal(dial(e, { called: intl, time: local('2026-11-23 08:00') }).action, 'allow');
  assert.equal(dial(e, { called: intl, time: local('2026-11-23 18:59') }).action, 'allow');
  assert.equal(dial(e, { called: intl, time: local('2026-11-23 19:00') }).action, 'reject');
});

test('groups of extensions: reception may not call mobiles; sales may call abroad at night', () => {
  const e = engineWith(
    only({
      'business-hours': {},
      'destination-class': {
        groups: [
          { name: 'reception', extensions: ['100'], open: { mobile: 'reject', international: 'reject' } },
          { name: 'sales', extensions: ['2*'], closed: { international: 'alert' } },
        ],
      },
    }),
  );
  const r = dial(e, { callerExtension: '100', caller: '100', called: '0612345678' });
  assert.equal(r.action, 'reject');
  assert.equal(r.signals[0]!.evidence?.group, 'reception');
  assert.equal(dial(e, { callerExtension: '201', called: '0612345678' }).action, 'allow');
  assert.equal(dial(e, { callerExtension: '201', called: '00442079460018', time: SATURDAY_23 }).action, 'alert');
  assert.equal(dial(e, { callerExtension: '301', called: '00442079460018', time: SATURDAY_23 }).action, 'reject');
});

test('emergency numbers are never refused, even when the policy rejects everything', () => {
  const everything = Object.fromEntries(
    [
      'national',
      'mobile',
      'tollfree',
      'international',
      'premium',
      'shared-cost',
      'satellite',
      'high-risk',
      'unknown',
    ].map((c) => [c, 'reject']),
  );
  const e = engineWith(only({ 'destination-class': { open: everything, closed: everything } }));
  for (const n of ['112', '15', '17', '18', '114', '115', '119']) {
    const d = dial(e, { called: n, time: SATURDAY_23 });
    assert.equal(d.destination?.cls, 'emergency', n);
    assert.equal(d.action, 'allow', n);
  }
  assert.equal(dial(e, { called: '0142685300' }).action, 'reject');
});

test('numbers of other countries classified from a French PBX (BE, DE, GB, US)', () => {
  const e = engineWith(defaults);
  const cases: Array<[string, string]> = [
    ['003225551234', 'international'],
    ['0032470123456', 'international'],
    ['00493012345678', 'international'],
    ['0049151234567890', 'international'],
    ['00447400123456', 'international'],
    ['0012015550123', 'international'],
    ['0019002001234', 'premium'],
    ['00447011234567', 'premium'],
  ];
  for (const [called, cls] of cases) assert.equal(dial(e, { called }).destination?.cls, cls, called);
  assert.deepEqual(signalsOf(dial(e, { called: '0019002001234' })), ['DST_PREMIUM_RATE']);
});
