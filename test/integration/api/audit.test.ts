// Audit reports through the API, by inject(): the real Asterisk and FreeSWITCH fixtures packed into archives (by
// tar and zip as people make them) uploaded, audited as `tollguard audit` audits the folder, stored and read back
// (JSON, HTML, Markdown, the list); every role, a user of another tenant told nothing exists, and bad or oversized
// uploads refused with their codes.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApiHarness, type ApiHarness, type Client } from '../../helpers/api.js';
import { fixturePath } from '../../helpers/fixtures.js';
import { tarGz, zip, entriesOf } from '../../helpers/archive.js';
import { audit } from '../../../src/audit/run.js';
import { MAX_AUDIT_UPLOAD } from '../../../src/api/routes/audit.js';

const BASIC = fixturePath('asterisk', 'basic-pbx');
const FREEPBX = fixturePath('asterisk', 'freepbx_stgnet_dring_test');
const VANILLA = fixturePath('freeswitch', 'conf', 'vanilla');
const OCTETS = { 'content-type': 'application/octet-stream' };

function upload(c: Client, tenant: string, data: Buffer, query = '') {
  return c.request('POST', `/api/tenants/${tenant}/audit${query}`, data, OCTETS);
}

describe('audit routes', () => {
  let h: ApiHarness;
  const tmp = mkdtempSync(path.join(tmpdir(), 'tollguard-audit-api-'));
  // /etc/asterisk as `tar -czf` packs it, and FreeSWITCH's conf/ as `zip -r` does.
  let asteriskTgz: Buffer;
  let freeswitchZip: Buffer;

  before(async () => {
    h = await startApiHarness();
    asteriskTgz = execFileSync('tar', ['-czf', '-', '-C', path.dirname(BASIC), path.basename(BASIC)]);
    execFileSync('zip', ['-q', '-r', path.join(tmp, 'conf.zip'), 'vanilla'], { cwd: path.dirname(VANILLA) });
    freeswitchZip = readFileSync(path.join(tmp, 'conf.zip'));
  });
  after(async () => {
    await h?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('no report yet: 404 with its code (the console says how to run one)', async () => {
    const r = await (await h.as('acme-viewer')).request('GET', '/api/tenants/acme/audit');
    assert.equal(r.status, 404);
    assert.equal(r.json.code, 'TG_ERR_NOT_FOUND');
    const list = await (await h.as('acme-viewer')).request('GET', '/api/tenants/acme/audits');
    assert.deepEqual(list.json, { reports: [] });
  });

  test('a tenant admin uploads /etc/asterisk as a .tar.gz: the audit of the folder, stored and answered', async () => {
    const c = await h.as('acme-admin');
    const r = await upload(c, 'acme', asteriskTgz, '?name=etc-asterisk.tar.gz');
    assert.equal(r.status, 201, r.body);
    const rep = r.json.report;
    assert.equal(rep.tenantId, 'acme');
    assert.equal(rep.pbx, 'asterisk');
    assert.equal(rep.by, 'acme-admin');
    assert.equal(rep.source, 'etc-asterisk.tar.gz: basic-pbx');
    const folder = audit('asterisk', BASIC);
    assert.deepEqual(
      rep.result.findings.map((f: { check: string; line: number }) => `${f.check}:${f.line}`),
      folder.findings.map((f) => `${f.check}:${f.line}`),
    );
    assert.deepEqual([...rep.result.filesRead].sort(), [...folder.filesRead].sort());
    assert.equal(rep.result.dir, 'basic-pbx', 'the folder as the archive names it, not a temporary path');
    assert.equal(rep.result.archive.format, 'tar.gz');
    assert.equal(rep.summary.counts.high + rep.summary.counts.medium + rep.summary.counts.low, 3);
    assert.equal(rep.worst, rep.summary.worst);
    assert.ok(rep.summary.level && rep.summary.now.length > 0);
    assert.equal(rep.result.model, undefined);
  });

  test('an integrator uploads FreeSWITCH conf/ as a .zip, and a FreePBX dump with a bearer token', async () => {
    const c = await h.as('integrator');
    const r = await c.request('POST', '/api/tenants/acme/audit?name=conf.zip', freeswitchZip, {
      'content-type': 'application/zip',
    });
    assert.equal(r.status, 201, r.body);
    assert.equal(r.json.report.pbx, 'freeswitch');
    assert.equal(r.json.report.result.archive.format, 'zip');
    assert.equal(r.json.report.result.findings.length, audit('freeswitch', VANILLA).findings.length);
    assert.equal(r.json.report.worst, 'critical');

    const t = await h.withToken('integrator');
    const dump = tarGz(entriesOf(FREEPBX, 'etc/asterisk'));
    const b = await upload(t, 'beta', dump, '?pbx=asterisk');
    assert.equal(b.status, 201, b.body);
    assert.equal(b.json.report.result.dir, 'etc/asterisk');
    assert.ok(b.json.report.result.findings.some((f: { check: string }) => f.check === 'asterisk.admin-secret'));
  });

  test('the latest report, one by id, the list newest first, HTML and Markdown', async () => {
    const c = await h.as('acme-viewer');
    const latest = await c.request('GET', '/api/tenants/acme/audit');
    assert.equal(latest.status, 200);
    assert.equal(latest.json.report.pbx, 'freeswitch');
    const list = await c.request('GET', '/api/tenants/acme/audits');
    assert.deepEqual(
      list.json.reports.map((x: { pbx: string }) => x.pbx),
      ['freeswitch', 'asterisk'],
    );
    assert.equal(list.json.reports[0].result, undefined, 'the list leaves the findings out');
    const older = list.json.reports[1].id;
    const one = await c.request('GET', `/api/tenants/acme/audit?report=${older}`);
    assert.equal(one.json.report.pbx, 'asterisk');
    assert.equal((await c.request('GET', '/api/tenants/acme/audits?limit=1')).json.reports.length, 1);

    const html = await c.request('GET', `/api/tenants/acme/audit.html?report=${older}`);
    assert.equal(html.status, 200);
    assert.match(String(html.headers['content-type']), /^text\/html/);
    assert.match(html.body, /<h1>Phone system security audit: Acme SARL<\/h1>/);
    assert.match(html.body, /Asterisk configuration, \d+ files read/);
    const csp = String(html.headers['content-security-policy']);
    assert.match(csp, /style-src 'unsafe-inline'/);
    assert.doesNotMatch(csp, /script-src/);
    assert.match(csp, /default-src 'none'/);
    assert.match(String(html.headers['content-disposition']), /filename="audit-acme-\d{4}-\d\d-\d\d\.html"/);
    const named = await c.request('GET', '/api/tenants/acme/audit.html?customer=Dupont%20%26%20Fils&integrator=Telco');
    assert.match(named.body, /Dupont &amp; Fils/);
    assert.match(named.body, /<strong>Telco<\/strong>/);
    const md = await c.request('GET', '/api/tenants/acme/audit.md');
    assert.equal(md.status, 200);
    assert.match(String(md.headers['content-type']), /^text\/markdown/);
    assert.match(md.body, /^# /m);
  });

  test('a viewer may read but not upload; no login is 401', async () => {
    const v = await h.as('acme-viewer');
    const r = await upload(v, 'acme', asteriskTgz);
    assert.equal(r.status, 403);
    assert.equal(r.json.code, 'TG_ERR_FORBIDDEN');
    for (const url of ['/api/tenants/acme/audit', '/api/tenants/acme/audit.html', '/api/tenants/acme/audits']) {
      assert.equal((await h.anonymous.request('GET', url)).status, 401, url);
    }
    assert.equal((await upload(h.anonymous, 'acme', asteriskTgz)).status, 401);
  });

  test('a user of another tenant learns nothing: 404 as for a tenant that does not exist, report ids included', async () => {
    const acmeId = (await (await h.as('acme-admin')).request('GET', '/api/tenants/acme/audit')).json.report.id;
    const c = await h.as('beta-admin');
    for (const tenant of ['acme', 'nope']) {
      for (const url of [
        `/api/tenants/${tenant}/audit`,
        `/api/tenants/${tenant}/audit?report=${acmeId}`,
        `/api/tenants/${tenant}/audit.html`,
        `/api/tenants/${tenant}/audit.md`,
        `/api/tenants/${tenant}/audits`,
      ]) {
        const r = await c.request('GET', url);
        assert.equal(r.status, 404, url);
        assert.deepEqual(r.json, { code: 'TG_ERR_NOT_FOUND', message: `no tenant ${tenant}` }, url);
      }
      const u = await upload(c, tenant, asteriskTgz);
      assert.equal(u.status, 404);
      assert.equal(u.json.message, `no tenant ${tenant}`);
    }
    // Its own tenant's report by acme's id: not there either.
    const own = await c.request('GET', `/api/tenants/beta/audit?report=${acmeId}`);
    assert.equal(own.status, 404);
    assert.match(own.json.message, /no audit report/);
    // And acme's viewer does not see beta's report.
    assert.equal((await (await h.as('acme-viewer')).request('GET', '/api/tenants/beta/audit')).status, 404);
  });

  test('bad uploads: not an archive, .. entries, no configuration, both PBXs, JSON, too large', async () => {
    const c = await h.as('acme-admin');
    const notArchive = await upload(c, 'acme', Buffer.from('[general]\nallowguest=yes\n'));
    assert.equal(notArchive.status, 400);
    assert.equal(notArchive.json.code, 'TG_ERR_ARCHIVE');
    const climbing = await upload(c, 'acme', tarGz([{ name: '../../etc/cron.d/x', data: '* * * * * root id\n' }]));
    assert.equal(climbing.status, 400);
    assert.equal(climbing.json.code, 'TG_ERR_ARCHIVE');
    assert.match(climbing.json.message, /climbs out/);
    const nothing = await upload(c, 'acme', zip([{ name: 'readme.txt', data: 'hello' }]));
    assert.equal(nothing.status, 400);
    assert.equal(nothing.json.code, 'TG_ERR_USAGE');
    const both = tarGz([
      { name: 'asterisk/sip.conf', data: '[general]\n' },
      { name: 'freeswitch/vars.xml', data: '<include/>\n' },
    ]);
    assert.match((await upload(c, 'acme', both)).json.message, /\?pbx=/);
    assert.equal((await upload(c, 'acme', both, '?pbx=freeswitch')).status, 201);
    const badPbx = await upload(c, 'acme', both, '?pbx=3cx');
    assert.equal(badPbx.status, 400);
    assert.equal(badPbx.json.issues[0].path, 'query.pbx');
    const json = await c.request('POST', '/api/tenants/acme/audit', { archive: 'x' });
    assert.equal(json.status, 415);
    const empty = await upload(c, 'acme', Buffer.alloc(0));
    assert.equal(empty.status, 400);
    const big = Buffer.alloc(MAX_AUDIT_UPLOAD + 1);
    big.set(asteriskTgz);
    const tooLarge = await upload(c, 'acme', big);
    assert.equal(tooLarge.status, 413);
    assert.equal(tooLarge.json.code, 'TG_ERR_TOO_LARGE');
    // Nothing of those was stored: the latest is still the one accepted.
    const list = (await c.request('GET', '/api/tenants/acme/audits')).json.reports;
    assert.equal(list.length, 3);
  });

  test('the OpenAPI document lists the routes with their access and the upload body', async () => {
    const doc = (await h.anonymous.request('GET', '/api/openapi.json')).json;
    const post = doc.paths['/api/tenants/{id}/audit'].post;
    assert.equal(post['x-access'], 'write');
    assert.ok(post.requestBody.content['application/octet-stream']);
    assert.equal(doc.paths['/api/tenants/{id}/audit'].get['x-access'], 'read');
    assert.equal(doc.paths['/api/tenants/{id}/audit.html'].get['x-access'], 'read');
    assert.equal(doc.paths['/api/tenants/{id}/audits'].get['x-access'], 'read');
  });
});
