import type { CountryCode } from 'libphonenumber-js/max';
import { normalizePhone } from './phone';

/** What a worker needs to know of the file to stage its rows. */
export type ChunkLayout = {
  /** The headers as JSON keys, '' for the phone column. */
  keys: string[];
  phoneIndex: number;
  delimiter: string;
  defaultCountry?: CountryCode;
};

export type Rejection = { row: number; value: string; reason: string };

/** One chunk of the file, staged: COPY text of its accepted rows, and its rejected ones. */
export type StagedChunk = { data: Uint8Array; staged: number; rejected: Rejection[] };

// Files repeat numbers (the same customer twice, a shared office line): a repeat costs a lookup.
// Bounded, and emptied when full, so that a worker's memory stays small.
const CACHE_SIZE = 50_000;
const phones = new Map<string, string>();
const encoder = new TextEncoder();

/** The E.164 number (it starts with `+`) or the reason the number is impossible. */
function phoneOf(raw: string, defaultCountry?: CountryCode): string {
  const key = defaultCountry ? `${defaultCountry}:${raw}` : raw;
  let result = phones.get(key);
  if (result === undefined) {
    const normalized = normalizePhone(raw, defaultCountry);
    result = normalized.ok ? normalized.e164 : normalized.reason;
    if (phones.size >= CACHE_SIZE) phones.clear();
    phones.set(key, result);
  }
  return result;
}

/**
 * Turns parsed rows (data row numbers from `firstRow`) into COPY text for the staging table:
 * a row with too few or too many fields, or an impossible phone, is rejected with its reason.
 * Runs in the import's worker threads, next to the phone normalisation it needs.
 */
export function stageChunk(rows: string[][], firstRow: number, layout: ChunkLayout): StagedChunk {
  const { keys, phoneIndex, delimiter, defaultCountry } = layout;
  const width = keys.length;
  const rejected: Rejection[] = [];
  let text = '';
  let staged = 0;
  for (let i = 0; i < rows.length; i++) {
    const fields = rows[i] as string[];
    const row = firstRow + i;
    if (fields.length !== width) {
      const value = fields.join(delimiter).slice(0, 200);
      rejected.push({ row, value, reason: `expected ${width} fields, found ${fields.length}` });
      continue;
    }
    const raw = fields[phoneIndex] ?? '';
    const phone = phoneOf(raw, defaultCountry);
    if (!phone.startsWith('+')) {
      rejected.push({ row, value: raw.slice(0, 200), reason: `invalid phone number: ${phone}` });
      continue;
    }
    text += stagingLine(row, phone, keys, fields);
    staged++;
  }
  // Bytes with a buffer of their own (not a slice of Node's shared pool, as a small Buffer is),
  // so that they can be transferred to the importing thread without a copy.
  return { data: encoder.encode(text), staged, rejected };
}

/**
 * One line of COPY text: the data row number, the E.164 phone and the attributes as JSON.
 * Empty cells are left out, so they never erase a known value. JSON.stringify escapes every
 * control character, so only backslashes need COPY's escaping.
 */
export function stagingLine(row: number, phone: string, keys: string[], fields: string[]): string {
  let json = '';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (!key) continue;
    const value = fields[i]?.trim();
    if (!value) continue;
    json += `${json ? ',' : '{'}${key}:${JSON.stringify(value)}`;
  }
  json = json ? `${json}}` : '{}';
  if (json.includes('\\')) json = json.replaceAll('\\', '\\\\');
  return `${row}\t${phone}\t${json}\n`;
}
