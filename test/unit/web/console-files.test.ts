// The console's sources: every text key a page uses is in both dictionaries (and nothing else is left over), no
// markup is built from strings, no inline script in index.html, and the whole stays small.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { webRoot, loadStaticFiles } from '../../../src/web/static.js';

const root = webRoot()!;
const files = loadStaticFiles(root);
const code = files.filter((f) => f.url.endsWith('.js') && !f.url.startsWith('/js/lang/'));

async function dict(lang: string): Promise<Record<string, string>> {
  return (await import(pathToFileURL(path.join(root, 'js', 'lang', `${lang}.js`)).href)).default;
}

test('every key a page uses is in English and French, with the same {placeholders}', async () => {
  const en = await dict('en');
  const fr = await dict('fr');
  const used = new Set<string>();
  const prefixes = new Set<string>();
  for (const f of code) {
    const text = f.body.toString();
    for (const m of text.matchAll(/\bt\(\s*['`]([\w.-]+)(\$\{)?/g)) (m[2] ? prefixes : used).add(m[1]!);
    for (const m of text.matchAll(/\bword\(\s*'([\w-]+)'/g)) prefixes.add(`${m[1]}.`);
  }
  assert.ok(used.size > 100, `${used.size} keys found`);
  for (const k of used) {
    assert.ok(k in en, `en lacks ${k}`);
    assert.ok(k in fr, `fr lacks ${k}`);
  }
  for (const p of prefixes)
    assert.ok(
      Object.keys(en).some((k) => k.startsWith(p)),
      `no key starts with ${p}`,
    );
  assert.deepEqual(Object.keys(fr).sort(), Object.keys(en).sort(), 'the same keys in both languages');
  for (const k of Object.keys(en)) {
    const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    assert.deepEqual(vars(fr[k]!), vars(en[k]!), `placeholders of ${k}`);
  }
});

test('no innerHTML, no eval, no inline script or style in index.html', () => {
  for (const f of code) {
    const text = f.body.toString();
    assert.doesNotMatch(text, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/, f.url);
  }
  const index = readFileSync(path.join(root, 'index.html'), 'utf8');
  assert.doesNotMatch(index, /<script(?![^>]*\bsrc=)[^>]*>/, 'every script has a src');
  assert.doesNotMatch(index, /<style|\sstyle=|\son\w+=/);
});

test('the console is small: its code and CSS with one language under 90 KB, under 32 KB gzipped', () => {
  const one = files.filter((f) => /\.(js|css)$/.test(f.url) && f.url !== '/js/lang/en.js');
  const size = one.reduce((n, f) => n + f.body.length, 0);
  const gz = one.reduce((n, f) => n + (f.gzip ?? f.body).length, 0);
  assert.ok(size < 90_000, `${size} bytes`);
  assert.ok(gz < 32_000, `${gz} bytes gzipped`);
});
