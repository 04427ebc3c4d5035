// The credential policy, one door for the PBX audit, the console accounts and `tollguard check-pin|check-password`:
// R-PIN-POLICY and R-PIN-DEFAULT for PINs, R-PW-POLICY for passwords. Every rule is evaluated and every failure is
// reported with a stable code and a plain-words message.
export type { PolicyFailure, PolicyResult } from './policy.js';
export { checkPin, PIN_CODES } from './pin.js';
export { checkPassword, PASSWORD_CODES } from './password.js';
export { DEFAULT_PINS } from './default-pins.js';
