// Replay over the stored call log through the API, by inject(), on the firewall's SQLite store: a policy that
// refuses international calls by day would have refused the three calls to London the current one let through;
// the default range is the last 7 days; a bad policy is named field by field; every role, and a user of another
// tenant told nothing exists.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApiHarness, type ApiHarness } from '../../helpers/api.js';
import type { CallRecord, Store } from '../../../src/store/ports.js';

// Monday 2 March 2026, 10:00 in Paris: business hours, no public holiday that week, and far from the last 7 days.
const MONDAY = Date.UTC(2026, 2, 2, 9, 0);
const WEEK = { from: MONDAY - 3_600_000, to: MONDAY + 5 * 86_400_000 };
const DAY = 86_400_000;

function call(id: string, tenantId: string, startedAt: number, extra: Partial<CallRecord> = {}): CallRecord {
  return {
    id,
    tenantId,
    direction: 'outbound',
    startedAt,
    answeredAt: startedAt + 4_000,
    endedAt: startedAt + 184_000,
    caller: '201',
    called: '0145678901',
    disposition: 'completed',
    action: 'allow',
    ...extra,
  };
}

const REFUSE_ABROAD = { country: 'FR', rules: { 'destination-class': { open: { international: 'reject' } } } };

describe('replay route', () => {
  let h: ApiHarness;
  let store: Store;
  const now = Date.now();

  before(async () => {
    h = await startApiHarness();
    store = await h.t.openStore();
    // acme's week: 12 national calls, 3 to London, one premium call the firewall refused, 4 inbound calls.
    for (let i = 0; i < 12; i++) await store.calls.open(call(`n${i}`, 'acme', MONDAY + i * 600_000));
    for (let i = 0; i < 3; i++) {
      await store.calls.open(call(`uk${i}`, 'acme', MONDAY + DAY + i * 900_000, { called: '00442079460018' }));
    }
    await store.calls.open(
      call('premium', 'acme', MONDAY + 2 * DAY, {
        called: '0899123456',
        answeredAt: undefined,
        endedAt: MONDAY + 2 * DAY,
        disposition: 'rejected',
        action: 'reject',
        sipStatus: 403,
      }),
    );
    for (let i = 0; i < 4; i++) {
      await store.calls.open(
        call(`in${i}`, 'acme', MONDAY + 3 * DAY + i * 60_000, {
          direction: 'inbound',
          caller: '+33612345678',
          called: '201',
        }),
      );
    }
    // Outside the week, and another tenant's: never replayed for acme.
    await store.calls.open(call('before', 'acme', WEEK.from - 1, { called: '00442079460018' }));
    await store.calls.open(call('beta-uk', 'beta', MONDAY + DAY, { called: '00442079460018' }));
    // beta's last days, for the default range: two calls in it, one 8 days old.
    await store.calls.open(call('b-recent1', 'beta', now - 2 * DAY));
    await store.calls.open(call('b-recent2', 'beta', now - 3 * 3_600_000));
    await store.calls.open(call('b-old', 'beta', now - 8 * DAY));
  });
  after(async () => {
    await store?.close();
    await h?.stop();
  });

  test('a policy change changes the counts: the new one would have refused 4, the current one 1', async () => {
    const c = await h.as('acme-admin');
    const r = await c.request('POST', '/api/tenants/acme/replay', { policy: REFUSE_ABROAD, ...WEEK });
    assert.equal(r.status, 200, r.body);
    const j = r.json;
    assert.equal(j.tenant, 'acme');
    assert.equal(j.records, 20);
    assert.equal(j.more, false);
    assert.equal(j.policyGiven, true);
    assert.equal(j.calls, 20);
    assert.equal(j.refused, 4);
    assert.equal(j.cut, 0);
    assert.deepEqual(j.byRule, { 'destination-class': 4 });
    assert.equal(j.current.calls, 20);
    assert.equal(j.current.refused, 1, 'the premium call, refused then too');
    assert.deepEqual(j.current.byRule, { 'destination-class': 1 });
    assert.equal(j.changed, 3);
    // The examples show first what the change changes: the London calls, allowed then, refused now.
    const changed = j.examples.filter((e: { current?: string }) => e.current !== undefined);
    assert.equal(changed.length, 3);
    for (const e of changed) {
      assert.equal(e.outcome, 'refused');
      assert.equal(e.current, 'allowed');
      assert.equal(e.signal, 'DST_INTERNATIONAL');
      assert.equal(e.destination.e164, '+442079460018');
      assert.match(e.id, /^uk\d$/);
    }
    assert.ok(j.examples.some((e: { id: string; outcome: string }) => e.id === 'premium' && e.outcome === 'refused'));
    assert.ok(j.costSaved > j.current.costSaved, 'refusing the London calls saves their cost');
    // Nothing changed: the log is as it was, the policy too.
    assert.equal((await store.calls.get('uk0'))?.action, 'allow');
    const policy = await c.request('GET', '/api/tenants/acme/policy');
    assert.equal(policy.json.policy.rules['destination-class'], undefined);
  });

  test('without a policy: the current one, once; in monitor mode it says what it would have refused', async () => {
    const c = await h.as('integrator');
    const r = await c.request('POST', '/api/tenants/acme/replay', {
      from: new Date(WEEK.from).toISOString(),
      to: WEEK.to,
    });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.policyGiven, false);
    assert.equal(r.json.refused, 1);
    assert.equal(r.json.changed, 0);
    assert.deepEqual(r.json.current.byRule, r.json.byRule);
    const m = await c.request('POST', '/api/tenants/acme/replay', {
      policy: { ...REFUSE_ABROAD, mode: 'monitor' },
      ...WEEK,
    });
    assert.equal(m.json.mode, 'monitor');
    assert.equal(m.json.refused, 4);
  });

  test('the default range is the last 7 days', async () => {
    const c = await h.as('beta-admin');
    const r = await c.request('POST', '/api/tenants/beta/replay');
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.records, 2);
    assert.ok(Math.abs(Date.parse(r.json.to) - Date.now()) < 60_000);
    assert.equal(Date.parse(r.json.to) - Date.parse(r.json.from), 7 * DAY);
  });

  test('an invalid policy is 400 with every issue; a bad range too', async () => {
    const c = await h.as('acme-admin');
    const r = await c.request('POST', '/api/tenants/acme/replay', {
      policy: { country: 'XX', mode: 'sometimes', rules: { 'destination-class': { open: { premium: 'maybe' } } } },
    });
    assert.equal(r.status, 400);
    assert.equal(r.json.code, 'TG_ERR_CONFIG_INVALID');
    const paths = r.json.issues.map((i: { path: string }) => i.path);
    assert.ok(paths.includes('country'), paths.join());
    assert.ok(paths.includes('mode'), paths.join());
    assert.ok(
      paths.some((p: string) => p.startsWith('rules.destination-class')),
      paths.join(),
    );
    const range = await c.request('POST', '/api/tenants/acme/replay', { from: WEEK.to, to: WEEK.from });
    assert.equal(range.status, 400);
    assert.equal(range.json.code, 'TG_ERR_USAGE');
    const shape = await c.request('POST', '/api/tenants/acme/replay', { from: 'last week' });
    assert.equal(shape.status, 400);
    assert.equal(shape.json.issues[0].path.startsWith('body.from'), true);
    const tariffs = await c.request('POST', '/api/tenants/acme/replay', {
      policy: { country: 'FR', tariffs: '/etc/passwd' },
    });
    assert.equal(tariffs.status, 400);
    assert.equal(tariffs.json.issues[0].path, 'tariffs');
  });

  test('a viewer may not replay; no login is 401; a user of another tenant gets 404 as for no tenant', async () => {
    const v = await h.as('acme-viewer');
    const r = await v.request('POST', '/api/tenants/acme/replay', {});
    assert.equal(r.status, 403);
    assert.equal(r.json.code, 'TG_ERR_FORBIDDEN');
    assert.equal((await h.anonymous.request('POST', '/api/tenants/acme/replay', {})).status, 401);
    const b = await h.as('beta-admin');
    for (const tenant of ['acme', 'nope']) {
      const x = await b.request('POST', `/api/tenants/${tenant}/replay`, { policy: REFUSE_ABROAD });
      assert.equal(x.status, 404);
      assert.deepEqual(x.json, { code: 'TG_ERR_NOT_FOUND', message: `no tenant ${tenant}` });
    }
    // A token of beta's admin replays beta only: the acme calls of the same day are not in its figures.
    const t = await h.withToken('beta-admin');
    const own = await t.request('POST', '/api/tenants/beta/replay', { policy: REFUSE_ABROAD, ...WEEK });
    assert.equal(own.status, 200);
    assert.equal(own.json.records, 1);
    assert.equal(own.json.refused, 1);
  });

  test('the OpenAPI document lists the route as write', async () => {
    const doc = (await h.anonymous.request('GET', '/api/openapi.json')).json;
    const post = doc.paths['/api/tenants/{id}/replay'].post;
    assert.equal(post['x-access'], 'write');
    assert.ok(post.requestBody.content['application/json'].schema.properties.policy !== undefined);
  });
});
