import Papa from 'papaparse';
import { AppError } from '../../errors';
import { findPhoneColumn, normalizeHeaders } from './csv-header';

export const DELIMITERS = [',', ';', '\t', '|'];

export type CsvLayout = { delimiter: string; headers: string[]; phoneIndex: number };

/**
 * Reads the header from the start of the file, so that a file without a phone column is refused
 * with the request rather than failing later in the job.
 */
export function readLayout(
  preview: string,
  complete: boolean,
  options: { delimiter?: string; phoneColumn?: string },
): CsvLayout {
  const text = preview.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new AppError('bad_request', 'The file is empty.');
  // When the preview stops mid-file, its last line may be cut: leave it out of the guess.
  const sample = complete ? text : text.slice(0, Math.max(text.lastIndexOf('\n'), 0)) || text;
  const parsed = Papa.parse<string[]>(sample, {
    delimiter: options.delimiter ?? '',
    delimitersToGuess: DELIMITERS,
    preview: 20,
    skipEmptyLines: 'greedy',
  });
  const [header, ...rows] = parsed.data;
  if (!header || header.length === 0)
    throw new AppError('bad_request', 'The file has no header row.');
  const delimiter = options.delimiter ?? parsed.meta.delimiter;
  const headers = normalizeHeaders(header);
  const phoneIndex = findPhoneColumn(headers, options.phoneColumn);
  if (phoneIndex === -1) {
    const wanted = options.phoneColumn
      ? `no column named "${options.phoneColumn}"`
      : 'no column named like phone, mobile, msisdn, whatsapp, number or tel';
    throw new AppError(
      'validation_failed',
      `The file has ${wanted}; its columns are: ${headers.join(', ')}. Name the phone column with ?phoneColumn= (the first line of the file is its header).`,
      [{ path: options.phoneColumn ? 'query.phoneColumn' : 'file', message: wanted }],
    );
  }
  if (complete && rows.length === 0)
    throw new AppError('bad_request', 'The file has a header but no data rows.');
  return { delimiter, headers, phoneIndex };
}
