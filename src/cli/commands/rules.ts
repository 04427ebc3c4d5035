// `tollguard rules`: the rules the engine runs, the signals each can raise with their default action, and the
// recommendation each serves; `--markdown` writes the reference in docs/rules.md (a test keeps it true).
// `tollguard release`: lifts a quarantine on a running firewall, through its API.
import type { Command } from 'commander';
import { RULES } from '../../rules/index.js';
import { callApi, withApiOptions, type ApiOptions } from '../api-client.js';

/** Signals the engine itself raises, outside any rule: in the docs so every signal a call record shows is there. */
const ENGINE_SIGNALS = [
  {
    signal: 'QUARANTINE_ACTIVE',
    action: 'reject',
    severity: 'high',
    description: 'The extension or tenant is quarantined until a person releases it.',
  },
  {
    signal: 'ENGINE_FAILED',
    action: 'alert',
    severity: 'high',
    description: 'The engine failed or was late; the tenant\u2019s fail mode decided (open: alert, closed: reject).',
  },
];

/** The rule reference in docs/rules.md, generated from the rule list. */
export function renderRulesReference(): string {
  const out: string[] = [];
  for (const r of RULES) {
    out.push(
      `### \`${r.id}\` (${r.recommendation})`,
      '',
      `${r.description} Looks at ${(r.directions ?? ['outbound']).join(' and ')} calls.`,
      '',
    );
    out.push('| signal | default action | severity | meaning |', '|---|---|---|---|');
    for (const [name, s] of Object.entries(r.signals))
      out.push(`| \`${name}\` | ${s.action} | ${s.severity} | ${s.description} |`);
    out.push('');
  }
  out.push('### The engine itself', '', '| signal | default action | severity | meaning |', '|---|---|---|---|');
  for (const s of ENGINE_SIGNALS) out.push(`| \`${s.signal}\` | ${s.action} | ${s.severity} | ${s.description} |`);
  out.push('');
  return out.join('\n');
}

export function registerRulesCommands(program: Command): void {
  program
    .command('rules')
    .description('list the rules, their signals and default actions')
    .option('--json', 'print the list as JSON')
    .option('--markdown', 'print the reference as Markdown')
    .action((opts: { json?: boolean; markdown?: boolean }) => {
      if (opts.markdown) {
        process.stdout.write(renderRulesReference());
        return;
      }
      const list = RULES.map((r) => ({
        id: r.id,
        recommendation: r.recommendation,
        description: r.description,
        signals: Object.entries(r.signals).map(([signal, s]) => ({ signal, ...s })),
      }));
      if (opts.json) {
        process.stdout.write(JSON.stringify(list, null, 2) + '\n');
        return;
      }
      for (const r of list) {
        process.stdout.write(`${r.id} (${r.recommendation}): ${r.description}\n`);
        for (const s of r.signals)
          process.stdout.write(`  ${s.signal.padEnd(22)} ${s.action.padEnd(10)} ${s.description}\n`);
      }
    });

  withApiOptions(
    program
      .command('release')
      .description('release a quarantined tenant or extension on a running firewall')
      .requiredOption('--tenant <id>', 'the tenant')
      .option('--extension <ext>', 'only this extension (default: the tenant and all its extensions)')
      .option('--json', 'print the API\u2019s answer as JSON'),
  ).action(async (opts: ApiOptions & { tenant: string; extension?: string; json?: boolean }) => {
    const body = await callApi<{ released?: number }>(opts, 'POST', '/api/quarantines/release', {
      tenant: opts.tenant,
      ...(opts.extension ? { extension: opts.extension } : {}),
    });
    if (opts.json) process.stdout.write(JSON.stringify(body) + '\n');
    else {
      const what = opts.extension ? `extension ${opts.extension} of ${opts.tenant}` : `tenant ${opts.tenant}`;
      process.stdout.write(
        body.released
          ? `released: ${what} (${body.released} quarantine(s) lifted)\n`
          : `nothing to release for ${what}\n`,
      );
    }
  });
}
