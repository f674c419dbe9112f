import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Logger } from '../logger';
import * as schema from './schema';

/**
 * The data-access rule. Ordinary reads and writes use drizzle's builder (`db`) and types derived
 * from the schema (`$inferSelect`, typed selects), so that a migration that changes a column
 * changes the types that read it. Raw SQL (`sql`, postgres.js) only where the builder cannot say
 * it (COPY, `for update skip locked` feeding an update, `unnest` of arrays, advisory locks) or
 * where it costs measurable time (the claims, the pace, the stored outcomes, the snapshot, the
 * acks), and then as named query functions in one file per feature (`sending/queries.ts`),
 * whose row types are picked from the schema's: no hand-written row type that can drift from a
 * migration.
 */
export type Db = PostgresJsDatabase<typeof schema>;
export type Sql = postgres.Sql;

export type Database = {
  url: string;
  /** postgres.js, for the raw SQL the rule above allows. */
  sql: Sql;
  /**
   * A small pool of its own for CSV uploads and exports: clients that move files at their own
   * pace wait for these connections, never for the service's, so the webhook, the workers and
   * /readyz keep theirs whatever uploads and exports do.
   */
  bulk: Sql;
  db: Db;
  close(): Promise<void>;
};

/**
 * Opens the pool the whole service shares, and the bulk pool beside it (connections are opened
 * when first used: a worker, which serves no upload, opens none of it). postgres.js reconnects
 * by itself: after a PostgreSQL restart the next query opens a fresh connection, so no
 * reconnect logic lives here.
 */
export function openDatabase(
  url: string,
  logger: Logger,
  options: { max?: number; bulkMax?: number } = {},
): Database {
  const pool = (max: number, name: string) =>
    postgres(url, {
      max,
      idle_timeout: 30,
      connect_timeout: 10,
      onnotice: () => {},
      connection: { application_name: name },
    });
  const sql = pool(options.max ?? 10, 'wa-scheduler');
  const bulk = pool(options.bulkMax ?? 3, 'wa-scheduler-bulk');
  // Beware: drizzle replaces the client's json and timestamp (de)serialisers with its own, so
  // raw postgres.js queries pass JSON as text (`${JSON.stringify(x)}::jsonb`), not `sql.json()`,
  // and read timestamps as strings. The bulk pool gets the same, so that a query (pg-boss's job
  // data, a `::jsonb` text) means the same on either pool.
  const db = drizzle(sql, { schema });
  drizzle(bulk);
  return {
    url,
    sql,
    bulk,
    db,
    close: async () => {
      await Promise.all([sql.end({ timeout: 5 }), bulk.end({ timeout: 5 })]);
      logger.debug('database pool closed');
    },
  };
}

/**
 * postgres.js 3.4.9 throws from a timer of its own when a transaction's connection dies under it
 * (a database restart, a terminated backend): its rollback is written to the closed socket
 * (porsager/postgres#1208). The transaction itself has already failed with CONNECTION_CLOSED and
 * the pool reconnects, so this error is noise, not a reason to end the process.
 */
export function isClosedConnectionWrite(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    error.message.includes("reading 'write'") &&
    /at \S*nextWrite \(\S*[\\/]postgres[\\/]src[\\/]connection\.js/.test(error.stack ?? '')
  );
}
