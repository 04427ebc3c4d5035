// R-PIN-POLICY and R-PIN-DEFAULT: the rules a phone, voicemail or DISA code must meet. At most 2 occurrences of a
// digit, not the extension or the login, not a run of consecutive digits, not a known default or trivial code; and
// since a short code is found by trying every value, at least 4 digits, only digits.
import { DEFAULT_PINS } from './default-pins.js';
import { codePointLength, policyResult, type PolicyFailure, type PolicyResult } from './policy.js';

export const PIN_MIN_LENGTH = 4;
export const PIN_MAX_SAME_DIGIT = 2;

/** Stable codes of the PIN rules. */
export const PIN_CODES = Object.freeze({
  PIN_NOT_DIGITS: 'PIN_NOT_DIGITS',
  PIN_TOO_SHORT: 'PIN_TOO_SHORT',
  PIN_DIGIT_REPEATED: 'PIN_DIGIT_REPEATED',
  PIN_EQUALS_EXTENSION: 'PIN_EQUALS_EXTENSION',
  PIN_EQUALS_LOGIN: 'PIN_EQUALS_LOGIN',
  PIN_SEQUENCE: 'PIN_SEQUENCE',
  PIN_DEFAULT: 'PIN_DEFAULT',
} as const);

const DEFAULTS = new Set(DEFAULT_PINS);

/**
 * The direction of a run of consecutive digits (each digit one more, or one less, than the one before, 9 followed by
 * 0 going up and 0 by 9 going down, as on a keyboard's top row), or undefined. Needs at least 3 digits.
 */
export function pinRun(pin: string): 'up' | 'down' | undefined {
  if (pin.length < 3 || !/^[0-9]+$/.test(pin)) return undefined;
  let up = true;
  let down = true;
  for (let i = 1; i < pin.length; i++) {
    const step = (pin.charCodeAt(i) - pin.charCodeAt(i - 1) + 10) % 10;
    if (step !== 1) up = false;
    if (step !== 9) down = false;
  }
  return up ? 'up' : down ? 'down' : undefined;
}

/** What kind of character a non-digit is, said without repeating the character (a PIN is a secret). */
function kindOf(ch: string): string {
  if (ch === ' ') return 'a space';
  if (/\s/u.test(ch)) return 'a blank';
  if (/\p{L}/u.test(ch)) return 'a letter';
  if (/\p{Nd}/u.test(ch)) return 'a digit other than 0-9';
  return 'a symbol';
}

/**
 * Checks a PIN against every rule and reports each one it breaks. `extension` and `login` are those of the account
 * the PIN protects; an empty or absent one is not compared.
 */
export function checkPin(pin: string, opts: { extension?: string; login?: string } = {}): PolicyResult {
  const failures: PolicyFailure[] = [];
  const fail = (code: keyof typeof PIN_CODES, message: string): void => void failures.push({ code, message });

  const other = [...pin].find((ch) => ch < '0' || ch > '9');
  if (other !== undefined) {
    fail('PIN_NOT_DIGITS', `the PIN contains ${kindOf(other)}: a code is made of the digits 0 to 9 only`);
  }

  const length = codePointLength(pin);
  if (length < PIN_MIN_LENGTH) {
    const what =
      length === 0
        ? 'the PIN is empty'
        : `the PIN has ${length} ${other === undefined ? 'digit' : 'character'}${length === 1 ? '' : 's'}`;
    fail('PIN_TOO_SHORT', `${what} (at least ${PIN_MIN_LENGTH}: a shorter code is found by trying every value)`);
  }

  const counts = new Array<number>(10).fill(0);
  for (const ch of pin) if (ch >= '0' && ch <= '9') counts[ch.charCodeAt(0) - 48]!++;
  counts.forEach((n, digit) => {
    if (n > PIN_MAX_SAME_DIGIT) {
      fail('PIN_DIGIT_REPEATED', `the digit ${digit} occurs ${n} times (at most ${PIN_MAX_SAME_DIGIT})`);
    }
  });

  if (opts.extension && pin === opts.extension) {
    fail('PIN_EQUALS_EXTENSION', 'the PIN is the extension number: it is the first code anyone tries');
  }
  if (opts.login && pin === opts.login) {
    fail('PIN_EQUALS_LOGIN', 'the PIN is the login: it is the first code anyone tries');
  }

  const run = pinRun(pin);
  if (run) {
    fail('PIN_SEQUENCE', `the PIN is a run of consecutive digits going ${run} (like 1234 or 4321)`);
  }

  if (DEFAULTS.has(pin)) {
    fail('PIN_DEFAULT', 'the PIN is a well-known default or trivial code, among the first an attacker tries');
  }

  return policyResult(failures);
}
