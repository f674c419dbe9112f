import type { PendingQuery, Row, Sql, TransactionSql } from 'postgres';
import { PHONE_ZONE_MAX_PREFIX, PHONE_ZONE_PREFIXES } from './phone-zones.data';

/**
 * A recipient's time zone (docs/design.md, rule 37), in SQL for the snapshot's single insert:
 * the contact's `timezone` attribute when PostgreSQL knows that zone (in any case; ZoneNames
 * says which names count), else its phone number's
 * (the longest prefix of src/delivery/phone-zones.data.ts), else the campaign's. The two tables
 * travel as parameters and are hash-joined: a few thousand rows, no table to keep in step.
 */

type Tx = Sql | TransactionSql;
type Fragment = PendingQuery<Row[]>;

/**
 * Names pg_timezone_names lists that are no place's zone (docs/decisions.md, "Which zone names
 * count"): `Factory` (the zone "-00", set where no zone is known), `localtime` (the server's own
 * /etc/localtime), `posixrules`, and the system tzdata's `posix/` and `right/` copies.
 */
const NOT_A_PLACE = /^(Factory|localtime|posixrules|(posix|right)\/.*)$/;

/** The zone names that count, and each by its lower case (names differ by more than case). */
type Known = { names: string[]; byLowerCase: Map<string, string> };

/**
 * The zone names PostgreSQL knows, read once per service (pg_timezone_names reads the zone
 * files, some 50 ms: too slow to read every batch). A failed read is tried again next time.
 */
export class ZoneNames {
  private known: Promise<Known> | undefined;

  constructor(private readonly sql: Tx) {}

  private read(): Promise<Known> {
    this.known ??= this.sql<{ name: string }[]>`select name from pg_timezone_names`.then(
      (rows) => {
        const names = rows.map((row) => row.name).filter((name) => !NOT_A_PLACE.test(name));
        return { names, byLowerCase: new Map(names.map((name) => [name.toLowerCase(), name])) };
      },
      (error: unknown) => {
        this.known = undefined;
        throw error;
      },
    );
    return this.known;
  }

  async get(): Promise<string[]> {
    return (await this.read()).names;
  }

  /**
   * The zone as PostgreSQL spells it (`europe/paris`: Europe/Paris), matched regardless of case
   * as zoneOf matches an attribute; undefined for a name that does not count.
   */
  async canonical(name: string): Promise<string | undefined> {
    return (await this.read()).byLowerCase.get(name.toLowerCase());
  }
}

/**
 * The CTEs the zone expression reads: `known_zones(key, name)`, each name with its lower case as
 * the key an attribute is matched on, and `phone_zones(prefix, zone)`.
 */
export function zoneTables(sql: Tx, zones: string[]): Fragment {
  // Only the zones this server's tzdata has: one it lacks would fail the whole statement. Left
  // out here rather than joined in SQL: the join's row estimate (3,702 prefixes for 618),
  // multiplied by zoneOf's five joins, took a snapshot batch's plan past JIT's thresholds, which
  // then compiled each statement for seconds (docs/decisions.md).
  const known = new Set(zones);
  const kept = PHONE_ZONE_PREFIXES.filter(([, zone]) => known.has(zone));
  return sql`
    known_zones as (
      select * from unnest(${zones.map((name) => name.toLowerCase())}::text[], ${zones}::text[])
        as k(key, name)),
    phone_zones as (
      select * from unnest(${kept.map(([prefix]) => prefix)}::text[],
        ${kept.map(([, zone]) => zone)}::text[]) as p(prefix, zone))`;
}

/**
 * The joins and the expression of the zone of a row with `phone` (E.164) and `attribute` (the
 * contact's `timezone` attribute, in any case: `america/new_york` is America/New_York), over
 * zoneTables' CTEs, longest phone prefix first.
 */
export function zoneOf(
  sql: Tx,
  row: string,
  fallback: string,
): { joins: Fragment; zone: Fragment } {
  const lengths = Array.from(
    { length: PHONE_ZONE_MAX_PREFIX },
    (_, i) => PHONE_ZONE_MAX_PREFIX - i,
  );
  const r = sql.unsafe(row);
  const joins = lengths.map((length) => {
    const alias = sql.unsafe(`pz${length}`);
    return sql`left join phone_zones ${alias} on ${alias}.prefix = substr(${r}.phone, 2, ${length}::int)`;
  });
  const zone = sql`coalesce(kz.name, ${lengths
    .map((length) => sql.unsafe(`pz${length}.zone`))
    .reduce((all, one) => sql`${all}, ${one}`)}, ${fallback}::text)`;
  return {
    joins: sql`left join known_zones kz on kz.key = lower(${r}.zone_attribute) ${joins.reduce((all, one) => sql`${all} ${one}`)}`,
    zone,
  };
}
