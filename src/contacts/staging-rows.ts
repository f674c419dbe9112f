import type { ImportError } from '../db/schema';
import { characterCount, cutText, formatCount } from '../text';
import type { RowProblem } from './csv-reader';
import type { FileLayout } from './file-layout';
import { normalizePhone } from './phone';

/** A batch of the file's rows, staged: COPY text of its accepted rows, and its rejected ones. */
type StagedRows = { text: string; staged: number; rejected: ImportError[] };

/**
 * Turns parsed rows (data row numbers from `firstRow`) into COPY text for a segment table:
 * a row with too few or too many fields, too long a row or value, or an impossible phone, is
 * rejected with its reason.
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
    const tooLong = sizeProblem(fields, layout);
    if (tooLong) {
      rejected.push({ row, value: cutText(fields.join(delimiter), 200), reason: tooLong });
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
 * Why a row is too large to keep, or nothing: first a value (trimmed, as it would be stored)
 * over the value limit, then the row (fields and delimiters) over the row limit. Lengths only:
 * the characters of a value are counted only when its UTF-16 length passes the limit.
 */
function sizeProblem(fields: string[], layout: FileLayout): string | undefined {
  let rowChars = fields.length - 1;
  let longest = 0;
  for (const field of fields) {
    rowChars += field.length;
    if (field.length > longest) longest = field.length;
  }
  if (longest > layout.maxValueChars) {
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as string;
      if (i === layout.phoneIndex || field.length <= layout.maxValueChars) continue;
      const chars = characterCount(field.trim());
      if (chars > layout.maxValueChars) return valueTooLong(layout, i, chars);
    }
  }
  return rowChars > layout.maxRowChars ? rowTooLong(layout, rowChars) : undefined;
}

/** Why a stretch of the file that is no row is rejected (see CsvReader). */
export function problemReason(problem: RowProblem, layout: FileLayout): string {
  if (problem.kind === 'unclosed quote') return problem.reason;
  const { fieldChars } = problem;
  const long = fieldChars.findIndex(
    (chars, i) => i !== layout.phoneIndex && i < layout.keys.length && chars > layout.maxValueChars,
  );
  if (long !== -1) return valueTooLong(layout, long, fieldChars[long] as number);
  return rowTooLong(
    layout,
    fieldChars.reduce((sum, chars) => sum + chars, fieldChars.length - 1),
  );
}

const valueTooLong = (layout: FileLayout, index: number, chars: number) =>
  `${JSON.parse(layout.keys[index] as string)}: ${formatCount(chars)} characters, the limit is ${formatCount(layout.maxValueChars)}`;

const rowTooLong = (layout: FileLayout, chars: number) =>
  `row: ${formatCount(chars)} characters, the limit is ${formatCount(layout.maxRowChars)}`;

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
