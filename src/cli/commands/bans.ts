// `tollguard bans`: the sources banned at the SIP edge of a running firewall, and the usernames locked; add a ban by
// hand, lift one. Through the firewall's API.
import type { Command } from 'commander';
import type { Ban } from '../../store/ports.js';
import { callApi, withApiOptions, type ApiOptions } from '../api-client.js';

type Listing = { bans: Ban[]; locked: Array<{ username: string; until: number }> };

export function registerBansCommands(program: Command): void {
  const bans = program.command('bans').description('sources banned at the SIP edge, and locked usernames');

  withApiOptions(bans.command('list', { isDefault: true }).description('list bans in force and locked usernames'))
    .option('--json', 'print the list as JSON')
    .action(async (opts: ApiOptions & { json?: boolean }) => {
      const r = await callApi<Listing>(opts, 'GET', '/api/bans');
      if (opts.json) {
        process.stdout.write(JSON.stringify(r, null, 2) + '\n');
        return;
      }
      if (r.bans.length === 0) process.stdout.write('no source is banned\n');
      for (const b of r.bans) {
        process.stdout.write(
          `${b.address.padEnd(20)} until ${new Date(b.until).toISOString()}  ${b.signal.padEnd(16)} ${b.reason}` +
            `${b.offences > 1 ? ` (offence ${b.offences})` : ''}${b.by ? ` [by ${b.by}]` : ''}\n`,
        );
      }
      for (const l of r.locked)
        process.stdout.write(`locked username ${l.username} until ${new Date(l.until).toISOString()}\n`);
    });

  withApiOptions(bans.command('add <address>').description('ban an address or network (CIDR) by hand'))
    .option('--minutes <n>', 'how long', '60')
    .option('--reason <text>', 'why, for the log and the list', 'banned by hand')
    .action(async (address: string, opts: ApiOptions & { minutes: string; reason: string }) => {
      const r = await callApi<{ ban: Ban }>(opts, 'POST', '/api/bans', {
        address,
        minutes: Number(opts.minutes),
        reason: opts.reason,
        by: process.env.USER ?? 'cli',
      });
      process.stdout.write(`banned ${r.ban.address} until ${new Date(r.ban.until).toISOString()}\n`);
    });

  withApiOptions(
    bans
      .command('nft')
      .description('print nft commands that put the bans in force into an nftables set (run them, or schedule it)'),
  )
    .option('--table <family table>', 'the nftables table holding the set', 'inet filter')
    .option('--set <name>', 'the set (type ipv4_addr/ipv6_addr with flags interval, timeout)', 'tollguard_banned')
    .action(async (opts: ApiOptions & { table: string; set: string }) => {
      const r = await callApi<Listing>(opts, 'GET', '/api/bans');
      process.stdout.write(nftCommands(r.bans, opts.table, opts.set, Date.now()));
    });

  withApiOptions(bans.command('lift <address>').description('lift a ban')).action(
    async (address: string, opts: ApiOptions) => {
      await callApi(opts, 'POST', '/api/bans/lift', { address });
      process.stdout.write(`lifted ${address}\n`);
    },
  );
}

/**
 * nft commands adding each ban in force to a set, with the time left as the element's timeout (the kernel drops it
 * when the ban ends). IPv4 and IPv6 go to `<set>` and `<set>6`: an nftables set holds one address family.
 */
export function nftCommands(bans: Ban[], table: string, set: string, now: number): string {
  const lines = [`# ${bans.length} ban(s) from Tollguard, ${new Date(now).toISOString()}`];
  for (const b of bans) {
    const seconds = Math.max(1, Math.ceil((b.until - now) / 1000));
    const name = b.address.includes(':') ? `${set}6` : set;
    lines.push(`nft add element ${table} ${name} { ${b.address} timeout ${seconds}s }`);
  }
  return lines.join('\n') + '\n';
}
