import { PHONE_ZONE_MAX_PREFIX, PHONE_ZONE_PREFIXES } from './phone-zones.data';

/**
 * The time zone of a phone number from its digits alone (docs/decisions.md, "A contact's time
 * zone from its phone number"): the zone of its longest prefix in the generated table. SQL joins
 * the same table one prefix length at a time; this is its twin for previews and tests.
 */

/** One map per prefix length, longest first, built once. */
const byLength: ReadonlyMap<string, string>[] = Array.from(
  { length: PHONE_ZONE_MAX_PREFIX },
  (_, index) =>
    new Map(
      PHONE_ZONE_PREFIXES.filter(([prefix]) => prefix.length === PHONE_ZONE_MAX_PREFIX - index),
    ),
);

/** `+` then digits, as phones are stored; null when no prefix of the table matches. */
export function zoneOfPhone(phone: string): string | null {
  const digits = phone.startsWith('+') ? phone.slice(1) : phone;
  for (const [index, zones] of byLength.entries()) {
    const length = PHONE_ZONE_MAX_PREFIX - index;
    if (digits.length < length) continue;
    const zone = zones.get(digits.slice(0, length));
    if (zone) return zone;
  }
  return null;
}
