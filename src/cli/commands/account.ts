// `tollguard account`: console and API accounts, straight on the store (no running firewall needed): the first
// account, a lost password, a locked account, a token for a script. Passwords follow R-PW-POLICY; without
// --password-stdin one is generated and shown once.
import type { Command } from 'commander';
import { Accounts, generatePassword, ROLES, viewOf } from '../../accounts/accounts.js';
import { TollguardError } from '../../errors.js';
import type { Role, Store } from '../../store/ports.js';
import { configOf, storeOf, withStoreOptions, type StoreFlags } from '../store-options.js';

interface PasswordFlags {
  passwordStdin?: boolean;
}

async function readStdinLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n') || text.length > 4096) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

async function passwordOf(o: PasswordFlags): Promise<{ password: string; generated: boolean }> {
  if (o.passwordStdin) return { password: await readStdinLine(), generated: false };
  return { password: generatePassword(), generated: true };
}

/** Runs `work` with the accounts of the store the flags name, closing the store after. */
async function withAccounts<T>(o: StoreFlags, work: (accounts: Accounts, store: Store) => Promise<T>): Promise<T> {
  const config = configOf(o);
  const store = await storeOf(o);
  try {
    const tenants = config?.tenants.map((t) => t.id) ?? [];
    // Without the configuration the tenants cannot be checked: they are taken as given.
    const accounts = new Accounts(store.accounts, () => tenants, { checkTenantsExist: config !== undefined });
    return await work(accounts, store);
  } finally {
    await store.close();
  }
}

async function accountNamed(accounts: Accounts, username: string) {
  const a = await accounts.byUsername(username);
  if (!a) throw new TollguardError('TG_ERR_NOT_FOUND', `no account ${username}`);
  return a;
}

export function registerAccountCommands(program: Command): void {
  const account = program.command('account').description('console and API accounts (on the store directly)');

  withStoreOptions(account.command('create <username>').description('create an account'))
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--tenant <id...>', 'tenant(s) it may see; * for every tenant (integrators)', ['*'])
    .option('--password-stdin', 'read the password from the first line of stdin (else one is generated)')
    .action(async (username: string, o: StoreFlags & PasswordFlags & { role: string; tenant: string[] }) => {
      if (!ROLES.includes(o.role as Role)) {
        throw new TollguardError('TG_ERR_USAGE', `--role: one of ${ROLES.join(', ')}`);
      }
      const { password, generated } = await passwordOf(o);
      await withAccounts(o, async (accounts) => {
        const a = await accounts.create({ username, password, role: o.role as Role, tenants: o.tenant });
        process.stdout.write(`account ${a.username} created: ${a.role} of ${a.tenants.join(', ')}\n`);
        if (generated) process.stdout.write(`password: ${password}\n(shown once)\n`);
      });
    });

  withStoreOptions(account.command('list').description('list the accounts'))
    .option('--json', 'print JSON')
    .action(async (o: StoreFlags & { json?: boolean }) => {
      await withAccounts(o, async (accounts) => {
        const list = (await accounts.list()).map(viewOf);
        if (o.json) {
          process.stdout.write(JSON.stringify({ accounts: list }, null, 2) + '\n');
          return;
        }
        if (list.length === 0) process.stdout.write('no account yet: `tollguard start` makes the first one\n');
        for (const a of list) {
          const locked =
            a.lockedUntil !== undefined && a.lockedUntil > Date.now()
              ? `  locked until ${new Date(a.lockedUntil).toISOString()}`
              : '';
          process.stdout.write(`${a.username.padEnd(24)} ${a.role.padEnd(13)} ${a.tenants.join(', ')}${locked}\n`);
        }
      });
    });

  withStoreOptions(account.command('passwd <username>').description('set a new password (and unlock the account)'))
    .option('--password-stdin', 'read the password from the first line of stdin (else one is generated)')
    .action(async (username: string, o: StoreFlags & PasswordFlags) => {
      const { password, generated } = await passwordOf(o);
      await withAccounts(o, async (accounts) => {
        await accounts.setPassword((await accountNamed(accounts, username)).id, password);
        process.stdout.write(`password of ${username} changed; its sessions are ended\n`);
        if (generated) process.stdout.write(`password: ${password}\n(shown once)\n`);
      });
    });

  withStoreOptions(
    account.command('unlock <username>').description('unlock an account locked by failed logins'),
  ).action(async (username: string, o: StoreFlags) => {
    await withAccounts(o, async (accounts) => {
      await accounts.unlock((await accountNamed(accounts, username)).id);
      process.stdout.write(`${username} unlocked\n`);
    });
  });

  withStoreOptions(
    account.command('remove <username>').description('remove an account, its sessions and tokens'),
  ).action(async (username: string, o: StoreFlags) => {
    await withAccounts(o, async (accounts) => {
      await accounts.remove((await accountNamed(accounts, username)).id);
      process.stdout.write(`${username} removed\n`);
    });
  });

  withStoreOptions(
    account.command('token <username>').description('make an API token acting as the account (shown once)'),
  )
    .option('--name <text>', 'what the token is for', 'script')
    .action(async (username: string, o: StoreFlags & { name: string }) => {
      await withAccounts(o, async (accounts) => {
        const { token } = await accounts.createToken((await accountNamed(accounts, username)).id, o.name);
        process.stdout.write(`${token}\n`);
      });
    });
}
