// Character classes of the SIP grammar (RFC 3261 §25.1) as 256-entry lookup tables: one array read per byte or
// char code instead of regular expressions or chains of comparisons, on the hot path of every message.

function table(chars: string, alnum = true): Uint8Array {
  const t = new Uint8Array(256);
  if (alnum) {
    for (let c = 0x30; c <= 0x39; c++) t[c] = 1;
    for (let c = 0x41; c <= 0x5a; c++) t[c] = 1;
    for (let c = 0x61; c <= 0x7a; c++) t[c] = 1;
  }
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
}

const MARK = "-_.!~*'()";

/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
export const TOKEN = table("-.!%*_+`'~");
/** word (Call-ID) = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" / "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}") */
export const WORD = table('-.!%*_+`\'~()<>:\\"/[]?{}');
/** Characters a URI may hold as written: unreserved, reserved, "%" (escapes) and "[" "]" (IPv6 references). */
export const URIC = table(MARK + ';/?:@&=+$,%[]#');
/** user = 1*( unreserved / escaped / user-unreserved ), user-unreserved = "&" / "=" / "+" / "$" / "," / ";" / "?" / "/" */
export const USER = table(MARK + '%&=+$,;?/');
/** password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ) */
export const PASSWORD = table(MARK + '%&=+$,');
/** paramchar = param-unreserved / unreserved / escaped, param-unreserved = "[" / "]" / "/" / ":" / "&" / "+" / "$" */
export const PARAMCHAR = table(MARK + '%[]/:&+$');
/** hname / hvalue characters: hnv-unreserved / unreserved / escaped, hnv-unreserved = "[" / "]" / "/" / "?" / ":" / "+" / "$" */
export const HNVCHAR = table(MARK + '%[]/?:+$');
/** Host names: alphanum, "-", "." (and "_", seen in real deployments and harmless). */
export const HOSTNAME = table('-._');
/** IPv6 reference body: hex digits, ":" and "." (embedded IPv4). */
export const IPV6 = (() => {
  const t = new Uint8Array(256);
  for (const c of '0123456789abcdefABCDEF:.') t[c.charCodeAt(0)] = 1;
  return t;
})();
/** tel: number characters (RFC 3966 global and local numbers, visual separators, escapes). */
export const TELCHAR = table('*#-.()+%');
/** scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (after the first character). */
export const SCHEME = table('+-.');
/** Values of generic parameters when not quoted: token characters plus host characters (":" "[" "]"). */
export const GENVALUE = table("-.!%*_+`'~:[]");
/** Hex digit value, or 255 when the byte is not a hex digit. */
export const HEX = (() => {
  const t = new Uint8Array(256).fill(255);
  for (let i = 0; i < 10; i++) t[0x30 + i] = i;
  for (let i = 0; i < 6; i++) {
    t[0x41 + i] = 10 + i;
    t[0x61 + i] = 10 + i;
  }
  return t;
})();
/** ASCII lower-case of every byte (other bytes unchanged). */
export const LOWER = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) t[i] = i >= 0x41 && i <= 0x5a ? i + 0x20 : i;
  return t;
})();

export const SP = 0x20;
export const HT = 0x09;
export const CR = 0x0d;
export const LF = 0x0a;
export const COLON = 0x3a;

/** True when every char of `s` (char codes < 256) is in table `t`; false for the empty string. */
export function allIn(t: Uint8Array, s: string, start = 0, end = s.length): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c > 255 || t[c] === 0) return false;
  }
  return true;
}

/** Index of the first char from `i` that is not in table `t` (or `end`). */
export function scanIn(t: Uint8Array, s: string, i: number, end: number): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c > 255 || t[c] === 0) break;
    i++;
  }
  return i;
}

/** Index of the first char from `i` that is neither SP nor HT (or `end`). */
export function skipWs(s: string, i: number, end: number): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c !== SP && c !== HT) break;
    i++;
  }
  return i;
}

/** Index after the last char before `end` that is neither SP nor HT (or `start`). */
export function trimEnd(s: string, start: number, end: number): number {
  while (end > start) {
    const c = s.charCodeAt(end - 1);
    if (c !== SP && c !== HT) break;
    end--;
  }
  return end;
}

/** Case-insensitive equality of `s[start..end)` with `lower` (which must be lower-case ASCII). */
export function eqLower(s: string, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    let c = s.charCodeAt(start + i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}
