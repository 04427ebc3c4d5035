// Rewrites the generated parts of the docs from the code: the option table of docs/config.md (from the schema) and
// docs/rules.md (from the rule list). Tests fail when either is out of date; run `npm run docs` after a change.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderConfigReference } from '../dist/src/config/reference.js';
import { renderRulesReference } from '../dist/src/cli/commands/rules.js';

function replaceGenerated(file, text) {
  const doc = readFileSync(file, 'utf8');
  const re = /(<!-- generated: begin -->\n)[\s\S]*(<!-- generated: end -->)/;
  if (!re.test(doc)) throw new Error(`${file} has no generated markers`);
  writeFileSync(
    file,
    doc.replace(re, (_m, a, b) => a + text + b),
  );
  console.log(`updated ${file}`);
}

replaceGenerated('docs/config.md', renderConfigReference());
replaceGenerated('docs/rules.md', renderRulesReference());
