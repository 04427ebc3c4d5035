// `tollguard bans` against a running firewall, as an operator types it: add, list (text and JSON), nft export,
// lift; a PBX address is never banned; bad input and an unreachable firewall are exit 2 with a clear message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli, startCli, stopCli } from '../../helpers/cli.js';
import { portBase } from '../../helpers/firewall.js';

test('bans add, list, nft, lift through the API of a running firewall', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tollguard-bans-'));
  const file = path.join(dir, 'tollguard.yaml');
  writeFileSync(
    file,
    [
      "store: { url: 'memory:' }",
      "api: { listen: '127.0.0.1:0' }",
      `sip: { listen: ['udp://127.0.0.1:${portBase()}'] }`,
      'tenants:',
      "  - { id: acme, pbx: { addresses: ['127.0.0.2'] }, trunk: { address: 127.0.0.3 }, policy: { country: FR } }",
    ].join('\n'),
  );
  const { child, match } = await startCli(['start', '--config', file], /console and API at (http:\/\/[^\s]+)/, {
    cwd: dir,
  });
  const api = ['--api', match[1]!];
  try {
    const none = runCli(['bans', ...api], { cwd: dir });
    assert.equal(none.status, 0, none.stderr);
    assert.match(none.stdout, /no source is banned/);

    const add = runCli(['bans', 'add', '192.0.2.7', '--minutes', '5', '--reason', 'svmap from there', ...api], {
      cwd: dir,
    });
    assert.equal(add.status, 0, add.stderr);
    assert.match(add.stdout, /^banned 192\.0\.2\.7 until \d{4}-/);
    assert.equal(runCli(['bans', 'add', '2001:db8::/64', ...api], { cwd: dir }).status, 0);

    const list = runCli(['bans', 'list', ...api], { cwd: dir });
    assert.match(list.stdout, /192\.0\.2\.7\s+until .* manual\s+svmap from there \[by /);
    const json = JSON.parse(runCli(['bans', 'list', '--json', ...api], { cwd: dir }).stdout) as {
      bans: Array<{ address: string }>;
    };
    assert.deepEqual(json.bans.map((b) => b.address).sort(), ['192.0.2.7', '2001:db8::/64']);

    const nft = runCli(['bans', 'nft', ...api], { cwd: dir });
    // The time left of the 5-minute ban (each command above took a moment on a loaded machine).
    const left = /^nft add element inet filter tollguard_banned \{ 192\.0\.2\.7 timeout (\d+)s \}$/m.exec(nft.stdout);
    assert.ok(left && Number(left[1]) > 120 && Number(left[1]) <= 300, nft.stdout);
    assert.match(nft.stdout, /^nft add element inet filter tollguard_banned6 \{ 2001:db8::\/64 timeout \d+s \}$/m);

    const pbx = runCli(['bans', 'add', '127.0.0.2', ...api], { cwd: dir });
    assert.equal(pbx.status, 2);
    assert.match(pbx.stderr, /127\.0\.0\.2 is a PBX or trunk address of a tenant: it is never banned/);
    const bad = runCli(['bans', 'add', 'not-an-address', ...api], { cwd: dir });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /not-an-address is not an IP address or network/);

    assert.equal(runCli(['bans', 'lift', '192.0.2.7', ...api], { cwd: dir }).status, 0);
    const again = runCli(['bans', 'lift', '192.0.2.7', ...api], { cwd: dir });
    assert.equal(again.status, 2);
    assert.match(again.stderr, /no ban on 192\.0\.2\.7/);
    assert.equal(await stopCli(child), 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bans with no firewall listening: exit 2, says where it looked', () => {
  const r = runCli(['bans', '--api', 'http://127.0.0.1:9']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cannot reach the firewall at http:\/\/127\.0\.0\.1:9/);
});
