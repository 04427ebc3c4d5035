// The result shape shared by the PIN check (R-PIN-POLICY, R-PIN-DEFAULT) and the password check (R-PW-POLICY):
// every requirement is evaluated and every failing one is reported with a stable code and a plain-words message.

/** One requirement the PIN or password does not meet. `code` is stable; `message` is for people. */
export interface PolicyFailure {
  code: string;
  message: string;
}

/** `ok` is true exactly when `failures` is empty. */
export interface PolicyResult {
  ok: boolean;
  failures: PolicyFailure[];
}

export function policyResult(failures: PolicyFailure[]): PolicyResult {
  return { ok: failures.length === 0, failures };
}

/** Number of Unicode code points (not UTF-16 units): "é" and "😀" count as one character each. */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
