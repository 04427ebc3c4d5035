// The SIP side's options, over loopback with plain UDP sockets as the PBX, the trunk and a stranger: an unreachable
// trunk gives the caller 408 after 64 × T1 and leaves nothing live; a refused call is answered with `rejectStatus`;
// a stranger's request is dropped unanswered with `unknownSource: drop`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { portBase, startTestFirewall } from '../../helpers/firewall.js';
import { initialInvite, recordByCallRef, udpPeer, withFirewallPeers } from '../../helpers/udp-peer.js';

/** Every datagram a socket receives, as text, from now on. */
function collect(sock: dgram.Socket): string[] {
  const got: string[] = [];
  sock.on('message', (m) => got.push(m.toString('latin1')));
  return got;
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return cond();
}

const firstLine = (m: string): string => m.slice(0, m.indexOf('\r\n'));

test('an unreachable trunk: 408 after 64 × T1, the record says why, nothing is left live', async () => {
  const base = portBase();
  const ports = { sipPort: base, pbxPort: base + 2, trunkPort: base + 3 };
  // Nobody listens on the trunk's port: the INVITE goes nowhere.
  const pbx = await udpPeer('127.0.0.2', ports.pbxPort);
  const got = collect(pbx);
  // T1 = 50 ms: Timer B (64 × T1) fires after 3.2 s instead of 32.
  const t2 = await startTestFirewall({
    ...ports,
    extra: {
      sip: { listen: [`udp://127.0.0.1:${ports.sipPort}`], stopGraceSeconds: 1, t1Ms: 50 },
    },
  });
  try {
    const sent = Date.now();
    pbx.send(
      initialInvite({
        from: '127.0.0.2',
        port: ports.pbxPort,
        called: '0145678901',
        callId: 'dead-trunk',
        sipPort: ports.sipPort,
      }),
      ports.sipPort,
      '127.0.0.1',
    );
    assert.ok(await until(() => got.some((m) => firstLine(m).startsWith('SIP/2.0 408')), 6000), got.join('\n---\n'));
    const waited = Date.now() - sent;
    // Timer B = 64 × 50 ms = 3.2 s, on a wheel of 50 ms ticks.
    assert.ok(waited >= 3000 && waited < 5000, `408 after ${waited} ms`);
    assert.ok(
      got.some((m) => firstLine(m).startsWith('SIP/2.0 100')),
      '100 Trying first',
    );
    const rec = await recordByCallRef(t2, 'dead-trunk', (r) => r.endedAt !== undefined);
    assert.deepEqual(
      [rec?.disposition, rec?.sipStatus, rec?.endReason],
      ['unanswered', 408, 'no answer from the other side'],
    );
    const live = (await (await t2.api('/api/dashboard/live')).json()) as { calls: unknown[] };
    assert.deepEqual(live.calls, []);
    assert.equal(t2.fw.engine?.liveCallCount, 0);
  } finally {
    await t2.stop();
    pbx.close();
  }
});

test('a refused call is answered with sip.rejectStatus, its rule still named', async () => {
  await withFirewallPeers(
    (ports) => ({
      tenant: { policy: { country: 'FR', mode: 'enforce' } },
      extra: { sip: { listen: [`udp://127.0.0.1:${ports.sipPort}`], stopGraceSeconds: 1, rejectStatus: 603 } },
    }),
    {},
    async ({ t, pbx, trunk, ports }) => {
      const atPbx = collect(pbx);
      const atTrunk = collect(trunk);
      pbx.send(
        initialInvite({
          from: '127.0.0.2',
          port: ports.pbxPort,
          called: '0899123456',
          callId: 'premium-603',
          sipPort: ports.sipPort,
        }),
        ports.sipPort,
        '127.0.0.1',
      );
      assert.ok(await until(() => atPbx.some((m) => /^SIP\/2\.0 [3-6]/.test(m)), 3000));
      const final = atPbx.find((m) => /^SIP\/2\.0 [3-6]/.test(m))!;
      assert.match(firstLine(final), /^SIP\/2\.0 603 /);
      assert.match(final, /Reason: SIP;cause=603;text="rule=destination-class; DST_PREMIUM_RATE/);
      assert.deepEqual(atTrunk, [], 'the trunk saw nothing');
      const rec = await recordByCallRef(t, 'premium-603', (r) => r.endedAt !== undefined);
      assert.deepEqual([rec?.disposition, rec?.sipStatus], ['rejected', 603]);
    },
  );
});

test('sip.unknownSource drop: a stranger gets no answer and nothing is forwarded', async () => {
  const base = portBase();
  const ports = { sipPort: base, pbxPort: base + 2, trunkPort: base + 3 };
  const trunk = await udpPeer('127.0.0.3', ports.trunkPort);
  const atTrunk = collect(trunk);
  const stranger = await udpPeer('127.0.0.9');
  const atStranger = collect(stranger);
  const t = await startTestFirewall({
    ...ports,
    extra: { sip: { listen: [`udp://127.0.0.1:${ports.sipPort}`], stopGraceSeconds: 1, unknownSource: 'drop' } },
  });
  try {
    const port = stranger.address().port;
    for (const method of ['INVITE', 'OPTIONS']) {
      const text = initialInvite({
        from: '127.0.0.9',
        port,
        called: '0145678901',
        callId: `stranger-${method}`,
        sipPort: ports.sipPort,
      })
        .replace(/^INVITE /, `${method} `)
        .replace('CSeq: 1 INVITE', `CSeq: 1 ${method}`);
      stranger.send(text, ports.sipPort, '127.0.0.1');
    }
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(atStranger, [], 'no answer');
    assert.deepEqual(atTrunk, [], 'nothing forwarded');
    const metrics = await (await t.api('/metrics')).text();
    assert.match(metrics, /tollguard_unknown_source_requests_total 2\b/);
  } finally {
    await t.stop();
    stranger.close();
    trunk.close();
  }
});
