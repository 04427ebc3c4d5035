// The local services integration tests use (PostgreSQL, Redis), at their standard loopback ports. Under CI=true a
// missing service fails the suite; elsewhere the suite is skipped with the reason.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const inCi = process.env.CI === 'true';

/** Admin URL of the local PostgreSQL (override with TOLLGUARD_TEST_PG). */
export const pgAdminUrl = process.env.TOLLGUARD_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Creates a throw-away database; returns its URL and a function that drops it. Undefined when PG is down. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> } | undefined> {
  const admin = new pg.Client({ connectionString: pgAdminUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    if (inCi) throw new Error(`PostgreSQL is not reachable at ${pgAdminUrl}: ${(err as Error).message}`);
    return undefined;
  }
  const name = `tollguard_test_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: pgAdminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
