// `tollguard audit asterisk|freeswitch DIR` as a user runs it: exit codes (0 clean, 1 findings at or above
// --fail-on, 2 error), the exact --json shape, and the HTML and Markdown customer reports.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { fixturePath } from '../../helpers/fixtures.js';
import { withConfDir } from '../../unit/audit/helpers.js';
import { HARDENED_ASTERISK } from '../../unit/audit/planted.js';

const FREEPBX = fixturePath('asterisk', 'freepbx_stgnet_dring_test');
const VANILLA = fixturePath('freeswitch', 'conf', 'vanilla');
const AS_OF = ['--as-of', '2026-11-24'];

describe('tollguard audit', () => {
  test('--json prints exactly [{check, recommendation, severity, file, line, subject, message, fix}]; exit 1', () => {
    const r = runCli(['audit', 'asterisk', FREEPBX, '--json', ...AS_OF]);
    assert.equal(r.status, 1, r.stderr);
    const findings = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.ok(findings.length > 0);
    for (const f of findings) {
      assert.deepEqual(Object.keys(f), [
        'check',
        'recommendation',
        'severity',
        'file',
        'line',
        'subject',
        'message',
        'fix',
      ]);
    }
    assert.ok(findings.some((f) => f.check === 'asterisk.admin-secret' && f.subject === 'AMI user admin'));
  });

  test('--fail-on: findings below it exit 0, at or above it exit 1', () => {
    // The worst FreeSWITCH vanilla finding is critical; basic-pbx's worst is high.
    const basic = fixturePath('asterisk', 'basic-pbx');
    assert.equal(runCli(['audit', 'asterisk', basic, '--fail-on', 'critical', ...AS_OF]).status, 0);
    assert.equal(runCli(['audit', 'asterisk', basic, '--fail-on', 'high', ...AS_OF]).status, 1);
    assert.equal(runCli(['audit', 'freeswitch', VANILLA, '--fail-on', 'critical', ...AS_OF]).status, 1);
  });

  test('a hardened configuration exits 0 and says so', () => {
    withConfDir(HARDENED_ASTERISK, (dir) => {
      const r = runCli(['audit', 'asterisk', dir, ...AS_OF]);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /0 findings/);
      assert.match(r.stdout, /No weakness found/);
    });
  });

  test('errors exit 2: a missing folder, a bad --fail-on, --report without --customer', () => {
    const missing = runCli(['audit', 'asterisk', '/nonexistent/etc/asterisk']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no such folder/);
    assert.equal(runCli(['audit', 'asterisk', FREEPBX, '--fail-on', 'severe']).status, 2);
    assert.equal(runCli(['audit', 'freeswitch', VANILLA, '--report', 'html']).status, 2);
  });

  test('the readable output shows the finding, its recommendation, where and how to fix', () => {
    const r = runCli(['audit', 'freeswitch', VANILLA, ...AS_OF]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /CRITICAL freeswitch\.default-password \(R-PIN-DEFAULT\) vars\.xml:15 \[default_password\]/);
    assert.match(r.stdout, /fix: /);
  });

  test('--report markdown and html: summary first, three things to do, findings by severity and recommendation', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tollguard-report-'));
    try {
      const md = path.join(dir, 'r.md');
      const r = runCli([
        'audit',
        'asterisk',
        FREEPBX,
        '--report',
        'markdown',
        '--customer',
        'Dupont & Fils',
        '--integrator',
        'Telecom Services SARL',
        '--letterhead',
        '1 rue du Port\\n44000 Nantes',
        '--out',
        md,
        '--json',
        ...AS_OF,
      ]);
      assert.equal(r.status, 1, r.stderr);
      assert.ok(Array.isArray(JSON.parse(r.stdout)), 'with --out the findings are printed too');
      const text = readFileSync(md, 'utf8');
      assert.match(text, /^\*\*Telecom Services SARL\*\*\n1 rue du Port {2}\n44000 Nantes/);
      assert.match(text, /# Phone system security audit: Dupont & Fils/);
      const summary = text.indexOf('## Summary');
      const todo = text.indexOf('### The three things to do now');
      const findings = text.indexOf('## Findings');
      assert.ok(summary > 0 && summary < todo && todo < findings);
      assert.match(text, /\*\*Exposed\.\*\*/);
      assert.match(text, /1\. \*\*Weak or default password on an admin interface\*\* \(R-ADMIN-PW/);
      assert.ok(text.indexOf('### CRITICAL') < text.indexOf('### HIGH'));
      assert.match(text, /\*\*What it means:\*\*/);
      assert.match(text, /\*\*How to fix it:\*\*/);

      const html = runCli([
        'audit',
        'freeswitch',
        VANILLA,
        '--report',
        'html',
        '--customer',
        'Dupont <&> Fils',
        ...AS_OF,
      ]);
      assert.equal(html.status, 1);
      assert.match(html.stdout, /^<!DOCTYPE html>/);
      assert.match(html.stdout, /Dupont &lt;&amp;&gt; Fils/);
      assert.match(html.stdout, /@media print/);
      assert.match(html.stdout, /The three things to do now/);
      assert.ok(!html.stdout.includes('"check"'), 'without --out only the report is printed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
