// `tollguard start`: the firewall, its API and console, and the store, from a configuration file or, for a first
// try, from a few flags describing one site.
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfigFile, validateConfig, formatIssue } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { createLogger } from '../../log/logger.js';
import { startFirewall } from '../../main.js';
import { TollguardError } from '../../errors.js';
import { followLauncher } from '../launch.js';

interface StartOptions {
  config?: string;
  listen?: string;
  pbx?: string;
  trunk?: string;
  api?: string;
  store?: string;
  country?: string;
  monitor?: boolean;
  remoteUsers?: boolean;
}

/** Builds a one-tenant configuration from the quick-start flags. */
function configFromFlags(o: StartOptions): Record<string, unknown> {
  const cfg: Record<string, unknown> = {};
  if (o.listen) cfg.sip = { listen: [`udp://${o.listen}`, `tcp://${o.listen}`] };
  if (o.pbx || o.trunk) {
    if (!o.pbx || !o.trunk) throw new TollguardError('TG_ERR_USAGE', 'give both --pbx and --trunk (or --config FILE)');
    if (!o.country) {
      throw new TollguardError('TG_ERR_USAGE', 'give --country, the country the PBX dials from (FR, BE, DE, GB, US…)');
    }
    cfg.tenants = [
      {
        id: 'default',
        name: 'Default site',
        pbx: { addresses: [o.pbx] },
        trunk: { address: o.trunk },
        policy: { country: o.country.toUpperCase(), ...(o.monitor ? { mode: 'monitor' } : {}) },
        ...(o.remoteUsers ? { remoteUsers: true } : {}),
      },
    ];
  }
  return cfg;
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run the firewall, its API and console, and the store')
    .option('-c, --config <file>', 'YAML configuration file (see docs/config.md)')
    .option('--listen <host:port>', 'SIP address to listen on, UDP and TCP (quick start)')
    .option('--pbx <host:port>', 'the PBX address (quick start, one site)')
    .option('--trunk <host:port>', 'the operator trunk address (quick start, one site)')
    .option('--country <CC>', 'country the PBX dials from, e.g. FR (quick start; the default policy of that country)')
    .option('--monitor', 'decide and alert but refuse nothing (quick start)')
    .option(
      '--remote-users',
      'phones register from outside: relay REGISTER and their calls to the PBX, behind the edge guard',
    )
    .option('--api <host:port>', 'API and console address (default 127.0.0.1:8080)')
    .option('--store <url>', 'store URL: sqlite:PATH (default sqlite:tollguard-data/tollguard.db) or memory:')
    .action(async (opts: StartOptions, cmd: Command) => {
      followLauncher();
      const globals = cmd.optsWithGlobals<{ logLevel?: string }>();
      let input: Record<string, unknown>;
      if (opts.config) {
        if (opts.pbx || opts.trunk || opts.listen || opts.country || opts.monitor || opts.remoteUsers) {
          throw new TollguardError(
            'TG_ERR_USAGE',
            '--config and the quick-start flags (--listen, --pbx, --trunk, --country, --monitor, --remote-users) exclude each other',
          );
        }
        input = loadConfigFile(opts.config);
      } else {
        input = configFromFlags(opts);
      }
      // Flags that override the file go through the same validation as the file.
      if (opts.api) input.api = { ...(input.api as object), listen: opts.api };
      if (opts.store) input.store = { ...(input.store as object), url: opts.store };
      const result = validateConfig(input);
      if (!result.ok) throw new TollguardError('TG_ERR_USAGE', result.issues.map(formatIssue).join('\n'));
      const config: Config = result.config;
      const logger = createLogger({ level: globals.logLevel ?? config.log.level, format: config.log.format });
      const running = await startFirewall(
        config,
        logger,
        {},
        opts.config ? { configFile: opts.config, configDir: path.dirname(path.resolve(opts.config)) } : {},
      );
      if (opts.config) {
        // SIGHUP re-reads the file and applies its policies live; a bad file changes nothing.
        const file = opts.config;
        process.on('SIGHUP', () => {
          try {
            const r = running.reload(loadConfigFile(file));
            if (r.needRestart.length) logger.warn({ needRestart: r.needRestart }, 'some changes need a restart');
          } catch (err) {
            logger.error({ err: (err as Error).message }, 'configuration not reloaded; the running policies stay');
          }
        });
      }
      await new Promise<void>((resolve) => {
        const onSignal = (signal: NodeJS.Signals): void => {
          logger.info(
            { signal, graceSeconds: config.sip.stopGraceSeconds },
            'stopping: new calls refused, calls up go on',
          );
          // A second Ctrl-C or SIGTERM exits at once; the records of calls still up close at the next start. Not one
          // within a second of the first: a service manager signals every process of the service, and the launcher
          // forwards the same signal.
          const first = Date.now();
          const now = (): void => {
            if (Date.now() - first < 1000) return;
            logger.warn('stopping now');
            process.exit(1);
          };
          process.on('SIGTERM', now);
          process.on('SIGINT', now);
          running.stop().then(resolve, (err: unknown) => {
            logger.error({ err }, 'error while stopping');
            process.exitCode = 1;
            resolve();
          });
        };
        process.once('SIGTERM', onSignal);
        process.once('SIGINT', onSignal);
        if (running.firstAccount) {
          // Shown once, here only: the store keeps a hash.
          process.stdout.write(
            `first start: log in to the console as ${running.firstAccount.username} with the password ` +
              `${running.firstAccount.password}\n(shown once; change it in the console, or set one with ` +
              `\`tollguard account passwd ${running.firstAccount.username}\`)\n`,
          );
        }
        // Announced once the signals are handled: whoever waits for this line may stop it at once.
        process.stdout.write(`tollguard is running: console and API at ${running.apiUrl}\n`);
      });
      logger.flush();
    });
}
