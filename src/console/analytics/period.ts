/**
 * The period picker's choice (docs/console.md: Analytics), as dates of the viewer's zone: a
 * preset, or a custom range of whole days. `from` is the first day and `to` the day after the
 * last (exclusive), both `YYYY-MM-DD`, which the stats API reads as the start of that day in the
 * zone it is given.
 */
export const presets = {
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  month: 'This month',
  'last-month': 'Last month',
} as const;
export type Preset = keyof typeof presets;

/** A custom period covers at most a year of days (and of chart buckets). */
export const MAX_CUSTOM_DAYS = 366;

export type ChosenPeriod = {
  preset: Preset | 'custom';
  from: string;
  to: string;
  /** What the picker shows in the custom fields: the first and the last day. */
  first: string;
  last: string;
  days: number;
  /** Two days or fewer are charted by the hour. */
  interval: 'hour' | 'day';
};

export type PeriodChoice =
  | { ok: true; period: ChosenPeriod }
  | { ok: false; errors: Record<string, string>; first: string; last: string };

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `YYYY-MM-DD` of a plain date held as UTC midnight. */
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dateMs = (date: string) => Date.parse(`${date}T00:00:00Z`);
const isDate = (text: string) => DATE.test(text) && isoDate(dateMs(text)) === text;

/** Today's date in `zone`. */
export function todayIn(zone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(now);
}

function period(preset: ChosenPeriod['preset'], from: string, to: string): ChosenPeriod {
  const days = Math.round((dateMs(to) - dateMs(from)) / DAY_MS);
  return {
    preset,
    from,
    to,
    first: from,
    last: isoDate(dateMs(to) - DAY_MS),
    days,
    interval: days <= 2 ? 'hour' : 'day',
  };
}

/**
 * The period a query asks for (`?period=7d|30d|month|last-month`, or `?period=custom&from=&to=`
 * with the first and last day), in `zone`; the last 30 days when it names none. A custom range
 * that is not two dates in order, at most MAX_CUSTOM_DAYS long, answers its field errors.
 */
export function choosePeriod(
  query: { period?: string; from?: string; to?: string },
  zone: string,
  now = new Date(),
): PeriodChoice {
  const today = dateMs(todayIn(zone, now));
  const tomorrow = isoDate(today + DAY_MS);
  const [year, month] = todayIn(zone, now).split('-').map(Number) as [number, number];
  const monthStart = (offset: number) => isoDate(Date.UTC(year, month - 1 + offset, 1));
  switch (query.period) {
    case '7d':
      return { ok: true, period: period('7d', isoDate(today - 6 * DAY_MS), tomorrow) };
    case 'month':
      return { ok: true, period: period('month', monthStart(0), tomorrow) };
    case 'last-month':
      return { ok: true, period: period('last-month', monthStart(-1), monthStart(0)) };
    case 'custom':
      return customPeriod(query.from ?? '', query.to ?? '');
    default:
      return { ok: true, period: period('30d', isoDate(today - 29 * DAY_MS), tomorrow) };
  }
}

function customPeriod(first: string, last: string): PeriodChoice {
  const errors: Record<string, string> = {};
  if (!isDate(first)) errors.from = 'Enter the first day as a date, for example 2026-11-01';
  if (!isDate(last)) errors.to = 'Enter the last day as a date, for example 2026-11-30';
  if (Object.keys(errors).length === 0) {
    const days = Math.round((dateMs(last) - dateMs(first)) / DAY_MS) + 1;
    if (days < 1) errors.to = 'The last day must be the first day or after it';
    else if (days > MAX_CUSTOM_DAYS)
      errors.to = `Pick at most ${MAX_CUSTOM_DAYS} days: this period has ${days.toLocaleString('en-GB')}`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors, first, last };
  return { ok: true, period: period('custom', first, isoDate(dateMs(last) + DAY_MS)) };
}

/** `23 Nov – 29 Nov 2026`, `1 Nov – 30 Nov 2026`, `29 Nov 2026`. */
export function periodWords(p: ChosenPeriod): string {
  const day = (date: string, year: boolean) =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'UTC',
      day: 'numeric',
      month: 'short',
      ...(year ? { year: 'numeric' } : {}),
    }).format(new Date(dateMs(date)));
  if (p.first === p.last) return day(p.first, true);
  const sameYear = p.first.slice(0, 4) === p.last.slice(0, 4);
  return `${day(p.first, !sameYear)} – ${day(p.last, true)}`;
}
