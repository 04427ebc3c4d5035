// Runs the end-to-end suites (dist/test/e2e) with real external peers (SIPp, sipvicious, Kamailio).
// One suite at a time: they bind SIP ports on loopback and load the machine.
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const dir = 'dist/test/e2e';
const files = existsSync(dir)
  ? readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.test.js'))
  : [];
if (files.length === 0) {
  console.log('end-to-end: no suite yet');
  process.exit(0);
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', dir], { stdio: 'inherit' });
process.exit(r.status ?? 1);
