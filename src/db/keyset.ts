import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/**
 * A timestamp column in PostgreSQL's microseconds, as text: the time half of a newest-first
 * page's cursor (a JavaScript Date would drop rows written within the same millisecond).
 */
export const microsOf = (column: AnyPgColumn) =>
  sql<string>`(extract(epoch from ${column}) * 1000000)::bigint::text`;

/**
 * The rows after a cursor's key in a newest-first order on `(time, id)`, where `idType` is the
 * id column's type (its index compares the pair as a row value).
 */
export function olderThan(
  time: AnyPgColumn,
  id: AnyPgColumn,
  after: { micros: string; id: string } | undefined,
  idType: 'uuid' | 'bigint',
): SQL | undefined {
  if (!after) return undefined;
  return sql`(${time}, ${id}) < (timestamptz 'epoch' + ${after.micros}::bigint * interval '1 microsecond', ${after.id}::${sql.raw(idType)})`;
}
