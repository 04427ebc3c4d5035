// When the engine fails: the tenant's fail mode decides (open: the call goes through and is alerted; closed: it is
// refused), and an emergency number goes through even fail-closed. A real firewall on loopback, the PBX and the trunk
// played by plain UDP sockets on 127.0.0.2 and 127.0.0.3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import type { CallDecider, DecisionView } from '../../../src/adapters/decider.js';
import type { TestFirewall } from '../../helpers/firewall.js';
import { initialInvite, recordByCallRef, withFirewallPeers } from '../../helpers/udp-peer.js';

/** A decider whose every decision throws, or never comes. */
function brokenDecider(how: 'throws' | 'hangs'): CallDecider {
  return {
    evaluate: (): Promise<DecisionView> =>
      how === 'throws' ? Promise.reject(new Error('rule store unreachable')) : new Promise<DecisionView>(() => {}),
    answered: async () => undefined,
    ended: async () => undefined,
    tick: async () => [],
  };
}

/** The next datagram whose first line matches, or undefined after `ms`. */
function next(sock: dgram.Socket, first: RegExp, ms: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      sock.off('message', on);
      resolve(undefined);
    }, ms);
    const on = (m: Buffer): void => {
      const text = m.toString('latin1');
      if (!first.test(text.slice(0, text.indexOf('\r\n')))) return;
      clearTimeout(timer);
      sock.off('message', on);
      resolve(text);
    };
    sock.on('message', on);
  });
}

function withFirewall(
  failMode: 'open' | 'closed',
  how: 'throws' | 'hangs',
  body: (t: TestFirewall, pbx: dgram.Socket, trunk: dgram.Socket, ports: { pbx: number; sip: number }) => Promise<void>,
): Promise<void> {
  return withFirewallPeers(
    () => ({ tenant: { policy: { country: 'FR', mode: 'enforce', failMode } } }),
    { decider: brokenDecider(how) },
    ({ t, pbx, trunk, ports }) => body(t, pbx, trunk, { pbx: ports.pbxPort, sip: ports.sipPort }),
  );
}

test('fail-closed: an engine that throws refuses the call with ENGINE_FAILED, and nothing reaches the trunk', async () => {
  await withFirewall('closed', 'throws', async (t, pbx, trunk, p) => {
    const atTrunk = next(trunk, /^INVITE /, 1500);
    const answer = next(pbx, /^SIP\/2\.0 [2-6]\d\d /, 3000);
    pbx.send(
      initialInvite({ from: '127.0.0.2', port: p.pbx, called: '0145678901', callId: 'fc-1', sipPort: p.sip }),
      p.sip,
      '127.0.0.1',
    );
    const final = await answer;
    assert.match(final ?? '', /^SIP\/2\.0 403 /);
    assert.match(
      final ?? '',
      /Reason: SIP;cause=403;text="rule=engine; ENGINE_FAILED: the engine failed \(rule store unreachable\); fail-closed"/,
    );
    assert.equal(await atTrunk, undefined, 'the trunk saw no INVITE');
    const rec = await recordByCallRef(t, 'fc-1');
    assert.equal(rec?.disposition, 'rejected');
    assert.deepEqual(rec?.rules, ['engine']);
  });
});

test('fail-closed: an emergency number still goes through to the trunk, alerted', async () => {
  await withFirewall('closed', 'throws', async (t, pbx, trunk, p) => {
    const atTrunk = next(trunk, /^INVITE /, 3000);
    pbx.send(
      initialInvite({ from: '127.0.0.2', port: p.pbx, called: '112', callId: 'fc-112', sipPort: p.sip }),
      p.sip,
      '127.0.0.1',
    );
    const forwarded = await atTrunk;
    assert.match(forwarded ?? '', /^INVITE sip:112@127\.0\.0\.3:/);
    const rec = await recordByCallRef(t, 'fc-112');
    assert.equal(rec?.action, 'alert');
    assert.match(JSON.stringify(rec?.decision), /emergency number: never refused/);
  });
});

test('fail-open: an engine that never answers lets the call through after the decision bound, alerted', async () => {
  await withFirewall('open', 'hangs', async (t, pbx, trunk, p) => {
    const trying = next(pbx, /^SIP\/2\.0 100 /, 1000);
    const atTrunk = next(trunk, /^INVITE /, 4000);
    const sent = Date.now();
    pbx.send(
      initialInvite({ from: '127.0.0.2', port: p.pbx, called: '0145678901', callId: 'fo-1', sipPort: p.sip }),
      p.sip,
      '127.0.0.1',
    );
    assert.ok(await trying, '100 Trying at once, while the engine is waited for');
    const forwarded = await atTrunk;
    const waited = Date.now() - sent;
    assert.match(forwarded ?? '', /^INVITE sip:0145678901@127\.0\.0\.3:/);
    // The bound is 1 s, on a timer wheel of 50 ms ticks.
    assert.ok(waited >= 950 && waited < 2500, `forwarded after ${waited} ms`);
    const rec = await recordByCallRef(t, 'fo-1');
    assert.equal(rec?.action, 'alert');
    assert.match(JSON.stringify(rec?.decision), /no decision within 1000 ms.*fail-open/);
  });
});
