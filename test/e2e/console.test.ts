// The web console in a real browser (Debian's Chromium driven by playwright-core) against a real firewall with SIPp
// peers: log in, see a refused premium call appear live on the dashboard, read its explanation in the call log,
// acknowledge the incident, cut a live call, change the policy and see the next call refused, switch to French,
// and lock an account after 3 wrong passwords. Each page is kept as a screenshot in test-artifacts/console/.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { runSipp, startSipp, sippUnavailable } from '../helpers/sipp.js';
import { portBase, startTestFirewall, type TestFirewall } from '../helpers/firewall.js';
import { chromiumUnavailable, launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { fixturePath } from '../helpers/fixtures.js';
import { Accounts } from '../../src/accounts/accounts.js';
import type { CallRecord, Store } from '../../src/store/ports.js';

const skip = sippUnavailable() ?? chromiumUnavailable();
const PASSWORD = 'Rq7-vanilla-Tiger';
const BASIC_PBX = fixturePath('asterisk', 'basic-pbx');

describe('web console in Chromium', { skip }, () => {
  const base = portBase();
  const ports = { sipPort: base, pbxPort: base + 2, trunkPort: base + 3 };
  let t: TestFirewall;
  let store: Store;
  let b: TestBrowser;
  let page: Page;
  let url: string;
  const problems: string[] = [];

  /** One UAC call from the PBX side to `number`, expecting a 403 from the firewall. */
  async function refusedCall(number: string, localPort = ports.pbxPort) {
    const r = await runSipp({
      scenario: 'uac-expect-403.xml',
      localIp: '127.0.0.2',
      localPort,
      remote: `127.0.0.1:${ports.sipPort}`,
      service: number,
      calls: 1,
      timeoutS: 10,
    });
    assert.equal(r.successful, 1, r.output.slice(-2000));
  }

  async function records(): Promise<CallRecord[]> {
    return store.calls.search({ tenantIds: ['acme'], limit: 100 });
  }

  async function login(username: string, password: string) {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
  }

  before(async () => {
    t = await startTestFirewall({
      ...ports,
      tenant: {
        name: 'Acme SARL',
        // Always "open", so the test does not depend on the hour it runs.
        policy: { country: 'FR', mode: 'enforce', rules: { 'business-hours': false } },
      },
    });
    store = await t.openStore();
    const accounts = new Accounts(store.accounts, () => ['acme']);
    await accounts.create({ username: 'alice', password: PASSWORD, role: 'tenant-admin', tenants: ['acme'] });
    await accounts.create({ username: 'mallory', password: PASSWORD, role: 'viewer', tenants: ['acme'] });
    url = t.fw.apiUrl;
    b = await launchBrowser();
    page = b.page;
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      // An HTTP error the page handles (401 before login, 423 when locked) is logged by Chromium too; not a problem.
      if (
        m.type() === 'error' &&
        !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())
      )
        problems.push(`console: ${m.text()}`);
    });
  });
  after(async () => {
    await b?.close();
    await store?.close();
    await t?.stop();
  });

  test('log in and see the dashboard', { timeout: 30_000 }, async () => {
    await page.goto(`${url}/`);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await b.screenshot('login');
    await login('alice', PASSWORD);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.locator('.tile').first().waitFor();
    await page.locator('svg.chart').waitFor();
    assert.match((await page.locator('.who').textContent()) ?? '', /alice/);
  });

  test('a refused premium call appears live on the dashboard', { timeout: 40_000 }, async () => {
    const refusedTile = page.locator('.tile', { hasText: 'Refused today' }).locator('.tile-value');
    assert.equal(await refusedTile.textContent(), '0');
    await refusedCall('0899123456');
    // The dashboard polls every 3 s: no reload.
    await refusedTile.filter({ hasText: /^1$/ }).waitFor({ timeout: 10_000 });
    await page.locator('ul.incidents a', { hasText: 'DST_PREMIUM_RATE' }).waitFor({ timeout: 10_000 });
    await b.screenshot('dashboard');
  });

  test('the call log shows the refusal and why; the CSV link exports the same search', async () => {
    await page.getByRole('link', { name: 'Call log' }).click();
    const row = page.locator('table.calls tbody tr', { hasText: '+33899123456' }).first();
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /refused/);
    await row.getByRole('button', { name: 'Why?' }).click();
    const why = page.locator('tr.why:not([hidden])');
    await why.waitFor();
    assert.match((await why.textContent()) ?? '', /Tollguard refused the call\..*DST_PREMIUM_RATE/s);
    const href = await page.getByRole('link', { name: 'Export as CSV' }).getAttribute('href');
    assert.match(href ?? '', /format=csv/);
    const csv = await page.evaluate(async (h) => (await fetch(h!)).text(), href);
    assert.match(csv, /0899123456/);
    await b.screenshot('calls');
    // The link an alert mail carries (#/calls?id=…) opens that call alone.
    const [alert] = await store.alerts.list({ tenantIds: ['acme'] });
    const one = page.waitForResponse((r) => r.url().endsWith(`/api/calls/${alert!.callIds[0]}`));
    await page.goto(`${url}/#/calls?id=${alert!.callIds[0]}`);
    assert.equal((await one).status(), 200);
    const rows = page.locator('table.calls tbody tr:not(.why)');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 1);
    assert.match((await rows.first().textContent()) ?? '', /\+33899123456/);
    await page.getByRole('link', { name: 'Call log' }).click();
  });

  test('acknowledge the incident', { timeout: 20_000 }, async () => {
    await page.getByRole('link', { name: 'Incidents' }).click();
    const card = page.locator('article.incident', { hasText: 'DST_PREMIUM_RATE' });
    await card.waitFor();
    await card.locator('summary').click();
    await card.locator('.calls-of li').first().waitFor();
    assert.match((await card.textContent()) ?? '', /What happened/);
    await b.screenshot('incidents');
    await card.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByText('Incident acknowledged.').waitFor();
    const open = await store.alerts.list({ tenantIds: ['acme'], open: true });
    assert.equal(open.length, 0, 'no open incident left');
    const [a] = await store.alerts.list({ tenantIds: ['acme'] });
    assert.equal(a!.acknowledgedBy, 'alice');
  });

  test('a live call shows on the Live page and is cut from it', { timeout: 40_000 }, async () => {
    const trunk = startSipp({
      scenario: 'uas-cut-expect-bye.xml',
      localIp: '127.0.0.3',
      localPort: ports.trunkPort,
      calls: 1,
      timeoutS: 30,
    });
    const pbx = startSipp({
      scenario: 'uac-cut-expect-bye.xml',
      localIp: '127.0.0.2',
      localPort: ports.pbxPort,
      remote: `127.0.0.1:${ports.sipPort}`,
      service: '0142685300',
      calls: 1,
      timeoutS: 30,
    });
    try {
      await page.getByRole('link', { name: 'Live calls' }).click();
      const row = page.locator('table.calls tbody tr', { hasText: '+33142685300' });
      await row.waitFor({ timeout: 10_000 });
      await page.locator('table.calls tbody tr', { hasText: 'talking' }).waitFor({ timeout: 10_000 });
      await b.screenshot('live');
      await row.getByRole('button', { name: /^Cut/ }).click();
      await row.getByRole('button', { name: /Click again to cut/ }).click();
      await page.getByText('Call cut.').waitFor();
      const [a, c] = await Promise.all([pbx.done, trunk.done]);
      assert.equal(a.successful, 1, a.output.slice(-2000));
      assert.equal(c.successful, 1, c.output.slice(-2000));
      await page.getByText('No call up now.').waitFor({ timeout: 10_000 });
    } finally {
      pbx.stop();
      trunk.stop();
    }
    const rec = (await records()).find((r) => r.called === '0142685300');
    assert.equal(rec?.disposition, 'cut');
  });

  test('change the policy in the form; the next international call is refused', { timeout: 60_000 }, async () => {
    await page.getByRole('link', { name: 'Policy' }).click();
    const intl = page.getByLabel('international · During business hours');
    await intl.waitFor();
    assert.equal(await intl.inputValue(), 'allow');
    // Rules the configuration does not list show their defaults, not "allow".
    assert.equal(await page.getByLabel('premium rate · During business hours').inputValue(), 'reject');
    assert.equal(await page.getByLabel('international · Nights, weekends, holidays').inputValue(), 'reject');
    // A mistake is named next to its field as it is typed, and nothing can be applied.
    const perExtension = page
      .getByRole('group', { name: 'Nights, weekends, holidays' })
      .getByLabel('Outside calls of one extension');
    await perExtension.fill('-1');
    await page.locator('.issue').first().waitFor();
    assert.equal(await perExtension.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByRole('button', { name: 'Apply', exact: true }).isDisabled(), true);
    await b.screenshot('policy-invalid');
    await perExtension.fill('1');
    await page.getByText('The policy is valid.').waitFor();
    await intl.selectOption('reject');
    await page.getByText('The policy is valid.').waitFor();
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    // With the replay route, the page says what last week would have been and asks again.
    const confirm = page.getByRole('button', { name: 'Apply now' });
    const applied = page.getByText(/Policy applied at/);
    await Promise.race([confirm.waitFor(), applied.waitFor()]);
    if (await confirm.isVisible()) {
      assert.match((await page.locator('.replay').textContent()) ?? '', /would have refused \d+ of \d+ calls/);
      await b.screenshot('policy-replay');
      await confirm.click();
    }
    await applied.waitFor();
    await page.getByLabel('international · During business hours').waitFor();
    assert.equal(await page.getByLabel('international · During business hours').inputValue(), 'reject');
    await b.screenshot('policy');
    await refusedCall('00442079460018');
    // The record is written just after the 403 leaves: give the store a moment (bounded).
    let rec: CallRecord | undefined;
    for (let i = 0; i < 40 && !rec; i++) {
      rec = (await records()).find((r) => r.called === '00442079460018');
      if (!rec) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(rec?.disposition, 'rejected');
    assert.match(JSON.stringify(rec?.decision), /DST_INTERNATIONAL/);
  });

  test('audit: no report yet, then an archive uploaded from the page and its report', { timeout: 40_000 }, async () => {
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByText('No report yet.').waitFor();
    await b.screenshot('audit-none');
    const archive = execFileSync('tar', ['-czf', '-', '-C', path.dirname(BASIC_PBX), path.basename(BASIC_PBX)]);
    await page
      .getByLabel('A new audit: the configuration as an archive')
      .setInputFiles({ name: 'asterisk.tar.gz', mimeType: 'application/gzip', buffer: archive });
    await page.getByRole('button', { name: 'Audit this archive' }).click();
    await page.locator('article.card .counts').waitFor({ timeout: 30_000 });
    assert.match((await page.locator('article.card').textContent()) ?? '', /Audit of .*asterisk/);
    await page.locator('article.card summary').click();
    await b.screenshot('audit');
  });

  test('French: the switch changes every page and is remembered', async () => {
    await page.getByRole('button', { name: 'FR', exact: true }).click();
    await page.getByRole('link', { name: 'Tableau de bord' }).click();
    await page.getByRole('heading', { name: 'Tableau de bord' }).waitFor();
    await page.locator('.tile', { hasText: 'Refusés aujourd’hui' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    await b.screenshot('dashboard-fr');
    await page.reload();
    await page.getByRole('heading', { name: 'Tableau de bord' }).waitFor();
    await page.getByRole('link', { name: 'Règles' }).click();
    await page.getByLabel('international · Heures ouvrées').waitFor();
    await b.screenshot('policy-fr');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByRole('heading', { name: 'Policy' }).waitFor();
  });

  test('a viewer reads but has no button that changes anything', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await login('mallory', PASSWORD);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByRole('link', { name: 'Policy' }).click();
    await page.getByText('Your account may read the policy, not change it.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Apply', exact: true }).count(), 0);
    await page.getByRole('link', { name: 'Incidents' }).click();
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.locator('article.incident').first().waitFor();
    assert.equal(await page.getByRole('button', { name: 'Acknowledge' }).count(), 0);
    await page.getByRole('button', { name: 'Log out' }).click();
  });

  test('3 wrong passwords lock the account: even the right one is refused then', { timeout: 30_000 }, async () => {
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    const error = page.getByRole('alert');
    for (let i = 0; i < 3; i++) {
      await login('alice', `Wrong-password-${i}`);
      await page.locator('form.login button[type=submit]:not([disabled])').waitFor();
      await error.waitFor();
    }
    await login('alice', PASSWORD);
    await page.getByText(/this account is locked until/).waitFor();
    await b.screenshot('login-locked');
    const a = await store.accounts.byUsername('alice');
    assert.ok((a?.lockedUntil ?? 0) > Date.now(), 'locked in the store');
    assert.equal(await page.getByRole('heading', { name: 'Dashboard' }).count(), 0);
  });

  test('no script error and no Content-Security-Policy violation on any page', () => {
    assert.deepEqual(problems, []);
  });
});
