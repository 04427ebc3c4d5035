// docs/rules.md is generated from the rule list, and every rule is in it with every signal it can raise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../helpers/fixtures.js';
import { renderRulesReference } from '../../../src/cli/commands/rules.js';
import { RULES } from '../../../src/engine/index.js';

test('docs/rules.md holds the reference generated from the rules (run `npm run docs`)', () => {
  const doc = readFileSync(path.join(repoRoot, 'docs', 'rules.md'), 'utf8');
  const m = /<!-- generated: begin -->\n([\s\S]*)<!-- generated: end -->/.exec(doc);
  assert.ok(m, 'docs/rules.md has the generated markers');
  assert.equal(m[1], renderRulesReference());
});

test('every rule has an id, a recommendation from DESIGN and at least one signal; signal names are unique', () => {
  const names = new Set<string>();
  for (const r of RULES) {
    assert.match(r.id, /^[a-z][a-z-]+$/);
    assert.match(r.recommendation, /^R-[A-Z-]+$/);
    assert.ok(Object.keys(r.signals).length > 0, r.id);
    for (const s of Object.keys(r.signals)) {
      assert.match(s, /^[A-Z][A-Z0-9_]+$/);
      assert.ok(!names.has(s), `${s} declared twice`);
      names.add(s);
    }
    // The defaults parse from nothing: a newcomer's policy needs no option.
    assert.doesNotThrow(() => r.options.parse({}), r.id);
  }
});
