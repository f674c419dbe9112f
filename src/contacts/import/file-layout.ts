import type { CountryCode } from 'libphonenumber-js/max';
import type { Config } from '../../config';
import { characterCount, formatCount } from '../../text';
import { normalizeHeaders } from './csv-header';
import type { RowProblem } from './csv-reader';

/** What staging needs to know of the file. */
export type FileLayout = {
  /** The headers as JSON keys, '' for the phone column. */
  keys: string[];
  phoneIndex: number;
  delimiter: string;
  defaultCountry?: CountryCode;
  /** Longest value of an attribute, and longest row, in characters. */
  maxValueChars: number;
  maxRowChars: number;
};

type Limits = Pick<
  Config,
  'IMPORT_MAX_COLUMNS' | 'IMPORT_MAX_VALUE_CHARS' | 'IMPORT_MAX_ROW_CHARS'
>;

/** The file itself cannot be imported: retrying would fail the same way, so it fails at once. */
export class FileRejected extends Error {}

/**
 * The layout of a file from its header row, or why the file cannot be imported: no phone column
 * by the name the upload found, more attribute columns than the limit, or too long a name.
 */
export function fileLayout(
  header: string[],
  options: { phoneColumn?: string; delimiter: string; defaultCountry?: string },
  limits: Limits,
): FileLayout {
  const headers = normalizeHeaders(header);
  const phoneIndex = headers.indexOf(options.phoneColumn ?? '');
  if (phoneIndex === -1)
    throw new FileRejected(`phone column ${options.phoneColumn} not in the header`);
  const columns = headers.length - 1;
  if (columns > limits.IMPORT_MAX_COLUMNS) {
    throw new FileRejected(
      `the header has ${formatCount(columns)} attribute columns, the limit is ${formatCount(limits.IMPORT_MAX_COLUMNS)}`,
    );
  }
  const long = headers.find((name) => characterCount(name) > limits.IMPORT_MAX_VALUE_CHARS);
  if (long !== undefined) {
    throw new FileRejected(
      `a column name of ${formatCount(characterCount(long))} characters, the limit is ${formatCount(limits.IMPORT_MAX_VALUE_CHARS)}`,
    );
  }
  return {
    keys: headers.map((name, i) => (i === phoneIndex ? '' : JSON.stringify(name))),
    phoneIndex,
    delimiter: options.delimiter,
    ...(options.defaultCountry ? { defaultCountry: options.defaultCountry as CountryCode } : {}),
    maxValueChars: limits.IMPORT_MAX_VALUE_CHARS,
    maxRowChars: limits.IMPORT_MAX_ROW_CHARS,
  };
}

/** A problem before the header row ended: the file has no header to import by. */
export function headerRejected(problem: RowProblem, limits: Limits): FileRejected {
  const why =
    problem.kind === 'unclosed quote'
      ? problem.reason
      : `longer than ${formatCount(limits.IMPORT_MAX_ROW_CHARS)} characters`;
  return new FileRejected(`the header row: ${why}`);
}
