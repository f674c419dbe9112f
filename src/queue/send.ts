import type PgBoss from 'pg-boss';
import type { TransactionSql } from 'postgres';
import type { AppContext } from '../context';

/**
 * pg-boss on the caller's transaction: the job exists exactly when the rows that need it do.
 * pg-boss writes for node-postgres, which serialises undefined, objects and dates itself; the
 * shared postgres.js client passes json and timestamps through as drizzle set it, so do it here.
 */
export function inTransaction(tx: TransactionSql): PgBoss.ConnectionOptions {
  const serialise = (value: unknown) =>
    value === undefined
      ? null
      : value instanceof Date
        ? value.toISOString()
        : value !== null && typeof value === 'object' && !Array.isArray(value)
          ? JSON.stringify(value)
          : value;
  return {
    db: {
      executeSql: async (text: string, values: unknown[]) => ({
        rows: await tx.unsafe(text, values.map(serialise) as never[]),
      }),
    },
  };
}

/** Sends a job, inside the caller's transaction when one is given; throws if none was created. */
export async function enqueue(
  ctx: AppContext,
  queue: string,
  payload: object,
  options: PgBoss.SendOptions & { tx?: TransactionSql } = {},
): Promise<string> {
  const { tx, ...sendOptions } = options;
  const id = await ctx.boss.send(queue, payload, {
    ...sendOptions,
    ...(tx ? inTransaction(tx) : {}),
  });
  // pg-boss 10 answers null when the queue does not exist (or a singleton is taken).
  if (!id) throw new Error(`job for queue ${queue} was not created`);
  return id;
}
