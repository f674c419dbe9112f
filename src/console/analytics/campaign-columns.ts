import type { ComparedCampaign } from '../../stats/period-schemas';
import type { COMPARED_SORTS } from '../../stats/queries';
import { formatNumber, formatPercent } from '../ui/format';
import { stateLabel } from '../ui/state';

export type SortKey = keyof typeof COMPARED_SORTS;

/**
 * The columns of the campaigns compared, written once for the table and its CSV, so that the
 * file holds exactly what the table shows: the figures as the page writes them, numbers without
 * their thousands separators (a spreadsheet reads `7412` and `4.1%` as numbers).
 */
export const campaignColumns: {
  sort: SortKey | null;
  label: string;
  numeric: boolean;
  cell: (row: ComparedCampaign) => string;
}[] = [
  { sort: 'name', label: 'Campaign', numeric: false, cell: (row) => row.name },
  { sort: null, label: 'Status', numeric: false, cell: (row) => stateLabel(row.status) },
  { sort: 'audience', label: 'Audience', numeric: true, cell: (row) => formatNumber(row.audience) },
  { sort: 'sent', label: 'Sent', numeric: true, cell: (row) => formatNumber(row.sent) },
  {
    sort: 'delivered',
    label: 'Delivered',
    numeric: true,
    cell: (row) => formatNumber(row.delivered),
  },
  { sort: 'read', label: 'Read', numeric: true, cell: (row) => formatNumber(row.read) },
  { sort: 'replied', label: 'Replied', numeric: true, cell: (row) => formatNumber(row.replied) },
  { sort: 'failed', label: 'Failed', numeric: true, cell: (row) => formatNumber(row.failed) },
  {
    sort: 'deliveryRate',
    label: 'Delivery rate',
    numeric: true,
    cell: (row) => formatPercent(row.deliveryRate),
  },
  {
    sort: 'readRate',
    label: 'Read rate',
    numeric: true,
    cell: (row) => formatPercent(row.readRate),
  },
  {
    sort: 'replyRate',
    label: 'Reply rate',
    numeric: true,
    cell: (row) => formatPercent(row.replyRate),
  },
];

/** A cell as the CSV writes it: the table's text, numbers without thousands separators. */
export const csvText = (column: (typeof campaignColumns)[number], row: ComparedCampaign) =>
  column.numeric ? column.cell(row).replaceAll(',', '') : column.cell(row);
