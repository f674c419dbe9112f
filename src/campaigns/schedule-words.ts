import { dateTimeWords } from '../time-words';
import type { Schedule } from './schedule';

/** `Mon 30 Nov, 09:00`: a firing in its zone. */
export const firingWords = dateTimeWords;

/**
 * A schedule in words, for people who do not read cron (docs/console.md: schedules in words):
 * `Every Monday at 09:00 in Europe/Paris`. The common shapes of a 5-field pattern (a minute and
 * hours; every day, days of the week, or days of the month) are described; any other pattern is
 * named as it is, and the firings listed beside it explain it.
 */

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const NUMBER = /^\d{1,2}$/;

/** A day of the week (0-7 or a name) as 0 (Sunday) to 6, or undefined. */
function dayOf(token: string): number | undefined {
  const name = DAY_NAMES.indexOf(token.toUpperCase());
  if (name !== -1) return name;
  if (!NUMBER.test(token) || Number(token) > 7) return undefined;
  return Number(token) % 7;
}

const list = (words: string[]) =>
  words.length <= 1
    ? (words[0] ?? '')
    : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;

/** `Monday`, `Monday and Friday`, `weekday (Monday to Friday)`, or undefined. */
function daysOfWeek(field: string): string | undefined {
  const words: string[] = [];
  for (const part of field.split(',')) {
    const [from, to, ...rest] = part.split('-');
    if (rest.length > 0 || from === undefined) return undefined;
    const first = dayOf(from);
    if (first === undefined) return undefined;
    if (to === undefined) {
      words.push(DAYS[first] ?? '');
      continue;
    }
    const last = dayOf(to);
    if (last === undefined) return undefined;
    if (first === 1 && last === 5) words.push('weekday (Monday to Friday)');
    else words.push(`${DAYS[first]} to ${DAYS[last]}`);
  }
  return list(words);
}

const SUFFIXES: Record<number, string> = { 1: 'st', 2: 'nd', 3: 'rd' };

/** `1st`, `2nd`, `11th`, `23rd`. */
const ordinal = (n: number) =>
  `${n}${n % 100 >= 11 && n % 100 <= 13 ? 'th' : (SUFFIXES[n % 10] ?? 'th')}`;

/** `the first day`, `the 15th`, `the 1st and 15th`, `the last day`, or undefined. */
function daysOfMonth(field: string): string | undefined {
  if (field === '1') return 'the first day';
  if (field.toUpperCase() === 'L') return 'the last day';
  const days = field.split(',');
  if (!days.every((day) => NUMBER.test(day) && Number(day) >= 1 && Number(day) <= 31))
    return undefined;
  return `the ${list(days.map((day) => ordinal(Number(day))))}`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** `09:00`, `09:00 and 17:30`, or undefined. */
function timesOf(minute: string, hour: string): string | undefined {
  if (!NUMBER.test(minute) || Number(minute) > 59) return undefined;
  const hours = hour.split(',');
  if (!hours.every((h) => NUMBER.test(h) && Number(h) <= 23)) return undefined;
  return list(hours.map((h) => `${two(Number(h))}:${two(Number(minute))}`));
}

/** A cron pattern in words, without its zone; undefined when its shape is not a common one. */
export function describeCron(pattern: string): string | undefined {
  let fields = pattern.trim().split(/\s+/);
  // 6 fields start with seconds: only a pattern on the minute reads like a 5-field one
  if (fields.length === 6 && fields[0] === '0') fields = fields.slice(1);
  const [minute, hour, dom, month, dow] = fields;
  if (fields.length !== 5 || !minute || !hour || !dom || !month || !dow || month !== '*')
    return undefined;
  if (hour === '*' && dom === '*' && dow === '*') {
    if (minute === '0') return 'Every hour, on the hour';
    return NUMBER.test(minute) && Number(minute) <= 59
      ? `Every hour at ${Number(minute)} minutes past`
      : undefined;
  }
  const times = timesOf(minute, hour);
  if (!times) return undefined;
  if (dom === '*' && dow === '*') return `Every day at ${times}`;
  if (dom === '*') {
    const days = daysOfWeek(dow);
    return days ? `Every ${days} at ${times}` : undefined;
  }
  if (dow === '*') {
    const days = daysOfMonth(dom);
    return days ? `On ${days} of every month at ${times}` : undefined;
  }
  return undefined;
}

/**
 * A local-time schedule's wall-clock time (2026-12-01T10:00) in words, in no zone: `Tue 1 Dec at
 * 10:00` (the year when it is not this one).
 */
export function localAtWords(localAt: string, now = new Date()): string {
  // read as UTC's wall clock, so that the words are the time as written
  const words = firingWords(new Date(`${localAt}Z`), 'UTC', now);
  return words.replace(/, (\d\d:\d\d)$/, ' at $1');
}

/**
 * The whole schedule in words: `Every Monday at 09:00 in Europe/Paris`, `Once, on Tue 1 Dec,
 * 09:00 in Europe/Paris`, `Once, on Tue 1 Dec at 10:00 in each recipient's time zone`, `On the
 * pattern "0 9 1-7 * MON" in UTC`. A one-off is named in `zone` (the zone it was written in,
 * when known).
 */
export function describeSchedule(schedule: Schedule, zone = 'UTC', now = new Date()): string {
  if ('at' in schedule && schedule.localAt)
    return `Once, on ${localAtWords(schedule.localAt, now)} in each recipient's time zone`;
  if ('at' in schedule) return `Once, on ${firingWords(schedule.at, zone, now)} in ${zone}`;
  const words = describeCron(schedule.cron) ?? `On the pattern "${schedule.cron}"`;
  return `${words} in ${schedule.timezone}`;
}
