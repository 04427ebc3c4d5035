// Shared by the SIP unit tests: fixture loading and a parse that must succeed.
import { readFileSync, readdirSync } from 'node:fs';
import assert from 'node:assert/strict';
import { fixturePath } from '../../helpers/fixtures.js';
import { parseMessage, type ParseOptions } from '../../../src/sip/parse.js';
import type { SipMessage } from '../../../src/sip/message.js';

/** Bytes of an RFC 4475 torture message. */
export function torture(name: string): Buffer {
  return readFileSync(fixturePath('sip-torture-rfc4475', name));
}

/** Names of every RFC 4475 file (.dat), sorted. */
export function tortureNames(): string[] {
  return readdirSync(fixturePath('sip-torture-rfc4475'))
    .filter((f) => f.endsWith('.dat'))
    .sort();
}

/** Bytes of a scanner request. */
export function scanner(name: string): Buffer {
  return readFileSync(fixturePath('scanners', name));
}

/** Names of every scanner request (.sip), sorted. */
export function scannerNames(): string[] {
  return readdirSync(fixturePath('scanners'))
    .filter((f) => f.endsWith('.sip'))
    .sort();
}

/** Parses and asserts success. */
export function ok(buf: Buffer | string, opts?: ParseOptions): SipMessage {
  const r = parseMessage(typeof buf === 'string' ? Buffer.from(buf, 'utf8') : buf, opts);
  if (!r.ok) assert.fail(`expected a message, got ${r.error.code} (${r.error.status}): ${r.error.detail}`);
  return r.message;
}

/** A small valid INVITE, for edits and builders; `extra` header lines are inserted before Content-Length. */
export function invite(extra = '', body = ''): Buffer {
  return Buffer.from(
    'INVITE sip:+33612345678@trunk.example.net;user=phone SIP/2.0\r\n' +
      'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport\r\n' +
      'Max-Forwards: 70\r\n' +
      'Route: <sip:proxy.example.net;lr>, <sip:edge.example.net;lr>\r\n' +
      'From: "Alice" <sip:alice@pbx.example.com>;tag=1928301774\r\n' +
      'To: <sip:+33612345678@trunk.example.net;user=phone>\r\n' +
      'Call-ID: a84b4c76e66710@pc33.example.com\r\n' +
      'CSeq: 314159 INVITE\r\n' +
      'Contact: <sip:alice@192.0.2.10:5060>\r\n' +
      'Timestamp: 54\r\n' +
      extra +
      (body ? 'Content-Type: application/sdp\r\n' : '') +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
      body,
    'utf8',
  );
}
