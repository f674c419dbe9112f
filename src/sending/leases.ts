import { and, eq, lt, notExists, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { dispatchLeases } from '../db/schema';
import { liveWorker } from './workers';

export const runLease = (runId: string) => `run:${runId}`;
/** One sender's follow-ups and free-form messages, sent by one job at a time. */
export const directLease = (senderId: string) => `direct:${senderId}`;

export type LeaseHolder = { holder: string; workerId: string; deadAfterSeconds: number };

const expiresIn = (ms: number) => sql`clock_timestamp() + make_interval(secs => ${ms / 1000})`;

/**
 * Takes the lease when it is free, expired, ours, or held by a worker that stopped beating;
 * answers whether we hold it.
 */
export async function acquireLease(
  db: Db,
  key: string,
  who: LeaseHolder,
  ttlMs: number,
): Promise<boolean> {
  const rows = await db
    .insert(dispatchLeases)
    .values({ key, holder: who.holder, workerId: who.workerId, expiresAt: expiresIn(ttlMs) })
    .onConflictDoUpdate({
      target: dispatchLeases.key,
      set: { holder: who.holder, workerId: who.workerId, expiresAt: expiresIn(ttlMs) },
      setWhere: or(
        lt(dispatchLeases.expiresAt, sql`clock_timestamp()`),
        eq(dispatchLeases.holder, who.holder),
        notExists(liveWorker(db, dispatchLeases.workerId, who.deadAfterSeconds)),
      ),
    })
    .returning({ key: dispatchLeases.key });
  return rows.length > 0;
}

/** Extends a lease we hold; false when it was lost (it lapsed and someone else took it). */
export async function renewLease(
  db: Db,
  key: string,
  holder: string,
  ttlMs: number,
): Promise<boolean> {
  const rows = await db
    .update(dispatchLeases)
    .set({ expiresAt: expiresIn(ttlMs) })
    .where(and(eq(dispatchLeases.key, key), eq(dispatchLeases.holder, holder)))
    .returning({ key: dispatchLeases.key });
  return rows.length > 0;
}

export async function releaseLease(db: Db, key: string, holder: string): Promise<void> {
  await db
    .delete(dispatchLeases)
    .where(and(eq(dispatchLeases.key, key), eq(dispatchLeases.holder, holder)));
}
