import type { Overview } from '../../stats/schemas';
import { formatNumber } from '../ui/format';
import { DataTable } from '../ui/table';

const figures = [
  { key: 'sent', label: 'Sent' },
  { key: 'delivered', label: 'Delivered' },
  { key: 'read', label: 'Read' },
  { key: 'replied', label: 'Replied' },
  { key: 'failed', label: 'Failed' },
] as const;

/** The chart's figures as a table, every bucket and every figure (docs/console.md: charts). */
export function ChartTable(props: { overview: Overview; zone: string }) {
  const { overview, zone } = props;
  const when = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    ...(overview.interval === 'hour'
      ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
      : {}),
  });
  const unit = overview.interval === 'day' ? 'day' : 'hour';
  return (
    <details class="chart-figures">
      <summary>
        The chart's figures as a table ({formatNumber(overview.series.length)} {unit}s)
      </summary>
      <DataTable
        caption={`Messages by ${unit}, in ${zone}`}
        columns={[
          unit === 'day' ? 'Day' : 'Hour',
          ...figures.map((figure) => ({ heading: figure.label, numeric: true })),
        ]}
      >
        {overview.series.map((bucket) => (
          <tr>
            <th scope="row">
              <time datetime={bucket.start}>
                {when.format(new Date(bucket.start)).replace(' at ', ', ')}
              </time>
            </th>
            {figures.map((figure) => (
              <td class="num">{formatNumber(bucket[figure.key])}</td>
            ))}
          </tr>
        ))}
      </DataTable>
    </details>
  );
}
