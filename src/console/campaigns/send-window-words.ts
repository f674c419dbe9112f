import type { AppliedWindow, SendWindow, Weekday } from '../../delivery/send-window';
import { WEEKDAYS } from '../../delivery/send-window';
import type { Template } from '../../templates/schemas';

/**
 * A campaign's send window in a marketer's words (docs/design.md, rule 37; docs/console.md: no
 * developer words): `Sends 09:00–20:00 in each recipient's time, Mon–Fri`, the account's quiet
 * hours as the hours nothing goes out (`Quiet hours 21:00–08:00`), or `Any time`.
 */

const SHORT: Record<Weekday, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

/** `Mon–Fri`, `Mon, Wed and Fri`, `Sat and Sun`; undefined for every day. */
export function daysWords(days: readonly Weekday[] | undefined): string | undefined {
  if (!days || days.length === WEEKDAYS.length) return undefined;
  const ordered = WEEKDAYS.filter((day) => days.includes(day));
  const first = WEEKDAYS.indexOf(ordered[0] ?? 'mon');
  const contiguous = ordered.every((day, i) => WEEKDAYS.indexOf(day) === first + i);
  if (contiguous && ordered.length >= 3)
    return `${SHORT[ordered[0] ?? 'mon']}–${SHORT[ordered.at(-1) ?? 'sun']}`;
  const names = ordered.map((day) => SHORT[day]);
  return names.length === 1
    ? names[0]
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** `48 hours`, `1 hour`. */
const hoursWords = (hours: number) => `${hours} ${hours === 1 ? 'hour' : 'hours'}`;

/**
 * A campaign's own window: `Sends 09:00–20:00 in each recipient's time, Mon–Fri; messages still
 * waiting 48 hours after the start expire`. A window past midnight (22:00–06:00) reads as it is.
 */
export function ownWindowWords(window: SendWindow): string {
  const days = daysWords(window.days);
  const deadline =
    window.deadlineHours === undefined
      ? ''
      : `; messages still waiting ${hoursWords(window.deadlineHours)} after the start expire`;
  return `Sends ${window.from}–${window.to} in each recipient's time${days ? `, ${days}` : ''}${deadline}`;
}

/**
 * QUIET_HOURS in words: the hours nothing goes out, `21:00–08:00`. The config holds the window
 * between them (08:00 to 21:00), so the quiet hours run from its end to its start.
 */
export const quietHoursWords = (quiet: AppliedWindow) => `${quiet.to}–${quiet.from}`;

/**
 * The window a campaign keeps to, in words: its own, none (`Any time`), or the account's quiet
 * hours, which apply to marketing templates only (a template of no category counts as one).
 */
export function campaignWindowWords(
  sendWindow: SendWindow | null | undefined,
  quietHours: AppliedWindow | undefined,
  category: Template['category'] | undefined,
): string {
  if (sendWindow === null) return 'Any time';
  if (sendWindow) return ownWindowWords(sendWindow);
  if (!quietHours) return 'Any time (the account sets no quiet hours)';
  if ((category ?? 'marketing') !== 'marketing')
    return `Any time: the account's quiet hours (${quietHoursWords(quietHours)}) are for marketing templates only`;
  return `Quiet hours ${quietHoursWords(quietHours)} in each recipient's time (account default)`;
}
