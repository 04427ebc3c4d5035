// What several checks share: judging a secret or a PIN with the credential policy (src/credentials, never
// re-implemented here) and writing a dialplan path in one line for messages.
import { checkPassword, checkPin, type PolicyFailure } from '../../credentials/index.js';
import type { PathStep, Severity } from '../types.js';

/** How bad a secret is, and why, in the policy's own words. */
export interface SecretVerdict {
  severity: Severity;
  /** `login`: equal to or containing the login; `common`: a known default or dictionary word; `weak`: too short;
   * `composition`: long enough but missing a kind of character. */
  kind: 'empty' | 'login' | 'common' | 'weak' | 'composition';
  failures: PolicyFailure[];
  text: string;
}

/** A long secret that only lacks a kind of character is strong in practice (e.g. 32 hex digits): reported low. */
const LONG_SECRET = 16;

/** Judges a password or SIP secret against R-PW-POLICY; undefined when it meets the policy. */
export function judgeSecret(secret: string, login?: string): SecretVerdict | undefined {
  if (secret === '') {
    return { severity: 'critical', kind: 'empty', failures: [], text: 'the secret is empty' };
  }
  const r = checkPassword(secret, login ? { login } : {});
  if (r.ok) return undefined;
  const codes = new Set(r.failures.map((f) => f.code));
  const text = r.failures.map((f) => f.message).join('; ');
  if (codes.has('PW_EQUALS_LOGIN') || codes.has('PW_CONTAINS_LOGIN')) {
    return { severity: 'critical', kind: 'login', failures: r.failures, text };
  }
  if (codes.has('PW_NEAR_COMMON_WORD')) return { severity: 'critical', kind: 'common', failures: r.failures, text };
  if (codes.has('PW_TOO_SHORT')) return { severity: 'high', kind: 'weak', failures: r.failures, text };
  const long = [...secret].length >= LONG_SECRET;
  return { severity: long ? 'low' : 'high', kind: 'composition', failures: r.failures, text };
}

/** PIN failures that make a code one of the first an attacker tries (R-PIN-DEFAULT); the rest are R-PIN-POLICY. */
const DEFAULT_CODES = new Set(['PIN_DEFAULT', 'PIN_EQUALS_EXTENSION', 'PIN_EQUALS_LOGIN', 'PIN_SEQUENCE']);

export interface PinVerdict {
  /** Failures that make it a default or trivial code. */
  trivial: PolicyFailure[];
  /** Other failures of the PIN policy. */
  other: PolicyFailure[];
}

/** Judges a PIN with the credential policy, sorting the failures into trivial (R-PIN-DEFAULT) and other. */
export function judgePin(pin: string, extension?: string): PinVerdict {
  const r = checkPin(pin, extension ? { extension } : {});
  const trivial = r.failures.filter((f) => DEFAULT_CODES.has(f.code));
  const other = r.failures.filter((f) => !DEFAULT_CODES.has(f.code));
  // An empty code is the most trivial of all.
  if (pin === '') return { trivial: r.failures, other: [] };
  return { trivial, other };
}

/** `ctx (file:line) → ctx: what (file:line) → …` */
export function pathText(path: PathStep[]): string {
  return path.map((p) => `${p.context}: ${p.what} (${p.file}:${p.line})`).join(' → ');
}

/** The host part of `addr`, `[v6]:port`, `v4:port` or a bare address. */
export function hostOf(addr: string): string {
  const t = addr.trim();
  const bracket = /^\[([^\]]*)\]/.exec(t);
  if (bracket) return bracket[1]!;
  if (/^[\d.]+:\d+$/.test(t)) return t.replace(/:\d+$/, '');
  return t;
}

/** Addresses that mean "every interface" (an unset address too: Asterisk and FreeSWITCH then bind to all). */
export function isAnyAddress(addr: string | undefined): boolean {
  if (addr === undefined) return true;
  const h = hostOf(addr);
  return h === '' || h === '0.0.0.0' || h === '::' || h === '0:0:0:0:0:0:0:0' || h === '*';
}

/** Addresses that only the machine itself can reach. */
export function isLoopback(addr: string): boolean {
  const h = hostOf(addr);
  return /^127\./.test(h) || h === '::1' || h === 'localhost';
}
