// Fuzzing the SIP layer: mutations of real messages (RFC 4475, scanners, a trunk INVITE) as fast-check arbitraries,
// and the invariants every outcome must satisfy. Shared by the unit fuzz test (bounded, in `npm test`) and the
// long-running runner (test/fuzz/sip-fuzz.ts).
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { fixturePath } from '../helpers/fixtures.js';
import { parseMessage, type SipTransport } from '../../src/sip/parse.js';
import type { SipMessage } from '../../src/sip/message.js';
import { SipStreamFramer, type FrameEvent } from '../../src/sip/framer.js';
import { createErrorResponse, createResponse } from '../../src/sip/build.js';
import { DEFAULT_LIMITS, resolveLimits, type SipLimits } from '../../src/sip/limits.js';
import { STATUS_OF, type SipErrorCode } from '../../src/sip/errors.js';

/** An invariant broken: the fuzzer's finding. */
export class FuzzFailure extends Error {
  constructor(
    message: string,
    readonly input: Buffer,
  ) {
    super(message);
    this.name = 'FuzzFailure';
  }
}

function check(cond: unknown, what: string, input: Buffer): asserts cond {
  if (!cond) throw new FuzzFailure(what, input);
}

const TRUNK_INVITE = Buffer.from(
  'INVITE sip:+882164123456@trunk.operator.example;user=phone SIP/2.0\r\n' +
    'Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK-524287-1;rport, SIP/2.0/TCP [2001:db8::1]:5061;branch=z9hG4bKx\r\n' +
    'Max-Forwards: 69\r\nRecord-Route: <sip:198.51.100.7;lr>\r\nRoute: <sip:a;lr>,<sip:b;lr>\r\n' +
    'From: "Accounts, Payable" <sip:+33142685300@trunk.operator.example;user=phone>;tag=as5e2c1d7a\r\n' +
    'To: <tel:+882164123456>\r\nCall-ID: 3c26700b7e2d4f6a9b1e5f0a2d8c4e71@198.51.100.7\r\nCSeq: 102 INVITE\r\n' +
    'Contact: <sip:+33142685300@198.51.100.7:5060;transport=udp>;expires=60\r\n' +
    'Diversion: <sip:+33142685301@pbx.example;user=phone>;reason=unconditional;counter=1\r\n' +
    'History-Info: <sip:bob@example.com?Reason=SIP%3Bcause%3D302>;index=1\r\n' +
    'P-Asserted-Identity: "Acc" <sip:+33142685300@trunk.operator.example>\r\nReferred-By: <sip:r@h>\r\n' +
    'Proxy-Authorization: Digest username="a\\"b", realm="r", nonce="n", uri="sip:x", response="0123"\r\n' +
    'Reason: Q.850;cause=16;text="x"\r\nSupported: replaces, timer\r\nRequire: 100rel\r\nExpires: 60\r\n' +
    'Date: Sat, 13 Nov 2010 23:29:00 GMT\r\nUser-Agent: Asterisk PBX 18.20.0\r\nContent-Type: application/sdp\r\n' +
    'Content-Length: 31\r\n\r\nv=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n',
);

/** The seed corpus: every RFC 4475 file, every scanner request, and a trunk INVITE using every typed header. */
export function seeds(): Buffer[] {
  const out: Buffer[] = [TRUNK_INVITE];
  for (const [dir, ext] of [
    ['sip-torture-rfc4475', '.dat'],
    ['scanners', '.sip'],
  ] as const) {
    for (const f of readdirSync(fixturePath(dir)).sort()) {
      if (f.endsWith(ext)) out.push(readFileSync(fixturePath(dir, f)));
    }
  }
  return out;
}

/** Bytes that matter to SIP framing and grammar, for insertions. */
const INTERESTING = [
  0x0d, 0x0a, 0x00, 0x20, 0x09, 0x3a, 0x2c, 0x3b, 0x22, 0x3c, 0x3e, 0x25, 0x40, 0x5c, 0x3d, 0x2f, 0x3f, 0x80, 0xff,
  0x7f,
];

/** Splits a message into start line, header fields (with their continuation lines, without CRLF) and body. */
export function splitMessage(buf: Buffer): { start: string; fields: string[]; body: Buffer } {
  const s = buf.toString('latin1');
  let end = s.indexOf('\r\n\r\n');
  if (end < 0) end = s.length;
  const head = s.slice(0, end);
  const body = end < s.length ? buf.subarray(end + 4) : Buffer.alloc(0);
  const lines = head.split(/\r\n(?![ \t])/);
  return { start: lines[0] ?? '', fields: lines.slice(1), body };
}

function join(start: string, fields: string[], body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([start, ...fields].join('\r\n') + '\r\n\r\n', 'latin1'), body]);
}

/** Limits to fuzz with: usually the defaults, sometimes small ones so every limit path is reached. */
export function limitsArb(): fc.Arbitrary<Readonly<SipLimits>> {
  const small = fc
    .record({
      maxMessageSize: fc.integer({ min: 64, max: 4096 }),
      maxBodySize: fc.integer({ min: 0, max: 2048 }),
      maxHeaders: fc.integer({ min: 1, max: 40 }),
      maxLineLength: fc.integer({ min: 16, max: 600 }),
      maxUriLength: fc.integer({ min: 4, max: 200 }),
      maxVia: fc.integer({ min: 1, max: 40 }),
    })
    .map((l) => resolveLimits({ ...l, maxBodySize: Math.max(1, l.maxBodySize) }));
  return fc.oneof({ weight: 3, arbitrary: fc.constant(DEFAULT_LIMITS) }, { weight: 1, arbitrary: small });
}

/** One message-shaped input: a mutated seed, with the transport and limits to parse it with. */
export interface Case {
  kind: string;
  buf: Buffer;
  transport: SipTransport;
  limits: Readonly<SipLimits>;
}

/** Mutations of the seeds, each tagged with its kind. */
export function mutationArb(corpus: Buffer[]): fc.Arbitrary<{ kind: string; buf: Buffer }> {
  const seed = fc.constantFrom(...corpus);
  const flip = fc
    .tuple(seed, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }))
    .map(([s, flips]) => {
      const b = Buffer.from(s);
      for (const [i, x] of flips) {
        if (b.length === 0) break;
        const k = i % b.length;
        b[k] = b[k]! ^ x;
      }
      return { kind: 'flip', buf: b };
    });
  const insert = fc
    .tuple(seed, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INTERESTING)), { minLength: 1, maxLength: 6 }))
    .map(([s, ins]) => {
      let b = Buffer.from(s);
      for (const [i, x] of ins) {
        const at = i % (b.length + 1);
        b = Buffer.concat([b.subarray(0, at), Buffer.from([x]), b.subarray(at)]);
      }
      return { kind: 'insert', buf: b };
    });
  const truncate = fc
    .tuple(seed, fc.nat())
    .map(([s, n]) => ({ kind: 'truncate', buf: s.subarray(0, n % (s.length + 1)) }));
  const headers = fc
    .tuple(seed, fc.array(fc.nat(), { minLength: 0, maxLength: 60 }), fc.boolean())
    .map(([s, picks, keepBody]) => {
      // Reorder, drop and duplicate header fields.
      const { start, fields, body } = splitMessage(s);
      const out = fields.length === 0 ? [] : picks.map((p) => fields[p % fields.length]!);
      return { kind: 'headers', buf: join(start, out, keepBody ? body : Buffer.alloc(0)) };
    });
  const huge = fc
    .tuple(
      seed,
      fc.constantFrom(
        'X-Huge: ',
        'Via: SIP/2.0/UDP ',
        'From: <sip:',
        'To: "',
        'Call-ID: ',
        'Contact: <sip:a@',
        'Subject: ',
      ),
      fc.constantFrom(100, 2047, 2049, 8190, 8193, 40000, 70000),
      fc.constantFrom('a', ',', ';', ' ', '%', '"', '<', '\\'),
    )
    .map(([s, prefix, n, ch]) => {
      const { start, fields, body } = splitMessage(s);
      return { kind: 'huge', buf: join(start, [prefix + ch.repeat(n), ...fields], body) };
    });
  const many = fc
    .tuple(
      seed,
      fc.constantFrom('Via: SIP/2.0/UDP h;branch=z9hG4bKm', 'X-Many: 1', 'Route: <sip:r;lr>'),
      fc.integer({ min: 60, max: 140 }),
      fc.boolean(),
    )
    .map(([s, line, n, oneLine]) => {
      const { start, fields, body } = splitMessage(s);
      const extra = oneLine
        ? [line.split(': ')[0] + ': ' + Array.from({ length: n }, () => line.split(': ')[1]).join(', ')]
        : Array.from({ length: n }, () => line);
      return { kind: 'many', buf: join(start, [...extra, ...fields], body) };
    });
  const uri = fc
    .tuple(
      seed,
      fc.string({ unit: fc.constantFrom(...'sip:@;=?&%<>[]:.,"0123456789abcdef+-_~ '.split('')), maxLength: 80 }),
    )
    .map(([s, u]) => {
      const { start, fields, body } = splitMessage(s);
      const parts = start.split(' ');
      if (parts.length >= 3 && !start.startsWith('SIP/')) parts[1] = u;
      return { kind: 'uri', buf: join(parts.join(' '), fields, body) };
    });
  // A header value replaced by SIP-ish text: the message stays framed and often accepted, so the lazily parsed
  // headers (Diversion, History-Info, credentials, …) meet odd values when read.
  const valueChars = fc.constantFrom(...'ab09+-_.!%*~\'`"<>:;=,?@&/[] \t\\sip:tel:'.split(''));
  const value = fc
    .tuple(
      seed,
      fc.nat(),
      fc.string({ unit: valueChars, maxLength: 120 }),
      fc.constantFrom(
        '',
        'Diversion',
        'History-Info',
        'P-Asserted-Identity',
        'Authorization',
        'Reason',
        'Referred-By',
        'Route',
        'Contact',
        'Supported',
      ),
    )
    .map(([s, pick, text, name]) => {
      const { start, fields, body } = splitMessage(s);
      if (name) return { kind: 'value', buf: join(start, [`${name}: ${text}`, ...fields], body) };
      if (fields.length === 0) return { kind: 'value', buf: s };
      const k = pick % fields.length;
      const f = fields[k]!;
      const colon = f.indexOf(':');
      const out = [...fields];
      out[k] = (colon < 0 ? f : f.slice(0, colon + 1)) + ' ' + text;
      return { kind: 'value', buf: join(start, out, body) };
    });
  const random = fc.uint8Array({ maxLength: 1500 }).map((a) => ({ kind: 'random', buf: Buffer.from(a) }));
  const tokens = fc
    .array(
      fc.constantFrom(
        'INVITE ',
        'SIP/2.0',
        ' ',
        '\r\n',
        '\r\n\r\n',
        'Via: ',
        'v:',
        'SIP/2.0/UDP h;branch=z9hG4bK1',
        'From: ',
        'To: ',
        'Call-ID: x',
        'CSeq: 1 INVITE',
        'Content-Length: ',
        'l:',
        '0',
        '9999',
        '-1',
        '<sip:a@b>',
        ';tag=',
        '"',
        ',',
        ';',
        ':',
        '\n',
        '\r',
        'sip:',
        '%00',
      ),
      { maxLength: 60 },
    )
    .map((t) => ({ kind: 'tokens', buf: Buffer.from(t.join(''), 'latin1') }));
  return fc.oneof(flip, insert, truncate, headers, huge, many, uri, value, value, random, tokens);
}

/** Message cases: a mutation, a transport, limits. */
export function caseArb(corpus: Buffer[]): fc.Arbitrary<Case> {
  return fc
    .tuple(mutationArb(corpus), fc.constantFrom<SipTransport>('udp', 'udp', 'tcp'), limitsArb())
    .map(([m, transport, limits]) => ({ kind: m.kind, buf: m.buf, transport, limits }));
}

const CODES = new Set(Object.keys(STATUS_OF));
const ANSWER_LIMITS = resolveLimits({
  maxMessageSize: 1 << 24,
  maxBodySize: 1 << 24,
  maxHeaders: 1 << 20,
  maxLineLength: 1 << 24,
  maxUriLength: 1 << 24,
  maxVia: 1 << 20,
});

/** Header fields of the raw header section (continuations included), for the line-length invariant. */
function rawLines(raw: Buffer): string[] {
  const s = raw.toString('latin1');
  let end = s.indexOf('\r\n\r\n');
  if (end < 0) end = s.length;
  return s.slice(0, end).split(/\r\n(?![ \t])/);
}

/** Reads everything a caller could read from a message: no read may throw. */
export function exercise(m: SipMessage): number {
  let n = 0;
  const touch = (v: unknown): void => {
    if (v !== undefined && v !== null) n++;
  };
  const nameAddr = (a: ReturnType<SipMessage['from']>): void => {
    if (!a) return;
    touch(a.displayName);
    touch(a.tag);
    touch(a.raw);
    touch([...a.params]);
    touch(a.paramList());
    const u = a.uri;
    touch(u.raw);
    if (u.kind === 'sip') {
      touch(u.user);
      touch(u.userRaw);
      touch(u.password);
      touch(u.host);
      touch(u.hostname);
      touch([...u.params]);
      touch([...u.headers]);
    } else if (u.kind === 'tel') {
      touch(u.number);
      touch([...u.params]);
    } else touch(u.opaque);
  };
  touch(m.uri());
  for (const v of m.via() ?? []) {
    touch([v.host, v.hostname, v.branch, v.received, v.rport, v.raw, v.sentProtocolAndBy]);
    touch([...v.params]);
    touch(v.paramList());
  }
  touch(m.topVia());
  nameAddr(m.from());
  nameAddr(m.to());
  nameAddr(m.referredBy());
  nameAddr(m.referTo());
  for (const list of [
    m.route(),
    m.recordRoute(),
    m.path(),
    m.diversion(),
    m.historyInfo(),
    m.pAssertedIdentity(),
    m.pPreferredIdentity(),
    m.remotePartyId(),
  ]) {
    for (const a of list ?? []) nameAddr(a);
  }
  const c = m.contact();
  if (Array.isArray(c)) for (const a of c) nameAddr(a);
  touch([m.callId(), m.cseq(), m.maxForwards(), m.contentLength(), m.contentType(), m.expires(), m.date()]);
  touch([m.authorization(), m.proxyAuthorization(), m.wwwAuthenticate(), m.proxyAuthenticate(), m.reasons()]);
  touch([
    m.supported(),
    m.require(),
    m.proxyRequire(),
    m.unsupported(),
    m.allow(),
    m.userAgent(),
    m.server(),
    m.subject(),
  ]);
  for (const [name, value] of m.entries()) {
    touch(m.header(name));
    touch(m.values(name));
    touch(m.headerError(name));
    touch(value);
  }
  touch(m.viaCount());
  touch(m.body.length);
  touch(m.startLine);
  return n;
}

/** Outcome of one case. */
export type Outcome = { ok: true } | { ok: false; code: SipErrorCode };

/**
 * Parses one case and checks every invariant: never a throw, a refusal has a known code and a status in {0, 4xx,
 * 5xx} and an answer that can be built without throwing, an accepted message respects every limit, reads without
 * throwing, serializes back byte for byte, re-parses, and survives proxy edits.
 */
export function checkCase(c: Case): Outcome {
  const { buf, limits } = c;
  let r;
  try {
    r = parseMessage(buf, { limits, transport: c.transport });
  } catch (e) {
    throw new FuzzFailure(`parseMessage threw: ${(e as Error).stack}`, buf);
  }
  if (!r.ok) {
    const e = r.error;
    check(CODES.has(e.code), `unknown code ${e.code}`, buf);
    check(!e.detail.startsWith('internal parser error'), `parser bug: ${e.detail}`, buf);
    check(e.status === 0 || (e.status >= 400 && e.status <= 599), `status ${e.status}`, buf);
    check(e.status === 0 || e.isRequest, 'a response refused with a status', buf);
    let answer: Buffer | undefined;
    try {
      answer = createErrorResponse(e, { toTag: 'fz', source: { address: '192.0.2.1', port: 5060 } });
    } catch (x) {
      throw new FuzzFailure(`createErrorResponse threw: ${(x as Error).stack}`, buf);
    }
    if (answer) {
      // Well-formed, under limits large enough for what it must copy (a 483 carries every Via of the request).
      const a = parseMessage(answer, { sanity: false, limits: ANSWER_LIMITS });
      check(a.ok, `error response does not parse: ${a.ok ? '' : a.error.detail}`, buf);
    }
    return { ok: false, code: e.code };
  }
  const m = r.message;
  try {
    check(m.raw.length <= limits.maxMessageSize, 'maxMessageSize exceeded', buf);
    check(m.headerCount <= limits.maxHeaders, 'maxHeaders exceeded', buf);
    check(m.body.length <= limits.maxBodySize, 'maxBodySize exceeded', buf);
    const lines = rawLines(m.raw);
    check(lines[0]!.length <= limits.maxLineLength, 'start line too long', buf);
    for (const l of lines.slice(1)) check(l.length + 2 <= limits.maxLineLength, 'maxLineLength exceeded', buf);
    if (m.isRequest) check(m.requestUri.length <= limits.maxUriLength, 'maxUriLength exceeded', buf);
    check(m.viaCount() <= limits.maxVia, 'maxVia exceeded', buf);
    // What the sanity stage guarantees.
    check(
      m.topVia() && m.from() && m.to() && m.callId() !== undefined && m.cseq(),
      'sanity let a broken header through',
      buf,
    );
    if (m.isRequest) check(m.uri() && m.cseq()!.method === m.method, 'sanity let a bad request through', buf);
    exercise(m);
    check(m.toBuffer().equals(m.raw), 'round trip differs', buf);
    const again = parseMessage(m.raw, { limits, transport: c.transport });
    check(again.ok && again.message.headerCount === m.headerCount, 're-parse differs', buf);
    // Edits as a proxy makes them, then the result must parse.
    if (m.isRequest) {
      m.prependVia('SIP/2.0/UDP 203.0.113.1;branch=z9hG4bKfuzz');
      m.decrementMaxForwards();
      m.removeFirstRoute();
      m.setHeader('X-Fuzz', 'edited');
      m.ensureContentLength();
      exercise(m);
      const edited = parseMessage(m.toBuffer(), { transport: 'tcp', sanity: false, limits: ANSWER_LIMITS });
      check(edited.ok, `edited message does not parse: ${edited.ok ? '' : edited.error.detail}`, buf);
      const resp = createResponse(m, 400, 'Bad', { toTag: 't', source: { address: '198.51.100.1', port: 1 } });
      exercise(resp);
    }
  } catch (e) {
    if (e instanceof FuzzFailure) throw e;
    throw new FuzzFailure(`reading an accepted message threw: ${(e as Error).stack}`, buf);
  }
  return { ok: true };
}

/** A TCP stream made of seeds (and keep-alives), cut into random chunks. */
export function streamArb(corpus: Buffer[]): fc.Arbitrary<{ chunks: Buffer[]; limits: Readonly<SipLimits> }> {
  const piece = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...corpus) },
    { weight: 1, arbitrary: fc.constantFrom(Buffer.from('\r\n\r\n'), Buffer.from('\r\n'), Buffer.from('\r')) },
  );
  return fc
    .tuple(fc.array(piece, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 12 }), limitsArb())
    .map(([pieces, cuts, limits]) => {
      const all = Buffer.concat(pieces);
      const at = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b);
      const chunks: Buffer[] = [];
      let prev = 0;
      for (const c of [...at, all.length]) {
        chunks.push(all.subarray(prev, c));
        prev = c;
      }
      return { chunks, limits };
    });
}

/** Feeds a stream through a framer: no throw, limits held, at most one error and nothing after it. */
export function checkStream(s: { chunks: Buffer[]; limits: Readonly<SipLimits> }): FrameEvent[] {
  const input = Buffer.concat(s.chunks);
  const f = new SipStreamFramer({ limits: s.limits });
  const events: FrameEvent[] = [];
  try {
    for (const c of s.chunks) events.push(...f.push(c));
  } catch (e) {
    throw new FuzzFailure(`framer threw: ${(e as Error).stack}`, input);
  }
  let bytes = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.type === 'error') {
      check(i === events.length - 1, 'events after an error', input);
      check(CODES.has(e.error.code), 'unknown framer code', input);
    } else if (e.type === 'message') {
      check(e.data.length <= s.limits.maxMessageSize, 'framed message over maxMessageSize', input);
      bytes += e.data.length;
      checkCase({ kind: 'framed', buf: e.data, transport: 'tcp', limits: s.limits });
    }
  }
  check(bytes <= input.length, 'framer emitted more bytes than it got', input);
  check(f.buffered <= s.limits.maxMessageSize, 'framer holds more than maxMessageSize', input);
  return events;
}
