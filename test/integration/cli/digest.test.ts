// `tollguard digest` as an operator runs it: a day's digest of a SQLite call log printed as text and as JSON, a
// week's, every mistake named, and `--send` through a webhook receiver on loopback that checks the signature.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { binPath, runCli } from '../../helpers/cli.js';
import { repoRoot } from '../../helpers/fixtures.js';
import { openStore } from '../../../src/store/index.js';
import { signBody, SIGNATURE_HEADER } from '../../../src/alerts/channels/webhook.js';
import type { Digest } from '../../../src/alerts/digest.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tollguard-cli-digest-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const db = path.join(dir, 'tollguard.db');
const secret = 'a-long-shared-secret-for-tests';

function writeConfig(hookPort: number): string {
  const file = path.join(dir, `tollguard-${hookPort}.yaml`);
  writeFileSync(
    file,
    [
      `store: { url: 'sqlite:${db}' }`,
      'alerts:',
      "  consoleUrl: 'https://tollguard.acme.example'",
      '  channels:',
      `    - { id: noc, type: webhook, url: 'http://127.0.0.1:${hookPort}/hook', secret: ${secret} }`,
      'tenants:',
      '  - id: acme',
      '    name: ACME SARL',
      "    pbx: { addresses: ['127.0.0.2:5060'] }",
      "    trunk: { address: '127.0.0.3:5060' }",
      '    policy: { country: FR }',
      '',
    ].join('\n'),
  );
  return file;
}

/** Runs the command without blocking this process (the receiver answers from here). */
function runAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [binPath, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

test('tollguard digest: preview as text and JSON, a week, mistakes named, --send signed to a webhook', async () => {
  const store = await openStore(`sqlite:${db}`);
  const at = Date.parse('2026-12-01T09:00:00Z');
  await store.calls.open({
    id: 'c1',
    tenantId: 'acme',
    direction: 'outbound',
    startedAt: at,
    caller: '201',
    called: '0899123456',
    calledE164: '+33899123456',
    destinationClass: 'premium',
    country: 'FR',
    disposition: 'rejected',
    action: 'reject',
    estimatedCost: 0,
  });
  await store.calls.open({
    id: 'c2',
    tenantId: 'acme',
    direction: 'outbound',
    startedAt: at + 60_000,
    caller: '202',
    called: '0145678901',
    calledE164: '+33145678901',
    destinationClass: 'national',
    country: 'FR',
    disposition: 'completed',
    action: 'allow',
    estimatedCost: 0.75,
  });
  await store.close();

  const bodies: Digest[] = [];
  const hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const ok = req.headers[SIGNATURE_HEADER] === signBody(secret, body);
      if (ok) bodies.push((JSON.parse(body) as { digest: Digest }).digest);
      res.writeHead(ok ? 204 : 401).end();
    });
  });
  const port = await new Promise<number>((resolve) =>
    hook.listen(0, '127.0.0.1', () => resolve((hook.address() as net.AddressInfo).port)),
  );
  after(() => {
    hook.closeAllConnections();
    hook.close();
  });
  const config = writeConfig(port);

  const text = runCli(['digest', '--config', config, '--tenant', 'acme', '--date', '2026-12-01']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(
    text.stdout,
    /^Subject: \[Tollguard\] ACME SARL: daily digest, Tuesday 1 December 2026: 2 calls, 1 refused, 0 cut, 0\.75 EUR\n/,
  );
  assert.match(text.stdout, /Refused at setup: +1\n/);
  assert.match(text.stdout, /https:\/\/tollguard\.acme\.example\/#\/calls\?tenant=acme/);

  const json = runCli([
    'digest',
    '--config',
    config,
    '--tenant',
    'acme',
    '--period',
    'week',
    '--date',
    '2026-12-03',
    '--json',
  ]);
  assert.equal(json.status, 0, json.stderr);
  const week = JSON.parse(json.stdout) as Digest;
  assert.deepEqual(
    [week.period, week.start, week.end, week.calls.total, week.spend],
    ['week', '2026-11-30', '2026-12-07', 2, 0.75],
  );

  const bad = runCli(['digest', '--config', config, '--tenant', 'nope']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--tenant nope: no such tenant \(acme\)/);
  assert.match(
    runCli(['digest', '--config', config, '--tenant', 'acme', '--period', 'month']).stderr,
    /give day or week/,
  );

  const sent = await runAsync(['digest', '--config', config, '--tenant', 'acme', '--date', '2026-12-01', '--send']);
  assert.equal(sent.status, 0, sent.stderr);
  assert.match(sent.stderr, /digest acme\/day\/2026-12-01: sent to 1 channel\(s\), 0 failed/);
  assert.equal(bodies.length, 1);
  assert.deepEqual([bodies[0]!.tenantId, bodies[0]!.refused, bodies[0]!.spend], ['acme', 1, 0.75]);
  // By hand: not remembered, so the scheduled digest still goes.
  const after2 = await openStore(`sqlite:${db}`);
  assert.equal(await after2.digests.last('acme', 'day'), undefined);
  await after2.close();
});
