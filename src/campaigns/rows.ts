import type { Schedule } from './schedule';
import type { Campaign, CampaignStatus, Run } from './schemas';

/**
 * drizzle sets the shared postgres.js client to pass timestamps through as text both ways, so
 * raw queries send ISO strings and parse what comes back with these two.
 */
export function ts(date: Date): string;
export function ts(date: Date | null): string | null;
export function ts(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

const pgTimestamp = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d(?:\.\d+)?)(Z|[+-]\d\d(?::?\d\d)?)?$/;

export function parseTs(value: string | Date | null): Date | null {
  if (value === null || value instanceof Date) return value;
  const match = pgTimestamp.exec(value);
  if (!match) throw new Error(`unexpected timestamp from PostgreSQL: ${value}`);
  const [, day, time, zone = 'Z'] = match;
  const offset = zone === 'Z' || zone.length > 3 ? zone : `${zone}:00`;
  return new Date(`${day}T${time}${offset}`);
}

type Raw<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};

/** A campaigns row (`select *`), timestamps parsed. */
export type CampaignRow = {
  id: string;
  name: string;
  status: CampaignStatus;
  template_id: string;
  list_ids: string[];
  schedule_at: Date | null;
  schedule_cron: string | null;
  schedule_timezone: string | null;
  rate_per_second: number | null;
  follow_up_body: string | null;
  next_run_at: Date | null;
  last_run_at: Date | null;
  paused_reason: string | null;
  created_at: Date;
};

export type RawCampaignRow = Raw<CampaignRow>;

export function campaignRow(raw: RawCampaignRow): CampaignRow {
  return {
    ...raw,
    schedule_at: parseTs(raw.schedule_at),
    next_run_at: parseTs(raw.next_run_at),
    last_run_at: parseTs(raw.last_run_at),
    created_at: parseTs(raw.created_at) ?? new Date(Number.NaN),
  };
}

export type RunRow = {
  id: string;
  campaign_id: string;
  scheduled_for: Date;
  status: Run['status'];
  audience: number;
  snapshot_cursor: string | null;
  snapshot_done_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
};

export type RawRunRow = Raw<RunRow>;

export function runRow(raw: RawRunRow): RunRow {
  return {
    ...raw,
    scheduled_for: parseTs(raw.scheduled_for) ?? new Date(Number.NaN),
    snapshot_done_at: parseTs(raw.snapshot_done_at),
    started_at: parseTs(raw.started_at),
    finished_at: parseTs(raw.finished_at),
  };
}

export function scheduleOf(row: CampaignRow): Schedule | null {
  if (row.schedule_cron)
    return { cron: row.schedule_cron, timezone: row.schedule_timezone ?? 'UTC' };
  if (row.schedule_at) return { at: row.schedule_at };
  return null;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toCampaign(raw: RawCampaignRow): Campaign {
  const row = campaignRow(raw);
  const schedule = scheduleOf(row);
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    templateId: row.template_id,
    listIds: row.list_ids,
    schedule: !schedule
      ? null
      : 'at' in schedule
        ? { at: schedule.at.toISOString() }
        : { cron: schedule.cron, timezone: schedule.timezone },
    ratePerSecond: row.rate_per_second,
    followUp: row.follow_up_body === null ? null : { body: row.follow_up_body },
    nextRunAt: iso(row.next_run_at),
    lastRunAt: iso(row.last_run_at),
    pausedReason: row.paused_reason,
    createdAt: row.created_at.toISOString(),
  };
}

export function toRun(raw: RawRunRow): Run {
  const row = runRow(raw);
  return {
    id: row.id,
    campaignId: row.campaign_id,
    scheduledFor: row.scheduled_for.toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    status: row.status,
    audience: row.audience,
  };
}
