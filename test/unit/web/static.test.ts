// The console's files: served from memory with their type, an ETag (304 when unchanged), gzip when accepted, the
// security headers on every answer, nothing outside the folder whatever the path says.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerStatic, webRoot, loadStaticFiles } from '../../../src/web/static.js';

describe('console files', () => {
  let dir: string;
  let app: FastifyInstance;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tg-web-'));
    mkdirSync(path.join(dir, 'js'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(path.join(dir, 'js', 'app.js'), `export const x = '${'a'.repeat(2000)}';\n`);
    writeFileSync(path.join(dir, 'app.css'), 'body{}');
    writeFileSync(path.join(dir, '.secret.js'), 'no');
    writeFileSync(path.join(dir, 'notes.md'), 'not served');
    writeFileSync(path.join(tmpdir(), 'outside.txt'), 'outside');
    app = Fastify();
    registerStatic(app, dir);
    app.get('/api/x', async () => ({ ok: true }));
    await app.ready();
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('/ is index.html, each file with its type and the security headers', async () => {
    const r = await app.inject({ url: '/' });
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(String(r.headers['content-security-policy']), /script-src 'self'/);
    assert.match(String(r.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.doesNotMatch(String(r.headers['content-security-policy']), /unsafe-inline/);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    const js = await app.inject({ url: '/js/app.js' });
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal((await app.inject({ url: '/app.css' })).headers['content-type'], 'text/css; charset=utf-8');
    const api = await app.inject({ url: '/api/x' });
    assert.equal(api.headers['x-content-type-options'], 'nosniff', 'the API answers carry them too');
  });

  test('an unchanged file is 304 with its ETag; gzip when the browser takes it, with its own ETag', async () => {
    const first = await app.inject({ url: '/js/app.js' });
    const etag = String(first.headers.etag);
    assert.match(etag, /^"[\w-]+"$/);
    assert.equal(first.headers['cache-control'], 'no-cache');
    const again = await app.inject({ url: '/js/app.js', headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    const gz = await app.inject({ url: '/js/app.js', headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.notEqual(gz.headers.etag, etag);
    assert.equal(gunzipSync(gz.rawPayload).toString(), first.body);
    assert.ok(gz.rawPayload.length < first.rawPayload.length);
  });

  test('nothing outside the folder, no dot files, no unknown types', async () => {
    for (const url of [
      '/../outside.txt',
      '/js/../../outside.txt',
      '/%2e%2e/outside.txt',
      '/js/%2e%2e%2f%2e%2e%2foutside.txt',
      '/.secret.js',
      '/notes.md',
      '/js/',
      '/js',
    ]) {
      const r = await app.inject({ url });
      assert.equal(r.statusCode, 404, url);
      assert.notEqual(r.body, 'outside', url);
      assert.notEqual(r.body, 'no', url);
    }
  });

  test('the repository web/ folder is found from the compiled module, with the console in it', () => {
    const root = webRoot();
    assert.ok(root, 'web/ found');
    const urls = loadStaticFiles(root).map((f) => f.url);
    for (const u of ['/index.html', '/app.css', '/js/app.js', '/js/lang/fr.js', '/js/lang/en.js']) {
      assert.ok(urls.includes(u), u);
    }
  });
});
