import type { Sql } from '../db/client';

export const runLease = (runId: string) => `run:${runId}`;
export const DIRECT_LEASE = 'direct';

export type LeaseHolder = { holder: string; workerId: string; deadAfterSeconds: number };

/**
 * Takes the lease when it is free, expired, ours, or held by a worker that stopped beating;
 * answers whether we hold it.
 */
export async function acquireLease(
  sql: Sql,
  key: string,
  who: LeaseHolder,
  ttlMs: number,
): Promise<boolean> {
  const rows = await sql`
    insert into dispatch_leases (key, holder, worker_id, expires_at)
    values (${key}, ${who.holder}, ${who.workerId}, clock_timestamp() + make_interval(secs => ${ttlMs / 1000}))
    on conflict (key) do update
      set holder = excluded.holder, worker_id = excluded.worker_id, expires_at = excluded.expires_at
      where dispatch_leases.expires_at < clock_timestamp() or dispatch_leases.holder = excluded.holder
        or not exists (
          select 1 from workers w where w.id = dispatch_leases.worker_id
            and w.heartbeat_at > now() - make_interval(secs => ${who.deadAfterSeconds}))
    returning key`;
  return rows.length > 0;
}

/** Extends a lease we hold; false when it was lost (it lapsed and someone else took it). */
export async function renewLease(
  sql: Sql,
  key: string,
  holder: string,
  ttlMs: number,
): Promise<boolean> {
  const rows = await sql`
    update dispatch_leases set expires_at = clock_timestamp() + make_interval(secs => ${ttlMs / 1000})
    where key = ${key} and holder = ${holder}
    returning key`;
  return rows.length > 0;
}

export async function releaseLease(sql: Sql, key: string, holder: string): Promise<void> {
  await sql`delete from dispatch_leases where key = ${key} and holder = ${holder}`;
}
