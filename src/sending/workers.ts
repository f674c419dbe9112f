import { and, eq, gt, notExists, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client';
import { messages, workers } from '../db/schema';

/**
 * The worker whose id is in `column`, while it beats: a worker silent for `deadAfterSeconds`
 * is dead, its `sending` rows are `unknown` and its leases lapse.
 */
export function liveWorker(db: Db, column: AnyPgColumn, deadAfterSeconds: number) {
  return db
    .select({ id: workers.id })
    .from(workers)
    .where(
      and(
        eq(workers.id, column),
        gt(workers.heartbeatAt, sql`now() - make_interval(secs => ${deadAfterSeconds})`),
      ),
    );
}

/** This process's heartbeat: registers it the first time. */
export async function beat(db: Db, workerId: string): Promise<void> {
  await db
    .insert(workers)
    .values({ id: workerId })
    .onConflictDoUpdate({ target: workers.id, set: { heartbeatAt: sql`now()` } });
}

/** A worker that stops says so, so that nobody waits for its heartbeat to lapse. */
export async function forgetWorker(db: Db, workerId: string): Promise<void> {
  await db.delete(workers).where(eq(workers.id, workerId));
}

/**
 * Rows left `sending` by a dead worker become `unknown`, never re-sent on their own: the
 * provider may or may not have them. Answers how many.
 */
export async function markLostSends(db: Db, deadAfterSeconds: number): Promise<number> {
  const lost = await db
    .update(messages)
    .set({
      status: 'unknown',
      sendingBy: null,
      updatedAt: sql`now()`,
      error: 'its worker stopped while sending: the provider may or may not have it',
    })
    .where(
      and(
        eq(messages.status, 'sending'),
        notExists(liveWorker(db, messages.sendingBy, deadAfterSeconds)),
      ),
    )
    .returning({ id: messages.id });
  return lost.length;
}
