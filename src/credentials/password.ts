// R-PW-POLICY: the rules a password must meet (console accounts, PBX secrets, admin interfaces): at least 8
// characters with a lower-case letter, an upper-case letter and a digit; not the login, nor containing it; and at
// least 2 edits away from every common password, brand, first name and common word, once case, accents, look-alike
// characters (0→o, @→a, …) and digits or symbols at its ends are set aside.
import { codePointLength, policyResult, type PolicyFailure, type PolicyResult } from './policy.js';
import { fold } from './distance.js';
import { defaultWordIndex, MIN_ENTRY_LENGTH, type NearWord, type WordIndex } from './wordlists.js';

export const PASSWORD_MIN_LENGTH = 8;
/** A password must be at least this many edits away from every list entry. */
export const PASSWORD_MIN_DISTANCE = 2;
/** A login shorter than this is not looked for inside the password (a 2-letter login is in too many words). */
export const LOGIN_MIN_LENGTH_CONTAINED = 3;

/** Stable codes of the password rules. */
export const PASSWORD_CODES = Object.freeze({
  PW_TOO_SHORT: 'PW_TOO_SHORT',
  PW_NO_LOWER: 'PW_NO_LOWER',
  PW_NO_UPPER: 'PW_NO_UPPER',
  PW_NO_DIGIT: 'PW_NO_DIGIT',
  PW_EQUALS_LOGIN: 'PW_EQUALS_LOGIN',
  PW_CONTAINS_LOGIN: 'PW_CONTAINS_LOGIN',
  PW_NEAR_COMMON_WORD: 'PW_NEAR_COMMON_WORD',
} as const);

const ENDS = /^[\p{N}\p{P}\p{S}\s]+|[\p{N}\p{P}\p{S}\s]+$/gu;
const TRAILING = /[\p{N}\p{P}\p{S}\s]+$/u;

/**
 * The forms of a password compared with the lists, all folded (lower case, no accents): without the digits,
 * punctuation and symbols at both ends ("!1Password1!" → "password"), then without those at its end ("Password1!" →
 * "password"), then the whole password. The most stripped come first, so that "Password1!" is reported as close to
 * "password" rather than to "password1". Forms shorter than the shortest list entry are left out.
 */
export function passwordForms(password: string): string[] {
  const whole = fold(password);
  const forms = new Set([whole.replace(ENDS, ''), whole.replace(TRAILING, ''), whole]);
  return [...forms].filter((f) => codePointLength(f) >= MIN_ENTRY_LENGTH);
}

/** The list entry closest to any form of the password, if fewer than PASSWORD_MIN_DISTANCE edits away. */
export function nearestCommonWord(password: string, index: WordIndex = defaultWordIndex()): NearWord | undefined {
  let best: NearWord | undefined;
  for (const form of passwordForms(password)) {
    const near = index.nearest(form, best ? best.distance : PASSWORD_MIN_DISTANCE - 1);
    if (near && (!best || near.distance < best.distance)) best = near;
    if (best?.distance === 0) break;
  }
  return best;
}

/** `checkPassword` against a given index of lists (the shipped lists by default). */
export function checkPasswordWith(index: WordIndex, password: string, opts: { login?: string } = {}): PolicyResult {
  const failures: PolicyFailure[] = [];
  const fail = (code: keyof typeof PASSWORD_CODES, message: string): void => void failures.push({ code, message });
  const pw = password.normalize('NFC');

  const length = codePointLength(pw);
  if (length < PASSWORD_MIN_LENGTH) {
    const what =
      length === 0 ? 'the password is empty' : `the password has ${length} character${length === 1 ? '' : 's'}`;
    fail('PW_TOO_SHORT', `${what} (at least ${PASSWORD_MIN_LENGTH})`);
  }
  if (!/\p{Ll}/u.test(pw)) fail('PW_NO_LOWER', 'the password has no lower-case letter');
  if (!/\p{Lu}/u.test(pw)) fail('PW_NO_UPPER', 'the password has no upper-case letter');
  if (!/\p{Nd}/u.test(pw)) fail('PW_NO_DIGIT', 'the password has no digit');

  const login = (opts.login ?? '').normalize('NFC');
  if (login !== '') {
    const lowPw = pw.toLowerCase();
    const lowLogin = login.toLowerCase();
    if (lowPw === lowLogin) {
      fail('PW_EQUALS_LOGIN', 'the password is the login (ignoring case)');
    } else if (codePointLength(login) >= LOGIN_MIN_LENGTH_CONTAINED && lowPw.includes(lowLogin)) {
      fail('PW_CONTAINS_LOGIN', 'the password contains the login (ignoring case)');
    }
  }

  const near = nearestCommonWord(pw, index);
  if (near) {
    const how =
      near.distance === 0
        ? 'the same'
        : `${near.distance} change${near.distance === 1 ? '' : 's'} away, at least ${PASSWORD_MIN_DISTANCE} needed,`;
    fail(
      'PW_NEAR_COMMON_WORD',
      `the password is too close to "${near.word}" from the list of ${near.list.title} (${how} once case, ` +
        'accents, look-alikes such as 0 for o or @ for a, and digits or symbols at its ends are set aside)',
    );
  }

  return policyResult(failures);
}

/** Checks a password against every rule and reports each one it breaks. `login` is the account's login. */
export function checkPassword(password: string, opts: { login?: string } = {}): PolicyResult {
  return checkPasswordWith(defaultWordIndex(), password, opts);
}
