import Papa from 'papaparse';
import { cutText } from '../../text';
import { countLineEnds, placeRows, type RowLines } from './csv-lines';

/**
 * A stretch of the file that is no row, counted as one rejected row in its place: a quote never
 * closed (with its reason), or a row too long to hold (with the length of each of its fields,
 * from which the import says which limit it breaks). `line` is the line it starts on.
 */
export type RowProblem =
  | { kind: 'unclosed quote'; line: number; value: string; reason: string }
  | { kind: 'too long'; line: number; value: string; fieldChars: number[] };

/** The rows one piece of text completes and their lines, then at most one problem after them. */
export type RowBatch = { rows: string[][]; lines: RowLines; problem?: RowProblem };

type Newline = '\n' | '\r' | '\r\n';

/** What papaparse leaves out when it guesses the line end (its `guessLineEndings`). */
const QUOTED_FIELDS = /"[^"]*"/g;

/** How much of a bad row's text a problem keeps (the import keeps 200 characters of it). */
const VALUE_CHARS = 200;

/**
 * Splits CSV text, given piece by piece, into rows, with papaparse's parser driven directly: the
 * text after the last complete row is carried over to the next piece, and never more than
 * `maxRowChars` of it, so that one row can neither hold the rest of the file in memory nor
 * make every piece parse it again. Lines with no content (blank, or only delimiters) are
 * skipped.
 *
 * Two things are problems rather than rows:
 * - a quote that opens a field and is not closed by the end of the file, or within
 *   `maxRowChars`: papaparse would take the rest of the file into that field. The row ends
 *   with the line the quote is on, and reading starts again on the next line;
 * - a row still without its end after `maxRowChars` characters: the rest of it, up to the end
 *   of its line, is read past, its fields measured and never held.
 */
export class CsvReader {
  readonly #delimiter: string;
  readonly #maxRowChars: number;
  /** Fixed from the start of the file (papaparse alone guesses again for every piece). */
  #newline: Newline | undefined;
  #parser: Papa.Parser | undefined;
  /** The start of a row whose end has not come yet. */
  #carry = '';
  /** The line number of the first character of `#carry`. */
  #line = 1;
  /**
   * A row read past until its line ends: `problem` undefined when it was already reported,
   * `heldCr` when the last piece ended with a \r that may start a \r\n.
   */
  #skipping: { problem?: Extract<RowProblem, { kind: 'too long' }>; heldCr?: boolean } | undefined;

  constructor(delimiter: string, maxRowChars: number) {
    this.#delimiter = delimiter;
    this.#maxRowChars = maxRowChars;
  }

  push(piece: string): RowBatch[] {
    const batches: RowBatch[] = [];
    let text = piece;
    const skipping = this.#skipping;
    if (skipping) {
      // A \r\n may be cut between two pieces: a \r at the end of one waits for the next.
      const end = text.indexOf(this.#newline === '\r' ? '\r' : '\n');
      let stretch = end === -1 ? text : text.slice(0, end);
      if (skipping.heldCr && end !== 0) stretch = `\r${stretch}`;
      skipping.heldCr = this.#newline === '\r\n' && stretch.endsWith('\r');
      this.#measure(skipping.heldCr ? stretch.slice(0, -1) : stretch);
      if (end === -1) return batches;
      this.#endSkipping(batches);
      this.#line++;
      text = text.slice(end + 1);
    }
    this.#read(this.#carry + text, false, batches);
    return batches;
  }

  /** The rows the text ends with. */
  end(): RowBatch[] {
    const batches: RowBatch[] = [];
    if (this.#skipping) this.#endSkipping(batches);
    else this.#read(this.#carry, true, batches);
    this.#carry = '';
    return batches;
  }

  #read(input: string, final: boolean, batches: RowBatch[]): void {
    this.#carry = '';
    let text = input;
    while (text !== '') {
      if (!this.#parser) {
        // Too soon to tell the line end: none yet outside quoted fields (papaparse guesses from
        // those alone), or a \r that may be the start of a \r\n.
        const undecided = !/\n|\r(?!$)/.test(text.replace(QUOTED_FIELDS, ''));
        if (undecided && !final && text.length <= this.#maxRowChars) {
          this.#carry = text;
          return;
        }
        const delimiter = this.#delimiter;
        // Papaparse guesses from the share of \r followed by \n: a \r at the end of a piece,
        // whose \n is in the next, would count against \r\n.
        const sample = final ? text : text.replace(/\r$/, '');
        this.#newline = Papa.parse(sample, { delimiter, preview: 1 }).meta.linebreak as Newline;
        this.#parser = new Papa.Parser({ delimiter, newline: this.#newline });
      }
      const complete: Papa.ParseResult<string[]> = this.#parser.parse(text, 0, true);
      const consumed = complete.meta.cursor;
      const first = this.#line;
      const lineEnds = this.#countLines(text, consumed);
      this.#line += lineEnds;
      const rest = consumed === 0 ? text : text.slice(consumed);
      if (!final && rest.length <= this.#maxRowChars) {
        const placed = this.#place(complete.data, first, lineEnds === complete.data.length);
        if (placed.rows.length > 0) batches.push(placed);
        this.#carry = rest;
        return;
      }
      // The rest is one row: the last of the file, or one too long to wait for its end.
      const last: Papa.ParseResult<string[]> = this.#parser.parse(rest, 0, false);
      const unclosed = last.errors.find((error) => error.code === 'MissingQuotes');
      if (!unclosed) {
        const data = final ? complete.data.concat(last.data) : complete.data;
        const placed = this.#place(data, first, !final && lineEnds === data.length);
        if (placed.rows.length > 0) batches.push(placed);
        if (final) return;
        // No line end within the limit: read past the rest of the row, measuring its fields.
        const line = this.#line;
        this.#line += this.#countLines(rest, rest.length);
        const value = cutText(rest, VALUE_CHARS);
        const fieldChars = (last.data[0] ?? []).map((field) => field.length);
        this.#skipping = { problem: { kind: 'too long', line, value, fieldChars } };
        return;
      }
      // The quote before `index` never closes: its line ends the row, the next starts anew.
      const quote = (unclosed.index ?? 1) - 1;
      const quoteLine = this.#line + this.#countLines(rest, quote);
      const newline = this.#newline ?? '\n';
      const lineEnd = rest.indexOf(newline, quote);
      const within = final ? '' : ` within ${this.#maxRowChars.toLocaleString('en-US')} characters`;
      batches.push({
        ...this.#place(complete.data, first, lineEnds === complete.data.length),
        problem: {
          kind: 'unclosed quote',
          line: this.#line,
          value: cutText(lineEnd === -1 ? rest : rest.slice(0, lineEnd), VALUE_CHARS),
          reason: `line ${quoteLine}: a quote opens a field that is never closed${within}; the import goes on from line ${quoteLine + 1}`,
        },
      });
      if (lineEnd === -1) {
        // The quote's line has not ended yet either: read past the rest of it.
        if (!final) this.#skipping = {};
        this.#line = quoteLine;
        return;
      }
      this.#line = quoteLine + 1;
      text = rest.slice(lineEnd + newline.length);
    }
  }

  /** Adds a stretch of a row read past to its fields' lengths. */
  #measure(text: string): void {
    const fieldChars = this.#skipping?.problem?.fieldChars;
    if (!fieldChars) return;
    const parts = text.split(this.#delimiter);
    const current = fieldChars.length - 1;
    fieldChars[current] = (fieldChars[current] ?? 0) + (parts[0]?.length ?? 0);
    for (let i = 1; i < parts.length; i++) fieldChars.push(parts[i]?.length ?? 0);
  }

  #endSkipping(batches: RowBatch[]): void {
    const problem = this.#skipping?.problem;
    this.#skipping = undefined;
    if (problem) batches.push({ rows: [], lines: { first: this.#line }, problem });
  }

  /** The rows of `data` but the blank ones, with their lines (see placeRows). */
  #place(data: string[][], first: number, oneLineEach: boolean): RowBatch {
    return placeRows(data, first, oneLineEach, this.#newline ?? '\n');
  }

  /** Line ends in `text` before `end`. */
  #countLines(text: string, end: number): number {
    return countLineEnds(text, end, this.#newline ?? '\n');
  }
}
