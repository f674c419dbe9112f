import { isTimeZone, wallClockInstant } from '../campaigns/schedule';
import { AppError } from '../errors';
import { DEFAULT_OVERVIEW_DAYS, type PeriodQuery } from './schemas';

/** event_counts' bucket: every zone's days and hours start on a quarter hour. */
const QUARTER_MS = 15 * 60_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A period of figures over time: whole quarter hours, and the zone the caller reads them in. */
export type Period = { from: Date; to: Date; timezone: string };

const badQuery = (path: string, message: string) =>
  new AppError('bad_request', `${path}: ${message}`, [{ path, message }]);

/**
 * The start of a day in `zone`: its midnight, or its first hour where midnight is skipped (a
 * zone that moves its clocks forward at 00:00).
 */
export function startOfDay(date: string, zone: string): Date {
  const instant =
    wallClockInstant(`${date}T00:00:00`, zone) ?? wallClockInstant(`${date}T01:00:00`, zone);
  if (!instant) throw badQuery('query.from', `${date} has no start in ${zone}`);
  return instant;
}

/**
 * The period a query asks for: `to` defaults to now and `from` to DEFAULT_OVERVIEW_DAYS before
 * `to`; a date alone is the start of that day in `timezone`. The figures are counted by quarter
 * hour, so `from` goes back and `to` on to the quarter hour holding them (a `to` of now takes in
 * every event so far). `from` must come before `to`.
 */
export function statsPeriod(query: PeriodQuery, now = new Date()): Period {
  const zone = query.timezone;
  if (!isTimeZone(zone))
    throw badQuery('query.timezone', 'is not an IANA time zone such as Europe/Paris');
  const at = (value: string) => (DATE_ONLY.test(value) ? startOfDay(value, zone) : new Date(value));
  const to = query.to ? at(query.to) : now;
  const from = query.from
    ? at(query.from)
    : new Date(to.getTime() - DEFAULT_OVERVIEW_DAYS * 86_400_000);
  if (from >= to) throw badQuery('query.to', 'to must be later than from');
  return {
    from: new Date(Math.floor(from.getTime() / QUARTER_MS) * QUARTER_MS),
    to: new Date(Math.ceil(to.getTime() / QUARTER_MS) * QUARTER_MS),
    timezone: zone,
  };
}
