/**
 * The line of the file each row of a batch starts on, counting from 1 at the file's start as a
 * text editor or a spreadsheet's row numbers do: the header is line 1, and blank lines and the
 * line ends inside quoted fields count. Row `index` is on line `first + index`, unless `each`
 * lists them: it is made only for a batch where that sum is wrong (a blank line skipped, a
 * quoted line end), so that the usual batch costs no array.
 */
export type RowLines = { first: number; each?: number[] };

/** The line row `index` of a batch starts on. */
export const lineOf = ({ first, each }: RowLines, index: number): number =>
  each?.[index] ?? first + index;

/** The lines of a batch's rows without its first row. */
export const afterFirstRow = ({ first, each }: RowLines): RowLines =>
  each ? { first, each: each.slice(1) } : { first: first + 1 };

/** Line ends (`newline`, the file's kind) in `text` before `end`. */
export function countLineEnds(text: string, end: number, newline: string): number {
  let count = 0;
  for (let at = text.indexOf(newline); at !== -1 && at < end; at = text.indexOf(newline, at + 1))
    count++;
  return count;
}

/**
 * Parsed rows from line `first` without the blank ones (papaparse's `skipEmptyLines: 'greedy'`),
 * and the line each kept row starts on. `oneLineEach` says that the rows hold as many line ends
 * as they are rows: then no row holds one in a quoted field, and unless a blank row is dropped,
 * row `i` is on line `first + i` with nothing more to count.
 */
export function placeRows(
  data: string[][],
  first: number,
  oneLineEach: boolean,
  newline: string,
): { rows: string[][]; lines: RowLines } {
  const rows = data.filter((fields) => !isBlank(fields));
  if (oneLineEach && rows.length === data.length) return { rows, lines: { first } };
  const each: number[] = [];
  let line = first;
  for (const fields of data) {
    if (!isBlank(fields)) each.push(line);
    line++;
    for (const field of fields) line += countLineEnds(field, field.length, newline);
  }
  return { rows, lines: { first, each } };
}

/** A line with no content: blank, or only delimiters and spaces (joining no fields). */
const isBlank = (fields: string[]) => fields.every((field) => field.trim() === '');
