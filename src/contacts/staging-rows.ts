import type { CountryCode } from 'libphonenumber-js/max';
import type { ImportError } from '../db/schema';
import { normalizePhone } from './phone';

/** What staging needs to know of the file. */
export type FileLayout = {
  /** The headers as JSON keys, '' for the phone column. */
  keys: string[];
  phoneIndex: number;
  delimiter: string;
  defaultCountry?: CountryCode;
};

/** A batch of the file's rows, staged: COPY text of its accepted rows, and its rejected ones. */
type StagedRows = { text: string; staged: number; rejected: ImportError[] };

/**
 * Turns parsed rows (data row numbers from `firstRow`) into COPY text for a segment table:
 * a row with too few or too many fields, or an impossible phone, is rejected with its reason.
 */
export function stageRows(rows: string[][], firstRow: number, layout: FileLayout): StagedRows {
  const { keys, phoneIndex, delimiter, defaultCountry } = layout;
  const width = keys.length;
  const rejected: ImportError[] = [];
  let text = '';
  let staged = 0;
  for (let i = 0; i < rows.length; i++) {
    const fields = rows[i] as string[];
    const row = firstRow + i;
    if (fields.length !== width) {
      const value = fields.join(delimiter);
      rejected.push({ row, value, reason: `expected ${width} fields, found ${fields.length}` });
      continue;
    }
    const raw = fields[phoneIndex] ?? '';
    const phone = normalizePhone(raw, defaultCountry);
    if (!phone.ok) {
      rejected.push({ row, value: raw, reason: `invalid phone number: ${phone.reason}` });
      continue;
    }
    text += stagingLine(row, phone.e164, keys, fields);
    staged++;
  }
  return { text, staged, rejected };
}

/**
 * One line of COPY text: the data row number, the E.164 phone and the attributes as JSON.
 * Empty cells are left out, so they never erase a known value. JSON.stringify escapes every
 * control character, so only backslashes need COPY's escaping.
 */
function stagingLine(row: number, phone: string, keys: string[], fields: string[]): string {
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
