// Micro-benchmark of the SIP parser against JSON.parse of the same content: is reading a call setup from the wire
// as cheap as reading it from JSON? Warm-up, bounded iterations, a short table; no assertion.
// Run: node --import tsx bench/sip-parse.ts [--iterations N]   (also with --expose-gc for steadier allocation figures)

import v8 from 'node:v8';
import vm from 'node:vm';
import { parseMessage } from '../src/sip/parse.js';
import type { SipMessage } from '../src/sip/message.js';

const SDP = [
  'v=0',
  'o=- 1689357432 1689357432 IN IP4 203.0.113.10',
  's=Tollguard bench',
  'c=IN IP4 203.0.113.10',
  't=0 0',
  'm=audio 16384 RTP/AVP 8 0 18 101',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:18 G729/8000',
  'a=fmtp:18 annexb=no',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=sendrecv',
  '',
].join('\r\n');

const INVITE_HEADERS: Array<[string, string]> = [
  ['Via', 'SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK-524287-1---b3c2a8f5e61d7a90;rport'],
  ['Via', 'SIP/2.0/UDP 10.20.30.40:5060;received=198.51.100.7;branch=z9hG4bK3f9a61c2'],
  ['Max-Forwards', '69'],
  ['Record-Route', '<sip:198.51.100.7;lr;ftag=as5e2c1d7a>'],
  ['From', '"Accounts Payable" <sip:+33142685300@trunk.operator.example;user=phone>;tag=as5e2c1d7a'],
  ['To', '<sip:+882164123456@trunk.operator.example;user=phone>'],
  ['Call-ID', '3c26700b7e2d4f6a9b1e5f0a2d8c4e71@198.51.100.7'],
  ['CSeq', '102 INVITE'],
  ['Contact', '<sip:+33142685300@198.51.100.7:5060;transport=udp>'],
  ['Diversion', '<sip:+33142685301@pbx.customer.example;user=phone>;reason=unconditional;counter=1;privacy=off'],
  ['P-Asserted-Identity', '"Accounts Payable" <sip:+33142685300@trunk.operator.example;user=phone>'],
  ['User-Agent', 'Asterisk PBX 18.20.0'],
  ['Allow', 'INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, SUBSCRIBE, NOTIFY, INFO, PUBLISH, MESSAGE'],
  ['Supported', 'replaces, timer'],
  ['Session-Expires', '1800;refresher=uac'],
  ['Min-SE', '90'],
  ['Content-Type', 'application/sdp'],
  ['Content-Length', String(Buffer.byteLength(SDP))],
];

const OK_HEADERS: Array<[string, string]> = [
  INVITE_HEADERS[0]!,
  INVITE_HEADERS[1]!,
  INVITE_HEADERS[3]!,
  INVITE_HEADERS[4]!,
  ['To', '<sip:+882164123456@trunk.operator.example;user=phone>;tag=8e2f4a1c-91b7'],
  INVITE_HEADERS[6]!,
  INVITE_HEADERS[7]!,
  ['Contact', '<sip:+882164123456@192.0.2.44:5060>'],
  ['Server', 'Operator SBC 7.2'],
  ['Allow', 'INVITE, ACK, CANCEL, OPTIONS, BYE'],
  ['Content-Type', 'application/sdp'],
  ['Content-Length', String(Buffer.byteLength(SDP))],
];

function wire(startLine: string, headers: Array<[string, string]>): Buffer {
  return Buffer.from(`${startLine}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n${SDP}`, 'utf8');
}

function json(fields: Record<string, unknown>, headers: Array<[string, string]>): string {
  const h: Record<string, string | string[]> = {};
  for (const [n, v] of headers) {
    const cur = h[n];
    h[n] = cur === undefined ? v : Array.isArray(cur) ? [...cur, v] : [cur, v];
  }
  return JSON.stringify({ ...fields, headers: h, body: SDP });
}

const invite = wire('INVITE sip:+882164123456@trunk.operator.example;user=phone SIP/2.0', INVITE_HEADERS);
const ok = wire('SIP/2.0 200 OK', OK_HEADERS);
const inviteJson = json(
  { method: 'INVITE', uri: 'sip:+882164123456@trunk.operator.example;user=phone', version: 'SIP/2.0' },
  INVITE_HEADERS,
);
const okJson = json({ version: 'SIP/2.0', status: 200, reason: 'OK' }, OK_HEADERS);

let sink = 0;

/** What the firewall reads from an INVITE before deciding. */
function sipInvite(): void {
  const r = parseMessage(invite);
  if (!r.ok) throw new Error(r.error.detail);
  const m: SipMessage = r.message;
  const uri = m.uri();
  const from = m.from()!;
  const to = m.to()!;
  const via = m.topVia()!;
  const div = m.diversion();
  sink +=
    m.method.length +
    (uri?.kind === 'sip' ? (uri.user?.length ?? 0) : 0) +
    (from.uri.kind === 'sip' ? (from.uri.user?.length ?? 0) : 0) +
    (from.tag?.length ?? 0) +
    (to.uri.kind === 'sip' ? (to.uri.user?.length ?? 0) : 0) +
    m.callId()!.length +
    m.cseq()!.seq +
    via.host.length +
    (via.branch?.length ?? 0) +
    (div?.length ?? 0) +
    (m.userAgent()?.length ?? 0);
}

/** What a proxy reads from a response: status, Via, CSeq, Call-ID, tags. */
function sipOk(): void {
  const r = parseMessage(ok);
  if (!r.ok) throw new Error(r.error.detail);
  const m = r.message;
  sink += m.status + m.topVia()!.host.length + m.cseq()!.seq + m.callId()!.length + (m.to()!.tag?.length ?? 0);
}

function jsonInvite(): void {
  const o = JSON.parse(inviteJson) as { method: string; uri: string; headers: Record<string, string | string[]> };
  const h = o.headers;
  sink +=
    o.method.length +
    o.uri.length +
    (h['From'] as string).length +
    (h['To'] as string).length +
    (h['Call-ID'] as string).length +
    (h['CSeq'] as string).length +
    (h['Via'] as string[]).length +
    (h['Diversion'] as string).length +
    (h['User-Agent'] as string).length;
}

function jsonOk(): void {
  const o = JSON.parse(okJson) as { status: number; headers: Record<string, string | string[]> };
  const h = o.headers;
  sink += o.status + (h['Via'] as string[]).length + (h['CSeq'] as string).length + (h['To'] as string).length;
}

const args = process.argv.slice(2);
const argIter = args.indexOf('--iterations');
const ITER = argIter >= 0 ? Number(args[argIter + 1]) : 400_000;
const WARMUP = Math.min(50_000, ITER);
const ROUNDS = 20;

/** Messages per second of `a` and `b`, measured in alternating batches (so both see the same machine load), best batch each. */
function rates(a: () => void, b: () => void): [number, number] {
  for (let i = 0; i < WARMUP; i++) {
    a();
    b();
  }
  const batch = Math.max(1000, Math.floor(ITER / ROUNDS));
  let bestA = 0;
  let bestB = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) a();
    bestA = Math.max(bestA, (batch * 1e9) / Number(process.hrtime.bigint() - t0));
    t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) b();
    bestB = Math.max(bestB, (batch * 1e9) / Number(process.hrtime.bigint() - t0));
  }
  return [bestA, bestB];
}

const gc: (() => void) | undefined =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  })();

/** Bytes allocated per call: heap growth over a batch small enough to stay in the young generation. */
function bytesPerCall(fn: () => void): number {
  const N = 200;
  const samples: number[] = [];
  for (let round = 0; round < 7; round++) {
    gc?.();
    const h0 = process.memoryUsage().heapUsed;
    for (let i = 0; i < N; i++) fn();
    const h1 = process.memoryUsage().heapUsed;
    if (h1 > h0) samples.push((h1 - h0) / N);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? NaN;
}

const rows: Array<[string, number, number, number]> = [];
const [si, ji] = rates(sipInvite, jsonInvite);
const [so, jo] = rates(sipOk, jsonOk);
rows.push(['INVITE + SDP', invite.length, si, ji]);
rows.push(['200 OK + SDP', ok.length, so, jo]);

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
console.log(
  `SIP parse vs JSON.parse (Node ${process.version}; ${ITER.toLocaleString('en-US')} iterations each in ${ROUNDS} alternating batches; best batch)`,
);
console.log('');
console.log('| message | bytes | SIP msg/s | JSON msg/s | SIP/JSON | SIP bytes alloc/msg | JSON bytes alloc/msg |');
console.log('|---|---|---|---|---|---|---|');
const allocs = [
  [bytesPerCall(sipInvite), bytesPerCall(jsonInvite)],
  [bytesPerCall(sipOk), bytesPerCall(jsonOk)],
];
rows.forEach(([name, bytes, s, j], k) => {
  const [as, aj] = allocs[k]!;
  console.log(`| ${name} | ${bytes} | ${fmt(s)} | ${fmt(j)} | ${(s / j).toFixed(2)} | ${fmt(as!)} | ${fmt(aj!)} |`);
});
console.log('');
console.log(`JSON sizes: INVITE ${inviteJson.length} chars, 200 OK ${okJson.length} chars. (sink ${sink % 10})`);
