import type { ImportSummary } from '../../contacts/import/schemas';
import { formatNumber } from '../ui/format';
import { StateBadge } from '../ui/state';
import { DataTable } from '../ui/table';
import { Time } from '../ui/time';
import { statusWords } from './import-page';

/** A list's latest imports, each with its figures and the way to its page (and refused rows). */
export function RecentImports(props: { imports: ImportSummary[]; zone: string }) {
  if (props.imports.length === 0) return null;
  return (
    <>
      <h2>Latest uploads</h2>
      <DataTable
        caption="Latest uploads"
        columns={[
          'Uploaded',
          'State',
          { heading: 'Rows', numeric: true },
          { heading: 'New', numeric: true },
          { heading: 'Updated', numeric: true },
          { heading: 'Refused', numeric: true },
        ]}
      >
        {props.imports.map((upload) => (
          <tr>
            <td>
              <a href={`/audiences/imports/${upload.id}`}>
                <Time at={upload.createdAt} zone={props.zone} />
              </a>
            </td>
            <td>
              <StateBadge
                state={statusWords[upload.status].state}
                label={statusWords[upload.status].label}
              />
            </td>
            <td class="num">{formatNumber(upload.rows)}</td>
            <td class="num">{formatNumber(upload.created)}</td>
            <td class="num">{formatNumber(upload.updated)}</td>
            <td class="num">{formatNumber(upload.invalid)}</td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
