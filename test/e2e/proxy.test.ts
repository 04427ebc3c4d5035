// The voice firewall with real SIPp peers: a PBX side on 127.0.0.2, an operator trunk on 127.0.0.3, Tollguard on
// 127.0.0.1 between them. Every call in both directions goes through, ends right, and leaves one call record.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { runSipp, startSipp, sippUnavailable } from '../helpers/sipp.js';
import type { CallRecord } from '../../src/store/ports.js';
import { portBase, startTestFirewall, type TestFirewall } from '../helpers/firewall.js';

const skip = sippUnavailable();
const CALLS = Number(process.env.TOLLGUARD_E2E_CALLS ?? 10_000);
const RATE = Number(process.env.TOLLGUARD_E2E_RATE ?? 400);

describe('voice firewall with SIPp peers', { skip }, () => {
  const base = portBase();
  const ports = { sipPort: base, pbxPort: base + 2, trunkPort: base + 3 };
  let t: TestFirewall;
  before(async () => {
    t = await startTestFirewall(ports);
  });
  after(async () => {
    await t?.stop();
  });

  async function records(): Promise<Map<string, number>> {
    const store = await t.openStore();
    // Every record of the run, page by page: the load test alone makes 10,000, a search's largest page.
    const rows: CallRecord[] = [];
    for (;;) {
      const page = await store.calls.search({ limit: 10_000, offset: rows.length });
      rows.push(...page);
      if (page.length < 10_000) break;
    }
    await store.close();
    const by = new Map<string, number>();
    for (const r of rows)
      by.set(`${r.direction}/${r.disposition}`, (by.get(`${r.direction}/${r.disposition}`) ?? 0) + 1);
    return by;
  }

  test(
    `outbound: ${CALLS} calls PBX → trunk at ${RATE}/s, 0 failed, one completed record each`,
    { timeout: 180_000 },
    async () => {
      const uas = startSipp({
        scenario: 'uas-expect-bye.xml',
        localIp: '127.0.0.3',
        localPort: ports.trunkPort,
        calls: CALLS,
        timeoutS: 150,
      });
      const uac = await runSipp({
        scenario: 'uac-expect-200.xml',
        localIp: '127.0.0.2',
        localPort: ports.pbxPort,
        remote: `127.0.0.1:${ports.sipPort}`,
        service: '0145678901',
        calls: CALLS,
        rate: RATE,
        limit: 2_000,
        pauseMs: 0,
        timeoutS: 150,
      });
      const uasResult = await uas.done;
      assert.equal(uac.failed, 0, uac.output.slice(-3000));
      assert.equal(uac.successful, CALLS);
      assert.equal(uasResult.successful, CALLS, uasResult.output.slice(-3000));
      // Records are written off the call path: give the last ones a moment.
      await new Promise((r) => setTimeout(r, 500));
      assert.equal((await records()).get('outbound/completed'), CALLS);
    },
  );

  test('inbound: trunk → PBX calls go through and are recorded inbound', { timeout: 60_000 }, async () => {
    const n = 50;
    const uas = startSipp({
      scenario: 'uas-expect-bye.xml',
      localIp: '127.0.0.2',
      localPort: ports.pbxPort,
      calls: n,
      timeoutS: 40,
    });
    const uac = await runSipp({
      scenario: 'uac-expect-200.xml',
      localIp: '127.0.0.3',
      localPort: ports.trunkPort,
      remote: `127.0.0.1:${ports.sipPort}`,
      service: '0145678901',
      calls: n,
      rate: 50,
      pauseMs: 50,
      timeoutS: 40,
    });
    const uasResult = await uas.done;
    assert.equal(uac.failed, 0, uac.output.slice(-3000));
    assert.equal(uasResult.successful, n);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await records()).get('inbound/completed'), n);
  });

  test(
    'CANCEL before answer: the caller gets 487, the callee the CANCEL, the record says unanswered',
    { timeout: 60_000 },
    async () => {
      const n = 5;
      const uas = startSipp({
        scenario: 'uas-ring-expect-cancel.xml',
        localIp: '127.0.0.3',
        localPort: ports.trunkPort,
        calls: n,
        timeoutS: 30,
      });
      const uac = await runSipp({
        scenario: 'uac-cancel-expect-487.xml',
        localIp: '127.0.0.2',
        localPort: ports.pbxPort,
        remote: `127.0.0.1:${ports.sipPort}`,
        service: '0145678901',
        calls: n,
        rate: 5,
        timeoutS: 30,
      });
      const uasResult = await uas.done;
      assert.equal(uac.failed, 0, uac.output.slice(-3000));
      assert.equal(uasResult.successful, n, uasResult.output.slice(-3000));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await records()).get('outbound/unanswered'), n);
    },
  );

  test(
    'a call cut by hand: both SIPp sides get a BYE with Reason Q.850 cause 21 within 1 s; the record says cut',
    { timeout: 60_000 },
    async () => {
      const uas = startSipp({
        scenario: 'uas-cut-expect-bye.xml',
        localIp: '127.0.0.3',
        localPort: ports.trunkPort,
        calls: 1,
        timeoutS: 30,
      });
      const uac = startSipp({
        scenario: 'uac-cut-expect-bye.xml',
        localIp: '127.0.0.2',
        localPort: ports.pbxPort,
        remote: `127.0.0.1:${ports.sipPort}`,
        service: '0145678901',
        calls: 1,
        timeoutS: 30,
      });
      let live: { id: string; state: string }[] = [];
      for (let i = 0; i < 100 && !live.some((c) => c.state === 'confirmed'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        live = ((await (await t.api(`/api/calls/live`)).json()) as { calls: typeof live }).calls;
      }
      const call = live.find((c) => c.state === 'confirmed');
      assert.ok(call, 'the call was answered');
      const cutAt = Date.now();
      const res = await t.api(`/api/calls/${call.id}/cut`, { method: 'POST' });
      assert.equal(res.status, 200);
      const [a, b] = await Promise.all([uac.done, uas.done]);
      assert.equal(a.successful, 1, a.output.slice(-3000));
      assert.equal(b.successful, 1, b.output.slice(-3000));
      assert.ok(Date.now() - cutAt < 5000);
      const store = await t.openStore();
      const rec = await store.calls.get(call.id);
      await store.close();
      assert.equal(rec?.disposition, 'cut');
      assert.match(rec?.endReason ?? '', /^cut: manual/);
      assert.equal(await (await t.api(`/api/calls/${call.id}/cut`, { method: 'POST' })).status, 404);
    },
  );

  /** One call from the PBX side with `uac` to a trunk running `uas`; returns both results. */
  async function pair(uac: string, uas: string) {
    const callee = startSipp({
      scenario: uas,
      localIp: '127.0.0.3',
      localPort: ports.trunkPort,
      calls: 1,
      timeoutS: 20,
    });
    const caller = startSipp({
      scenario: uac,
      localIp: '127.0.0.2',
      localPort: ports.pbxPort,
      remote: `127.0.0.1:${ports.sipPort}`,
      service: '0145678901',
      calls: 1,
      timeoutS: 20,
    });
    const [a, b] = await Promise.all([caller.done, callee.done]);
    assert.equal(a.successful, 1, a.output.slice(-3000));
    assert.equal(b.successful, 1, b.output.slice(-3000));
    return { caller: a, callee: b };
  }

  test('a re-INVITE mid-call goes through the record-route both ways, then the BYE', { timeout: 40_000 }, async () => {
    await pair('uac-reinvite-expect-200.xml', 'uas-reinvite-expect-bye.xml');
  });

  test(
    'a lost ACK: the callee retransmits its 200, the proxy forwards it, the caller ACKs it',
    { timeout: 40_000 },
    async () => {
      const { caller } = await pair('uac-lost-ack-expect-200-again.xml', 'uas-expect-bye.xml');
      // SIPp's screen: "200 <----------  E-RTD1 1   2 …": the first 200, then the retransmissions the proxy relayed.
      const row = /^\s*200 <-+\s+(?:E-RTD1\s+)?(\d+)\s+(\d+)/m.exec(caller.output);
      assert.ok(row, caller.output.slice(-3000));
      assert.ok(Number(row[2]) >= 1, `retransmitted 200s relayed: ${row[2]}`);
    },
  );

  test('the callee hangs up: its BYE reaches the caller through the proxy', { timeout: 40_000 }, async () => {
    const before = (await records()).get('outbound/completed') ?? 0;
    await pair('uac-expect-bye-from-callee.xml', 'uas-answer-then-bye.xml');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await records()).get('outbound/completed'), before + 1);
  });

  test(
    'a request from an address that is neither PBX nor trunk is refused 403 and never forwarded',
    { timeout: 30_000 },
    async () => {
      const uas = startSipp({
        scenario: 'uas-expect-bye.xml',
        localIp: '127.0.0.3',
        localPort: ports.trunkPort,
        calls: 1,
        timeoutS: 4,
      });
      const sock = dgram.createSocket('udp4');
      await new Promise<void>((r) => sock.bind(0, '127.0.0.9', () => r()));
      const got = new Promise<string>((resolve) => sock.once('message', (m) => resolve(m.toString())));
      const port = sock.address().port;
      const invite = [
        `INVITE sip:0899123456@127.0.0.1:${ports.sipPort} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.9:${port};branch=z9hG4bK-attacker-1;rport`,
        'From: <sip:attacker@127.0.0.9>;tag=a1',
        `To: <sip:0899123456@127.0.0.1>`,
        'Call-ID: attacker-call-1',
        'CSeq: 1 INVITE',
        'Max-Forwards: 70',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      sock.send(invite, ports.sipPort, '127.0.0.1');
      const answer = await got;
      sock.close();
      assert.match(answer, /^SIP\/2\.0 403 /);
      const r = await uas.done;
      assert.equal(r.created, 0, 'the trunk side saw nothing');
    },
  );
});
