// `tollguard config check FILE` and `tollguard config schema`: validate a configuration before it goes live, and
// give editors a JSON Schema to complete and underline keys as the file is written.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { configJsonSchema, renderConfigReference } from '../../config/reference.js';
import { formatIssue, parseConfigText } from '../../config/load.js';

export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('check a configuration file, print its JSON Schema');

  config
    .command('check')
    .description('validate a configuration file: every mistake with its key path and line')
    .argument('<file>', 'the YAML configuration file')
    .option('--json', 'print {ok, issues:[{path, message, line}]}')
    .action((file: string, opts: { json?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        process.stderr.write(`tollguard: cannot read ${file}: ${(err as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      const result = parseConfigText(text);
      const issues = result.ok ? [] : result.issues;
      if (opts.json) {
        process.stdout.write(JSON.stringify({ ok: result.ok, issues }) + '\n');
      } else if (result.ok) {
        const n = result.config.tenants.length;
        process.stdout.write(`${file}: valid (${n} tenant${n === 1 ? '' : 's'})\n`);
      } else {
        process.stdout.write(`${file}: ${issues.length} mistake${issues.length === 1 ? '' : 's'}\n`);
        for (const issue of issues) process.stdout.write(`  ${formatIssue(issue)}\n`);
      }
      process.exitCode = result.ok ? 0 : 1;
    });

  config
    .command('schema')
    .description('print the JSON Schema of the configuration file (for editors)')
    .option('--markdown', 'print the reference table of every option instead (docs/config.md)')
    .action((opts: { markdown?: boolean }) => {
      process.stdout.write(
        opts.markdown ? renderConfigReference() : JSON.stringify(configJsonSchema(), null, 2) + '\n',
      );
    });
}
