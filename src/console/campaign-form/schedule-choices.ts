/**
 * What the schedule fields offer: recurring presets (each a cron pattern the campaigns feature
 * reads, src/campaigns/schedule.ts) and the IANA time zones the runtime knows.
 */
export const presets: readonly { cron: string; label: string }[] = [
  { cron: '0 9 * * MON', label: 'Every Monday at 09:00' },
  { cron: '0 9 * * MON-FRI', label: 'Every weekday at 09:00' },
  { cron: '0 10 * * *', label: 'Every day at 10:00' },
  { cron: '0 9 1 * *', label: 'First day of the month at 09:00' },
];

/** The preset a pattern is, or `custom`. */
export const presetOf = (cron: string) =>
  presets.find((preset) => preset.cron === cron.trim())?.cron ?? 'custom';

/** Every zone the runtime knows, UTC first: the choices of a schedule's zone. */
export const zones: readonly string[] = [
  'UTC',
  ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC'),
];
