/**
 * SQL for a timestamp column as ISO 8601 text in UTC with milliseconds, as `Date.toISOString()`
 * writes it: raw queries read timestamps as text (see client.ts), and answers carry this form.
 */
export const isoUtc = (column: string) =>
  `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
