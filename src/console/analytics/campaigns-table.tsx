import type { ComparedCampaign } from '../../stats/period-schemas';
import { StateBadge } from '../ui/state';
import { DataTable } from '../ui/table';
import { campaignColumns, type SortKey } from './campaign-columns';

export type Sorting = { sort: SortKey; order: 'asc' | 'desc' };

/**
 * The campaigns sending in the period, with each campaign's figures to date (those of its own
 * page and of GET /v1/campaigns/{id}/stats), sorted on the server: a column's heading is a link
 * that sorts by it (again: the other way), and the sorted one says so with aria-sort.
 */
export function CampaignsTable(props: {
  rows: ComparedCampaign[];
  sorting: Sorting;
  /** The page's URL with another sort: `?period=…&sort=sent&order=desc`. */
  sortHref: (sorting: Sorting) => string;
}) {
  const { sorting } = props;
  const sortedBy = campaignColumns.find((c) => c.sort === sorting.sort)?.label ?? sorting.sort;
  const way = sorting.order === 'desc' ? 'highest first' : 'lowest first';
  return (
    <DataTable
      caption={`Campaigns sending in this period, sorted by ${sortedBy}, ${way}`}
      class="campaigns-compared"
      columns={campaignColumns.map((column) => {
        const sorted = column.sort !== null && column.sort === sorting.sort;
        const next: Sorting | null = column.sort
          ? {
              sort: column.sort,
              order: sorted
                ? sorting.order === 'desc'
                  ? 'asc'
                  : 'desc'
                : column.numeric
                  ? 'desc'
                  : 'asc',
            }
          : null;
        return {
          numeric: column.numeric,
          sorted: sorted ? (sorting.order === 'desc' ? 'descending' : 'ascending') : undefined,
          heading: next ? (
            <a class="sort-link" href={props.sortHref(next)}>
              {column.label}
              <span class="sort-mark" aria-hidden="true">
                {sorted ? (sorting.order === 'desc' ? ' ▼' : ' ▲') : ''}
              </span>
            </a>
          ) : (
            column.label
          ),
        };
      })}
    >
      {props.rows.map((row) => (
        <tr>
          {campaignColumns.map((column) =>
            column.sort === 'name' ? (
              <th scope="row">
                <a class="row-link" href={`/campaigns/${row.campaignId}`}>
                  {row.name}
                </a>
              </th>
            ) : column.label === 'Status' ? (
              <td>
                <StateBadge state={row.status} />
              </td>
            ) : (
              <td class="num">{column.cell(row)}</td>
            ),
          )}
        </tr>
      ))}
    </DataTable>
  );
}
