import type { Column, Table } from 'drizzle-orm';

/** A column's value as postgres.js reads it once drizzle has replaced its parsers (client.ts). */
type RawValue<C extends Column> =
  | (C['_']['columnType'] extends 'PgTimestamp' | 'PgBigInt53' ? string : C['_']['data'])
  | (C['_']['notNull'] extends true ? never : null);

/**
 * A row of `T` as a raw query reads it, keyed by the schema's names (alias the columns:
 * `run_id as "runId"`): timestamps arrive as text and bigint ids as strings, where the builder
 * would give a Date and a number. Raw row types come from here, with `Pick`, so that they follow
 * the migrations instead of drifting from them.
 */
export type RawRow<T extends Table> = {
  [K in keyof T['_']['columns']]: RawValue<T['_']['columns'][K]>;
};
