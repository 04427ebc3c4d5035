import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../helpers/fixtures.js';
import { renderConfigReference } from '../../../src/config/reference.js';
import { parseConfigText } from '../../../src/config/load.js';

const doc = readFileSync(path.join(repoRoot, 'docs', 'config.md'), 'utf8');

test('docs/config.md holds the reference generated from the schema (run `tollguard config schema --markdown`)', () => {
  const m = /<!-- generated: begin -->\n([\s\S]*)<!-- generated: end -->/.exec(doc);
  assert.ok(m, 'docs/config.md has the generated markers');
  assert.equal(m[1], renderConfigReference());
});

test('the example in docs/config.md is a valid configuration', () => {
  const m = /```yaml\n([\s\S]*?)```/.exec(doc);
  assert.ok(m);
  const r = parseConfigText(m[1]!);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
});
