/**
 * Header rules of a CSV import (pure):
 * - names are trimmed;
 * - an empty name becomes `column_<n>` (n counts columns from 1);
 * - a repeated name gets `_2`, `_3`… in order of appearance, so no column is lost.
 */
export function normalizeHeaders(raw: string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((name, index) => {
    const base = name.replace(/^\uFEFF/, '').trim() || `column_${index + 1}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}_${count}`;
  });
}

const PHONE_WORDS = /phone|mobile|msisdn|whatsapp|number|tel/i;

/**
 * The index of the phone column: the header named by `phoneColumn` (case- and
 * space-insensitive), else the first header named like a phone. -1 when there is none.
 */
export function findPhoneColumn(headers: string[], phoneColumn?: string): number {
  if (phoneColumn !== undefined) {
    const wanted = phoneColumn.trim().toLowerCase();
    return headers.findIndex((header) => header.toLowerCase() === wanted);
  }
  return headers.findIndex((header) => PHONE_WORDS.test(header));
}
