import Papa from 'papaparse';
import { AppError } from '../../errors';
import { findPhoneColumn, normalizeHeaders } from './csv-header';

export const DELIMITERS = [',', ';', '\t', '|'];

export type CsvLayout = { delimiter: string; headers: string[]; phoneIndex: number };

/** The header of a file's first bytes, the delimiter it uses, and how many data rows follow. */
export type CsvHeader = { delimiter: string; headers: string[]; dataRows: number };

/**
 * The header row of the start of a file and its delimiter (guessed among DELIMITERS unless
 * given), or a 400 when the text holds no header. `complete` says whether the text is the whole
 * file: when it is not, its last line may be cut, and is left out of the guess.
 */
export function readHeader(preview: string, complete: boolean, delimiter?: string): CsvHeader {
  const text = preview.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new AppError('bad_request', 'The file is empty.');
  const sample = complete ? text : text.slice(0, Math.max(text.lastIndexOf('\n'), 0)) || text;
  const parsed = Papa.parse<string[]>(sample, {
    delimiter: delimiter ?? '',
    delimitersToGuess: DELIMITERS,
    preview: 20,
    skipEmptyLines: 'greedy',
  });
  const [header, ...rows] = parsed.data;
  if (!header || header.length === 0)
    throw new AppError('bad_request', 'The file has no header row.');
  return {
    delimiter: delimiter ?? parsed.meta.delimiter,
    headers: normalizeHeaders(header),
    dataRows: rows.length,
  };
}

/** The 422 of a file without the phone column, listing the columns it has. */
export function missingPhoneColumn(headers: string[], phoneColumn?: string): AppError {
  const wanted = phoneColumn
    ? `no column named "${phoneColumn}"`
    : 'no column named like phone, mobile, msisdn, whatsapp, number or tel';
  return new AppError(
    'validation_failed',
    `The file has ${wanted}; its columns are: ${headers.join(', ')}. Name the phone column with ?phoneColumn= (the first line of the file is its header).`,
    [{ path: phoneColumn ? 'query.phoneColumn' : 'file', message: wanted }],
  );
}

/**
 * Reads the header from the start of the file, so that a file without a phone column is refused
 * with the request rather than failing later in the job.
 */
export function readLayout(
  preview: string,
  complete: boolean,
  options: { delimiter?: string; phoneColumn?: string },
): CsvLayout {
  const { delimiter, headers, dataRows } = readHeader(preview, complete, options.delimiter);
  const phoneIndex = findPhoneColumn(headers, options.phoneColumn);
  if (phoneIndex === -1) throw missingPhoneColumn(headers, options.phoneColumn);
  if (complete && dataRows === 0)
    throw new AppError('bad_request', 'The file has a header but no data rows.');
  return { delimiter, headers, phoneIndex };
}
