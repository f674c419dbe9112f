import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { isMigrated, migrateDatabase } from '../src/db/migrate';
import { createLogger } from '../src/logger';
import { createTestDatabase, type TestDatabase } from './helpers/database';

const logger = createLogger('silent');
let database: TestDatabase | undefined;
afterEach(async () => {
  await database?.drop();
  database = undefined;
});

async function inspect(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [applied] = await sql<{ count: number }[]>`
      select count(*)::int as count from drizzle.__drizzle_migrations`;
    const tables = await sql<{ name: string }[]>`
      select table_name as name from information_schema.tables
      where table_schema = 'public' order by table_name`;
    return {
      applied: applied?.count,
      tables: tables.map((t) => t.name),
      migrated: await isMigrated(sql),
    };
  } finally {
    await sql.end();
  }
}

const expectedTables = [
  'campaigns',
  'contacts',
  'conversations',
  'imports',
  'inbound_messages',
  'list_members',
  'lists',
  'messages',
  'opt_outs',
  'runs',
  'templates',
  'webhook_events',
];

describe('migrations', () => {
  it('create every table on an empty database, and a second run changes nothing', async () => {
    database = await createTestDatabase({ empty: true });
    await migrateDatabase(database.url, logger);
    const first = await inspect(database.url);
    expect(first.tables).toEqual(expect.arrayContaining(expectedTables));
    expect(first.migrated).toBe(true);

    await migrateDatabase(database.url, logger);
    expect(await inspect(database.url)).toEqual(first);
  });

  it('are safe when several processes start at once', async () => {
    database = await createTestDatabase({ empty: true });
    const url = database.url;
    await Promise.all([1, 2, 3, 4].map(() => migrateDatabase(url, logger)));
    const state = await inspect(url);
    expect(state.migrated).toBe(true);
    expect(state.tables).toEqual(expect.arrayContaining(expectedTables));
  });
});
