// Policies changed on a running firewall, as an operator would: through the API, by editing the file and sending
// SIGHUP, or POST /api/config/reload. A bad change is refused whole and the running policy stays; `tollguard
// release` and `tollguard rules` as a person types them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli, startCli, stopCli } from '../../helpers/cli.js';
import { portBase } from '../../helpers/firewall.js';
import { RULES } from '../../../src/rules/index.js';

const configText = (sipPort: number, policy: string) => `
log: { level: info, format: json }
store: { url: 'memory:' }
api: { listen: '127.0.0.1:0' }
sip: { listen: ['udp://127.0.0.1:${sipPort}'] }
tenants:
  - id: acme
    pbx: { addresses: [127.0.0.2] }
    trunk: { address: 127.0.0.3 }
    policy: ${policy}
`;

async function until(check: () => Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('policies change live through the API, SIGHUP and reload; a bad change keeps the running policy', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tollguard-policy-'));
  const file = path.join(dir, 'tollguard.yaml');
  const sipPort = portBase();
  writeFileSync(file, configText(sipPort, '{ country: FR }'));
  const { child, match, output } = await startCli(['start', '--config', file], /console and API at (http:\/\/[^\s]+)/, {
    cwd: dir,
  });
  const api = match[1]!;
  // The firewall wrote a token for the commands of this machine where it runs: the API wants one.
  const token = readFileSync(path.join(dir, 'tollguard-data', 'cli-token'), 'utf8').trim();
  const fetch = (url: string, init: RequestInit = {}) =>
    globalThis.fetch(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } });
  const policy = async () =>
    ((await (await fetch(`${api}/api/tenants/acme/policy`)).json()) as { policy: Record<string, unknown> }).policy;
  const put = (body: unknown) =>
    fetch(`${api}/api/tenants/acme/policy`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  try {
    const initial = await policy();
    assert.deepEqual([initial.country, initial.mode, initial.currency], ['FR', 'enforce', 'EUR']);
    assert.equal((await fetch(`${api}/api/tenants/nope/policy`)).status, 404);

    // A bad policy sent to the API: 400 with every issue and its path, nothing changed.
    const bad = await put({ country: 'FR', mode: 'loud', rules: { 'spend-cap': { caps: [{ scope: 'x' }] } } });
    assert.equal(bad.status, 400);
    const issues = ((await bad.json()) as { issues: Array<{ path: string }> }).issues.map((i) => i.path);
    assert.ok(issues.includes('mode'), JSON.stringify(issues));
    assert.ok(
      issues.some((p) => p.startsWith('rules.spend-cap')),
      JSON.stringify(issues),
    );
    assert.equal((await policy()).mode, 'enforce');

    const good = await put({ country: 'FR', mode: 'monitor' });
    assert.equal(good.status, 200);
    assert.equal((await policy()).mode, 'monitor');

    // The file edited with a mistake, then SIGHUP: the process stays up and the running policy stays.
    writeFileSync(file, configText(sipPort, '{ country: FR, mode: sometimes }'));
    child.kill('SIGHUP');
    await until(async () => /configuration not reloaded/.test(output()), 'the refusal in the log');
    assert.match(output(), /policy\.mode/);
    assert.equal((await policy()).mode, 'monitor');

    // Corrected: SIGHUP applies it.
    writeFileSync(file, configText(sipPort, '{ country: FR, currency: CHF }'));
    child.kill('SIGHUP');
    await until(async () => (await policy()).currency === 'CHF', 'the policy from the file');
    assert.equal((await policy()).mode, 'enforce', 'the file is the truth again');

    // POST /api/config/reload does the same and says what it applied; a bad file is a 400 with its line.
    writeFileSync(file, configText(sipPort, '{ country: BE }'));
    const reload = await fetch(`${api}/api/config/reload`, { method: 'POST' });
    assert.equal(reload.status, 200);
    assert.deepEqual(((await reload.json()) as { applied: string[] }).applied, ['acme']);
    assert.equal((await policy()).country, 'BE');
    writeFileSync(file, configText(sipPort, '{ country: XX }'));
    const refused = await fetch(`${api}/api/config/reload`, { method: 'POST' });
    assert.equal(refused.status, 400);
    assert.match(JSON.stringify(await refused.json()), /policy\.country.*line 10/);
    assert.equal((await policy()).country, 'BE');

    // Quarantines: none; `tollguard release` says so, and names an unknown tenant.
    assert.deepEqual(await (await fetch(`${api}/api/quarantines`)).json(), { quarantines: [] });
    const none = runCli(['release', '--tenant', 'acme', '--api', api], { cwd: dir });
    assert.equal(none.status, 0, none.stderr);
    assert.match(none.stdout, /nothing to release for tenant acme/);
    const unknown = runCli(['release', '--tenant', 'nope', '--api', api], { cwd: dir });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /no tenant nope/);
    assert.equal(await stopCli(child), 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tollguard release with no firewall listening says where it looked, exit 2', () => {
  const r = runCli(['release', '--tenant', 'acme', '--api', 'http://127.0.0.1:9']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cannot reach the firewall at http:\/\/127\.0\.0\.1:9/);
});

test('tollguard rules lists every rule with its signals, as text and JSON', () => {
  const text = runCli(['rules']);
  assert.equal(text.status, 0);
  assert.match(text.stdout, /^destination-class \(R-DESTINATIONS\)/m);
  assert.match(text.stdout, /DST_PREMIUM_RATE\s+reject/);
  const json = JSON.parse(runCli(['rules', '--json']).stdout) as Array<{ id: string; signals: unknown[] }>;
  assert.deepEqual(
    json.map((r) => r.id),
    RULES.map((r) => r.id),
  );
  assert.ok(json.every((r) => r.signals.length > 0));
});
