// Starts a real Tollguard firewall in the test process on loopback, with a fresh SQLite store, for integration and
// end-to-end tests: SIP on 127.0.0.1, the PBX side on 127.0.0.2 and the trunk side on 127.0.0.3 by convention.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { validateConfig, formatIssue } from '../../src/config/load.js';
import { startFirewall, type FirewallDeps, type RunningFirewall } from '../../src/main.js';
import { openStore, type Store } from '../../src/store/index.js';

/** A free-ish port range per test file: tests in parallel files do not collide. */
export function portBase(): number {
  return 20_000 + Math.floor(Math.random() * 2_000) * 10;
}

export interface TestFirewall {
  fw: RunningFirewall;
  sipPort: number;
  dbFile: string;
  /** An API token of the first account (an integrator of every tenant). */
  token: string;
  /** fetch() on the firewall's API with that token. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** Opens the store the firewall wrote to (after it stopped, or alongside: SQLite WAL). */
  openStore(): Promise<Store>;
  stop(): Promise<void>;
}

export async function startTestFirewall(
  o: {
    sipPort: number;
    pbxPort: number;
    trunkPort: number;
    tenant?: Record<string, unknown>;
    extra?: Record<string, unknown>;
  },
  deps: Partial<FirewallDeps> = {},
): Promise<TestFirewall> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tollguard-fw-'));
  const dbFile = path.join(dir, 'tollguard.db');
  const input = {
    log: { level: 'silent' },
    store: { url: `sqlite:${dbFile}` },
    api: { listen: '127.0.0.1:0', cliTokenFile: path.join(dir, 'cli-token') },
    // A short grace at stop: a test that leaves a call up is not held 30 s.
    sip: { listen: [`udp://127.0.0.1:${o.sipPort}`, `tcp://127.0.0.1:${o.sipPort}`], stopGraceSeconds: 2 },
    tenants: [
      {
        id: 'acme',
        pbx: { addresses: [`127.0.0.2:${o.pbxPort}`] },
        trunk: { address: `127.0.0.3:${o.trunkPort}` },
        // Proxy tests watch the SIP path, not the rules: the engine decides and records, and enforces nothing.
        policy: { country: 'FR', mode: 'monitor' },
        ...o.tenant,
      },
    ],
    ...o.extra,
  };
  const r = validateConfig(input);
  if (!r.ok) throw new Error(r.issues.map(formatIssue).join('\n'));
  const fw = await startFirewall(r.config, pino({ level: process.env.TOLLGUARD_TEST_LOG ?? 'silent' }), deps);
  const token = readFileSync(path.join(dir, 'cli-token'), 'utf8').trim();
  return {
    fw,
    sipPort: o.sipPort,
    dbFile,
    token,
    api: (p, init = {}) =>
      fetch(`${fw.apiUrl}${p}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } }),
    openStore: () => openStore(`sqlite:${dbFile}`),
    stop: async () => {
      await fw.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
