/**
 * The name a conversation shows, from the contact's attributes (the CSV columns). Column names
 * are compared case-insensitively and without spaces, `_` or `-` (`First Name`, `first_name` and
 * `firstName` are one column). The first of `name`, `full_name`, `contact_name` with a value wins;
 * else `first_name` (or `given_name`) and `last_name` (or `surname`, `family_name`) joined by a
 * space, either alone when the other is empty; else null. Values are trimmed; an empty one counts
 * as missing.
 */
const FULL = ['name', 'fullname', 'contactname'];
const FIRST = ['firstname', 'givenname'];
const LAST = ['lastname', 'surname', 'familyname'];

export function contactName(attributes: Record<string, unknown> | null | undefined): string | null {
  const values = new Map<string, string>();
  for (const [column, value] of Object.entries(attributes ?? {})) {
    const key = column.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
    const text = typeof value === 'string' ? value.trim() : '';
    if (text && !values.has(key)) values.set(key, text);
  }
  const first = (keys: string[]) => keys.map((key) => values.get(key)).find(Boolean);
  const full = first(FULL);
  if (full) return full;
  const parts = [first(FIRST), first(LAST)].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : null;
}
