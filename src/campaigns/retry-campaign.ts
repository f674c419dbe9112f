import { and, eq, inArray, isNull, lte, ne, or, sql } from 'drizzle-orm';
import type { AppContext } from '../context';
import { campaigns, messages, runs } from '../db/schema';
import { transaction } from '../db/transaction';
import { AppError } from '../errors';
import { assertUuid } from '../http/params';
import { kickDispatch } from '../sending/dispatch.job';
import { lockLatestRun } from './queries';
import type { RetryFilter } from './route-specs';

/**
 * Meta's per-user marketing limit (docs/providers.md): the person got too many marketing
 * messages lately. Sent again sooner than MARKETING_LIMIT_WAIT after it failed, it fails again.
 */
export const MARKETING_LIMIT_CODE = 131049;
const MARKETING_LIMIT_WAIT = sql`interval '24 hours'`;
/** When a failure happened: `failed_at`, or, for rows failed before it was kept, the last change. */
const failedAt = sql`coalesce(${messages.failedAt}, ${messages.updatedAt})`;

export type RetryResult = {
  requeued: number;
  runId: string;
  waiting: { errorCode: number; messages: number; retryFrom: string; reason: string }[];
};

/**
 * On the operator's word, puts the `failed` and/or `unknown` template messages of the campaign's
 * latest run back to `pending` (attempts from zero), only the failed ones with one of
 * `errorCodes` when it names some. A message refused for Meta's per-user marketing limit
 * (131049) goes back only 24 hours after it failed, however it is asked for; the others are left
 * failed and counted in `waiting` (docs/design.md, rule 13). A completed run runs again, and its campaign
 * with it (a recurring one goes back to `scheduled` when the run is done); a paused campaign sends
 * them once resumed. Refused for a cancelled campaign.
 */
export async function retryCampaign(
  ctx: AppContext,
  id: string,
  { statuses, errorCodes }: RetryFilter,
): Promise<RetryResult> {
  assertUuid(id, 'Campaign');
  const result = await transaction(ctx.database, async ({ db, sql: tx }) => {
    const [campaign] = await db
      .select({ status: campaigns.status })
      .from(campaigns)
      .where(eq(campaigns.id, id))
      .for('update');
    if (!campaign) throw AppError.notFound('Campaign', id);
    if (campaign.status === 'cancelled')
      throw new AppError(
        'invalid_transition',
        `Campaign ${id} is cancelled: its messages cannot be retried.`,
      );
    const run = await lockLatestRun(tx, id);
    if (!run) throw new AppError('conflict', `Campaign ${id} has no run to retry.`);
    if (run.status === 'cancelled')
      throw new AppError('invalid_transition', `The latest run of campaign ${id} was cancelled.`);
    if (run.templateDeleted)
      throw new AppError(
        'conflict',
        `The template of campaign ${id}'s latest run was deleted: its messages cannot be sent again.`,
      );
    const matched = and(
      eq(messages.campaignId, id),
      eq(messages.runId, run.id),
      eq(messages.kind, 'template'),
      inArray(messages.status, statuses),
      errorCodes ? inArray(messages.errorCode, errorCodes) : undefined,
    );
    const requeued = await db
      .update(messages)
      .set({
        status: 'pending',
        attempts: 0,
        nextAttemptAt: null,
        // an operator's retry is a knowing send: the window's deadline no longer ends it
        expiresAt: null,
        error: null,
        errorCode: null,
        errorTitle: null,
        updatedAt: sql`now()`,
      })
      .where(
        and(
          matched,
          or(
            ne(messages.status, 'failed'),
            isNull(messages.errorCode),
            ne(messages.errorCode, MARKETING_LIMIT_CODE),
            lte(failedAt, sql`now() - ${MARKETING_LIMIT_WAIT}`),
          ),
        ),
      )
      .returning({ id: messages.id });
    // What the update matched and left: the marketing limit's failures younger than a day.
    const [left] = await db
      .select({
        messages: sql<number>`count(*)::int`,
        retryFrom: sql<string>`to_json(min(${failedAt}) + ${MARKETING_LIMIT_WAIT})#>>'{}'`,
      })
      .from(messages)
      .where(
        and(matched, eq(messages.status, 'failed'), eq(messages.errorCode, MARKETING_LIMIT_CODE)),
      );
    const waiting =
      left && left.messages > 0
        ? [
            {
              errorCode: MARKETING_LIMIT_CODE,
              messages: left.messages,
              retryFrom: new Date(left.retryFrom).toISOString(),
              reason:
                "Meta's per-user marketing limit (131049): sent again less than 24 hours after it failed, it fails again",
            },
          ]
        : [];
    // the rows are due now: a run waiting for a window is not any more (recovery's guard)
    if (requeued.length > 0)
      await db.update(runs).set({ waitingUntil: null }).where(eq(runs.id, run.id));
    if (requeued.length > 0 && run.status === 'completed') {
      await db.update(runs).set({ status: 'running', finishedAt: null }).where(eq(runs.id, run.id));
      await db
        .update(campaigns)
        .set({ status: 'running', updatedAt: sql`now()` })
        .where(and(eq(campaigns.id, id), inArray(campaigns.status, ['completed', 'scheduled'])));
    }
    return { requeued: requeued.length, runId: run.id, waiting };
  });
  ctx.logger.info(
    { campaignId: id, ...result, statuses, errorCodes },
    'messages requeued by an operator',
  );
  if (result.requeued > 0) await kickDispatch(ctx, result.runId);
  return result;
}
