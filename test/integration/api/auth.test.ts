// Who may do what through the API: logins and their lockout (R-LOCKOUT), the session cookie and its CSRF token,
// bearer tokens, the three roles, and tenants kept apart (R-CONFIDENTIAL). Routes are walked from the OpenAPI
// document, so a route added later is checked without anyone remembering to.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startApiHarness, PASSWORD, type ApiHarness } from '../../helpers/api.js';

let h: ApiHarness;
before(async () => {
  h = await startApiHarness();
});
after(() => h.stop());

interface Operation {
  method: string;
  path: string;
  access: string;
}

async function operations(): Promise<Operation[]> {
  const doc = (await h.anonymous.request('GET', '/api/openapi.json')).json as {
    paths: Record<string, Record<string, { 'x-access': string }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, access: op['x-access'] })),
  );
}

/** A concrete URL of an operation: tenant ids are `tenant`, other ids a name that exists nowhere. */
const urlOf = (path: string, tenant = 'acme') =>
  path.replace(/\/api\/tenants\/\{id\}/, `/api/tenants/${tenant}`).replace(/\{[A-Za-z]+\}/g, 'no-such-id');

test('a login sets an HttpOnly SameSite=Strict cookie; /api/me tells who and which tenants', async () => {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/login',
    payload: { username: 'ACME-admin', password: PASSWORD },
  });
  assert.equal(res.statusCode, 200, res.body);
  const cookie = String(res.headers['set-cookie']);
  assert.match(cookie, /^tg_session=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
  const me = await (await h.as('acme-admin')).request('GET', '/api/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.account.role, 'tenant-admin');
  assert.equal(me.json.account.passwordHash, undefined);
  assert.deepEqual(me.json.tenants, [{ id: 'acme', name: 'Acme SARL' }]);
  assert.equal(typeof me.json.csrfToken, 'string');
});

test('a change through the session needs its CSRF token; a bearer token needs none', async () => {
  const c = await h.as('acme-admin');
  const without = await c.request('POST', '/api/quarantines/release', { tenant: 'acme' }, { 'x-csrf-token': '' });
  assert.equal(without.status, 403);
  assert.equal(without.json.code, 'TG_ERR_CSRF');
  const wrong = await c.request('POST', '/api/quarantines/release', { tenant: 'acme' }, { 'x-csrf-token': 'nope' });
  assert.equal(wrong.json.code, 'TG_ERR_CSRF');
  assert.equal((await c.request('POST', '/api/quarantines/release', { tenant: 'acme' })).status, 200);
  const t = await h.withToken('acme-admin');
  assert.equal((await t.request('POST', '/api/quarantines/release', { tenant: 'acme' })).status, 200);
});

test('three bad passwords lock the account, even against the right one; unlock or time frees it', async () => {
  await h.accounts.create({ username: 'lock-me', password: PASSWORD, role: 'viewer', tenants: ['acme'] });
  const login = (password: string) => h.anonymous.request('POST', '/api/login', { username: 'lock-me', password });
  assert.equal((await login('wrong-1')).status, 401);
  assert.equal((await login('wrong-2')).status, 401);
  const third = await login('wrong-3');
  assert.equal(third.status, 423);
  assert.equal(third.json.code, 'TG_ERR_LOCKED');
  assert.ok(third.json.until > Date.now() + 14 * 60_000);
  assert.equal((await login(PASSWORD)).status, 423);
  // A good login in between resets the count: two failures, a success, two failures do not lock.
  await h.accounts.unlock((await h.accounts.byUsername('lock-me'))!.id);
  assert.equal((await login('wrong')).status, 401);
  assert.equal((await login('wrong')).status, 401);
  assert.equal((await login(PASSWORD)).status, 200);
  assert.equal((await login('wrong')).status, 401);
  assert.equal((await login(PASSWORD)).status, 200);
});

test('an unknown username and a wrong password get the same answer', async () => {
  const a = await h.anonymous.request('POST', '/api/login', { username: 'nobody', password: 'x' });
  const b = await h.anonymous.request('POST', '/api/login', { username: 'acme-viewer', password: 'x' });
  assert.equal(a.status, 401);
  assert.deepEqual(a.json, b.json);
});

test('logout ends the session; a revoked or made-up token is refused', async () => {
  const c = await h.as('acme-viewer');
  assert.equal((await c.request('GET', '/api/me')).status, 200);
  assert.equal((await c.request('POST', '/api/logout')).status, 200);
  assert.equal((await c.request('GET', '/api/me')).status, 401);

  const t = await h.withToken('acme-viewer');
  assert.equal((await t.request('GET', '/api/calls')).status, 200);
  const list = await t.request('GET', '/api/tokens');
  assert.equal(list.json.tokens[0].hash, undefined);
  assert.equal((await t.request('DELETE', `/api/tokens/${list.json.tokens[0].id}`)).status, 200);
  assert.equal((await t.request('GET', '/api/calls')).status, 401);
  const fake = await h.anonymous.request('GET', '/api/calls', undefined, { authorization: 'Bearer tg_madeup' });
  assert.equal(fake.status, 401);
});

test('every route but the public ones refuses a request without credentials', async () => {
  const ops = await operations();
  assert.ok(ops.length >= 20, `only ${ops.length} operations`);
  for (const op of ops) {
    const res = await h.anonymous.request(op.method, urlOf(op.path), op.method === 'GET' ? undefined : {});
    if (op.access === 'public') assert.notEqual(res.status, 401, `${op.method} ${op.path}`);
    else assert.equal(res.status, 401, `${op.method} ${op.path} answered ${res.status} without credentials`);
  }
});

test('a viewer changes nothing: every write route answers 403', async () => {
  const viewer = await h.withToken('acme-viewer');
  for (const op of await operations()) {
    if (op.access !== 'write' && op.access !== 'integrator') continue;
    const res = await viewer.request(op.method, urlOf(op.path), op.method === 'GET' ? undefined : {});
    assert.equal(res.status, 403, `${op.method} ${op.path} answered ${res.status} to a viewer`);
    assert.equal(res.json.code, 'TG_ERR_FORBIDDEN');
  }
});

test('a tenant admin never reaches another tenant: every /api/tenants/{id} route answers 404 for it', async () => {
  const beta = await h.withToken('beta-admin');
  let checked = 0;
  for (const op of await operations()) {
    if (!op.path.startsWith('/api/tenants/{id}')) continue;
    checked++;
    const res = await beta.request(op.method, urlOf(op.path, 'acme'), op.method === 'GET' ? undefined : {});
    assert.ok(
      res.status === 404 || res.status === 403,
      `${op.method} ${op.path} for acme answered ${res.status} to beta's admin`,
    );
    assert.doesNotMatch(res.body, /Acme SARL/);
  }
  assert.ok(checked >= 3);
  // And its own tenant is open to it.
  assert.equal((await beta.request('GET', '/api/tenants/beta/policy')).status, 200);
});

test('the tenants, the call log, one record, live calls and quarantines show only the tenants an account sees', async () => {
  const store = await h.t.openStore();
  const base = { direction: 'outbound' as const, caller: '201', disposition: 'completed' as const };
  await store.calls.open({ ...base, id: 'acme-1', tenantId: 'acme', startedAt: 1_000, called: '0899000001' });
  await store.calls.open({ ...base, id: 'beta-1', tenantId: 'beta', startedAt: 2_000, called: '0899000002' });
  await store.close();
  const beta = await h.withToken('beta-admin');
  assert.deepEqual(
    (await beta.request('GET', '/api/calls')).json.calls.map((c: { id: string }) => c.id),
    ['beta-1'],
  );
  assert.equal((await beta.request('GET', '/api/calls?tenant=acme')).status, 400);
  assert.equal((await beta.request('GET', '/api/calls/acme-1')).status, 404);
  assert.equal((await beta.request('GET', '/api/calls/beta-1')).status, 200);
  const csv = (await beta.request('GET', '/api/calls?format=csv')).body;
  assert.match(csv, /beta-1/);
  assert.doesNotMatch(csv, /acme-1/);
  assert.equal((await beta.request('GET', '/api/quarantines?tenant=acme')).json.quarantines.length, 0);
  assert.deepEqual((await beta.request('GET', '/api/tenants')).json, {
    tenants: [{ id: 'beta', name: 'Beta SAS', country: 'FR', mode: 'enforce' }],
  });
  assert.deepEqual((await beta.request('GET', '/api/calls/live')).json, { calls: [] });
  const all = await h.withToken('integrator');
  assert.deepEqual(
    (await all.request('GET', '/api/calls')).json.calls.map((c: { id: string }) => c.id),
    ['beta-1', 'acme-1'],
  );
});

test('firewall-wide routes (bans, reload, metrics) are for integrators of every tenant', async () => {
  const admin = await h.withToken('acme-admin');
  assert.equal((await admin.request('GET', '/api/bans')).status, 200);
  assert.equal((await admin.request('POST', '/api/bans', { address: '192.0.2.9' })).status, 403);
  assert.equal((await admin.request('GET', '/metrics')).status, 403);
  const all = await h.withToken('integrator');
  const ban = await all.request('POST', '/api/bans', { address: '192.0.2.9', minutes: 5 });
  assert.equal(ban.status, 201);
  assert.equal(ban.json.ban.by, 'integrator');
  assert.equal((await all.request('POST', '/api/bans/lift', { address: '192.0.2.9' })).status, 200);
  const metrics = await all.request('GET', '/metrics');
  assert.equal(metrics.status, 200);
  assert.match(metrics.body, /tollguard_/);
});

test('accounts: an admin manages its tenant\u2019s accounts only; passwords follow R-PW-POLICY', async () => {
  const admin = await h.as('acme-admin');
  const weak = await admin.request('POST', '/api/accounts', {
    username: 'compta',
    password: 'Password1',
    role: 'viewer',
    tenants: ['acme'],
  });
  assert.equal(weak.status, 400);
  assert.match(weak.body, /password/);
  const made = await admin.request('POST', '/api/accounts', {
    username: 'compta',
    password: 'Lune-Verte-42x',
    role: 'viewer',
    tenants: ['acme'],
  });
  assert.equal(made.status, 201, made.body);
  assert.equal(made.json.account.passwordHash, undefined);
  const dup = await admin.request('POST', '/api/accounts', {
    username: 'COMPTA',
    password: 'Lune-Verte-42x',
    role: 'viewer',
    tenants: ['acme'],
  });
  assert.equal(dup.status, 409);
  for (const body of [
    { username: 'x-beta', password: 'Lune-Verte-42x', role: 'viewer', tenants: ['beta'] },
    { username: 'x-int', password: 'Lune-Verte-42x', role: 'integrator', tenants: ['acme'] },
    { username: 'x-all', password: 'Lune-Verte-42x', role: 'integrator', tenants: ['*'] },
  ]) {
    assert.equal((await admin.request('POST', '/api/accounts', body)).status, 403, body.username);
  }
  const names = (await admin.request('GET', '/api/accounts')).json.accounts.map(
    (a: { username: string }) => a.username,
  );
  assert.ok(names.includes('compta') && names.includes('acme-viewer'));
  assert.ok(!names.includes('beta-admin') && !names.includes('integrator'));
  const betaId = (await h.accounts.byUsername('beta-admin'))!.id;
  assert.equal((await admin.request('PUT', `/api/accounts/${betaId}`, { unlock: true })).status, 404);
  assert.equal((await admin.request('DELETE', `/api/accounts/${betaId}`)).status, 404);
  const id = made.json.account.id as string;
  assert.equal((await admin.request('PUT', `/api/accounts/${id}`, { tenants: ['beta'] })).status, 403);
  assert.equal((await admin.request('DELETE', `/api/accounts/${id}`)).status, 200);
});

test('one\u2019s own password: the current one is asked, the new one checked, sessions end', async () => {
  await h.accounts.create({ username: 'changer', password: PASSWORD, role: 'viewer', tenants: ['acme'] });
  const login = await h.anonymous.request('POST', '/api/login', { username: 'changer', password: PASSWORD });
  const c = {
    cookie: String(login.headers['set-cookie']).split(';')[0]!,
    'x-csrf-token': login.json.csrfToken as string,
  };
  const change = (body: object) => h.anonymous.request('POST', '/api/me/password', body, c);
  assert.equal((await change({ current: 'wrong', password: 'Lune-Verte-42x' })).status, 401);
  assert.equal((await change({ current: PASSWORD, password: 'short' })).status, 400);
  assert.equal((await change({ current: PASSWORD, password: 'Lune-Verte-42x' })).status, 200);
  assert.equal((await h.anonymous.request('GET', '/api/me', undefined, c)).status, 401);
  const again = await h.anonymous.request('POST', '/api/login', { username: 'changer', password: 'Lune-Verte-42x' });
  assert.equal(again.status, 200);
});

test('bad input is a 400 naming each issue, with a stable code', async () => {
  const c = await h.withToken('integrator');
  const res = await c.request('POST', '/api/bans', { address: 7, minutes: -1 });
  assert.equal(res.status, 400);
  assert.equal(res.json.code, 'TG_ERR_USAGE');
  assert.deepEqual(res.json.issues.map((i: { path: string }) => i.path).sort(), ['body.address', 'body.minutes']);
});
