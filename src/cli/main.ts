// The `tollguard` command: one subcommand per job, each registered from its own module under commands/.
import { Command, CommanderError } from 'commander';
import { version } from '../version.js';
import { TollguardError } from '../errors.js';
import { registerConfigCommands } from './commands/config.js';
import { registerStartCommand } from './commands/start.js';
import { registerCheckCommands } from './commands/check-credentials.js';
import { registerRulesCommands } from './commands/rules.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerReplayCommands } from './commands/replay.js';
import { registerBansCommands } from './commands/bans.js';
import { registerCallsCommands } from './commands/calls.js';
import { registerAccountCommands } from './commands/account.js';
import { registerDigestCommands } from './commands/digest.js';
import { registerReportCommand } from './commands/report.js';

/** Exit codes shared by every subcommand: 0 ok, 1 the check found something (weak, findings), 2 usage or error. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export function buildProgram(): Command {
  const program = new Command('tollguard')
    .description('Voice firewall and toll-fraud guard for company phone systems')
    .version(version, '-V, --version')
    .option('--log-level <level>', 'log level: fatal, error, warn, info, debug, trace')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerStartCommand(program);
  registerConfigCommands(program);
  registerCheckCommands(program);
  registerRulesCommands(program);
  registerAuditCommands(program);
  registerReplayCommands(program);
  registerBansCommands(program);
  registerCallsCommands(program);
  registerDigestCommands(program);
  registerReportCommand(program);
  registerAccountCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; anything else commander refused is a usage error.
      process.exitCode = err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
      return;
    }
    if (err instanceof TollguardError) {
      process.stderr.write(`tollguard: ${err.message}\n`);
      process.exitCode = EXIT_USAGE;
      return;
    }
    throw err;
  }
}
