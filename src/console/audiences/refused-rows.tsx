import type { Import } from '../../contacts/import/schemas';
import { IMPORT_ERROR_KINDS, type ImportErrorKind } from '../../db/schema';
import { formatNumber } from '../ui/format';
import { DataTable } from '../ui/table';

/** Why rows were refused, in the words of the person who fixes the file. */
const kindWords: Record<ImportErrorKind, string> = {
  fieldCount: 'Wrong number of fields',
  tooLong: 'Too long',
  unclosedQuote: 'A quote is never closed',
  invalidPhone: 'Not a possible phone number',
  missingCountry: 'No country code: upload again choosing the country of these numbers',
};

/** Rows shown on the page; the CSV file has all the import kept (the first 1,000). */
const SHOWN = 20;

/** The rows an import refused: how many of each kind, the first of them, and the CSV file. */
export function Refused(props: { upload: Import }) {
  const { upload } = props;
  const kinds = IMPORT_ERROR_KINDS.filter((kind) => upload.errorCounts[kind] > 0);
  return (
    <section aria-labelledby="refused">
      <h2 id="refused">
        {formatNumber(upload.invalid)} {upload.invalid === 1 ? 'row was' : 'rows were'} refused
      </h2>
      <ul class="refused-kinds">
        {kinds.map((kind) => (
          <li>
            <strong>{formatNumber(upload.errorCounts[kind])}</strong> {kindWords[kind]}
          </li>
        ))}
      </ul>
      <p>
        <a class="button" href={`/v1/imports/${upload.id}/errors`} download>
          Download the refused rows (CSV)
        </a>{' '}
        {upload.invalid > upload.errors.length ? (
          <span class="muted">
            The file lists the first {formatNumber(upload.errors.length)} of them.
          </span>
        ) : null}
      </p>
      <DataTable
        caption={upload.errors.length > SHOWN ? `The first ${SHOWN} refused rows` : 'Refused rows'}
        showCaption
        columns={[{ heading: 'Line', numeric: true }, 'Why', 'As written']}
      >
        {upload.errors.slice(0, SHOWN).map((error) => (
          <tr>
            <td class="num">{error.line ?? '–'}</td>
            <td>{error.kind === 'missingCountry' ? kindWords.missingCountry : error.reason}</td>
            <td class="mono refused-value">{error.value}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
