// The main job as the README starts it: it comes up on loopback, answers, keeps its SQLite store, and stops cleanly.
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync, statSync, writeFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { runCli, startCli, stopCli } from '../../helpers/cli.js';
import { gcThreadsFor } from '../../../src/cli/launch.js';

test('tollguard start with the quick-start flags answers on loopback, makes the first account, stops on SIGTERM', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tollguard-start-'));
  let child: ChildProcess | undefined;
  try {
    const started = await startCli(
      ['start', '--api', '127.0.0.1:0', '--pbx', '127.0.0.2:5060', '--trunk', '127.0.0.3:5060', '--country', 'FR'],
      /console and API at (http:\/\/127\.0\.0\.1:\d+)/,
      { cwd: dir },
    );
    child = started.child;
    const api = started.match[1]!;
    const res = await fetch(`${api}/api/health`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { status: string; store: string; tenants: number };
    assert.deepEqual([body.status, body.store, body.tenants], ['ok', 'sqlite', 1]);
    // The first start made an account and showed its password once; it logs in.
    const first = /log in to the console as (\S+) with the password (\S+)/.exec(started.output());
    assert.ok(first, started.output());
    const login = await fetch(`${api}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: first[1], password: first[2] }),
    });
    assert.equal(login.status, 200);
    // Metrics need a credential: the token written for this machine's commands is one.
    assert.equal((await fetch(`${api}/metrics`)).status, 401);
    const token = readFileSync(path.join(dir, 'tollguard-data', 'cli-token'), 'utf8').trim();
    assert.equal((statSync(path.join(dir, 'tollguard-data', 'cli-token')).mode & 0o777).toString(8), '600');
    const metrics = await (await fetch(`${api}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
    assert.match(metrics, /^tollguard_nodejs_eventloop_lag_seconds /m);
    assert.equal(await stopCli(child), 0);
    child = undefined;
    assert.ok(existsSync(path.join(dir, 'tollguard-data', 'tollguard.db')), 'the default SQLite store was created');
    // A second start finds the account: no new password is shown.
    const again = await startCli(
      ['start', '--api', '127.0.0.1:0', '--pbx', '127.0.0.2:5060', '--trunk', '127.0.0.3:5060', '--country', 'FR'],
      /console and API at/,
      { cwd: dir },
    );
    child = again.child;
    assert.doesNotMatch(again.output(), /password/);
    assert.equal(await stopCli(child), 0);
    child = undefined;
  } finally {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tollguard start without --country says what to give, exit 2', () => {
  const r = runCli(['start', '--api', '127.0.0.1:0', '--pbx', '127.0.0.2:5060', '--trunk', '127.0.0.3:5060']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /give --country/);
  const bad = runCli([
    'start',
    '--api',
    '127.0.0.1:0',
    '--pbx',
    '127.0.0.2',
    '--trunk',
    '127.0.0.3',
    '--country',
    'XX',
  ]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /tenants\[0\]\.policy\.country: .*not a country/);
});

test('tollguard start refuses a bad configuration with every mistake, exit 2', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tollguard-start-'));
  try {
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'api:\n  listen: nowhere:99999\ntenants:\n  - id: x\n');
    const r = runCli(['start', '--config', file]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /api\.listen: "nowhere:99999" is not an address .* \(line 2\)/);
    assert.match(r.stderr, /tenants\[0\]\.pbx: is required .* \(line 4\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--help lists every subcommand; --version prints the version; an unknown command exits 2', () => {
  const help = runCli(['--help']);
  assert.equal(help.status, 0);
  for (const cmd of ['start', 'config']) assert.match(help.stdout, new RegExp(`^  ${cmd}\\b`, 'm'));
  const v = runCli(['--version']);
  assert.equal(v.status, 0);
  assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
  assert.equal(runCli(['no-such-command']).status, 2);
});

test('config check: 0 on a valid file, 1 with every mistake, JSON on request', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tollguard-config-'));
  try {
    const good = path.join(dir, 'good.yaml');
    writeFileSync(
      good,
      'tenants:\n  - id: acme\n    pbx: { addresses: [127.0.0.2] }\n    trunk: { address: 127.0.0.3 }\n    policy: { country: FR }\n',
    );
    assert.equal(runCli(['config', 'check', good]).status, 0);
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'log:\n  level: loud\nstore:\n  url: ftp://x\nextra: 1\n');
    const r = runCli(['config', 'check', bad, '--json']);
    assert.equal(r.status, 1);
    const out = JSON.parse(r.stdout) as { ok: boolean; issues: { path: string; line: number }[] };
    assert.equal(out.ok, false);
    assert.deepEqual(
      out.issues.map((i) => [i.path, i.line]),
      [
        ['log.level', 2],
        ['store.url', 4],
        ['extra', 5],
      ],
    );
    assert.equal(runCli(['config', 'check', path.join(dir, 'missing.yaml')]).status, 2);
    const schema = runCli(['config', 'schema']);
    assert.equal(schema.status, 0);
    assert.equal((JSON.parse(schema.stdout) as { type: string }).type, 'object');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The processes whose parent is `pid`, with their state (R, S, Z…) and command line, from /proc. */
function childrenOf(pid: number): Array<{ pid: number; state: string; cmdline: string[] }> {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) !== pid) continue;
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean);
      out.push({ pid: Number(name), state: state!, cmdline });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function stateOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/**
 * Runs `tollguard start` with the quick-start flags and a memory store in a folder of its own, for `use`; then
 * kills whatever is left of it, the launcher and the firewall it ran (one outliving its launcher would hold this
 * test's pipes open).
 */
async function withQuickStart(
  env: NodeJS.ProcessEnv,
  use: (s: { child: ChildProcess; api: string; firewall: number | undefined }) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tollguard-start-'));
  let child: ChildProcess | undefined;
  let firewall: number | undefined;
  try {
    const flags = '--api 127.0.0.1:0 --listen 127.0.0.1:0 --pbx 127.0.0.2:5060 --trunk 127.0.0.3:5060 --country FR';
    const started = await startCli(
      ['start', ...flags.split(' '), '--store', 'memory:'],
      /console and API at (http:\/\/127\.0\.0\.1:\d+)/,
      { cwd: dir, env },
    );
    child = started.child;
    firewall = childrenOf(child.pid!)[0]?.pid;
    await use({ child, api: started.match[1]!, firewall });
  } finally {
    if (child?.exitCode === null) child.kill('SIGKILL');
    if (firewall !== undefined && !['Z', undefined].includes(stateOf(firewall))) process.kill(firewall, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

test(
  'tollguard start runs the firewall with V8 helper threads sized for the machine and no memory reducer, and it goes when its launcher is killed',
  { skip: !existsSync('/proc/self/stat') && 'needs /proc' },
  async () => {
    assert.deepEqual([1, 2, 3, 4, 8, 64].map(gcThreadsFor), [1, 1, 2, 3, 4, 4]);
    await withQuickStart(process.env, async ({ child, api, firewall }) => {
      const [fw, ...others] = childrenOf(child.pid!);
      assert.ok(fw && fw.pid === firewall && others.length === 0, 'one firewall process under the launcher');
      assert.ok(fw.cmdline.includes(`--v8-pool-size=${gcThreadsFor(availableParallelism())}`), fw.cmdline.join(' '));
      assert.ok(fw.cmdline.includes('--no-memory-reducer'), fw.cmdline.join(' '));
      assert.equal((await fetch(`${api}/api/health`)).status, 200);
      child.kill('SIGKILL');
      const until = Date.now() + 5000;
      while (Date.now() < until && !['Z', undefined].includes(stateOf(fw.pid))) await sleep(50);
      assert.ok(['Z', undefined].includes(stateOf(fw.pid)), 'the firewall went with its launcher');
    });
  },
);

test(
  'a Node option --v8-pool-size is kept, and a debugger attaches to the firewall: no second process',
  { skip: !existsSync('/proc/self/stat') && 'needs /proc' },
  async () => {
    for (const option of ['--v8-pool-size=3', '--inspect=127.0.0.1:0']) {
      await withQuickStart({ ...process.env, NODE_OPTIONS: option }, async ({ child, firewall }) => {
        assert.equal(firewall, undefined, option);
        assert.equal(await stopCli(child), 0);
      });
    }
  },
);
