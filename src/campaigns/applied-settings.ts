import type { AppContext } from '../context';

/** The name of QUIET_HOURS' row in `applied_settings`. */
export const QUIET_HOURS_SETTING = 'QUIET_HOURS';

/** This process's QUIET_HOURS as `applied_settings` stores it (JSON; `null`: unset). */
export const quietHoursValue = (ctx: AppContext): string =>
  JSON.stringify(ctx.config.QUIET_HOURS ?? null);

/**
 * Whether this process places rows by the QUIET_HOURS the last start recorded. In a rolling
 * change of the value, a process still on the old one must not place a run's rows again: it
 * would place them by the value just replaced, and no later start would see a change.
 */
export async function placesByRecordedQuietHours(ctx: AppContext): Promise<boolean> {
  const [row] = await ctx.database.sql<{ value: string }[]>`
    select value from applied_settings where name = ${QUIET_HOURS_SETTING}`;
  return !row || row.value === quietHoursValue(ctx);
}
