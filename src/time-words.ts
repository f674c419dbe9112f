/**
 * A time as people read it, in a zone: `Mon 1 Dec, 09:00`, the year added when it is not the
 * year of `now` (`Mon 4 Jan 2027, 09:00`). The console's times and a schedule's firings in words
 * (campaigns/schedule-words.ts) both read so.
 */
export function dateTimeWords(at: Date, zone: string, now = new Date()): string {
  const year = (date: Date) =>
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric' }).format(date);
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(year(at) === year(now) ? {} : { year: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(at)
    .replace(/^(\w+),/, '$1') // en-GB writes `Mon, 4 Jan 2027` when the year is shown
    .replace(' at ', ', ');
}
