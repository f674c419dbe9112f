import type { AppContext } from '../context';
import { AppError } from '../errors';
import { assertUuid } from '../http/params';
import { scheduleColumns, scheduleFromInput } from './create-campaign';
import { checkReferences } from './references';
import { campaignRow, type RawCampaignRow, scheduleOf, toCampaign, ts } from './rows';
import type { Campaign, UpdateCampaign } from './schemas';
import { assertSkipsAccepted } from './skip-rule';

const EDITABLE = ['draft', 'scheduled', 'paused'];

/**
 * Changes a draft, scheduled or paused campaign. A draft or scheduled one becomes `scheduled`
 * or `draft` as it has a schedule or not; a paused one stays paused, and its new schedule,
 * template and lists count once its current run is over (a run keeps what it was opened with).
 * A change that leaves it scheduled anew is checked for skips as a start is.
 */
export async function updateCampaign(
  ctx: AppContext,
  id: string,
  input: UpdateCampaign,
): Promise<Campaign> {
  assertUuid(id, 'Campaign');
  const row = await ctx.database.sql.begin(async (tx) => {
    const [raw] = await tx<RawCampaignRow[]>`select * from campaigns where id = ${id} for update`;
    if (!raw) throw AppError.notFound('Campaign', id);
    const current = campaignRow(raw);
    if (!EDITABLE.includes(current.status)) {
      throw new AppError(
        'invalid_transition',
        `cannot change campaign ${id}: it is ${current.status}, and changes need draft, scheduled or paused`,
      );
    }
    const schedule =
      input.schedule === undefined
        ? scheduleOf(current)
        : input.schedule === null
          ? null
          : scheduleFromInput(input.schedule);
    const columns =
      input.schedule === undefined
        ? {
            schedule_at: current.schedule_at,
            schedule_cron: current.schedule_cron,
            schedule_timezone: current.schedule_timezone,
            next_run_at: current.next_run_at,
          }
        : scheduleColumns(schedule, ctx.config.MIN_SCHEDULE_INTERVAL_MINUTES);
    const status = current.status === 'paused' ? 'paused' : schedule ? 'scheduled' : 'draft';
    // What changes must exist; a campaign about to be scheduled needs all of its lists (a
    // draft's may have been deleted since: drafts do not hold their lists).
    await checkReferences(tx, {
      templateId: input.templateId,
      listIds: input.listIds ?? (status === 'scheduled' ? current.list_ids : undefined),
    });
    // Scheduled anew, or its when or whom changed: it will fire with nobody watching.
    const rescheduled =
      current.status !== 'scheduled' ||
      input.schedule !== undefined ||
      input.templateId !== undefined ||
      input.listIds !== undefined;
    if (status === 'scheduled' && rescheduled) {
      const templateId = input.templateId ?? current.template_id;
      const listIds = input.listIds ?? current.list_ids;
      await assertSkipsAccepted(
        ctx,
        tx,
        { id, templateId, listIds },
        'schedule',
        input.acceptSkips,
      );
    }
    const [updated] = await tx<RawCampaignRow[]>`
      update campaigns set
        name = ${input.name ?? current.name},
        template_id = ${input.templateId ?? current.template_id},
        list_ids = ${input.listIds ?? current.list_ids}::uuid[],
        schedule_at = ${ts(columns.schedule_at)},
        schedule_cron = ${columns.schedule_cron},
        schedule_timezone = ${columns.schedule_timezone},
        next_run_at = ${ts(columns.next_run_at)},
        rate_per_second = ${input.ratePerSecond === undefined ? current.rate_per_second : input.ratePerSecond},
        follow_up_body = ${input.followUp === undefined ? current.follow_up_body : (input.followUp?.body ?? null)},
        status = ${status},
        updated_at = now()
      where id = ${id} and status = ${current.status}
      returning *`;
    if (!updated) throw new Error(`campaign ${id} changed under its row lock`);
    return updated;
  });
  return toCampaign(row);
}
