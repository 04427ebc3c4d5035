// R-PW-POLICY: every password rule, at its edges (length 7/8, distance 1/2, login of 2/3 characters, unicode letters),
// with the exact set of codes each password must get; against the shipped lists and against a small list of our own.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkPassword } from '../../../src/credentials/index.js';
import { checkPasswordWith, nearestCommonWord, passwordForms } from '../../../src/credentials/password.js';
import { WordIndex, type WordListInfo } from '../../../src/credentials/wordlists.js';
import { fixturePath } from '../../helpers/fixtures.js';

type Case = [name: string, password: string, login: string | undefined, expected: string[]];

function assertCodes(actual: { ok: boolean; failures: { code: string }[] }, expected: string[], what: string): void {
  assert.deepEqual(actual.failures.map((f) => f.code).sort(), [...expected].sort(), what);
  assert.equal(actual.ok, expected.length === 0, what);
}

describe('checkPassword against the shipped lists', () => {
  const cases: Case[] = [
    // acceptable
    ['random, mixed case and digits', 'zutAnacHe8ewuWr', undefined, []],
    ['random, 8 characters exactly', 'Xk9#mQ2z', undefined, []],
    ['a long passphrase', 'Correct1Horse2Battery3', undefined, []],
    ['a login that is not in it', 'Xk9#mQ2zLp', 'alice', []],
    ['unicode: é is a lower-case letter', 'ÉTRQZX7é', undefined, []],
    ['unicode: É is an upper-case letter', 'étrqzx7É', undefined, []],
    // length
    ['empty', '', undefined, ['PW_TOO_SHORT', 'PW_NO_LOWER', 'PW_NO_UPPER', 'PW_NO_DIGIT']],
    ['7 characters', 'Xk9#mQ2', undefined, ['PW_TOO_SHORT']],
    ['7 characters with an accent (counted as one)', 'Xk9#mQé', undefined, ['PW_TOO_SHORT']],
    ['8 characters with a decomposed accent (counted as one after NFC)', 'Xk9#mQ2e\u0301', undefined, []],
    // character classes
    ['no lower-case letter', 'XK9#MQ2Z', undefined, ['PW_NO_LOWER']],
    ['no upper-case letter', 'xk9#mq2z', undefined, ['PW_NO_UPPER']],
    ['no digit', 'Xkq#mQwz', undefined, ['PW_NO_DIGIT']],
    ['digits only', '73915824', undefined, ['PW_NO_LOWER', 'PW_NO_UPPER']],
    ['symbols only', '#!%&*()=', undefined, ['PW_NO_LOWER', 'PW_NO_UPPER', 'PW_NO_DIGIT']],
    ['unicode letters only lower-case', 'ééàçùxk9', undefined, ['PW_NO_UPPER']],
    // login
    ['equals the login', 'Xk9#mQ2z', 'Xk9#mQ2z', ['PW_EQUALS_LOGIN']],
    ['equals the login, other case', 'Xk9#mQ2z', 'XK9#MQ2Z', ['PW_EQUALS_LOGIN']],
    ['contains the login', 'Qz7!jdupontX', 'jdupont', ['PW_CONTAINS_LOGIN']],
    ['contains the login, other case', 'Qz7!JDupontX', 'jdupont', ['PW_CONTAINS_LOGIN']],
    ['contains a 3-character login', 'Qz7!jdbX9w', 'jdb', ['PW_CONTAINS_LOGIN']],
    ['a 2-character login is not looked for', 'Qz7!jdbX9w', 'jd', []],
    ['an empty login is not compared', 'Xk9#mQ2z', '', []],
    ['one edit from the login is not equal', 'Xk9#mQ2y', 'Xk9#mQ2z', []],
    // near a common word
    ['Password1! is "password" once the end is stripped', 'Password1!', undefined, ['PW_NEAR_COMMON_WORD']],
    ['P@ssw0rd: look-alikes undone', 'P@ssw0rd', undefined, ['PW_NEAR_COMMON_WORD']],
    ['the same in upper case', 'P@SSW0RD9', undefined, ['PW_NO_LOWER', 'PW_NEAR_COMMON_WORD']],
    ['Summer2024!', 'Summer2024!', undefined, ['PW_NEAR_COMMON_WORD']],
    ['Monkey12', 'Monkey12', undefined, ['PW_NEAR_COMMON_WORD']],
    ['digits and symbols at both ends', '!!Monkey99', undefined, ['PW_NEAR_COMMON_WORD']],
    ['1 edit from a common password', 'Baguxtte1', undefined, ['PW_NEAR_COMMON_WORD']],
    ['2 edits from it passes', 'Bxguxtte1', undefined, []],
    ['1 edit from an English word', 'Elephxnt7', undefined, ['PW_NEAR_COMMON_WORD']],
    ['2 edits from it passes', 'Elqphxnt7', undefined, []],
    ['a French word with its accents', 'Éléphant9', undefined, ['PW_NEAR_COMMON_WORD']],
    ['a French first name without its accents', 'Helene75', undefined, ['PW_NEAR_COMMON_WORD']],
    ['a French first name with its accents', 'Hélène75', undefined, ['PW_NEAR_COMMON_WORD']],
    ['a French common password with look-alikes', 'J3t4ime!', undefined, ['PW_NEAR_COMMON_WORD']],
    ['azerty', 'Azerty123', undefined, ['PW_NEAR_COMMON_WORD']],
    ['Soleil2023', 'Soleil2023', undefined, ['PW_NEAR_COMMON_WORD']],
    // PBX and telephony vendors, operators
    ['asterisk', 'Asterisk2024', undefined, ['PW_NEAR_COMMON_WORD']],
    ['asterisk with a look-alike', 'Aster1sk', undefined, ['PW_NEAR_COMMON_WORD']],
    ['freepbx', 'Freepbx1', undefined, ['PW_NEAR_COMMON_WORD']],
    ['freeswitch', 'Freeswitch1', undefined, ['PW_NEAR_COMMON_WORD']],
    ['cisco', 'Cisco123', undefined, ['PW_NEAR_COMMON_WORD']],
    ['yealink', 'Yealink2023', undefined, ['PW_NEAR_COMMON_WORD']],
    ['yealink, 1 edit', 'Yeaxink9', undefined, ['PW_NEAR_COMMON_WORD']],
    ['yealink, 2 edits', 'Yexxink9', undefined, []],
    ['polycom', 'Polycom1', undefined, ['PW_NEAR_COMMON_WORD']],
    ['snom', 'Snom1234', undefined, ['PW_NEAR_COMMON_WORD']],
    ['grandstream, 1 edit', 'Grandstrem1', undefined, ['PW_NEAR_COMMON_WORD']],
    ['gigaset', 'Gigaset1', undefined, ['PW_NEAR_COMMON_WORD']],
    ['avaya', 'Avaya123', undefined, ['PW_NEAR_COMMON_WORD']],
    ['mitel', 'Mitel2020', undefined, ['PW_NEAR_COMMON_WORD']],
    ['panasonic', 'Panasonic1', undefined, ['PW_NEAR_COMMON_WORD']],
    ['alcatel', 'Alcatel1', undefined, ['PW_NEAR_COMMON_WORD']],
    ['3cx', '3Cx2024!', undefined, ['PW_NEAR_COMMON_WORD']],
    ['ovh', 'Ovh12345', undefined, ['PW_NEAR_COMMON_WORD']],
    ['orange', 'Orange75', undefined, ['PW_NEAR_COMMON_WORD']],
    ['sfr', 'Sfr2024!', undefined, ['PW_NEAR_COMMON_WORD']],
    ['bouygues', 'Bouygues1', undefined, ['PW_NEAR_COMMON_WORD']],
    ['free', 'Free1234', undefined, ['PW_NEAR_COMMON_WORD']],
    ['FreeSWITCH event socket default', 'ClueCon1', undefined, ['PW_NEAR_COMMON_WORD']],
    [
      'FreePBX manager default (too short, no upper case too)',
      'amp111',
      undefined,
      ['PW_TOO_SHORT', 'PW_NO_UPPER', 'PW_NEAR_COMMON_WORD'],
    ],
    ['tollguard itself', 'Tollguard1', undefined, ['PW_NEAR_COMMON_WORD']],
    // several rules at once
    [
      'short, lower case only, common, the login',
      'monkey',
      'monkey',
      ['PW_TOO_SHORT', 'PW_NO_UPPER', 'PW_NO_DIGIT', 'PW_EQUALS_LOGIN', 'PW_NEAR_COMMON_WORD'],
    ],
  ];
  for (const [name, password, login, expected] of cases) {
    test(`${name}: ${JSON.stringify(password)} → ${expected.join(', ') || 'ok'}`, () => {
      assertCodes(checkPassword(password, login === undefined ? {} : { login }), expected, password);
    });
  }

  test("the random passwords of Asterisk's basic-pbx example all pass (no false alarm)", () => {
    const conf = readFileSync(fixturePath('asterisk', 'basic-pbx', 'pjsip.conf'), 'utf8');
    const passwords = [...conf.matchAll(/^password = (\S+)$/gm)].map((m) => m[1]!);
    assert.ok(passwords.length >= 15, `found ${passwords.length}`);
    for (const pw of passwords) assertCodes(checkPassword(pw), [], pw);
  });
});

describe('messages', () => {
  test('PW_NEAR_COMMON_WORD names the word and its list', () => {
    const f = checkPassword('Password1!').failures[0]!;
    assert.equal(f.code, 'PW_NEAR_COMMON_WORD');
    assert.match(f.message, /too close to "password" from the list of common passwords \(the same once/);
    const g = checkPassword('Yeaxink9').failures[0]!;
    assert.match(
      g.message,
      /"yealink" from the list of brands and telephony vendors \(1 change away, at least 2 needed/,
    );
    const h = checkPassword('Kangaroo7').failures[0]!;
    assert.match(h.message, /"kangaroo" from the list of common English words/);
    const i = checkPassword('Hélène75').failures[0]!;
    assert.match(i.message, /"helene" from the list of first names/);
    const j = checkPassword('Citrouille8').failures[0]!;
    assert.match(j.message, /"citrouille" from the list of common French words/);
  });

  test('the other messages are plain words with the numbers that matter', () => {
    const byCode = Object.fromEntries(checkPassword('abc', { login: 'abc' }).failures.map((f) => [f.code, f.message]));
    assert.equal(byCode.PW_TOO_SHORT, 'the password has 3 characters (at least 8)');
    assert.equal(byCode.PW_NO_UPPER, 'the password has no upper-case letter');
    assert.equal(byCode.PW_NO_DIGIT, 'the password has no digit');
    assert.match(byCode.PW_EQUALS_LOGIN!, /is the login/);
    assert.equal(checkPassword('').failures[0]!.message, 'the password is empty (at least 8)');
  });

  test('no message repeats the password', () => {
    for (const pw of ['Xk9#mQ2', 'xk9#mq2zz', 'Qz7!jdupontX', 'XK9#MQ2Z']) {
      for (const f of checkPassword(pw, { login: 'jdupont' }).failures) assert.ok(!f.message.includes(pw), f.message);
    }
  });
});

describe('distance edges against a list of our own', () => {
  const mine: WordListInfo = { id: 'mine', title: 'test words' };
  const other: WordListInfo = { id: 'other', title: 'other words' };
  const index = WordIndex.build([
    { list: mine, entries: ['monkey', 'dragon', 'Château', 'ab'] },
    { list: other, entries: ['monkey', 'tulips'] },
  ]);
  const check = (pw: string, login?: string): string[] =>
    checkPasswordWith(index, pw, login === undefined ? {} : { login }).failures.map((f) => f.code);

  const cases: Array<[string, string, boolean]> = [
    ['distance 0', 'Monkey#9', true],
    ['distance 1: one letter changed', 'Monkez#9', true],
    ['distance 1: one letter added', 'Monkeey#9', true],
    ['distance 1: one letter removed', 'Monky#99', true],
    ['distance 1: two letters swapped counts as 2 (Levenshtein, not Damerau)', 'Mnokey#9', false],
    ['distance 2: two letters changed', 'Mxnkez#9', false],
    ['distance 2: two letters added', 'Monkeyyy#9', false],
    ['look-alikes are undone before measuring (0→o, 3→e)', 'M0nk3y#9', true],
    ['look-alikes, then one edit', 'M0nk3z#9', true],
    ['look-alikes do not hide two edits', 'M0nx3z#9', false],
    ['1 stands for i or l, @ for a, $ for s', 'Tu1ip$#9', true],
    ['@ and 4 both stand for a', 'Dr4gon#9', true],
    ['upper case is folded', 'DRAGON#9', true],
    ['accents are folded, on either side', 'CHATEAU#9', true],
    ['trailing digits and symbols are stripped', 'Dragon2024!!', true],
    ['leading and trailing digits and symbols are stripped', '2024!Dragon!!', true],
    ['a digit inside is kept', 'Drag9on#9', true],
    ['entries shorter than 3 characters are ignored', 'Ab#12345', false],
    ['a letter does not stand for a digit (l is not 1)', 'Xlzq#9kw', false],
  ];
  for (const [name, pw, near] of cases) {
    test(`${name}: ${pw} → ${near ? 'PW_NEAR_COMMON_WORD' : 'not near'}`, () => {
      assert.equal(check(pw).includes('PW_NEAR_COMMON_WORD'), near);
    });
  }

  test('an entry in two lists is reported from the first', () => {
    assert.equal(nearestCommonWord('Monkey#9', index)?.list.id, 'mine');
  });

  test('the closest entry wins: distance 0 over an earlier distance 1', () => {
    const idx = WordIndex.build([
      { list: mine, entries: ['tulipa'] },
      { list: other, entries: ['tulips'] },
    ]);
    assert.deepEqual(nearestCommonWord('Tulips#9', idx), { word: 'tulips', list: other, distance: 0 });
  });

  test('the entry is named as written in its list', () => {
    assert.equal(nearestCommonWord('CHATEAU#9', index)?.word, 'Château');
  });
});

describe('passwordForms', () => {
  for (const [pw, forms] of [
    ['Password1!', ['password', 'password1!']],
    ['!1Password1!', ['password', '!1password', '!1password1!']],
    ['Éléphant', ['elephant']],
    ['Ab12345678', ['ab12345678']],
    ['', []],
  ] as const) {
    test(`${JSON.stringify(pw)} → ${JSON.stringify(forms)}`, () => assert.deepEqual(passwordForms(pw), forms));
  }
});
