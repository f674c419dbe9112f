import type { AppContext } from '../context';
import { isoUtc } from '../db/iso';

/**
 * What a run's send window holds back (docs/design.md, rule 37): how many of its pending
 * messages wait for a later moment (their recipient's window, a local-time schedule, a retry's
 * wait) and when the first is due, and how many ended `expired` because their window did not
 * open before the deadline. The campaign page shows it, live, while a run waits.
 *
 * One query: the run's pending and expired ranges of messages_campaign_idx (campaign, run,
 * status, id), each read to at most WAITING_READ rows whatever the run's size, since the live
 * figures ask once a second. Beyond that a count says "or more", and the next moment is the
 * earliest of the rows read.
 */
export const WAITING_READ = 100_000;

export type RunWaiting = {
  waiting: number;
  /** The next moment a waiting message is due (ISO, UTC); null when none waits. */
  nextAt: string | null;
  expired: number;
  /** The run has more pending (or expired) rows than WAITING_READ: the count is of those read. */
  moreWaiting: boolean;
  moreExpired: boolean;
};

export async function getRunWaiting(
  ctx: AppContext,
  campaignId: string,
  runId: string,
): Promise<RunWaiting> {
  const { sql } = ctx.database;
  const range = (status: string) => sql`
    m.campaign_id = ${campaignId} and m.run_id = ${runId} and m.status = ${status}::message_status
    and m.kind = 'template'`;
  const [row] = await sql<
    { waiting: number; pending: number; nextAt: string | null; expired: number }[]
  >`
    select p.waiting, p.pending, p."nextAt",
      (select count(*)::int from (
        select 1 from messages m where ${range('expired')} limit ${WAITING_READ + 1}) e) as expired
    from (
      select count(*) filter (where w.due > now())::int as waiting, count(*)::int as pending,
        ${sql.unsafe(isoUtc('min(w.due) filter (where w.due > now())'))} as "nextAt"
      from (
        select m.next_attempt_at as due from messages m where ${range('pending')}
        limit ${WAITING_READ + 1}) w) p`;
  return {
    waiting: row?.waiting ?? 0,
    nextAt: row?.nextAt ?? null,
    expired: row?.expired ?? 0,
    moreWaiting: (row?.pending ?? 0) > WAITING_READ,
    moreExpired: (row?.expired ?? 0) > WAITING_READ,
  };
}
