import type { ImportError, ImportErrorKind } from '../../db/schema';
import { characterCount, cutText, formatCount } from '../../text';
import { normalizePhone } from '../phone';
import { lineOf, type RowLines } from './csv-lines';
import type { RowProblem } from './csv-reader';
import type { FileLayout } from './file-layout';

/** A rejected row as this version records it: with its line and kind. */
export type RejectedRow = Required<ImportError>;

/** A batch of the file's rows, staged: COPY text of its accepted rows, and its rejected ones. */
type StagedRows = { text: string; staged: number; rejected: RejectedRow[] };

/** Said of a number written without a country code when the import has no default country. */
const NEEDS_COUNTRY =
  'a number without + or 00 needs a default country: pass ?defaultCountry= (such as DE) or set DEFAULT_COUNTRY';

/**
 * Turns parsed rows (data row numbers from `firstRow`, file lines from `lines`) into COPY text
 * for a segment table: a row with too few or too many fields, too long a row or value, or an
 * impossible phone, is rejected with its reason.
 */
export function stageRows(
  rows: string[][],
  firstRow: number,
  lines: RowLines,
  layout: FileLayout,
): StagedRows {
  const { keys, phoneIndex, delimiter, defaultCountry } = layout;
  const width = keys.length;
  const rejected: RejectedRow[] = [];
  const reject = (i: number, kind: ImportErrorKind, value: string, reason: string) =>
    rejected.push({ row: firstRow + i, line: lineOf(lines, i), kind, value, reason });
  let text = '';
  let staged = 0;
  for (let i = 0; i < rows.length; i++) {
    const fields = rows[i] as string[];
    if (fields.length !== width) {
      const found = `expected ${width} fields, found ${fields.length}`;
      reject(i, 'fieldCount', fields.join(delimiter), found);
      continue;
    }
    const tooLong = sizeProblem(fields, layout);
    if (tooLong) {
      reject(i, 'tooLong', cutText(fields.join(delimiter), 200), tooLong);
      continue;
    }
    const raw = fields[phoneIndex] ?? '';
    const phone = normalizePhone(raw, defaultCountry);
    if (!phone.ok) {
      const reason = `invalid phone number: ${phone.reason}`;
      if (phone.withoutCountry) reject(i, 'missingCountry', raw, `${reason}; ${NEEDS_COUNTRY}`);
      else reject(i, 'invalidPhone', raw, reason);
      continue;
    }
    text += stagingLine(firstRow + i, phone.e164, keys, fields);
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

/** A stretch of the file that is no row (see CsvReader), rejected as data row `row`. */
export function rejectProblem(problem: RowProblem, row: number, layout: FileLayout): RejectedRow {
  const { line, value } = problem;
  if (problem.kind === 'unclosed quote')
    return { row, line, kind: 'unclosedQuote', value, reason: problem.reason };
  return { row, line, kind: 'tooLong', value, reason: tooLongReason(problem, layout) };
}

function tooLongReason(problem: Extract<RowProblem, { kind: 'too long' }>, layout: FileLayout) {
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

/** A staged row read back from its COPY text: what the import will store for it. */
export type StagedRow = { row: number; phone: string; attributes: Record<string, string> };

/**
 * The rows of a batch's COPY text (the inverse of stagingLine), for the preview: it shows what
 * the import would store because it reads what the import writes. JSON escapes every line break
 * and tab, so a line is a row and its first two tabs end its number and phone.
 */
export function readStagedRows(text: string): StagedRow[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [row = '', phone = '', json = '{}'] = line.split('\t');
      const attributes: Record<string, string> = JSON.parse(json.replaceAll('\\\\', '\\'));
      return { row: Number(row), phone, attributes };
    });
}
