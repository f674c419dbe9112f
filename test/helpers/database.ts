import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { withDatabase } from '../setup/global';

export type TestDatabase = { url: string; name: string; drop(): Promise<void> };

/**
 * A database of its own for a test file: a copy of the migrated template, or an empty one
 * (`{ empty: true }`) for tests of the migrations themselves; `sqlAscii` gives it the encoding an
 * embedded cluster created before UTF-8 was asked for has (initdb's default without a locale).
 */
export async function createTestDatabase(
  options: { empty?: boolean; sqlAscii?: boolean } = {},
): Promise<TestDatabase> {
  const adminUrl = inject('adminUrl');
  const name = `wa_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const template = options.empty ? 'template0' : inject('templateDatabase');
    const encoding = options.sqlAscii ? ` encoding 'SQL_ASCII' lc_collate 'C' lc_ctype 'C'` : '';
    await admin.unsafe(`create database ${name} template ${template}${encoding}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: async () => {
      const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists ${name} with (force)`);
      await sql.end();
    },
  };
}
