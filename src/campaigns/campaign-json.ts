import type { campaigns, runs } from '../db/schema';
import type { Schedule } from './schedule';
import type { Campaign, Run } from './schemas';

/** A campaigns row as drizzle reads it: the schema's type, so it follows every migration. */
export type CampaignRow = typeof campaigns.$inferSelect;
export type RunRow = typeof runs.$inferSelect;
export type RunStatus = RunRow['status'];

export function scheduleOf(
  row: Pick<CampaignRow, 'scheduleAt' | 'scheduleCron' | 'scheduleTimezone'>,
): Schedule | null {
  if (row.scheduleCron) return { cron: row.scheduleCron, timezone: row.scheduleTimezone ?? 'UTC' };
  if (row.scheduleAt) return { at: row.scheduleAt };
  return null;
}

export function toCampaign(row: CampaignRow): Campaign {
  const schedule = scheduleOf(row);
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    templateId: row.templateId,
    listIds: row.listIds,
    senderId: row.senderId,
    schedule: !schedule
      ? null
      : 'at' in schedule
        ? { at: schedule.at.toISOString() }
        : { cron: schedule.cron, timezone: schedule.timezone },
    ratePerSecond: row.ratePerSecond,
    followUp: row.followUpBody === null ? null : { body: row.followUpBody },
    nextRunAt: row.nextRunAt?.toISOString() ?? null,
    lastRunAt: row.lastRunAt?.toISOString() ?? null,
    pausedReason: row.pausedReason,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toRun(row: RunRow): Run {
  return {
    id: row.id,
    campaignId: row.campaignId,
    scheduledFor: row.scheduledFor.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    status: row.status,
    audience: row.audience,
  };
}
