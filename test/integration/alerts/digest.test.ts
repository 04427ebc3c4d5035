// Digests end to end, from a configuration as a person writes it: a day of calls in a SQLite call log, an incident
// with its cost, and the digest received by a real SMTP server (text and HTML parts), a webhook receiver checking
// the HMAC signature and a syslog receiver on loopback. A restart sends nothing twice; the next day sends the next.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import dgram from 'node:dgram';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import pino from 'pino';
import { validateConfig, formatIssue } from '../../../src/config/load.js';
import { openStore } from '../../../src/store/index.js';
import type { CallRecord } from '../../../src/store/ports.js';
import { buildAlerting } from '../../../src/alerts/setup.js';
import { DigestScheduler } from '../../../src/alerts/digest-schedule.js';
import { consoleLinks } from '../../../src/alerts/links.js';
import { signBody, SIGNATURE_HEADER, webhookChannel } from '../../../src/alerts/channels/webhook.js';
import { AlertDispatcher } from '../../../src/alerts/dispatcher.js';
import type { Digest } from '../../../src/alerts/digest.js';

const logger = pino({ level: 'silent' });
const dir = mkdtempSync(path.join(tmpdir(), 'tollguard-digest-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Wednesday 2 December 2026, 08:30 in Paris: Tuesday's digest is due, and last Monday's weekly one.
const NOW = Date.parse('2026-12-02T07:30:00Z');
const TUESDAY = Date.parse('2026-12-01T09:00:00Z'); // 10:00 in Paris

function listen(server: net.Server | http.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
}

/** A message's header section, folded lines joined. */
function headersOf(raw: string): string {
  return raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
}

/** The decoded text of each part of a MIME message, by content type (quoted-printable as nodemailer writes it). */
function mimeParts(raw: string): Record<string, string> {
  const boundary = /boundary="?([^";\r\n]+)"?/.exec(raw)?.[1];
  assert.ok(boundary, 'a multipart message');
  const out: Record<string, string> = {};
  for (const part of raw.split(`--${boundary}`).slice(1, -1)) {
    const [head, ...body] = part.split(/\r\n\r\n/);
    const type = /content-type:\s*([^;\r\n]+)/i.exec(head!)?.[1]!.trim() ?? '';
    let text = body.join('\r\n\r\n');
    if (/quoted-printable/i.test(head!)) {
      text = Buffer.from(
        text.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
        'latin1',
      ).toString('utf8');
    }
    out[type] = text.replace(/\r\n/g, '\n');
  }
  return out;
}

test('a daily digest arrives by mail (text and HTML), signed webhook and syslog; once, across a restart', async () => {
  const mails: string[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, cb) {
      let data = '';
      stream.on('data', (d: Buffer) => (data += d.toString('latin1')));
      stream.on('end', () => {
        mails.push(data);
        cb();
      });
    },
  });
  const smtpPort = await listen(smtp.server);
  after(() => new Promise<void>((r) => smtp.close(() => r())));

  const secret = 'a-long-shared-secret-for-tests';
  const hooks: Array<{ event: string; digest: Digest }> = [];
  const hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      // The receiver's side of the contract: the signature over the exact body, with the shared secret.
      if (req.headers[SIGNATURE_HEADER] !== signBody(secret, body)) {
        res.writeHead(401).end();
        return;
      }
      hooks.push(JSON.parse(body) as { event: string; digest: Digest });
      res.writeHead(204).end();
    });
  });
  const hookPort = await listen(hook);
  after(() => {
    hook.closeAllConnections();
    hook.close();
  });

  const syslog = dgram.createSocket('udp4');
  const lines: string[] = [];
  syslog.on('message', (m) => lines.push(m.toString()));
  await new Promise<void>((r) => syslog.bind(0, '127.0.0.1', () => r()));
  after(() => syslog.close());

  const r = validateConfig({
    store: { url: `sqlite:${path.join(dir, 'digest.db')}` },
    alerts: {
      consoleUrl: 'https://tollguard.acme.example/',
      digest: { daily: '08:00', weekly: 'monday 08:00' },
      channels: [
        {
          id: 'it-mail',
          type: 'smtp',
          host: '127.0.0.1',
          port: smtpPort,
          from: 'tollguard@acme.example',
          to: ['it@acme.example'],
        },
        { id: 'noc', type: 'webhook', url: `http://127.0.0.1:${hookPort}/hooks/tollguard`, secret },
        { id: 'siem', type: 'syslog', host: '127.0.0.1', port: syslog.address().port, protocol: 'udp' },
      ],
    },
    tenants: [
      {
        id: 'acme',
        name: 'ACME SARL',
        pbx: { addresses: ['127.0.0.2:5060'] },
        trunk: { address: '127.0.0.3:5060' },
        policy: { country: 'FR' },
        // Only the daily digest for this site.
        alerts: { digest: { weekly: false } },
      },
    ],
  });
  if (!r.ok) throw new Error(r.issues.map(formatIssue).join('\n'));
  const config = r.config;

  let store = await openStore(config.store.url);
  const call = (id: string, over: Partial<CallRecord>): CallRecord => ({
    id,
    tenantId: 'acme',
    direction: 'outbound',
    startedAt: TUESDAY,
    caller: '201',
    called: '0145678901',
    calledE164: '+33145678901',
    destinationClass: 'national',
    country: 'FR',
    disposition: 'completed',
    action: 'allow',
    estimatedCost: 0.5,
    currency: 'EUR',
    ...over,
  });
  const premium = { called: '0899123456', calledE164: '+33899123456', destinationClass: 'premium' };
  for (const c of [
    call('n1', {}),
    call('n2', { startedAt: TUESDAY + 3_600_000, estimatedCost: 1.25 }),
    call('p1', {
      ...premium,
      startedAt: TUESDAY + 8 * 3_600_000,
      disposition: 'rejected',
      action: 'reject',
      estimatedCost: 0,
    }),
    call('p2', {
      ...premium,
      startedAt: TUESDAY + 8 * 3_600_000 + 30_000,
      disposition: 'rejected',
      action: 'reject',
      estimatedCost: 0,
    }),
    call('p3', {
      ...premium,
      startedAt: TUESDAY + 9 * 3_600_000,
      disposition: 'cut',
      action: 'cut',
      estimatedCost: 12.8,
    }),
    call('i1', { direction: 'inbound', caller: '+33612345678', called: '201', estimatedCost: undefined }),
    call('w1', { startedAt: NOW - 60_000 }), // today: not in Tuesday's digest
  ])
    await store.calls.open(c);

  const alerting = buildAlerting(config, store.alerts, logger, undefined, () => config.alerts.consoleUrl);
  after(async () => {
    await alerting.close();
    await store.close();
  });
  const incident = {
    tenantId: 'acme',
    incidentKey: 'destination-class:DST_PREMIUM_RATE',
    severity: 'high' as const,
    title: 'Refused outbound call from 201 to +33899123456 (premium, FR): DST_PREMIUM_RATE',
    body: 'What happened: premium destination +33899123456 (FR): reject.',
    callIds: ['p1'],
    firstAt: TUESDAY + 8 * 3_600_000,
    cost: { currency: 'EUR', spent: 0, perHour: 90.8 },
  };
  await store.alerts.raise(incident);
  await store.alerts.raise({ ...incident, callIds: ['p2'], firstAt: TUESDAY + 8 * 3_600_000 + 30_000 });
  await alerting.dispatcher.idle();
  mails.length = 0; // the incident's own mail
  hooks.length = 0;
  lines.length = 0;

  const scheduler = (now: number) =>
    new DigestScheduler({
      store,
      dispatcher: alerting.dispatcher,
      tenants: alerting.digestTenants,
      top: config.alerts.digest.top,
      logger,
      links: () => consoleLinks(config.alerts.consoleUrl!),
      now: () => now,
    });
  assert.deepEqual(
    alerting.digestTenants.map((t) => [t.id, t.timeZone, t.times.map((x) => x.period)]),
    [['acme', 'Europe/Paris', ['day']]],
  );
  assert.equal(await scheduler(NOW).check(), 1);
  await alerting.dispatcher.idle();

  assert.equal(mails.length, 1);
  const mail = mails[0]!;
  assert.match(
    headersOf(mail),
    /Subject: \[Tollguard\] ACME SARL: daily digest, Tuesday 1 December 2026: 6 calls, 2 refused, 1 cut, 14\.55 EUR, 1 open incident\r\n/,
  );
  assert.match(headersOf(mail), /X-Tollguard-Digest: acme\/day\/2026-12-01/);
  const parts = mimeParts(mail);
  const text = parts['text/plain']!;
  const html = parts['text/html']!;
  assert.match(text, /From 00:00 on Tuesday 1 December 2026 to 00:00 on Wednesday 2 December 2026 \(Europe\/Paris\)/);
  assert.match(text, /Calls: +6 \(5 outbound, 1 inbound\), 3 answered/);
  assert.match(text, /Refused at setup: +2\n/);
  assert.match(text, /Cut while running: +1\n/);
  assert.match(text, /Alerts: +1 incident \(1 new\)/);
  assert.match(text, /Estimated spend: +14\.55 EUR/);
  assert.match(text, /\n {4}premium +3 +12\.80 EUR\n {4}national +2 +1\.75 EUR\n/);
  assert.match(text, /\n {4}\+33899123456 +3 +12\.80 EUR\n/);
  assert.match(text, /- \[HIGH\] Refused outbound call from 201 to \+33899123456 \(premium, FR\): DST_PREMIUM_RATE\n/);
  assert.match(
    text,
    /2 events, last on 1 December, 18:00; 0\.00 EUR spent, 181\.60 EUR for an hour of talk at its prices/,
  );
  assert.match(text, /https:\/\/tollguard\.acme\.example\/#\/incidents\?id=/);
  assert.match(text, /What to do now:\n- Read the 1 open incident/);
  assert.match(
    text,
    /The calls of this period in the console: https:\/\/tollguard\.acme\.example\/#\/calls\?tenant=acme&from=2026-11-30T23%3A00%3A00\.000Z&to=2026-12-01T23%3A00%3A00\.000Z/,
  );
  assert.match(html, /<h1[^>]*>Tollguard daily digest: ACME SARL, Tuesday 1 December 2026<\/h1>/);
  assert.match(html, /<td[^>]*>premium<\/td><td[^>]*>3<\/td><td[^>]*>12\.80 EUR<\/td>/);

  assert.equal(hooks.length, 1, 'the webhook got one signed digest');
  assert.equal(hooks[0]!.event, 'digest');
  const d = hooks[0]!.digest;
  assert.deepEqual(
    [d.tenantId, d.period, d.start, d.end, d.refused, d.cut],
    ['acme', 'day', '2026-12-01', '2026-12-02', 2, 1],
  );
  assert.equal(d.spend, 14.55);
  assert.deepEqual(d.top.countries, [{ key: 'FR', calls: 5, cost: 14.55 }]);
  assert.equal(d.open.total, 1);

  assert.equal(lines.length, 1);
  assert.match(
    lines[0]!,
    /^<134>1 2026-12-02T07:30:00\.000Z \S+ tollguard - DIGEST \[tollguardDigest@32473 tenant="acme" period="day" start="2026-12-01" end="2026-12-02" calls="6" inbound="1" outbound="5" refused="2" cut="1" alerted="0" spend="14\.55" currency="EUR" openIncidents="1"\] ACME SARL daily digest 2026-12-01\.\.2026-12-02: 6 calls/,
  );

  // A restart (the store reopened) at the same moment sends nothing again; the next morning sends Wednesday's.
  await store.close();
  store = await openStore(config.store.url);
  assert.equal(await scheduler(NOW + 60_000).check(), 0);
  assert.equal(await scheduler(NOW + 86_400_000).check(), 1);
  await alerting.dispatcher.idle();
  assert.equal(mails.length, 2);
  assert.match(
    headersOf(mails[1]!),
    /Subject: \[Tollguard\] ACME SARL: daily digest, Wednesday 2 December 2026: 1 call,/,
  );
  assert.equal((await store.digests.last('acme', 'day'))?.start, '2026-12-02');
});

test('every channel down: the digest stays unsent and is sent once the claim is stale and a channel is back', async () => {
  const store = await openStore('memory:');
  // A webhook nobody listens on, tried once: the digest is given up at once.
  const down = new AlertDispatcher({
    alerts: store.alerts,
    logger,
    routesFor: () => [{ channel: webhookChannel({ url: 'http://127.0.0.1:9/' }), minSeverity: 'info' }],
    tenantName: () => 'ACME SARL',
    maxAttempts: 1,
  });
  const dispatcher = { digest: (d: Digest) => down.digest(d) };
  let now = NOW;
  const s = new DigestScheduler({
    store,
    dispatcher,
    tenants: [
      {
        id: 'acme',
        name: 'ACME SARL',
        timeZone: 'Europe/Paris',
        currency: 'EUR',
        mode: 'enforce',
        times: [{ period: 'day', minute: 480 }],
      },
    ],
    top: 5,
    logger,
    now: () => now,
    staleMs: 60_000,
  });
  assert.equal(await s.check(), 0);
  assert.equal(down.stats.failed, 1);
  assert.deepEqual(await store.digests.last('acme', 'day'), {
    tenantId: 'acme',
    period: 'day',
    start: '2026-12-01',
    claimedAt: NOW,
  });
  assert.equal(await s.check(), 0, 'claimed a moment ago: not tried again at once');
  let got = 0;
  dispatcher.digest = async () => ({ sent: ++got, failed: 0 });
  now += 61_000;
  assert.equal(await s.check(), 1);
  assert.equal(got, 1);
  assert.equal((await store.digests.last('acme', 'day'))?.sentAt, now);
  assert.equal(await s.check(), 0);
  await down.close();
});
