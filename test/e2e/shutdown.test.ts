// Stopping the firewall with calls up: new calls are refused 503 with Retry-After while the calls up go on for the
// grace period; the ones still up then get a BYE on both sides with Q.850 cause 41, and every call is recorded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { startSipp, sippUnavailable } from '../helpers/sipp.js';
import { portBase, startTestFirewall } from '../helpers/firewall.js';

const skip = sippUnavailable();

test(
  'stop with a call up: 503 for a new call during the grace, then BYE with cause 41 to both sides',
  { skip, timeout: 40_000 },
  async () => {
    const base = portBase();
    const ports = { sipPort: base, pbxPort: base + 2, trunkPort: base + 3 };
    const t = await startTestFirewall({
      ...ports,
      extra: { sip: { listen: [`udp://127.0.0.1:${ports.sipPort}`], stopGraceSeconds: 1.5 } },
    });
    try {
      const trunk = startSipp({
        scenario: 'uas-stop-expect-bye.xml',
        localIp: '127.0.0.3',
        localPort: ports.trunkPort,
        calls: 1,
        timeoutS: 20,
      });
      const pbx = startSipp({
        scenario: 'uac-stop-expect-bye.xml',
        localIp: '127.0.0.2',
        localPort: ports.pbxPort,
        remote: `127.0.0.1:${ports.sipPort}`,
        service: '0142685300',
        calls: 1,
        timeoutS: 20,
      });
      await new Promise((r) => setTimeout(r, 1500)); // the call is up
      const stopped = t.fw.stop();
      const started = Date.now();

      // A new call while stopping: 503 with Retry-After, nothing forwarded.
      const sock = dgram.createSocket('udp4');
      const answers: string[] = [];
      sock.on('message', (m) => answers.push(m.toString('latin1')));
      await new Promise<void>((r) => sock.bind(ports.pbxPort + 50, '127.0.0.2', () => r()));
      sock.send(
        [
          `INVITE sip:0142685301@127.0.0.1:${ports.sipPort} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.2:${ports.pbxPort + 50};branch=z9hG4bK-stop-${Date.now()}`,
          'From: <sip:202@127.0.0.2>;tag=s1',
          'To: <sip:0142685301@127.0.0.1>',
          `Call-ID: stop-${Date.now()}@127.0.0.2`,
          'CSeq: 1 INVITE',
          `Contact: <sip:202@127.0.0.2:${ports.pbxPort + 50}>`,
          'Max-Forwards: 70',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
        ports.sipPort,
        '127.0.0.1',
      );
      const until = Date.now() + 1000;
      while (!answers.some((a) => a.startsWith('SIP/2.0 503')) && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 20));
      }
      sock.close();
      const refusal = answers.find((a) => a.startsWith('SIP/2.0 503'));
      assert.ok(refusal, answers.join('\n---\n'));
      assert.match(refusal, /^Retry-After: 30\r$/m);

      const [a, b] = await Promise.all([pbx.done, trunk.done]);
      assert.equal(a.successful, 1, a.output.slice(-3000));
      assert.equal(b.successful, 1, b.output.slice(-3000));
      await stopped;
      const took = Date.now() - started;
      assert.ok(took >= 1400 && took < 6000, `stopped after ${took} ms (grace 1.5 s)`);

      const store = await t.openStore();
      const rows = await store.calls.search({});
      await store.close();
      const ended = rows.find((r) => r.called === '0142685300');
      assert.deepEqual([ended?.disposition, ended?.endReason], ['completed', 'shutdown']);
      const refused = rows.find((r) => r.called === '0142685301');
      assert.deepEqual([refused?.disposition, refused?.sipStatus, refused?.endReason], ['rejected', 503, 'shutdown']);
    } finally {
      await t.stop();
    }
  },
);
