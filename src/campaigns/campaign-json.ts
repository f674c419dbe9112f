import type { campaigns, runs } from '../db/schema';
import type { CapSetting, FrequencyCap } from '../delivery/frequency-cap';
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
    ...frequencyCapOf(row),
    holdoutPercent: row.holdoutPercent,
    nextRunAt: row.nextRunAt?.toISOString() ?? null,
    lastRunAt: row.lastRunAt?.toISOString() ?? null,
    pausedReason: row.pausedReason,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The campaign's own cap setting as the API shows it: absent while it follows the default. */
function frequencyCapOf(row: CampaignRow): Pick<Campaign, 'frequencyCap'> {
  const setting = capSettingOf(row);
  if (setting.kind === 'default') return {};
  return { frequencyCap: setting.kind === 'off' ? null : setting.cap };
}

/** The columns' cap setting (the table's check keeps both numbers set exactly for `own`). */
export function capSettingOf(
  row: Pick<CampaignRow, 'frequencyCapMode' | 'frequencyCapMax' | 'frequencyCapDays'>,
): CapSetting {
  if (row.frequencyCapMode === 'own' && row.frequencyCapMax && row.frequencyCapDays)
    return { kind: 'own', cap: { max: row.frequencyCapMax, days: row.frequencyCapDays } };
  return { kind: row.frequencyCapMode === 'off' ? 'off' : 'default' };
}

/** The columns of a cap setting given through the API: undefined leaves them. */
export function capColumns(
  input: FrequencyCap | null | 'default' | undefined,
): Pick<CampaignRow, 'frequencyCapMode' | 'frequencyCapMax' | 'frequencyCapDays'> | undefined {
  if (input === undefined) return undefined;
  if (input === 'default' || input === null)
    return {
      frequencyCapMode: input === null ? 'off' : 'default',
      frequencyCapMax: null,
      frequencyCapDays: null,
    };
  return { frequencyCapMode: 'own', frequencyCapMax: input.max, frequencyCapDays: input.days };
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
