// Plain UDP sockets playing a PBX, a trunk or a stranger in tests that write SIP by hand, and the call record a
// firewall under test wrote for one of their calls.
import dgram from 'node:dgram';
import type { CallRecord } from '../../src/store/ports.js';
import type { FirewallDeps } from '../../src/main.js';
import { portBase, startTestFirewall, type TestFirewall } from './firewall.js';

/**
 * An initial INVITE from `from`:`port` (the PBX at 127.0.0.2, the trunk, or a stranger) to the firewall's SIP port on
 * 127.0.0.1, as a datagram's text; its branch and From tag follow `callId`.
 */
export function initialInvite(o: {
  from: string;
  port: number;
  called: string;
  callId: string;
  sipPort: number;
}): string {
  return [
    `INVITE sip:${o.called}@127.0.0.1:${o.sipPort} SIP/2.0`,
    `Via: SIP/2.0/UDP ${o.from}:${o.port};branch=z9hG4bK-${o.callId};rport`,
    `From: "Desk 201" <sip:201@${o.from}>;tag=f-${o.callId}`,
    `To: <sip:${o.called}@127.0.0.1>`,
    `Call-ID: ${o.callId}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:201@${o.from}:${o.port}>`,
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/** A UDP socket bound on a loopback address (port 0: any). */
export async function udpPeer(address: string, port = 0): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(port, address, () => r()));
  return s;
}

/**
 * The record of the call whose Call-ID is `callRef`, once `ready` says it is complete enough (records are written
 * off the call path); undefined after about 2 s.
 */
export async function recordByCallRef(
  t: TestFirewall,
  callRef: string,
  ready: (r: CallRecord) => boolean = () => true,
): Promise<CallRecord | undefined> {
  const store = await t.openStore();
  try {
    for (let i = 0; i < 40; i++) {
      const r = (await store.calls.search({ limit: 100 })).find((c) => c.callRef === callRef);
      if (r && ready(r)) return r;
      await new Promise((r) => setTimeout(r, 50));
    }
    return undefined;
  } finally {
    await store.close();
  }
}

/** The ports of a firewall under test and of its PBX (127.0.0.2) and trunk (127.0.0.3) sockets. */
export interface PeerPorts {
  sipPort: number;
  pbxPort: number;
  trunkPort: number;
}

/**
 * Runs `body` with a firewall on fresh ports between a PBX socket and a trunk socket, then stops and closes them all.
 * `config` gives the tenant's and the rest of the configuration, from the ports.
 */
export async function withFirewallPeers(
  config: (ports: PeerPorts) => { tenant?: Record<string, unknown>; extra?: Record<string, unknown> },
  deps: Partial<FirewallDeps>,
  body: (o: { t: TestFirewall; pbx: dgram.Socket; trunk: dgram.Socket; ports: PeerPorts }) => Promise<void>,
): Promise<void> {
  const base = portBase();
  const ports = { sipPort: base, pbxPort: base + 2, trunkPort: base + 3 };
  const pbx = await udpPeer('127.0.0.2', ports.pbxPort);
  const trunk = await udpPeer('127.0.0.3', ports.trunkPort);
  let t: TestFirewall | undefined;
  try {
    t = await startTestFirewall({ ...ports, ...config(ports) }, deps);
    await body({ t, pbx, trunk, ports });
  } finally {
    await t?.stop();
    pbx.close();
    trunk.close();
  }
}
