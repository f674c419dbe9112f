import type { PgDatabase } from 'drizzle-orm/pg-core';
import { type PostgresJsQueryResultHKT, PostgresJsSession } from 'drizzle-orm/postgres-js';
import type { Sql, TransactionSql } from 'postgres';
import type { Database } from './client';
import type * as schema from './schema';

/** drizzle's builder: the pool's (`database.db`) or a transaction's (`tx.db`). */
export type Builder = PgDatabase<PostgresJsQueryResultHKT, typeof schema>;

/**
 * One transaction, reached both ways on its one connection: `db`, drizzle's builder, for the
 * ordinary reads and writes, and `sql`, postgres.js, for a feature's raw queries and for the
 * jobs pg-boss sends inside it (queue/send.ts).
 */
export type Tx = { db: Builder; sql: TransactionSql };

export function transaction<T>(database: Database, work: (tx: Tx) => Promise<T>): Promise<T> {
  return database.db.transaction((db) => {
    // drizzle runs its transaction on a postgres.js transaction, which it does not expose but
    // through its session: checked, so that a drizzle that changes this fails loudly here.
    const session = db._.session;
    if (!(session instanceof PostgresJsSession)) throw new Error('not a postgres.js transaction');
    return work({ db, sql: session.client as TransactionSql });
  });
}

/** Either way in, outside a transaction (`ctx.database`) or inside one (a `Tx`). */
export type Queryable = { db: Builder; sql: Sql | TransactionSql };

/** A savepoint inside `tx`, reached both ways as the transaction is: `work` fails alone. */
export function savepoint<T>(tx: Tx, work: (sp: Tx) => Promise<T>): Promise<T> {
  return tx.db.transaction((db) => {
    const session = db._.session;
    if (!(session instanceof PostgresJsSession)) throw new Error('not a postgres.js transaction');
    return work({ db, sql: session.client as TransactionSql });
  });
}
