// R-PIN-POLICY and R-PIN-DEFAULT: every PIN rule, at its edges, with the exact set of codes each PIN must get.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { checkPin, DEFAULT_PINS } from '../../../src/credentials/index.js';
import { pinRun } from '../../../src/credentials/pin.js';

const codes = (pin: string, opts?: { extension?: string; login?: string }): string[] =>
  checkPin(pin, opts).failures.map((f) => f.code);

describe('checkPin: the codes of every failing rule, and only those', () => {
  const cases: Array<[name: string, pin: string, opts: { extension?: string; login?: string }, expected: string[]]> = [
    // acceptable
    ['an ordinary 4-digit PIN', '5829', {}, []],
    ['an ordinary 6-digit PIN', '730158', {}, []],
    ['each digit exactly twice is allowed', '3388', {}, []],
    ['two digits each twice, not adjacent', '2727', {}, []],
    ['a long PIN with every digit at most twice', '90817263', {}, []],
    ['a run of only part of the PIN is allowed', '1235', {}, []],
    ['a PIN that differs from the extension', '5829', { extension: '5828' }, []],
    ['an empty extension and login are not compared', '5829', { extension: '', login: '' }, []],
    // repeated digit: 2 ok, 3 fails, one failure per digit
    ['a digit three times', '1112', {}, ['PIN_DIGIT_REPEATED']],
    ['a digit twice, apart', '5251', {}, []],
    ['a digit three times, apart', '52515', {}, ['PIN_DIGIT_REPEATED']],
    [
      'two digits three times each: one failure per digit',
      '121212',
      {},
      ['PIN_DIGIT_REPEATED', 'PIN_DIGIT_REPEATED', 'PIN_DEFAULT'],
    ],
    ['four times the same digit', '9999', {}, ['PIN_DIGIT_REPEATED', 'PIN_DEFAULT']],
    ['0000: repeated and default', '0000', {}, ['PIN_DIGIT_REPEATED', 'PIN_DEFAULT']],
    // equals extension / login
    ['the extension itself', '4711', { extension: '4711' }, ['PIN_EQUALS_EXTENSION']],
    ['the login itself', '4711', { login: '4711' }, ['PIN_EQUALS_LOGIN']],
    [
      'both extension and login',
      '4711',
      { extension: '4711', login: '4711' },
      ['PIN_EQUALS_EXTENSION', 'PIN_EQUALS_LOGIN'],
    ],
    ['the extension with a leading zero is another code', '04711', { extension: '4711' }, []],
    // runs of consecutive digits
    ['ascending run from 0', '0123', {}, ['PIN_SEQUENCE']],
    ['ascending run 1234 is also a default', '1234', {}, ['PIN_SEQUENCE', 'PIN_DEFAULT']],
    ['descending run 4321 is also a default', '4321', {}, ['PIN_SEQUENCE', 'PIN_DEFAULT']],
    ['descending run of 5', '98765', {}, ['PIN_SEQUENCE']],
    ['ascending run of 6', '345678', {}, ['PIN_SEQUENCE']],
    ['ascending run through 9 to 0', '7890', {}, ['PIN_SEQUENCE']],
    ['descending run through 0 to 9', '1098', {}, ['PIN_SEQUENCE']],
    ['all ten digits in order', '0123456789', {}, ['PIN_SEQUENCE']],
    ['steps of two are not a run', '1357', {}, ['PIN_DEFAULT']],
    ['up then down is not a run', '1232', {}, []],
    // defaults
    ['keypad column 2580', '2580', {}, ['PIN_DEFAULT']],
    ['1004 (DataGenetics top 20)', '1004', {}, ['PIN_DEFAULT']],
    ['1212', '1212', {}, ['PIN_DEFAULT']],
    ['Asterisk sample voicemail code 4242', '4242', {}, ['PIN_DEFAULT']],
    ['FreeSWITCH vanilla vm-password 1013', '1013', {}, ['PIN_DEFAULT']],
    ['12345', '12345', {}, ['PIN_SEQUENCE', 'PIN_DEFAULT']],
    ['000000', '000000', {}, ['PIN_DIGIT_REPEATED', 'PIN_DEFAULT']],
    ['123456', '123456', {}, ['PIN_SEQUENCE', 'PIN_DEFAULT']],
    ['1122: each digit twice, but a default', '1122', {}, ['PIN_DEFAULT']],
    // length and characters
    ['empty', '', {}, ['PIN_TOO_SHORT']],
    ['one digit', '7', {}, ['PIN_TOO_SHORT']],
    ['three digits', '582', {}, ['PIN_TOO_SHORT']],
    ['three digits in a run', '123', {}, ['PIN_TOO_SHORT', 'PIN_SEQUENCE']],
    ['exactly four digits is long enough', '5820', {}, []],
    ['a letter', '58a9', {}, ['PIN_NOT_DIGITS']],
    ['a star, as keyed on a phone', '*582', {}, ['PIN_NOT_DIGITS']],
    ['a space around it', ' 5829', {}, ['PIN_NOT_DIGITS']],
    ['Arabic-Indic digits are not 0-9', '٥٨٢٩', {}, ['PIN_NOT_DIGITS']],
    ['fullwidth digits are not 0-9', '５８２９', {}, ['PIN_NOT_DIGITS']],
    ['short and not digits', 'ab', {}, ['PIN_NOT_DIGITS', 'PIN_TOO_SHORT']],
    ['not digits, and its digits repeated', '1a1b1', {}, ['PIN_NOT_DIGITS', 'PIN_DIGIT_REPEATED']],
    ['letters equal to the login', 'abcd', { login: 'abcd' }, ['PIN_NOT_DIGITS', 'PIN_EQUALS_LOGIN']],
    [
      'everything at once',
      '111',
      { extension: '111' },
      ['PIN_TOO_SHORT', 'PIN_DIGIT_REPEATED', 'PIN_EQUALS_EXTENSION'],
    ],
  ];
  for (const [name, pin, opts, expected] of cases) {
    test(`${name}: ${JSON.stringify(pin)} → ${expected.join(', ') || 'ok'}`, () => {
      const r = checkPin(pin, opts);
      assert.deepEqual(r.failures.map((f) => f.code).sort(), [...expected].sort());
      assert.equal(r.ok, expected.length === 0);
    });
  }
});

describe('checkPin messages', () => {
  test('a repeated digit names the digit and its count, as the CLI prints it', () => {
    assert.deepEqual(checkPin('1112').failures, [
      { code: 'PIN_DIGIT_REPEATED', message: 'the digit 1 occurs 3 times (at most 2)' },
    ]);
    const msgs = checkPin('5050505').failures.map((f) => f.message);
    assert.deepEqual(msgs, ['the digit 0 occurs 3 times (at most 2)', 'the digit 5 occurs 4 times (at most 2)']);
  });

  test('too short says how many and why', () => {
    assert.match(checkPin('582').failures[0]!.message, /has 3 digits \(at least 4: .*trying every value\)/);
    assert.match(checkPin('').failures[0]!.message, /^the PIN is empty/);
    assert.match(checkPin('5').failures[0]!.message, /has 1 digit \(/);
  });

  test('a PIN that is not digits says what kind of character, never the character itself', () => {
    const cases: Array<[string, RegExp]> = [
      ['58x9', /contains a letter/],
      [' 5829', /contains a space/],
      ['58#9', /contains a symbol/],
      ['٥٨٢٩', /contains a digit other than 0-9/],
    ];
    for (const [pin, re] of cases) {
      const f = checkPin(pin).failures.find((x) => x.code === 'PIN_NOT_DIGITS');
      assert.ok(f, pin);
      assert.match(f.message, re);
      assert.ok(!f.message.includes(pin.trim()), 'the PIN is not repeated');
    }
  });

  test('a run says its direction', () => {
    assert.match(checkPin('0123').failures[0]!.message, /going up/);
    assert.match(checkPin('98765').failures[0]!.message, /going down/);
  });

  test('every message is plain words without the PIN in it', () => {
    for (const pin of ['4711', '0123', '2580', '8888']) {
      for (const f of checkPin(pin, { extension: '4711' }).failures) {
        assert.ok(f.message.length > 10);
        assert.ok(!f.message.includes(pin) || f.message.includes('like 1234'), `${f.code}: ${f.message}`);
      }
    }
  });
});

describe('pinRun', () => {
  for (const [pin, run] of [
    ['012', 'up'],
    ['890', 'up'],
    ['901', 'up'],
    ['210', 'down'],
    ['109', 'down'],
    ['12', undefined],
    ['1234a', undefined],
    ['1243', undefined],
    ['1111', undefined],
  ] as const) {
    test(`${pin} → ${run ?? 'no run'}`, () => assert.equal(pinRun(pin), run));
  }
});

describe('DEFAULT_PINS', () => {
  test('holds the well-known codes of the issue, all digits, no duplicate', () => {
    for (const pin of ['0000', '1234', '1111', '1212', '2580', '1004', '12345', '000000', '123456']) {
      assert.ok(DEFAULT_PINS.includes(pin), pin);
    }
    for (const pin of DEFAULT_PINS) assert.match(pin, /^[0-9]{4,9}$/);
    assert.equal(new Set(DEFAULT_PINS).size, DEFAULT_PINS.length);
  });

  test('every default PIN is refused, and with PIN_DEFAULT', () => {
    for (const pin of DEFAULT_PINS) assert.ok(codes(pin).includes('PIN_DEFAULT'), pin);
  });

  test('cannot be changed at run time', () => {
    assert.throws(() => (DEFAULT_PINS as string[]).push('5829'));
    assert.equal(checkPin('5829').ok, true);
  });
});
