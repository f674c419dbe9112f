import type { campaigns, runs } from '../db/schema';
import type { CapSetting, FrequencyCap } from '../delivery/frequency-cap';
import type { ZoneNames } from '../delivery/recipient-zone';
import {
  daysMask,
  type SendWindow,
  toSendWindow,
  type WindowSetting,
} from '../delivery/send-window';
import type { Schedule } from './schedule';
import type { Campaign, Run } from './schemas';

/** A campaigns row as drizzle reads it: the schema's type, so it follows every migration. */
export type CampaignRow = typeof campaigns.$inferSelect;
export type RunRow = typeof runs.$inferSelect;
export type RunStatus = RunRow['status'];

export function scheduleOf(
  row: Pick<CampaignRow, 'scheduleAt' | 'scheduleCron' | 'scheduleTimezone' | 'scheduleLocalAt'>,
): Schedule | null {
  if (row.scheduleCron) return { cron: row.scheduleCron, timezone: row.scheduleTimezone ?? 'UTC' };
  if (row.scheduleAt)
    return {
      at: row.scheduleAt,
      ...(row.scheduleTimezone ? { timezone: row.scheduleTimezone } : {}),
      ...(row.scheduleLocalAt ? { localAt: localDateTime(row.scheduleLocalAt) } : {}),
    };
  return null;
}

/** PostgreSQL's `timestamp` text (2026-12-01 10:00:00) as the API writes it: 2026-12-01T10:00. */
function localDateTime(text: string): string {
  return text.replace(' ', 'T').replace(/:00$/, '');
}

/** A campaign's zone as its preview and its runs place recipients by. */
export type CampaignZone = {
  zone: string;
  /** The stored name PostgreSQL does not know, placed as UTC instead; null when it knows it. */
  unknown: string | null;
};

/**
 * The zone of a campaign's recipients whose own is unknown (docs/design.md, rule 37): its
 * schedule's, as PostgreSQL spells it, else UTC. A campaign saved before its zone was checked
 * against PostgreSQL's may name one PostgreSQL does not know (US/Pacific-New): it is UTC then,
 * alike in the preview and the snapshot, rather than an error in every statement that reads it.
 */
export async function campaignZone(
  zoneNames: Pick<ZoneNames, 'canonical'>,
  row: Pick<CampaignRow, 'scheduleTimezone'>,
): Promise<CampaignZone> {
  if (row.scheduleTimezone === null) return { zone: 'UTC', unknown: null };
  const zone = await zoneNames.canonical(row.scheduleTimezone);
  return zone ? { zone, unknown: null } : { zone: 'UTC', unknown: row.scheduleTimezone };
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
        ? schedule.localAt
          ? {
              at: schedule.localAt,
              ...(schedule.timezone ? { timezone: schedule.timezone } : {}),
              localTime: true,
            }
          : // the instant, as it always was: `{at: instant, timezone}` would not be taken back
            { at: schedule.at.toISOString() }
        : { cron: schedule.cron, timezone: schedule.timezone },
    ratePerSecond: row.ratePerSecond,
    followUp: row.followUpBody === null ? null : { body: row.followUpBody },
    ...frequencyCapOf(row),
    ...sendWindowOf(row),
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

/** The campaign's own window setting as the API shows it: absent while it follows the default. */
function sendWindowOf(row: CampaignRow): Pick<Campaign, 'sendWindow'> {
  const setting = windowSettingOf(row);
  if (setting.kind === 'default') return {};
  return { sendWindow: setting.kind === 'off' ? null : toSendWindow(setting.window) };
}

type WindowColumns = Pick<
  CampaignRow,
  | 'sendWindowMode'
  | 'sendWindowFrom'
  | 'sendWindowTo'
  | 'sendWindowDays'
  | 'sendWindowDeadlineHours'
>;

/** The columns' window setting (the table's check keeps them set exactly for `own`). */
export function windowSettingOf(row: WindowColumns): WindowSetting {
  const { sendWindowFrom: from, sendWindowTo: to, sendWindowDays: days } = row;
  if (row.sendWindowMode === 'own' && from && to && days)
    return {
      kind: 'own',
      // PostgreSQL's `time` reads 09:00:00
      window: {
        from: from.slice(0, 5),
        to: to.slice(0, 5),
        daysMask: days,
        deadlineHours: row.sendWindowDeadlineHours,
      },
    };
  return { kind: row.sendWindowMode === 'off' ? 'off' : 'default' };
}

/** The columns of a window setting given through the API: undefined leaves them. */
export function windowColumns(
  input: SendWindow | null | 'default' | undefined,
): WindowColumns | undefined {
  if (input === undefined) return undefined;
  if (input === 'default' || input === null)
    return {
      sendWindowMode: input === null ? 'off' : 'default',
      sendWindowFrom: null,
      sendWindowTo: null,
      sendWindowDays: null,
      sendWindowDeadlineHours: null,
    };
  return {
    sendWindowMode: 'own',
    sendWindowFrom: input.from,
    sendWindowTo: input.to,
    sendWindowDays: daysMask(input.days),
    sendWindowDeadlineHours: input.deadlineHours ?? null,
  };
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
