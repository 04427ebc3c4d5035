// Opens the store a URL names: `sqlite:PATH` (the embedded default), `memory:`, or `postgres://…`.
import { TollguardError } from '../errors.js';
import type { Store } from './ports.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import { openMemoryStore } from './memory/memory-store.js';
import { openPostgresStore } from './postgres/postgres-store.js';

export type { Store } from './ports.js';

export async function openStore(url: string): Promise<Store> {
  if (url.startsWith('sqlite:')) return openSqliteStore(url.slice('sqlite:'.length));
  if (url === 'memory:') return openMemoryStore();
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgresStore(url);
  throw new TollguardError('TG_ERR_STORE', `this store URL is not supported: ${url.replace(/\/\/[^@/]*@/, '//***@')}`);
}
