import type { Preview } from '../../campaigns/preview-schemas';
import { bucketLabel, ChartFrame, type ChartLayout, chartGeometry } from '../analytics/chart';
import { formatNumber } from '../ui/format';
import { DataTable } from '../ui/table';

/**
 * When the next run's recipients would be sent, by hour (the preview's `byHour`): a bar chart
 * drawn on the server as the analytics chart is (docs/console.md: charts), wide and narrow
 * drawings of which CSS shows one, and the figures as a table.
 */

type Hour = Preview['byHour'][number];

const wide: ChartLayout = { width: 760, height: 240, labels: 8, font: 13 };
const narrow: ChartLayout = { width: 360, height: 220, labels: 4, font: 13 };

/** A bar no wider than this: one hour's bar alone would otherwise fill the plot. */
const MAX_BAR = 40;

function Bars(props: { hours: Hour[]; zone: string; layout: ChartLayout; id: string }) {
  const { hours } = props;
  const g = chartGeometry(props.layout, hours.length, Math.max(0, ...hours.map((h) => h.count)));
  const barW = Math.min(MAX_BAR, Math.max(1, g.slot * 0.7));
  return (
    <ChartFrame
      layout={props.layout}
      g={g}
      id={props.id}
      title="Recipients sent each hour, from the start"
      labelledBy="send-hours-title send-hours-desc"
      labels={hours.map((hour) => bucketLabel(hour.hour, 'hour', props.zone))}
      xTitle={`Hour (${props.zone})`}
      yTitle="Recipients"
    >
      <g class="series series-sent">
        {hours.map((hour, i) => (
          <rect
            x={g.x(i) - barW / 2}
            y={g.y(hour.count)}
            width={barW}
            height={g.bottom - g.y(hour.count)}
          />
        ))}
      </g>
    </ChartFrame>
  );
}

/** The hours with sends as a table: the chart's text alternative. */
function HoursTable(props: { hours: Hour[]; zone: string }) {
  const when = new Intl.DateTimeFormat('en-GB', {
    timeZone: props.zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const filled = props.hours.filter((hour) => hour.count > 0);
  return (
    <details class="chart-figures">
      <summary>
        The chart's figures as a table ({formatNumber(filled.length)}{' '}
        {filled.length === 1 ? 'hour' : 'hours'} with sends)
      </summary>
      <DataTable
        caption={`Recipients sent by hour, in ${props.zone}`}
        columns={['Hour', { heading: 'Recipients', numeric: true }]}
      >
        {filled.map((hour) => (
          <tr>
            <th scope="row">
              <time datetime={hour.hour}>{when.format(new Date(hour.hour))}</time>
            </th>
            <td class="num">{formatNumber(hour.count)}</td>
          </tr>
        ))}
      </DataTable>
    </details>
  );
}

/** The section: the chart and its table, or nothing when nobody would be sent. */
export function SendHours(props: { preview: Preview; zone: string }) {
  const hours = props.preview.byHour;
  if (hours.length === 0) return null;
  const { zone } = props;
  return (
    <section aria-labelledby="send-hours-heading">
      <h2 id="send-hours-heading">When they would be sent</h2>
      <figure class="chart card">
        <figcaption id="send-hours-title">Recipients sent each hour, from the start</figcaption>
        <p id="send-hours-desc" class="visually-hidden">
          {`A bar chart of the recipients the run would send in each hour, in ${zone}, each in their own send window; the table below has the figures.`}
        </p>
        <Bars hours={hours} zone={zone} layout={wide} id="wide" />
        <Bars hours={hours} zone={zone} layout={narrow} id="narrow" />
      </figure>
      <HoursTable hours={hours} zone={zone} />
    </section>
  );
}
