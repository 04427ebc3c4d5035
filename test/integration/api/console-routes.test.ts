// The console's own routes through inject(): the dashboard (figures per hour, today, open incidents first), the
// live calls with their numbers, incidents and acknowledging them, checking a policy; every role, and a user of one
// tenant never seeing or touching another tenant's data.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApiHarness, type ApiHarness } from '../../helpers/api.js';
import type { CallRecord, Store } from '../../../src/store/ports.js';

const HOUR = 3_600_000;

function call(id: string, tenantId: string, startedAt: number, extra: Partial<CallRecord> = {}): CallRecord {
  return {
    id,
    tenantId,
    direction: 'outbound',
    startedAt,
    endedAt: startedAt + 60_000,
    caller: '201',
    called: '0145678901',
    disposition: 'completed',
    action: 'allow',
    estimatedCost: 0.5,
    currency: 'EUR',
    ...extra,
  };
}

describe('console routes', () => {
  let h: ApiHarness;
  let store: Store;
  const now = Date.now();
  let acmeAlert: string;
  let betaAlert: string;

  before(async () => {
    h = await startApiHarness();
    store = await h.t.openStore();
    await store.calls.open(call('a1', 'acme', now - 10 * 60_000));
    await store.calls.open(
      call('a2', 'acme', now - 5 * 60_000, {
        disposition: 'rejected',
        action: 'reject',
        estimatedCost: 0,
        called: '0899123456',
        destinationClass: 'premium',
      }),
    );
    await store.calls.open(call('a3', 'acme', now - 3 * 24 * HOUR, { disposition: 'cut', action: 'cut' }));
    await store.calls.open(call('old', 'acme', now - 9 * 24 * HOUR));
    await store.calls.open(call('b1', 'beta', now - 60_000, { estimatedCost: 7 }));
    const a = await store.alerts.raise({
      tenantId: 'acme',
      incidentKey: 'destination-class:DST_PREMIUM_RATE',
      severity: 'high',
      title: 'Refused outbound call from 201 to +33899123456 (premium, FR): DST_PREMIUM_RATE',
      body: 'What happened: premium destination.',
      firstAt: now - 5 * 60_000,
      callIds: ['a2'],
    });
    await store.alerts.raise({
      tenantId: 'acme',
      incidentKey: 'unknown:DST_UNKNOWN',
      severity: 'low',
      title: 'Alert on a number not recognised',
      body: '…',
      firstAt: now - 4 * 60_000,
      callIds: ['a1'],
    });
    const b = await store.alerts.raise({
      tenantId: 'beta',
      incidentKey: 'spend-cap:SPEND_CAP_NEAR',
      severity: 'medium',
      title: 'Beta spends',
      body: '…',
      firstAt: now - 60_000,
      callIds: ['b1'],
    });
    acmeAlert = a.id;
    betaAlert = b.id;
  });
  after(async () => {
    await store?.close();
    await h?.stop();
  });

  test('the dashboard needs a login', async () => {
    const r = await h.anonymous.request('GET', '/api/dashboard');
    assert.equal(r.status, 401);
    assert.equal(r.json.code, 'TG_ERR_AUTH');
  });

  test('an admin of acme sees acme only: today, hours over 7 days, incidents with the most severe first', async () => {
    const c = await h.as('acme-admin');
    const r = await c.request('GET', `/api/dashboard?since=${now - 24 * HOUR}`);
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(r.json.tenants, ['acme']);
    assert.equal(r.json.hours.length, 7 * 24);
    const total = r.json.hours.reduce((n: number, x: { calls: number }) => n + x.calls, 0);
    assert.equal(total, 3, 'a1, a2, a3; the 9-day-old call and beta are out');
    assert.equal(r.json.today.calls, 2);
    assert.equal(r.json.today.refused, 1);
    assert.equal(r.json.today.cut, 0);
    assert.equal(r.json.today.spend, 0.5);
    assert.deepEqual(r.json.currencies, ['EUR']);
    assert.equal(r.json.openIncidents, 2);
    assert.deepEqual(
      r.json.incidents.map((a: { severity: string }) => a.severity),
      ['high', 'low'],
    );
    assert.ok(r.json.incidents.every((a: { tenantId: string }) => a.tenantId === 'acme'));
    const cut = r.json.hours.reduce((n: number, x: { cut: number }) => n + x.cut, 0);
    assert.equal(cut, 1);
  });

  test('an integrator sees both tenants, or one it asks for', async () => {
    const c = await h.as('integrator');
    const all = await c.request('GET', '/api/dashboard');
    assert.deepEqual([...all.json.tenants].sort(), ['acme', 'beta']);
    assert.equal(all.json.openIncidents, 3);
    const beta = await c.request('GET', '/api/dashboard?tenant=beta');
    assert.deepEqual(beta.json.tenants, ['beta']);
    assert.equal(beta.json.today.spend, 7);
  });

  test("a tenant's user asking for another tenant gets 404, whatever the route", async () => {
    const c = await h.as('acme-viewer');
    for (const url of ['/api/dashboard?tenant=beta', '/api/dashboard/live?tenant=beta', '/api/alerts?tenant=beta']) {
      const r = await c.request('GET', url);
      assert.equal(r.status, 404, url);
      assert.equal(r.json.code, 'TG_ERR_NOT_FOUND');
    }
    const check = await (
      await h.as('acme-admin')
    ).request('POST', '/api/tenants/beta/policy/check', {
      country: 'FR',
    });
    assert.equal(check.status, 404);
  });

  test('bad query parameters are named', async () => {
    const c = await h.as('acme-admin');
    const r = await c.request('GET', '/api/dashboard?days=90');
    assert.equal(r.status, 400);
    assert.equal(r.json.code, 'TG_ERR_USAGE');
    assert.match(r.json.issues[0].path, /query\.days/);
    const a = await c.request('GET', '/api/alerts?open=maybe');
    assert.equal(a.status, 400);
  });

  test('live calls: none up, in the shape the Live page reads', async () => {
    const c = await h.as('integrator');
    const r = await c.request('GET', '/api/dashboard/live');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { calls: [], total: 0 });
  });

  test('alerts: open ones of my tenants only; a viewer may read them', async () => {
    const v = await h.as('acme-viewer');
    const r = await v.request('GET', '/api/alerts?open=true');
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.json.alerts.map((a: { tenantId: string }) => a.tenantId),
      ['acme', 'acme'],
    );
    const b = await (await h.as('beta-admin')).request('GET', '/api/alerts');
    assert.deepEqual(
      b.json.alerts.map((a: { id: string }) => a.id),
      [betaAlert],
    );
  });

  test('acknowledging: a viewer may not, another tenant cannot even find it, the admin does it once', async () => {
    const viewer = await h.as('acme-viewer');
    const v = await viewer.request('POST', `/api/alerts/${acmeAlert}/acknowledge`, {});
    assert.equal(v.status, 403);
    assert.equal(v.json.code, 'TG_ERR_FORBIDDEN');

    const beta = await h.as('beta-admin');
    const b = await beta.request('POST', `/api/alerts/${acmeAlert}/acknowledge`, {});
    assert.equal(b.status, 404);
    assert.equal((await store.alerts.list({ tenantIds: ['acme'], open: true })).length, 2, 'still open');

    const admin = await h.as('acme-admin');
    const noCsrf = await admin.request('POST', `/api/alerts/${acmeAlert}/acknowledge`, {}, { 'x-csrf-token': 'x' });
    assert.equal(noCsrf.status, 403);
    assert.equal(noCsrf.json.code, 'TG_ERR_CSRF');

    const ok = await admin.request('POST', `/api/alerts/${acmeAlert}/acknowledge`, {});
    assert.equal(ok.status, 200, ok.body);
    assert.equal(ok.json.alert.acknowledgedBy, 'acme-admin');
    const again = await admin.request('POST', `/api/alerts/${acmeAlert}/acknowledge`, {});
    assert.equal(again.json.alreadyAcknowledged, true);
    const open = await admin.request('GET', '/api/alerts?open=true');
    assert.equal(open.json.alerts.length, 1);
    const all = await admin.request('GET', '/api/alerts');
    assert.equal(all.json.alerts.at(-1).id, acmeAlert, 'acknowledged ones after the open ones');
  });

  test('a token acknowledges without CSRF (machines have no cookie)', async () => {
    const c = await h.withToken('integrator');
    const r = await c.request('POST', `/api/alerts/${betaAlert}/acknowledge`, {});
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.alert.acknowledgedBy, 'integrator');
  });

  test('checking a policy: the valid one with its defaults, the invalid one with every issue and its path', async () => {
    const c = await h.as('acme-admin');
    const ok = await c.request('POST', '/api/tenants/acme/policy/check', { country: 'FR', mode: 'monitor' });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.ok, true);
    assert.equal(ok.json.policy.mode, 'monitor');
    // What the form shows: every rule's options as they run, defaults filled in, a rule turned off stays off.
    const eff = await c.request('POST', '/api/tenants/acme/policy/check', {
      country: 'FR',
      rules: { 'business-hours': false, 'destination-class': { open: { mobile: 'alert' } } },
    });
    assert.equal(eff.json.effective.rules['business-hours'], false);
    assert.equal(eff.json.effective.rules['destination-class'].open.premium, 'reject');
    assert.equal(eff.json.effective.rules['destination-class'].open.mobile, 'alert');
    assert.equal(eff.json.effective.rules['spend-cap'].caps.length, 5);
    assert.equal(eff.json.policy.rules['spend-cap'], undefined, 'the policy itself is as given');
    const bad = await c.request('POST', '/api/tenants/acme/policy/check', {
      country: 'FR',
      rules: { 'business-hours': { schedule: { mon: ['8h-12h'] } }, 'spend-cap': { caps: [] } },
      mode: 'sometimes',
    });
    assert.equal(bad.status, 200);
    assert.equal(bad.json.ok, false);
    const paths = bad.json.issues.map((i: { path: string }) => i.path).sort();
    assert.deepEqual(paths, ['mode', 'rules.business-hours.schedule.mon.0']);
    // Checking changes nothing.
    const p = await c.request('GET', '/api/tenants/acme/policy');
    assert.equal(p.json.policy.mode, 'enforce');
  });
});
