// Alerts delivered to real receivers on loopback: an SMTP server, an HTTP receiver checking the signature, syslog
// over UDP and TCP. Incidents fold; a failing channel is retried and never throws at the caller.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import dgram from 'node:dgram';
import net from 'node:net';
import { SMTPServer } from 'smtp-server';
import pino from 'pino';
import { openMemoryStore } from '../../../src/store/memory/memory-store.js';
import { AlertDispatcher, type Route } from '../../../src/alerts/dispatcher.js';
import { smtpChannel } from '../../../src/alerts/channels/smtp.js';
import { webhookChannel, signBody, SIGNATURE_HEADER } from '../../../src/alerts/channels/webhook.js';
import { syslogChannel } from '../../../src/alerts/channels/syslog.js';
import type { AlertChannel } from '../../../src/alerts/types.js';

const logger = pino({ level: 'silent' });
const T0 = Date.UTC(2026, 10, 22, 3, 12, 0);
const premiumAlert = {
  tenantId: 'acme',
  incidentKey: 'dst-premium',
  severity: 'high' as const,
  title: 'Calls to premium-rate numbers refused',
  body: 'Extension 201 called +33899123456 at 03:12 on Sunday; Tollguard refused it (rule destination-class).',
  firstAt: T0,
  callIds: ['call-1'],
};

function listen(server: net.Server | http.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
}

test('an incident reaches an SMTP server as one mail, its updates throttled', async () => {
  const mails: { from: string; to: string[]; data: string }[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, cb) {
      let data = '';
      stream.on('data', (d: Buffer) => (data += d.toString()));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data,
        });
        cb();
      });
    },
  });
  const port = await listen(smtp.server);
  after(() => new Promise<void>((r) => smtp.close(() => r())));
  const channel = smtpChannel({ host: '127.0.0.1', port, from: 'tollguard@acme.example', to: ['it@acme.example'] });
  let now = T0;
  const d = new AlertDispatcher({
    alerts: openMemoryStore().alerts,
    logger,
    routesFor: () => [{ channel, minSeverity: 'medium' }],
    tenantName: () => 'ACME SARL',
    linkFor: (a) => `http://127.0.0.1:8080/#/incidents/${a.id}`,
    now: () => now,
  });
  await d.raise(premiumAlert);
  now += 60_000;
  await d.raise({ ...premiumAlert, firstAt: now, callIds: ['call-2'] }); // folded and throttled
  await d.raise({ ...premiumAlert, incidentKey: 'low-thing', severity: 'low', firstAt: now }); // below the route
  await d.idle();
  await channel.close?.();
  assert.equal(mails.length, 1);
  assert.deepEqual(mails[0]!.to, ['it@acme.example']);
  assert.match(mails[0]!.data, /Subject: \[Tollguard HIGH\] ACME SARL: Calls to premium-rate numbers refused/);
  assert.match(mails[0]!.data, /Extension 201 called \+33899123456/);
  assert.match(mails[0]!.data, /X-Tollguard-Incident: acme\/dst-premium/);
  assert.match(mails[0]!.data, /incidents\//);
  assert.equal(d.stats.suppressed, 1);
});

test('a webhook receives signed JSON; a failing receiver is retried, then succeeds', async () => {
  const secret = 'hook-secret';
  const bodies: unknown[] = [];
  let calls = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      calls++;
      if (calls === 1) {
        res.writeHead(503).end();
        return;
      }
      assert.equal(req.headers[SIGNATURE_HEADER], signBody(secret, body));
      bodies.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  const port = await listen(server);
  after(() => server.close());
  const d = new AlertDispatcher({
    alerts: openMemoryStore().alerts,
    logger,
    routesFor: () => [
      { channel: webhookChannel({ url: `http://127.0.0.1:${port}/hook`, secret }), minSeverity: 'info' },
    ],
    tenantName: () => 'ACME SARL',
    retryBaseMs: 20,
  });
  await d.raise(premiumAlert);
  await d.idle();
  assert.equal(calls, 2);
  assert.equal(d.stats.retried, 1);
  assert.equal(d.stats.sent, 1);
  const b = bodies[0] as { event: string; alert: { incidentKey: string; severity: string } };
  assert.equal(b.event, 'incident.opened');
  assert.equal(b.alert.incidentKey, 'dst-premium');
});

test('slack shape: a {text} body', async () => {
  let got = '';
  const server = http.createServer((req, res) => {
    req.on('data', (d: Buffer) => (got += d.toString()));
    req.on('end', () => res.writeHead(200).end('ok'));
  });
  const port = await listen(server);
  after(() => server.close());
  await webhookChannel({ url: `http://127.0.0.1:${port}/`, shape: 'slack' }).send({
    alert: { ...premiumAlert, id: 'a1', lastAt: T0, count: 1 },
    tenantName: 'ACME',
    kind: 'new',
  });
  assert.match((JSON.parse(got) as { text: string }).text, /^\*\[Tollguard HIGH\] ACME: Calls to premium/);
});

test('syslog: RFC 5424 over UDP and over TCP with octet counting', async () => {
  const udp = dgram.createSocket('udp4');
  const udpGot = new Promise<string>((resolve) => udp.once('message', (m) => resolve(m.toString())));
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
  after(() => udp.close());
  let tcpData = '';
  const tcpGot = new Promise<string>((resolve) => {
    const srv = net.createServer((s) =>
      s.on('data', (d) => {
        tcpData += d.toString();
        resolve(tcpData);
      }),
    );
    after(() => srv.close());
    void listen(srv).then((port) => {
      const ch = syslogChannel({ host: '127.0.0.1', port, protocol: 'tcp', facility: 16 });
      void ch
        .send({ alert: { ...premiumAlert, id: 'a1', lastAt: T0, count: 1 }, tenantName: 'ACME', kind: 'new' })
        .then(() => ch.close?.());
    });
  });
  const ch = syslogChannel({ host: '127.0.0.1', port: udp.address().port, protocol: 'udp', facility: 16 });
  await ch.send({ alert: { ...premiumAlert, id: 'a1', lastAt: T0, count: 1 }, tenantName: 'ACME', kind: 'new' });
  await ch.close?.();
  const line = await udpGot;
  // local0 (16) * 8 + error (3) = 131
  assert.match(
    line,
    /^<131>1 2026-11-22T03:12:00\.000Z \S+ tollguard - INCIDENT \[tollguard@32473 tenant="acme" incident="dst-premium" severity="high" count="1" alertId="a1"\] Calls to premium-rate numbers refused: Extension 201/,
  );
  const framed = await tcpGot;
  const m = /^(\d+) (<131>1 .*)$/s.exec(framed);
  assert.ok(m);
  assert.equal(Number(m[1]), Buffer.byteLength(m[2]!));
});

test('a channel that always fails is given up after its attempts, and raise() never throws', async () => {
  const broken: AlertChannel = { kind: 'broken', send: async () => Promise.reject(new Error('down')) };
  const routes: Route[] = [{ channel: broken, minSeverity: 'info' }];
  const d = new AlertDispatcher({
    alerts: openMemoryStore().alerts,
    logger,
    routesFor: () => routes,
    tenantName: () => 'x',
    retryBaseMs: 5,
    maxAttempts: 3,
  });
  const stored = await d.raise(premiumAlert);
  assert.equal(stored.count, 1);
  await d.idle();
  assert.deepEqual([d.stats.sent, d.stats.retried, d.stats.failed], [0, 2, 1]);
});
