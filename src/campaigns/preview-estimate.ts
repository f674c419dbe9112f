import type { AudienceFigures } from './audience-figures';
import { type CampaignRow, scheduleOf } from './campaign-json';
import { nextSlot } from './schedule';
import { count, skipWarnings } from './skip-rule';

const DAY_MS = 86_400_000;

export type Estimate = { start: Date; finish: Date; pacePerSecond: number; warnings: string[] };

/** The campaign's sender as the estimate sees it: its pace and 24-hour limit, and the names of their settings. */
export type SenderPace = {
  ratePerSecond: number;
  messagingLimit24h: number | null;
  /** How a person changes them: the default sender's come from the environment. */
  rateSetting: string;
  limitSetting: string;
};

/**
 * When the next run would start and end, and what would surprise. The run is assumed to have its
 * sender to itself: other campaigns sending through it at the same time share its pace.
 */
export function estimate(input: {
  campaign: CampaignRow;
  figures: AudienceFigures;
  eligible: number;
  usedLast24h: number;
  sender: SenderPace;
  now: Date;
}): Estimate {
  const { campaign, figures, eligible, sender } = input;
  const warnings = skipWarnings(figures);
  if (eligible === 0) warnings.push('nobody would be sent: no contact of the lists can be sent to');
  const rate = campaign.ratePerSecond;
  const pacePerSecond = Math.min(rate ?? Number.POSITIVE_INFINITY, sender.ratePerSecond);
  if (rate !== null && rate > sender.ratePerSecond)
    warnings.push(
      `ratePerSecond ${rate} is above the sender's ${sender.rateSetting} (${sender.ratePerSecond}): the run goes at ${pacePerSecond} a second`,
    );
  const start = nextStart(campaign, input.now);
  const limit = sender.messagingLimit24h ?? undefined;
  const room = limit === undefined ? eligible : Math.max(0, limit - input.usedLast24h);
  const { finish, waitingDays } = finishAt(start, eligible, pacePerSecond, room, limit);
  if (waitingDays > 0)
    warnings.push(
      `${sender.limitSetting} (${count(limit ?? 0)}) leaves room for ${count(room)} more recipients (${count(input.usedLast24h)} got a template in the last 24 hours) and this run needs ${count(eligible)}: the rest wait for the rolling window, about ${waitingDays} more ${waitingDays === 1 ? 'day' : 'days'}`,
    );
  return { start, finish, pacePerSecond, warnings };
}

/**
 * When the next run would start: the next slot of a scheduled campaign, or of a paused one with
 * a schedule (where resume would put it); now for a draft (started now) or a paused one without.
 */
function nextStart(campaign: CampaignRow, now: Date): Date {
  if (campaign.status === 'scheduled' && campaign.nextRunAt)
    return campaign.nextRunAt > now ? campaign.nextRunAt : now;
  const schedule = campaign.status === 'paused' ? scheduleOf(campaign) : null;
  return (schedule && nextSlot(schedule, now)) ?? now;
}

/**
 * The last send of `recipients` from `start` at `pace`. Beyond the limit's `room`, the rest wait
 * for the rolling window: `limit` more a day (rough: the window frees as earlier sends age,
 * not at once).
 */
function finishAt(
  start: Date,
  recipients: number,
  pace: number,
  room: number,
  limit: number | undefined,
): { finish: Date; waitingDays: number } {
  if (limit === undefined || recipients <= room)
    return { finish: new Date(start.getTime() + (recipients / pace) * 1000), waitingDays: 0 };
  const waitingDays = Math.ceil((recipients - room) / limit);
  const lastDay = recipients - room - (waitingDays - 1) * limit;
  return {
    finish: new Date(start.getTime() + waitingDays * DAY_MS + (lastDay / pace) * 1000),
    waitingDays,
  };
}
