// Numbering: what a PBX dialled, normalised to E.164 with the tenant's dial plan and classified — a number in every
// class for FR, BE, DE, GB and US tenants, the outside-line digit, SIP user-part forms, the risk list and tariffs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Numbering, RiskList, Tariffs, defaultDialPlan, type DialPlan } from '../../../src/numbering/index.js';

const numbering = (country: string, over: Partial<DialPlan> = {}) =>
  new Numbering({ ...defaultDialPlan(country), ...over }, RiskList.shipped());

// [tenant country, dialled, class, E.164]
const CASES: Array<[string, string, string, string | undefined]> = [
  ['FR', '0142685300', 'national', '+33142685300'],
  ['FR', '0970123456', 'national', '+33970123456'],
  ['FR', '0612345678', 'mobile', '+33612345678'],
  ['FR', '0800123456', 'tollfree', '+33800123456'],
  ['FR', '0810123456', 'shared-cost', '+33810123456'],
  ['FR', '0899123456', 'premium', '+33899123456'],
  ['FR', '00442079460018', 'international', '+442079460018'],
  ['FR', '0033142685300', 'national', '+33142685300'],
  ['FR', '+33 6 12 34 56 78', 'mobile', '+33612345678'],
  ['FR', '00881612345678', 'satellite', '+881612345678'],
  ['FR', '002399900101', 'high-risk', '+2399900101'],
  ['FR', '112', 'emergency', undefined],
  ['FR', '15', 'emergency', undefined],
  ['FR', '201', 'unknown', undefined],
  ['BE', '025551234', 'national', '+3225551234'],
  ['BE', '0470123456', 'mobile', '+32470123456'],
  ['BE', '080012345', 'tollfree', '+3280012345'],
  ['BE', '090012345', 'premium', '+3290012345'],
  ['BE', '0033142685300', 'international', '+33142685300'],
  ['BE', '0088216123456', 'satellite', '+88216123456'],
  ['BE', '101', 'emergency', undefined],
  ['DE', '03012345678', 'national', '+493012345678'],
  ['DE', '015123456789', 'mobile', '+4915123456789'],
  ['DE', '08001234567', 'tollfree', '+498001234567'],
  ['DE', '018012345', 'shared-cost', '+4918012345'],
  ['DE', '09001234567', 'premium', '+499001234567'],
  ['DE', '0033142685300', 'international', '+33142685300'],
  ['DE', '110', 'emergency', undefined],
  ['GB', '02079460018', 'national', '+442079460018'],
  ['GB', '07400123456', 'mobile', '+447400123456'],
  ['GB', '08001234567', 'tollfree', '+448001234567'],
  ['GB', '09012345678', 'premium', '+449012345678'],
  ['GB', '07011234567', 'premium', '+447011234567'],
  ['GB', '0033142685300', 'international', '+33142685300'],
  ['GB', '00881612345678', 'satellite', '+881612345678'],
  ['GB', '999', 'emergency', undefined],
  ['US', '2015550123', 'national', '+12015550123'],
  ['US', '12015550123', 'national', '+12015550123'],
  ['US', '18005550123', 'tollfree', '+18005550123'],
  ['US', '19002001234', 'premium', '+19002001234'],
  ['US', '011442079460018', 'international', '+442079460018'],
  ['US', '0118816123456', 'satellite', '+8816123456'],
  ['US', '18765550123', 'high-risk', '+18765550123'],
  ['US', '911', 'emergency', undefined],
];

test('a number in every class for FR, BE, DE, GB and US tenants', () => {
  for (const [country, dialled, cls, e164] of CASES) {
    const d = numbering(country).classify(dialled);
    assert.equal(d.cls, cls, `${country} ${dialled}`);
    assert.equal(d.e164, e164, `${country} ${dialled}`);
  }
});

test('every class is reached by the table', () => {
  const seen = new Set(CASES.map((c) => c[2]));
  for (const cls of [
    'emergency',
    'national',
    'mobile',
    'tollfree',
    'international',
    'premium',
    'shared-cost',
    'satellite',
    'high-risk',
    'unknown',
  ]) {
    assert.ok(seen.has(cls), cls);
  }
});

test('country, calling code, number type and the risk entry are kept as evidence', () => {
  const fr = numbering('FR');
  assert.deepEqual(
    { ...fr.classify('00442079460018') },
    {
      dialled: '00442079460018',
      e164: '+442079460018',
      cls: 'international',
      country: 'GB',
      countryCallingCode: '44',
      numberType: 'FIXED_LINE',
    },
  );
  const sat = fr.classify('00881612345678');
  assert.equal(sat.country, undefined, 'international networks have no country');
  assert.equal(sat.countryCallingCode, '881');
  assert.match(sat.risk!.label, /Global Mobile Satellite/);
  // A foreign number libphonenumber does not know is still a call abroad (fraud ranges are often unlisted).
  assert.equal(fr.classify('0049900123').cls, 'international');
});

test('an outside-line digit is taken off before the number is read; emergency numbers pass with or without it', () => {
  const fr = numbering('FR', { outsideLine: '0' });
  assert.equal(fr.classify('00142685300').e164, '+33142685300');
  assert.equal(fr.classify('000442079460018').cls, 'international');
  assert.equal(fr.classify('00899123456').cls, 'premium');
  assert.equal(fr.classify('0112').cls, 'emergency');
  assert.equal(fr.classify('112').cls, 'emergency');
  const us = numbering('US', { outsideLine: '9' });
  assert.equal(us.classify('919002001234').cls, 'premium');
  assert.equal(us.classify('9011442079460018').cls, 'international');
  assert.equal(us.classify('911').cls, 'emergency', '911 is emergency, not 9 + 11');
});

test('SIP user-part forms: parameters, percent-encoding, separators; names are unknown', () => {
  const fr = numbering('FR');
  assert.equal(fr.classify('0899123456;phone-context=+33').cls, 'premium');
  assert.equal(fr.classify('%2B33899123456').e164, '+33899123456');
  assert.equal(fr.classify('01.42.68.53.00').e164, '+33142685300');
  assert.equal(fr.classify('(0)6-12-34-56-78').e164, '+33612345678');
  for (const s of ['alice', '', '+', '12ab', '*97', '#31#0899123456']) assert.equal(fr.classify(s).cls, 'unknown', s);
});

test('service numbers of the dial plan are national; the same string is classified once (cached)', () => {
  const fr = numbering('FR', { services: ['3949'] });
  assert.equal(fr.classify('3949').cls, 'national');
  assert.equal(numbering('FR').classify('3949').cls, 'unknown');
  assert.equal(fr.classify('0899123456'), fr.classify('0899123456'));
});

test('a tenant edits the risk list: an added prefix is high-risk, a removed one an ordinary number again', () => {
  const risk = RiskList.shipped().withEdits({
    add: [{ prefix: '+44207946', label: 'a suspicious London range' }],
    remove: ['239'],
  });
  const fr = new Numbering(defaultDialPlan('FR'), risk);
  assert.equal(fr.classify('00442079460018').cls, 'high-risk');
  assert.equal(fr.classify('002399900101').cls, 'international');
  assert.equal(numbering('FR').classify('002399900101').cls, 'high-risk', 'the shipped list is not changed');
});

test('the shipped risk list names a source for every entry and covers the satellite codes', () => {
  const entries = RiskList.shipped().entries();
  for (const e of entries) assert.ok(e.source.length > 3 && e.label.length > 2, e.prefix);
  for (const p of ['870', '881', '882', '883']) assert.equal(entries.find((e) => e.prefix === p)?.cls, 'satellite', p);
});

test('tariffs: default prices by class, a CSV table by longest prefix, free classes stay free', () => {
  const fr = numbering('FR');
  const defaults = Tariffs.defaults('EUR');
  assert.deepEqual(defaults.priceOf(fr.classify('0899123456')), {
    perMinute: 1.5,
    setup: 0.8,
    currency: 'EUR',
    source: 'class:premium',
  });
  const csv = 'prefix,per_minute,setup,currency\n+44,0.10,0,EUR\n4420,0.05,,\n# a comment\n+33899,3.00,1.20,EUR\n';
  const t = Tariffs.fromCsv(csv, 'prices.csv', defaults);
  assert.equal(t.size, 3);
  assert.equal(t.priceOf(fr.classify('00442079460018')).perMinute, 0.05);
  assert.equal(t.priceOf(fr.classify('00447400123456')).perMinute, 0.1);
  assert.deepEqual(t.priceOf(fr.classify('0899123456')), {
    perMinute: 3,
    setup: 1.2,
    currency: 'EUR',
    source: 'tariff:+33899',
  });
  assert.equal(t.priceOf(fr.classify('0612345678')).source, 'class:mobile');
  assert.equal(t.priceOf(fr.classify('112')).perMinute, 0);
});

test('tariffs: every bad row is named with its line, and nothing is half-loaded', () => {
  const d = Tariffs.defaults('EUR');
  assert.throws(
    () => Tariffs.fromCsv('prefix,per_minute,setup,currency\n+44,0.1\nabc,0.2\n+33,-1\n+1,0.1,0,USD\n', 'p.csv', d),
    (err: Error) => {
      assert.match(err.message, /^p\.csv: /);
      assert.match(err.message, /line 3: prefix "abc"/);
      assert.match(err.message, /line 4: per_minute "-1"/);
      assert.match(err.message, /line 5: currency USD/);
      return true;
    },
  );
  assert.throws(() => Tariffs.fromCsv('number,price\n+44,0.1\n', 'p.csv', d), /header must name prefix and per_minute/);
  assert.throws(() => Tariffs.fromCsv('prefix,per_minute\n"+44,0.1\n', 'p.csv', d), /^Error: p\.csv: /);
});
