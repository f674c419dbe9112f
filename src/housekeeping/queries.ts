import { and, count, eq, isNull, lt, ne, sql, sum } from 'drizzle-orm';
import type { Db } from '../db/client';
import { messageCounts, messages, senders, workers } from '../db/schema';

/**
 * Messages waiting to be sent: the stats counters hold every campaign's pending rows (read
 * from them, not recounted); free-form messages have no campaign and are counted.
 */
export async function countPendingMessages(db: Db): Promise<number> {
  const [counted] = await db
    .select({ n: sum(messageCounts.n).mapWith(Number) })
    .from(messageCounts)
    .where(eq(messageCounts.status, 'pending'));
  const [direct] = await db
    .select({ n: count() })
    .from(messages)
    .where(
      and(
        eq(messages.status, 'pending'),
        ne(messages.kind, 'template'),
        isNull(messages.campaignId),
      ),
    );
  return (counted?.n ?? 0) + (direct?.n ?? 0);
}

/** Forgets workers silent for a day: their rows and leases were taken over long ago. */
export async function forgetOldWorkers(db: Db): Promise<void> {
  await db.delete(workers).where(lt(workers.heartbeatAt, sql`now() - interval '1 day'`));
}

/** Every sender's status, for `wa_sender_status`: the senders table, a handful of rows. */
export async function readSenderStatuses(db: Db) {
  return db
    .select({ id: senders.id, status: senders.status })
    .from(senders)
    .where(isNull(senders.deletedAt));
}
