import type PgBoss from 'pg-boss';
import type { TransactionSql } from 'postgres';
import type { AppContext } from '../context';

/**
 * pg-boss on the caller's transaction: the job exists exactly when the rows that need it do.
 * pg-boss writes for node-postgres, which serialises undefined, objects and dates itself; the
 * shared postgres.js client passes json and timestamps through as drizzle set it, so do it here.
 */
function inTransaction(tx: TransactionSql): PgBoss.ConnectionOptions {
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

/**
 * The one way to queue a job: inside the caller's transaction when one is given. pg-boss 10
 * answers null both when the queue does not exist (the job is dropped, silently) and when a job
 * with the same singleton key is already waiting (a queue of policy `short`): the first throws
 * here, the second answers undefined (the waiting job will do).
 */
export async function enqueue(
  ctx: AppContext,
  queue: string,
  payload: object,
  options: PgBoss.SendOptions & { tx?: TransactionSql } = {},
): Promise<string | undefined> {
  const { tx, ...sendOptions } = options;
  const id = await ctx.boss.send(queue, payload, {
    ...sendOptions,
    ...(tx ? inTransaction(tx) : {}),
  });
  if (id) return id;
  if (!(await ctx.boss.getQueue(queue)))
    throw new Error(`job for queue ${queue} was not created: no such queue`);
  return undefined;
}
