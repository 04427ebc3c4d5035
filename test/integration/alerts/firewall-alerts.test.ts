// Alerts as the firewall raises them: premium INVITEs from the PBX side over real UDP are refused, and a real SMTP
// server on loopback receives one mail in plain words for the incident; the store holds one alert folding the three
// calls, with what they would have cost; the mail links to the incident in the console. A tenant routed to no channel stores its alerts and mails nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { SMTPServer } from 'smtp-server';
import { portBase, startTestFirewall } from '../../helpers/firewall.js';

function invite(sipPort: number, pbxPort: number, n: number, called: string): Buffer {
  const lines = [
    `INVITE sip:${called}@127.0.0.1:${sipPort} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.2:${pbxPort};branch=z9hG4bK-alert-${n}-${Date.now()}`,
    `From: "Accueil" <sip:201@127.0.0.2>;tag=a${n}`,
    `To: <sip:${called}@127.0.0.1>`,
    `Call-ID: alert-${n}-${Date.now()}@127.0.0.2`,
    'CSeq: 1 INVITE',
    `Contact: <sip:201@127.0.0.2:${pbxPort}>`,
    'Max-Forwards: 70',
    'User-Agent: Test PBX',
    'Content-Length: 0',
    '',
    '',
  ];
  return Buffer.from(lines.join('\r\n'));
}

test('three refused premium calls: one mail for the incident, in plain words; one stored alert with three calls', async () => {
  const mails: string[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, cb) {
      let data = '';
      stream.on('data', (d: Buffer) => (data += d.toString()));
      stream.on('end', () => {
        mails.push(data);
        cb();
      });
    },
  });
  const smtpPort = await new Promise<number>((resolve) =>
    smtp.server.listen(0, '127.0.0.1', () => resolve((smtp.server.address() as net.AddressInfo).port)),
  );
  const base = portBase();
  const ports = { sipPort: base, pbxPort: base + 2, trunkPort: base + 3 };
  const t = await startTestFirewall({
    ...ports,
    tenant: { name: 'ACME SARL', policy: { country: 'FR', rules: { 'business-hours': false } } },
    extra: {
      alerts: {
        channels: [
          {
            id: 'it-mail',
            type: 'smtp',
            host: '127.0.0.1',
            port: smtpPort,
            from: 'tollguard@acme.example',
            to: ['it@acme.example'],
          },
        ],
      },
    },
  });
  const sock = dgram.createSocket('udp4');
  const answers: string[] = [];
  sock.on('message', (m) => answers.push(m.toString('latin1')));
  await new Promise<void>((r) => sock.bind(ports.pbxPort, '127.0.0.2', () => r()));
  try {
    for (let n = 1; n <= 3; n++)
      sock.send(invite(ports.sipPort, ports.pbxPort, n, '0899123456'), ports.sipPort, '127.0.0.1');
    const until = Date.now() + 10_000;
    // Calls refused, by Call-ID: a 403 is retransmitted until ACKed (this test sends no ACK), so a slow mail sees more.
    const refused = () =>
      new Set(answers.filter((a) => a.startsWith('SIP/2.0 403')).map((a) => /Call-ID: (\S+)/.exec(a)?.[1])).size;
    while ((mails.length < 1 || refused() < 3) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(refused(), 3, answers.join('\n---\n'));
    await new Promise((r) => setTimeout(r, 500)); // the two updates would arrive now, if they were not throttled
    assert.equal(mails.length, 1, 'one mail for the incident, updates throttled');
    const mail = mails[0]!
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    assert.match(mail, /Subject: \[Tollguard HIGH\] ACME SARL: Refused outbound call from 201 to/);
    assert.match(mail, /\+33899123456 \(premium, FR\): DST_PREMIUM_RATE/);
    assert.match(mail, /What happened: premium destination \+33899123456/);
    assert.match(mail, /What Tollguard did: Tollguard refused the call at setup\./);
    assert.match(mail, /sent by 127\.0\.0\.2 \(Test PBX\)/);
    assert.match(mail, /What to do now:\s+- If this number is expected, add it to the allow list/);
    // What it would have cost, at the default premium price (1.50 EUR a minute, 0.80 EUR to connect).
    assert.match(
      mail,
      /What it cost: nothing, it was refused before it connected\. Let through, at 1\.50 EUR a minute and 0\.80 EUR to connect \(class:premium\), an hour of it would have cost 90\.80 EUR\./,
    );
    // The console link, derived from where the API listens.
    assert.match(
      mail,
      new RegExp(`Open it in the console: ${t.fw.apiUrl.replace(/[.]/g, '\\.')}/#/incidents\\?id=[0-9a-f-]+`),
    );
    const store = await t.openStore();
    const alerts = await store.alerts.list({ tenantIds: ['acme'] });
    await store.close();
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.count, 3);
    assert.equal(alerts[0]!.callIds.length, 3);
    assert.equal(alerts[0]!.incidentKey, 'destination-class:DST_PREMIUM_RATE');
    // The incident sums its calls: none cost anything, each hour of the three would have cost 90.80 EUR.
    assert.equal(alerts[0]!.cost?.spent, 0);
    assert.equal(alerts[0]!.cost?.perHour.toFixed(2), '272.40');
  } finally {
    sock.close();
    await t.stop();
    await new Promise<void>((r) => smtp.close(() => r()));
  }
});

test('a configuration naming a channel that does not exist is refused with the path', async () => {
  const base = portBase();
  await assert.rejects(
    startTestFirewall({
      sipPort: base,
      pbxPort: base + 2,
      trunkPort: base + 3,
      tenant: { alerts: { channels: ['nope'] } },
    }),
    /tenants\[0\]\.alerts\.channels\[0\]: "nope" names no channel of alerts\.channels/,
  );
});
