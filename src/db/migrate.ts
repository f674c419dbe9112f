import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { Logger } from '../logger';
import type { Sql } from './client';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** An arbitrary constant shared by every process of the service: "migrating" in ASCII. */
const MIGRATION_LOCK_KEY = 0x6d6967726174;

/**
 * Applies the committed drizzle-kit migrations. drizzle's migrator takes no lock of its own, so
 * several processes starting at once would race; they queue on an advisory lock held on the one
 * connection the migrator uses.
 */
export async function migrateDatabase(url: string, logger: Logger): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    const started = Date.now();
    await migrate(drizzle(sql), { migrationsFolder: MIGRATIONS_FOLDER });
    logger.info({ ms: Date.now() - started }, 'database migrated');
  } finally {
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => {});
    await sql.end({ timeout: 5 });
  }
}

const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as {
  entries: unknown[];
};

/** True when every committed migration has been applied (readiness). */
export async function isMigrated(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ applied: number }[]>`
    select count(*)::int as applied from drizzle.__drizzle_migrations`.catch(
    (error: { code?: string }) => {
      // no migrations table (yet): not migrated; anything else (unreachable) is thrown
      if (error.code === '42P01' || error.code === '3F000') return [{ applied: 0 }];
      throw error;
    },
  );
  return (row?.applied ?? 0) >= journal.entries.length;
}
