// A call may ring far longer than 64*T1 (a hunt group, a voicemail that picks up late): once the callee rings, timer
// B (which gave up after 32 s by default) no longer applies, only timer C (§16.6, over three minutes; shortened here),
// and when that fires the callee is CANCELled. A real firewall on loopback with T1 = 50 ms (64*T1 = 3.2 s); the PBX
// and the trunk played by plain UDP sockets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type dgram from 'node:dgram';
import { parseMessage } from '../../../src/sip/parse.js';
import { createResponse } from '../../../src/sip/build.js';
import type { SipMessage } from '../../../src/sip/message.js';
import type { FirewallDeps } from '../../../src/main.js';
import type { TestFirewall } from '../../helpers/firewall.js';
import { initialInvite, recordByCallRef, withFirewallPeers } from '../../helpers/udp-peer.js';

function parsed(b: Buffer): SipMessage {
  const r = parseMessage(b);
  if (!r.ok) throw new Error(r.error.detail);
  return r.message;
}

/** Every datagram's first line, and the last INVITE and CANCEL, as the socket receives them. */
function watch(sock: dgram.Socket): { lines: string[]; invite?: SipMessage; cancel?: SipMessage } {
  const seen: { lines: string[]; invite?: SipMessage; cancel?: SipMessage } = { lines: [] };
  sock.on('message', (b: Buffer) => {
    const text = b.toString('latin1');
    seen.lines.push(text.slice(0, text.indexOf('\r\n')));
    if (text.startsWith('INVITE ')) seen.invite = parsed(b);
    if (text.startsWith('CANCEL ')) seen.cancel = parsed(b);
  });
  return seen;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A firewall with T1 = 50 ms (and `timers`), the PBX and trunk sockets, one INVITE sent and seen at the trunk. */
async function ringingCall(
  deps: Partial<FirewallDeps>,
  body: (o: {
    t: TestFirewall;
    callId: string;
    atPbx: ReturnType<typeof watch>;
    atTrunk: ReturnType<typeof watch>;
    /** Sends a response to the INVITE from the trunk (with the callee's tag). */
    respond(status: number, reason: string): void;
    /** Sends bytes from the trunk to the firewall. */
    fromTrunk(b: Buffer): void;
  }) => Promise<void>,
): Promise<void> {
  await withFirewallPeers(
    (ports) => ({ extra: { sip: { listen: [`udp://127.0.0.1:${ports.sipPort}`], stopGraceSeconds: 1, t1Ms: 50 } } }),
    deps,
    async ({ t, pbx, trunk, ports }) => {
      const atPbx = watch(pbx);
      const atTrunk = watch(trunk);
      const callId = `ring-${ports.sipPort}`;
      pbx.send(
        initialInvite({ from: '127.0.0.2', port: ports.pbxPort, called: '0145678901', callId, sipPort: ports.sipPort }),
        ports.sipPort,
        '127.0.0.1',
      );
      for (let i = 0; i < 40 && !atTrunk.invite; i++) await wait(50);
      const invite = atTrunk.invite;
      assert.ok(invite, 'the INVITE reached the trunk');
      const fromTrunk = (b: Buffer) => trunk.send(b, ports.sipPort, '127.0.0.1');
      const respond = (status: number, reason: string) =>
        fromTrunk(
          createResponse(invite, status, reason, {
            toTag: 'callee',
            headers: [['Contact', `<sip:callee@127.0.0.3:${ports.trunkPort}>`]],
          }).toBuffer(),
        );
      await body({ t, callId, atPbx, atTrunk, respond, fromTrunk });
    },
  );
}

const finalAtPbx = (lines: string[]) => lines.some((l) => /^SIP\/2\.0 [2-6]\d\d /.test(l));

test('a call that rings longer than 64*T1 is still answered through the firewall, and recorded answered', async () => {
  await ringingCall({}, async ({ t, callId, atPbx, atTrunk, respond }) => {
    respond(180, 'Ringing');
    await wait(64 * 50 + 800); // rings past 64*T1, and past a tick of the timer wheel
    respond(200, 'OK');
    for (let i = 0; i < 40 && !finalAtPbx(atPbx.lines); i++) await wait(50);
    assert.deepEqual(
      atPbx.lines.filter((l) => !l.includes(' 100 ')),
      ['SIP/2.0 180 Ringing', 'SIP/2.0 200 OK'],
      'the caller heard it ring, then answered: no 408',
    );
    assert.ok(!atTrunk.lines.some((l) => l.startsWith('CANCEL ')), 'the callee was not cancelled');
    const rec = await recordByCallRef(t, callId, (r) => r.disposition === 'answered');
    assert.equal(rec?.disposition, 'answered');
  });
});

test('a call that rings past timer C: the caller gets 408, the callee a CANCEL naming 408, its 487 is ACKed', async () => {
  await ringingCall({ timers: { C: 1500 } }, async ({ t, callId, atPbx, atTrunk, respond, fromTrunk }) => {
    respond(180, 'Ringing');
    let cancel: SipMessage | undefined;
    const started = Date.now();
    for (let i = 0; i < 80 && !(cancel = atTrunk.cancel); i++) await wait(50);
    const waited = Date.now() - started;
    assert.ok(cancel, 'the callee got a CANCEL');
    assert.ok(waited >= 1300 && waited < 3500, `CANCEL after ${waited} ms of ringing`);
    assert.match(cancel.header('Reason') ?? '', /^SIP;cause=408/);
    for (let i = 0; i < 40 && !finalAtPbx(atPbx.lines); i++) await wait(50);
    assert.ok(atPbx.lines.includes('SIP/2.0 408 Request Timeout'), atPbx.lines.join(' / '));
    // The callee answers the CANCEL and ends the INVITE with 487, which the firewall ACKs.
    fromTrunk(createResponse(cancel, 200, 'OK', { toTag: 'callee' }).toBuffer());
    respond(487, 'Request Terminated');
    for (let i = 0; i < 40 && !atTrunk.lines.some((l) => l.startsWith('ACK ')); i++) await wait(50);
    assert.ok(
      atTrunk.lines.some((l) => l.startsWith('ACK ')),
      'the 487 was ACKed',
    );
    const rec = await recordByCallRef(t, callId, (r) => r.endedAt !== undefined);
    assert.equal(rec?.disposition, 'unanswered');
    assert.equal(rec?.sipStatus, 408);
    assert.match(rec?.endReason ?? '', /timer C/);
  });
});
