import type { Config } from '../../config';
import { afterFirstRow } from './csv-lines';
import type { RowBatch } from './csv-reader';
import { type FileLayout, fileLayout, headerRejected } from './file-layout';
import { type RejectedRow, rejectProblem, stageRows } from './staging-rows';

type Limits = Pick<
  Config,
  'IMPORT_MAX_COLUMNS' | 'IMPORT_MAX_VALUE_CHARS' | 'IMPORT_MAX_ROW_CHARS'
>;

/** One batch of the file staged: COPY text of its accepted rows, and its rejected ones. */
export type StagedBatch = { text: string; staged: number; rejected: RejectedRow[] };

/**
 * The reading of a file's rows that the import job and the preview share, batch after batch of
 * the CsvReader: the first row is the header (its layout, or the FileRejected that fails the
 * import), every later row is numbered from 1 and staged or rejected (staging-rows.ts), and a
 * stretch that is no row (an unclosed quote, too long a row) counts as one rejected row in its
 * place. So a preview's rows are the job's, to the row number and the reason.
 */
export class RowStager {
  #layout: FileLayout | undefined;
  /** Data rows read so far, rejected ones included. */
  rows = 0;

  constructor(
    private readonly options: { phoneColumn?: string; delimiter: string; defaultCountry?: string },
    private readonly limits: Limits,
  ) {}

  /** The layout, once the header row has been read. */
  get layout(): FileLayout | undefined {
    return this.#layout;
  }

  take(batch: RowBatch): StagedBatch {
    let { rows, lines } = batch;
    const header = rows[0];
    if (!this.#layout && header) {
      this.#layout = fileLayout(header, this.options, this.limits);
      rows = rows.slice(1);
      lines = afterFirstRow(lines);
    }
    const layout = this.#layout;
    let staged: StagedBatch = { text: '', staged: 0, rejected: [] };
    if (rows.length > 0 && layout) {
      staged = stageRows(rows, this.rows + 1, lines, layout);
      this.rows += rows.length;
    }
    const { problem } = batch;
    if (problem && !layout) throw headerRejected(problem, this.limits);
    if (problem && layout) {
      this.rows++;
      staged.rejected.push(rejectProblem(problem, this.rows, layout));
    }
    return staged;
  }
}
