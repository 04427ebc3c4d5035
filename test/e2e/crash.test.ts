// The call log loses nothing when the firewall dies: SIPp peers place calls through a real `tollguard start`, the
// process is killed with SIGKILL under load, and started again. Every call the trunk side received (SIPp's own log
// of the INVITEs it got) has its record; after the restart no record is left live, and the ones whose end was lost
// are marked `lost-end`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSipp, sippUnavailable } from '../helpers/sipp.js';
import { startCli, stopCli } from '../helpers/cli.js';
import { portBase } from '../helpers/firewall.js';
import { openStore } from '../../src/store/index.js';
import type { CallRecord } from '../../src/store/ports.js';

const skip = sippUnavailable();
const RATE = 300;

test(
  'kill -9 under load, restart: every forwarded call has its record, none left live',
  { skip, timeout: 90_000 },
  async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tollguard-crash-'));
    const base = portBase();
    const ports = { sip: base, pbx: base + 2, trunk: base + 3 };
    const config = path.join(dir, 'tollguard.yaml');
    writeFileSync(
      config,
      [
        'log: { level: warn, format: json }',
        `store: { url: 'sqlite:${path.join(dir, 'tollguard.db')}' }`,
        "api: { listen: '127.0.0.1:0' }",
        `sip: { listen: ['udp://127.0.0.1:${ports.sip}'] }`,
        'tenants:',
        '  - id: acme',
        `    pbx: { addresses: ['127.0.0.2:${ports.pbx}'] }`,
        `    trunk: { address: '127.0.0.3:${ports.trunk}' }`,
        // Monitor mode: every call is decided and recorded, none refused, so every call is forwarded.
        '    policy: { country: FR, mode: monitor }',
      ].join('\n') + '\n',
    );
    const ready = /console and API at (http:\/\/[^\s]+)/;
    try {
      const first = await startCli(['start', '--config', config], ready, { cwd: dir });
      const uas = startSipp({
        scenario: 'uas-expect-bye.xml',
        localIp: '127.0.0.3',
        localPort: ports.trunk,
        calls: 100_000,
        timeoutS: 30,
        extraArgs: ['-trace_shortmsg'],
      });
      await new Promise((r) => setTimeout(r, 300));
      const uac = startSipp({
        scenario: 'uac-expect-200.xml',
        localIp: '127.0.0.2',
        localPort: ports.pbx,
        remote: `127.0.0.1:${ports.sip}`,
        service: '0145678901',
        calls: RATE * 20,
        rate: RATE,
        limit: 5000,
        pauseMs: 1500, // calls last 1.5 s, so some are up when the firewall dies
        timeoutS: 30,
      });
      await new Promise((r) => setTimeout(r, 3000));
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));
      await new Promise((r) => setTimeout(r, 1000));
      uac.stop();
      const sent = await uac.done;
      uas.stop();
      const received = await uas.done;

      // Restart on the same store: records whose end was lost are closed and marked.
      const second = await startCli(['start', '--config', config], ready, { cwd: dir });
      assert.equal(await stopCli(second.child), 0);

      const sippDir = path.dirname(received.statsFile);
      const log = readdirSync(sippDir).find((f) => f.endsWith('_shortmessages.log'));
      assert.ok(log, 'the trunk side kept its message log');
      const forwarded = new Set<string>();
      for (const line of readFileSync(path.join(sippDir, log), 'utf8').split('\n')) {
        const f = line.split('\t');
        if (f[3] === 'R' && f[5] === 'CSeq:1 INVITE' && f[6]?.startsWith('INVITE ')) forwarded.add(f[4]!);
      }
      const store = await openStore(`sqlite:${path.join(dir, 'tollguard.db')}`);
      const records: CallRecord[] = [];
      for (;;) {
        const page = await store.calls.search({ limit: 10_000, offset: records.length });
        records.push(...page);
        if (page.length < 10_000) break;
      }
      await store.close();
      const byRef = new Map(records.map((r) => [r.callRef, r]));
      const missing = [...forwarded].filter((id) => !byRef.has(id));
      const live = records.filter((r) => r.disposition === 'setup' || r.disposition === 'answered');
      const lost = records.filter((r) => r.disposition === 'lost-end');
      t.diagnostic(
        `calls created by the PBX side: ${sent.created}; INVITEs received by the trunk side: ${forwarded.size}; ` +
          `records: ${records.length}; closed as lost-end: ${lost.length}; completed: ` +
          `${records.filter((r) => r.disposition === 'completed').length}`,
      );
      assert.ok(forwarded.size > RATE, `the load ran before the kill (${forwarded.size} calls forwarded)`);
      assert.deepEqual(missing, [], 'every call the trunk received has its record');
      assert.equal(live.length, 0, 'no record left live after the restart');
      assert.ok(lost.length > 0, 'the calls up at the kill are marked lost-end');
      for (const r of lost) assert.equal(r.endReason, 'lost-end');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
