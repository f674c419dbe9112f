import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { dateTimeWords } from '../../time-words';

/**
 * Figures and times for people (docs/console.md): `7,412`, `4.1%`, `about 2 min left`,
 * `Mon 1 Dec, 09:00 Europe/Paris`, with "in 3 h" or "2 min ago" beside absolute times.
 */

const numbers = new Intl.NumberFormat('en-GB');

export const formatNumber = (n: number | null | undefined) =>
  n === null || n === undefined ? '–' : numbers.format(n);

/** A ratio (0.041) as a percentage (`4.1%`); `–` when there is nothing to divide by. */
export const formatPercent = (ratio: number | null | undefined) =>
  ratio === null || ratio === undefined || !Number.isFinite(ratio)
    ? '–'
    : `${(ratio * 100).toFixed(ratio !== 0 && Math.abs(ratio) < 0.001 ? 2 : 1)}%`;

/** The cookie console.js sets from the browser's zone; UTC until it has. */
export const zoneCookie = 'wbs_tz';

/** The viewer's IANA zone: the browser's, when it told us one that exists. */
export function viewerZone(c: Context): string {
  const zone = getCookie(c, zoneCookie);
  return zone && isZone(zone) ? zone : 'UTC';
}

export function isZone(zone: string): boolean {
  if (zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `Mon 1 Dec 2026, 09:00` in the zone (the year only when it is not this year's). */
export function formatDateTime(at: Date | string, zone: string, now = new Date()): string {
  return dateTimeWords(typeof at === 'string' ? new Date(at) : at, zone, now);
}

/** `in 3 h`, `2 min ago`, `just now`. */
export function formatRelative(at: Date | string, now = new Date()): string {
  const seconds = Math.round(
    ((typeof at === 'string' ? new Date(at) : at).getTime() - now.getTime()) / 1000,
  );
  const span = Math.abs(seconds);
  if (span < 45) return 'just now';
  const words = formatSpan(span);
  return seconds > 0 ? `in ${words}` : `${words} ago`;
}

/** A duration in the largest sensible unit: `40 s`, `12 min`, `3 h`, `2 days`. */
export function formatSpan(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} days`;
}

/** `about 2 min left`, or `–` when the rate is zero. */
export const formatTimeLeft = (seconds: number | null | undefined) =>
  seconds === null || seconds === undefined || !Number.isFinite(seconds)
    ? '–'
    : `about ${formatSpan(seconds)} left`;
