import type PgBoss from 'pg-boss';
import type postgres from 'postgres';
import type { AppContext } from '../context';

/**
 * Sends a job, inside the caller's transaction when one is given, so that the job exists if
 * and only if the rows it works on were committed.
 */
export async function enqueue(
  ctx: AppContext,
  queue: string,
  payload: object,
  options: PgBoss.SendOptions & { tx?: postgres.TransactionSql } = {},
): Promise<string> {
  const { tx, ...sendOptions } = options;
  const db = tx ? transactionExecutor(tx) : undefined;
  const id = await ctx.boss.send(queue, payload, { ...sendOptions, ...(db ? { db } : {}) });
  // pg-boss 10 answers null when the queue does not exist (or a singleton is taken).
  if (!id) throw new Error(`job for queue ${queue} was not created`);
  return id;
}

function transactionExecutor(tx: postgres.TransactionSql): PgBoss.Db {
  return {
    executeSql: async (text, values) => {
      // pg serialises objects as JSON by itself; postgres.js needs them as text for jsonb.
      // pg sends undefined as null; postgres.js refuses it.
      const params = values.map((value) =>
        value === undefined
          ? null
          : value !== null && typeof value === 'object' && !(value instanceof Date)
            ? JSON.stringify(value)
            : value,
      );
      const rows = await tx.unsafe(text, params as postgres.ParameterOrJSON<never>[]);
      return { rows: [...rows] };
    },
  };
}
