// The request methods of RFC 3261 and its extensions: known methods are interned while parsing, and an unknown
// method whose CSeq disagrees is answered 501 rather than 400 (RFC 4475 §3.1.2.18).

/** INVITE, ACK, BYE, CANCEL, REGISTER, OPTIONS (RFC 3261) and PRACK, SUBSCRIBE, NOTIFY, PUBLISH, INFO, REFER, MESSAGE, UPDATE. */
export const KNOWN_METHODS: readonly string[] = Object.freeze([
  'INVITE',
  'ACK',
  'BYE',
  'CANCEL',
  'REGISTER',
  'OPTIONS',
  'PRACK',
  'SUBSCRIBE',
  'NOTIFY',
  'PUBLISH',
  'INFO',
  'REFER',
  'MESSAGE',
  'UPDATE',
]);

/** @internal */
export const KNOWN_METHODS_SET: ReadonlySet<string> = new Set(KNOWN_METHODS);
