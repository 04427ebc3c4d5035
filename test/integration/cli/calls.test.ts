// The call log searched and exported as an operator does it: `tollguard calls` on a SQLite store (filters, text,
// CSV, JSON lines, every mistake named, purge), and the same through the API of a running firewall.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli, startCli, stopCli } from '../../helpers/cli.js';
import { portBase, startTestFirewall } from '../../helpers/firewall.js';
import { openStore } from '../../../src/store/index.js';
import type { CallRecord } from '../../../src/store/ports.js';

const DAY = 86_400_000;
const NOW = Date.now();

const records: CallRecord[] = [
  {
    id: 'c1',
    tenantId: 'acme',
    direction: 'outbound',
    startedAt: NOW - 2 * DAY,
    caller: '201',
    called: '0899123456',
    calledE164: '+33899123456',
    destinationClass: 'premium',
    disposition: 'rejected',
    sipStatus: 403,
    action: 'reject',
    rules: ['destination-class'],
    decision: { action: 'reject', enforced: true, signals: [{ signal: 'DST_PREMIUM_RATE' }] },
  },
  {
    id: 'c2',
    tenantId: 'acme',
    direction: 'outbound',
    startedAt: NOW - DAY,
    answeredAt: NOW - DAY + 5000,
    endedAt: NOW - DAY + 65_000,
    caller: '=HYPERLINK("x")',
    called: '0142685300',
    calledE164: '+33142685300',
    destinationClass: 'national',
    disposition: 'completed',
    action: 'allow',
    estimatedCost: 0.02,
    currency: 'EUR',
  },
  {
    id: 'c3',
    tenantId: 'other',
    direction: 'inbound',
    startedAt: NOW - 400 * DAY,
    caller: '+33612345678',
    called: '201',
    disposition: 'completed',
  },
];

test('tollguard calls: filters, text, CSV and JSON lines; mistakes named; purge', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tollguard-calls-'));
  const url = `sqlite:${path.join(dir, 'calls.db')}`;
  try {
    const store = await openStore(url);
    for (const r of records) await store.calls.open(r);
    await store.close();

    const text = runCli(['calls', '--store', url]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /acme out 201 → \+33899123456 premium {2}rejected reject \[destination-class\]/);
    assert.match(text.stderr, /^3 call\(s\)$/m);

    const csv = runCli(['calls', '--store', url, '--tenant', 'acme', '--format', 'csv']).stdout.split('\r\n');
    assert.match(csv[0]!, /^id,tenant,direction,started_at,/);
    assert.equal(csv.filter(Boolean).length, 3, 'header and two calls');
    assert.match(csv[1]!, /^c2,acme,outbound,/, 'newest first');
    assert.match(csv[1]!, /,"'=HYPERLINK\(""x""\)",/, 'a formula is defused and quoted');
    assert.match(csv[2]!, /,reject,true,destination-class,DST_PREMIUM_RATE,/);

    const json = runCli(['calls', '--store', url, '--action', 'reject', '--format', 'json']).stdout.trim().split('\n');
    assert.deepEqual(
      json.map((l) => (JSON.parse(l) as CallRecord).id),
      ['c1'],
    );
    const since = runCli([
      'calls',
      '--store',
      url,
      '--from',
      new Date(NOW - 1.5 * DAY).toISOString(),
      '--format',
      'json',
    ]);
    assert.deepEqual(
      since.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as CallRecord).id),
      ['c2'],
    );

    const bad = runCli(['calls', '--store', url, '--direction', 'sideways', '--from', 'yesterday', '--limit', '0']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /direction: "sideways" is not one of outbound, inbound/);
    assert.match(bad.stderr, /from: "yesterday" is not a date/);
    assert.match(bad.stderr, /limit: "0" is not a number from 1 to 10000/);
    assert.equal(runCli(['calls', '--store', url, '--format', 'xml']).status, 2);

    // Retention: a firewall started on this store purges what is older than each tenant's retentionDays.
    const config = path.join(dir, 'tollguard.yaml');
    writeFileSync(
      config,
      [
        `store: { url: '${url}' }`,
        "api: { listen: '127.0.0.1:0' }",
        `sip: { listen: ['udp://127.0.0.1:${portBase()}'] }`,
        'tenants:',
        "  - { id: acme, pbx: { addresses: ['127.0.0.2'] }, trunk: { address: 127.0.0.3 }, policy: { country: FR } }",
        "  - { id: other, pbx: { addresses: ['127.0.0.4'] }, trunk: { address: 127.0.0.5 }, policy: { country: FR }, retentionDays: 30 }",
      ].join('\n'),
    );
    const fw = await startCli(['start', '--config', config], /console and API at (http:\/\/[^\s]+)/);
    assert.equal(await stopCli(fw.child), 0, fw.output());
    assert.equal(runCli(['calls', '--config', config, '--tenant', 'other', '--format', 'json']).stdout, '');
    assert.equal(runCli(['calls', '--config', config, '--format', 'json']).stdout.trim().split('\n').length, 2);

    const purge = runCli(['calls', 'purge', '--store', url, '--tenant', 'acme', '--older-than', '1.5']);
    assert.equal(purge.status, 0, purge.stderr);
    assert.match(purge.stdout, /deleted 1 call record\(s\) of acme older than 1.5 day\(s\)/);
    assert.equal(runCli(['calls', 'purge', '--store', url, '--tenant', 'acme', '--older-than', 'old']).status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the API: search, CSV export, one record; other tenants and bad filters refused', async () => {
  const base = portBase();
  const t = await startTestFirewall({ sipPort: base, pbxPort: base + 2, trunkPort: base + 3 });
  try {
    const store = await t.openStore();
    for (const r of records) await store.calls.open({ ...r, tenantId: 'acme' });
    await store.close();

    const page = (await (await t.api(`/api/calls?number=899`)).json()) as { calls: CallRecord[] };
    assert.deepEqual(
      page.calls.map((c) => c.id),
      ['c1'],
    );
    const paged = (await (await t.api(`/api/calls?limit=1`)).json()) as {
      calls: CallRecord[];
      nextOffset?: number;
    };
    assert.equal(paged.nextOffset, 1);
    const csv = await t.api(`/api/calls?format=csv`);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    assert.equal((await csv.text()).trim().split('\r\n').length, 4);
    assert.equal(((await (await t.api(`/api/calls/c1`)).json()) as { call: CallRecord }).call.sipStatus, 403);
    assert.equal((await t.api(`/api/calls/nope`)).status, 404);
    assert.equal((await t.api(`/api/calls?tenant=other`)).status, 400);
    const bad = await t.api(`/api/calls?disposition=maybe`);
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /disposition: "maybe"/);
  } finally {
    await t.stop();
  }
});
