import type { AppContext } from '../context';
import { transaction } from '../db/transaction';
import type { AppliedWindow } from '../delivery/send-window';
import { QUIET_HOURS_SETTING, quietHoursValue } from './applied-settings';
import { queueWindowChange } from './window-change.job';

/** The window columns of a campaign that follows QUIET_HOURS (its runs' templates decide). */
const DEFAULT_WINDOW = {
  sendWindowMode: 'default',
  sendWindowFrom: null,
  sendWindowTo: null,
  sendWindowDays: null,
  sendWindowDeadlineHours: null,
} as const;

/**
 * QUIET_HOURS as this process starts with it, against the value the last start recorded
 * (`applied_settings`): when it changed, the waiting rows of every unfinished run that follows
 * it are placed again by the new value, by the window change's job, as a PATCH of a campaign's
 * window places them. Without it, a wider value left rows waiting for the old opening, and a
 * narrower one left them to be put back by each claim. A first start records the value and
 * places nothing. While processes run with different values (a rolling change), only those
 * on the recorded one run the jobs (placesByRecordedQuietHours).
 */
export async function placeAgainForQuietHours(ctx: AppContext): Promise<number> {
  const quietHours = ctx.config.QUIET_HOURS;
  const value = quietHoursValue(ctx);
  const queued = await transaction(ctx.database, async (tx) => {
    await tx.sql`
      insert into applied_settings (name, value) values (${QUIET_HOURS_SETTING}, ${value})
      on conflict (name) do nothing`;
    // the row lock: two processes starting at once place once
    const [row] = await tx.sql<{ value: string }[]>`
      select value from applied_settings where name = ${QUIET_HOURS_SETTING} for update`;
    if (!row || row.value === value) return 0;
    const before = (JSON.parse(row.value) as AppliedWindow | null) ?? undefined;
    const following = await tx.sql<{ id: string }[]>`
      select distinct c.id from campaigns c join runs r on r.campaign_id = c.id
      where c.send_window_mode = 'default' and r.status in ('running', 'paused')`;
    let runs = 0;
    for (const { id } of following)
      runs += await queueWindowChange(
        ctx,
        tx,
        id,
        { setting: DEFAULT_WINDOW, quietHours: before },
        { setting: DEFAULT_WINDOW, quietHours },
      );
    await tx.sql`
      update applied_settings set value = ${value}, applied_at = now() where name = ${QUIET_HOURS_SETTING}`;
    return runs;
  });
  if (queued > 0)
    ctx.logger.info(
      { runs: queued, quietHours: quietHours ?? null },
      'QUIET_HOURS changed since the last start: waiting rows to place again',
    );
  return queued;
}
