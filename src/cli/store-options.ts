// The store a command works on directly (no running firewall needed): --store, else the store of --config, else
// the embedded default.
import type { Command } from 'commander';
import { loadConfigFile } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/ports.js';

export const DEFAULT_STORE = 'sqlite:tollguard-data/tollguard.db';

export interface StoreFlags {
  config?: string;
  store?: string;
}

/** The configuration named by --config, if any. */
export function configOf(o: StoreFlags): Config | undefined {
  return o.config ? loadConfigFile(o.config) : undefined;
}

export async function storeOf(o: StoreFlags): Promise<Store> {
  return openStore(o.store ?? configOf(o)?.store.url ?? DEFAULT_STORE);
}

export function withStoreOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'read the store URL from this configuration file')
    .option('--store <url>', `store URL (default: the configuration\u2019s, else ${DEFAULT_STORE})`);
}
