// The SIP edge under attack, with the real tools: SIPVicious (svmap, svwar, svcrack, plain and with -c) and SIPp
// against a firewall that fronts a PBX registrar for remote phones (a SIPp UAS answering every REGISTER 401, as a
// PBX does to a wrong or missing password). Each attack comes from its own loopback address; legitimate calls
// between PBX and trunk run all along and must not fail. Figures for each attack: requests that reached the PBX,
// time to ban.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/fixtures.js';
import { startSipp, sippUnavailable, readSippStats, type SippResult } from '../helpers/sipp.js';
import { portBase, startTestFirewall, type TestFirewall } from '../helpers/firewall.js';
import { inCi } from '../helpers/services.js';
import type { Ban } from '../../src/store/ports.js';

function sipviciousUnavailable(): string | undefined {
  if (spawnSync('svmap', ['--version']).error) {
    if (inCi) throw new Error('sipvicious is not installed (apt-get install sipvicious); CI must run these tests');
    return 'sipvicious is not installed (apt-get install sipvicious)';
  }
  return undefined;
}

const skip = sippUnavailable() ?? sipviciousUnavailable();

const BOUND = path.join(repoRoot, 'test', 'e2e', 'tools', 'bound.py');

/** The interpreter a SIPVicious tool runs with (its #! line): Debian's python3, not whatever python3 is first. */
function interpreterOf(tool: string): string {
  const script = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
  return /^#!\s*(\S+)/.exec(readFileSync(script, 'utf8'))?.[1] ?? 'python3';
}

/**
 * Runs a SIPVicious tool from `source` to completion, bounded in time (a dropped scanner waits for answers that never
 * come). svwar and svcrack ignore their -b option, so every tool runs through bound.py, which binds it to `source`.
 */
function sipvicious(
  tool: string,
  source: string,
  args: string[],
  seconds = 20,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const argv = ['-s', 'KILL', String(seconds), interpreterOf(tool), BOUND, source, tool, ...args];
    const child = spawn('timeout', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-10_000)));
    child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-10_000)));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('the SIP edge against SIPVicious and a REGISTER flood', { skip }, () => {
  const base = portBase();
  const ports = { sipPort: base, pbxPort: base + 2, trunkPort: base + 3 };
  let t: TestFirewall;
  let registrar: { done: Promise<SippResult>; stop: () => void; statsFile: string };
  let trunk: { done: Promise<SippResult>; stop: () => void };
  let calls: { done: Promise<SippResult>; stop: () => void };

  /** Requests that reached the PBX registrar so far (SIPp counts each REGISTER as an incoming call). */
  async function reachedPbx(): Promise<number> {
    await new Promise((r) => setTimeout(r, 1500)); // SIPp writes its statistics every second
    return readSippStats(registrar.statsFile).created;
  }

  async function bans(): Promise<Ban[]> {
    return ((await (await t.api(`/api/bans`)).json()) as { bans: Ban[] }).bans;
  }

  before(async () => {
    t = await startTestFirewall({
      ...ports,
      // Monitor mode: the legitimate calls are decided and recorded, never refused, whatever hour the test runs.
      tenant: { remoteUsers: true, policy: { country: 'FR', mode: 'monitor' } },
      extra: { sip: { listen: [`udp://127.0.0.1:${ports.sipPort}`], stopGraceSeconds: 1 } },
    });
    registrar = startSipp({
      scenario: 'uas-registrar-401.xml',
      localIp: '127.0.0.2',
      localPort: ports.pbxPort,
      calls: 1_000_000,
      timeoutS: 170,
      extraArgs: ['-aa'],
    });
    trunk = startSipp({
      scenario: 'uas-expect-bye.xml',
      localIp: '127.0.0.3',
      localPort: ports.trunkPort,
      calls: 1_000_000,
      timeoutS: 170,
    });
    // Legitimate outbound calls, 5 a second, from the PBX through the firewall to the trunk, all test long.
    calls = startSipp({
      scenario: 'uac-expect-200.xml',
      localIp: '127.0.0.2',
      localPort: ports.pbxPort + 10,
      remote: `127.0.0.1:${ports.sipPort}`,
      service: '0142685300',
      calls: 700,
      rate: 5,
      timeoutS: 160,
    });
    await new Promise((res) => setTimeout(res, 500));
  });

  after(async () => {
    calls?.stop();
    trunk?.stop();
    registrar?.stop();
    await t?.stop();
  });

  test('svmap: banned at its first request, the PBX sees nothing of it', { timeout: 30_000 }, async (c) => {
    const before = await reachedPbx();
    const started = Date.now();
    await sipvicious('svmap', '127.0.0.7', ['-p', String(ports.sipPort), '127.0.0.1']);
    const ban = (await bans()).find((b) => b.address === '127.0.0.7');
    assert.ok(ban, 'banned');
    assert.equal(ban.signal, 'SCAN_USER_AGENT');
    const reached = (await reachedPbx()) - before;
    c.diagnostic(`svmap: banned in ${ban.since - started} ms after start; requests that reached the PBX: ${reached}`);
    assert.equal(reached, 0);
  });

  test('svmap -c (compact headers, no User-Agent) is caught by its fingerprint', { timeout: 30_000 }, async (c) => {
    const before = await reachedPbx();
    await sipvicious('svmap', '127.0.0.8', ['-c', '-p', String(ports.sipPort), '127.0.0.1']);
    const ban = (await bans()).find((b) => b.address === '127.0.0.8');
    assert.equal(ban?.signal, 'SCAN_FINGERPRINT');
    const reached = (await reachedPbx()) - before;
    c.diagnostic(`svmap -c: requests that reached the PBX: ${reached}`);
    assert.equal(reached, 0);
  });

  test('svwar enumerating 100-299, plain and compact: stopped at once', { timeout: 60_000 }, async (c) => {
    const before = await reachedPbx();
    const plain = await sipvicious('svwar', '127.0.0.9', ['-e100-299', `udp://127.0.0.1:${ports.sipPort}`], 25);
    const compact = await sipvicious(
      'svwar',
      '127.0.0.10',
      ['-c', '-e100-299', `udp://127.0.0.1:${ports.sipPort}`],
      25,
    );
    const all = await bans();
    assert.ok(
      all.some((b) => b.address === '127.0.0.9'),
      plain.output.slice(-1000),
    );
    assert.ok(
      all.some((b) => b.address === '127.0.0.10'),
      compact.output.slice(-1000),
    );
    const reached = (await reachedPbx()) - before;
    c.diagnostic(`svwar (400 extensions tried in two runs): requests that reached the PBX: ${reached}`);
    assert.ok(reached <= 2, `${reached} requests reached the PBX`);
    assert.doesNotMatch(plain.output, /\|\s*reqauth|\|\s*noauth/, 'svwar found no extension');
  });

  test(
    'svcrack guessing 201\u2019s password: banned before any guess, never finds it',
    { timeout: 40_000 },
    async (c) => {
      const before = await reachedPbx();
      const r = await sipvicious(
        'svcrack',
        '127.0.0.11',
        ['-u', '201', '-r', '1000-1999', `udp://127.0.0.1:${ports.sipPort}`],
        25,
      );
      assert.ok((await bans()).some((b) => b.address === '127.0.0.11'));
      const reached = (await reachedPbx()) - before;
      c.diagnostic(`svcrack (1000 passwords): requests that reached the PBX: ${reached}`);
      assert.ok(reached <= 1, `${reached} requests reached the PBX`);
      assert.doesNotMatch(r.output, /The password for 201 is/i);
    },
  );

  test(
    'a guesser with an ordinary User-Agent: three wrong passwords lock the username, then 403',
    { timeout: 40_000 },
    async (c) => {
      const before = await reachedPbx();
      const guesser = startSipp({
        scenario: 'uac-register-wrong-password.xml',
        localIp: '127.0.0.12',
        localPort: ports.pbxPort + 20,
        remote: `127.0.0.1:${ports.sipPort}`,
        service: '201',
        calls: 4,
        rate: 2,
        timeoutS: 15,
      });
      const g = await guesser.done;
      assert.equal(g.successful, 4, g.output.slice(-3000));
      const reached = (await reachedPbx()) - before;
      c.diagnostic(
        `password guesser (4 guesses): requests that reached the PBX: ${reached}; the 4th refused 403 by the firewall`,
      );
      assert.equal(reached, 3, 'the 4th guess never reached the PBX');
      const locked = ((await (await t.api(`/api/bans`)).json()) as { locked: Array<{ username: string }> }).locked;
      assert.deepEqual(
        locked.map((l) => l.username),
        ['201'],
      );
    },
  );

  test(
    'a REGISTER flood from one address is banned; a phone on another address is untouched',
    { timeout: 40_000 },
    async (c) => {
      const before = await reachedPbx();
      const started = Date.now();
      const phone = startSipp({
        scenario: 'uac-register-expect-401.xml',
        localIp: '127.0.0.14',
        localPort: ports.pbxPort + 40,
        remote: `127.0.0.1:${ports.sipPort}`,
        service: '202',
        calls: 10,
        rate: 1,
        timeoutS: 20,
      });
      const flood = startSipp({
        scenario: 'uac-register-expect-401.xml',
        localIp: '127.0.0.13',
        localPort: ports.pbxPort + 30,
        remote: `127.0.0.1:${ports.sipPort}`,
        service: '203',
        calls: 1500,
        rate: 300,
        timeoutS: 12,
      });
      const [p, f] = await Promise.all([phone.done, flood.done]);
      const ban = (await bans()).find((b) => b.address === '127.0.0.13');
      assert.equal(ban?.signal, 'FLOOD_SOURCE');
      assert.equal(p.successful, 10, 'the other phone got every answer');
      assert.ok(!(await bans()).some((b) => b.address === '127.0.0.14'));
      const reached = (await reachedPbx()) - before;
      c.diagnostic(
        `REGISTER flood at 300/s: ${f.created} sent, ${reached - 10} reached the PBX, banned after ${ban!.since - started} ms`,
      );
      assert.ok(reached - 10 < 400, `${reached - 10} flood requests reached the PBX`);
    },
  );

  test('meanwhile, every legitimate call between PBX and trunk went through', { timeout: 60_000 }, async (c) => {
    calls.stop();
    const r = await calls.done;
    c.diagnostic(`legitimate calls during the attacks: ${r.successful} completed, ${r.failed} failed`);
    assert.ok(r.successful > 50, `${r.successful} calls`);
    assert.equal(r.failed, 0);
  });

  test('bans are listed, kept in the store for the next start, and lifted by hand', { timeout: 30_000 }, async () => {
    const list = await bans();
    assert.ok(list.length >= 5);
    const lift = await t.api(`/api/bans/lift`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ address: '127.0.0.7' }),
    });
    assert.equal(lift.status, 200);
    assert.ok(!(await bans()).some((b) => b.address === '127.0.0.7'));
    // The store keeps the others for the next start.
    const store = await t.openStore();
    const kept = await store.bans.list();
    await store.close();
    assert.ok(kept.some((b) => b.address === '127.0.0.9'));
    assert.ok(!kept.some((b) => b.address === '127.0.0.7'));
  });
});
