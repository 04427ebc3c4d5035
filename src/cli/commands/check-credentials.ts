// `tollguard check-pin` and `tollguard check-password`: check one PIN (R-PIN-POLICY, R-PIN-DEFAULT) or one password
// (R-PW-POLICY) against the policy before it is set, from a script or by hand. Exit 0 acceptable, 1 weak (every failing
// requirement printed), 2 usage error.
import type { Command } from 'commander';
import { checkPassword, checkPin, type PolicyResult } from '../../credentials/index.js';

/** Reads standard input to its end and returns its first line (without the line end). */
async function readFirstLine(stream: NodeJS.ReadableStream): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  const end = text.indexOf('\n');
  return (end === -1 ? text : text.slice(0, end)).replace(/\r$/, '');
}

function report(result: PolicyResult, what: string, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(JSON.stringify({ ok: result.ok, failures: result.failures }) + '\n');
  } else if (result.ok) {
    process.stdout.write(`ok: the ${what} meets every requirement\n`);
  } else {
    for (const f of result.failures) process.stdout.write(`weak: ${f.message}\n`);
  }
  process.exitCode = result.ok ? 0 : 1;
}

export function registerCheckCommands(program: Command): void {
  program
    .command('check-pin')
    .description('check a phone, voicemail or DISA PIN: exit 0 acceptable, 1 weak (every failing rule), 2 usage')
    .argument('<pin>', 'the PIN to check')
    .option('--extension <ext>', 'the extension the PIN belongs to (the PIN must differ from it)')
    .option('--login <login>', 'the login the PIN belongs to (the PIN must differ from it)')
    .option('--json', 'print {"ok":…,"failures":[{"code","message"}]}')
    .action((pin: string, opts: { extension?: string; login?: string; json?: boolean }) => {
      report(checkPin(pin, { extension: opts.extension, login: opts.login }), 'PIN', opts.json);
    });

  program
    .command('check-password')
    .description('check a password: exit 0 acceptable, 1 weak (every failing rule), 2 usage')
    .argument(
      '<password>',
      'the password to check, or - to read it from the first line of standard input so that it does not appear in ' +
        'the process list or the shell history (a password starting with - goes after --)',
    )
    .option('--login <login>', 'the login of the account (the password must differ from it and not contain it)')
    .option('--json', 'print {"ok":…,"failures":[{"code","message"}]}')
    .addHelpText('after', '\nExample:\n  printf "%s\\n" "$PW" | tollguard check-password - --login alice --json\n')
    .action(async (password: string, opts: { login?: string; json?: boolean }) => {
      let pw = password;
      if (password === '-') {
        const line = await readFirstLine(process.stdin);
        if (line === undefined) {
          process.stderr.write('tollguard: check-password -: nothing was read on standard input\n');
          process.exitCode = 2;
          return;
        }
        pw = line;
      }
      report(checkPassword(pw, { login: opts.login }), 'password', opts.json);
    });
}
