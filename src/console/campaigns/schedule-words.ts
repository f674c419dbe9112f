import { cronOf } from '../../campaigns/schedule';
import { localAtWords } from '../../campaigns/schedule-words';
import type { Campaign } from '../../campaigns/schemas';

/**
 * A campaign's schedule in words (docs/console.md: a marketer never meets an unexplained cron
 * string): the common patterns said outright ("Every Monday at 09:00"), any other one said as a
 * repeating schedule, and always its next firings beside it, which is what a pattern means.
 */
const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const dayNames = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export type ScheduleWords = {
  summary: string;
  pattern?: string;
  zone?: string;
  next: Date[];
  /** A local-time one-off: its next time is when it starts, where the day begins (UTC+14). */
  rolling?: { unknownZone: string };
};

export function describeSchedule(
  campaign: Pick<Campaign, 'schedule' | 'nextRunAt' | 'status'>,
  count = 3,
): ScheduleWords {
  const { schedule, nextRunAt } = campaign;
  if (!schedule)
    return {
      summary:
        campaign.status === 'draft'
          ? 'None: it is sent when someone starts it.'
          : 'None: it was started by hand.',
      next: [],
    };
  const next = nextRunAt ? [new Date(nextRunAt)] : [];
  if ('at' in schedule && schedule.localTime)
    return {
      summary: `Once, on ${localAtWords(schedule.at)} in each recipient's time zone.`,
      next,
      rolling: { unknownZone: schedule.timezone ?? 'UTC' },
    };
  if ('at' in schedule) return { summary: 'Once.', next };
  let firings: Date[] = [];
  try {
    firings = cronOf(schedule.cron, schedule.timezone).nextRuns(count);
  } catch {
    // a pattern stored before a check that now refuses it: said as it is, without firings
  }
  return {
    summary: cronWords(schedule.cron) ?? 'Repeats on a custom pattern.',
    pattern: schedule.cron,
    zone: schedule.timezone,
    next: firings,
  };
}

/** `0 9 * * MON` → `Every Monday at 09:00`; undefined for a pattern beyond the common shapes. */
export function cronWords(cron: string): string | undefined {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [minute = '', hour = '', dayOfMonth = '', month = '', dayOfWeek = ''] = fields;
  if (month !== '*') return undefined;
  if (/^\d+$/.test(minute) && hour === '*' && dayOfMonth === '*' && dayOfWeek === '*')
    return `Every hour at ${pad(minute)} minutes past`;
  if (!/^\d+$/.test(minute) || !/^\d+$/.test(hour)) return undefined;
  const at = `at ${pad(hour)}:${pad(minute)}`;
  if (dayOfMonth === '*' && dayOfWeek === '*') return `Every day ${at}`;
  if (dayOfMonth === '*') {
    const weekdays = dayList(dayOfWeek);
    return weekdays ? `Every ${weekdays} ${at}` : undefined;
  }
  if (/^\d+$/.test(dayOfMonth) && dayOfWeek === '*')
    return `On day ${Number(dayOfMonth)} of every month ${at}`;
  return undefined;
}

function dayList(field: string): string | undefined {
  if (/^(1-5|MON-FRI)$/i.test(field)) return 'weekday (Monday to Friday)';
  const names = field.split(',').map(dayName);
  if (names.some((name) => name === undefined)) return undefined;
  const list = names as string[];
  return list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
}

function dayName(part: string): string | undefined {
  const index = /^[0-7]$/.test(part) ? Number(part) % 7 : dayNames.indexOf(part.toUpperCase());
  return index >= 0 ? days[index] : undefined;
}

const pad = (value: string) => value.padStart(2, '0');
