import type { Preview } from '../../campaigns/preview-schemas';
import { bucketLabel, niceScale } from '../analytics/chart';
import { formatNumber } from '../ui/format';
import { DataTable } from '../ui/table';

/**
 * When the next run's recipients would be sent, by hour (the preview's `byHour`): a bar chart
 * drawn on the server as the analytics chart is (docs/console.md: charts), wide and narrow
 * drawings of which CSS shows one, and the figures as a table.
 */

type Hour = Preview['byHour'][number];
type Layout = { width: number; height: number; labels: number; font: number };

const wide: Layout = { width: 760, height: 240, labels: 8, font: 13 };
const narrow: Layout = { width: 360, height: 220, labels: 4, font: 13 };

/** A bar no wider than this: one hour's bar alone would otherwise fill the plot. */
const MAX_BAR = 40;

function Bars(props: { hours: Hour[]; zone: string; layout: Layout; id: string }) {
  const { hours, layout } = props;
  const left = 56;
  const right = 16;
  const top = 16;
  const bottom = 52;
  const plotW = layout.width - left - right;
  const plotH = layout.height - top - bottom;
  const scale = niceScale(Math.max(0, ...hours.map((h) => h.count)));
  const slot = plotW / Math.max(1, hours.length);
  const x = (i: number) => left + slot * (i + 0.5);
  const barW = Math.min(MAX_BAR, Math.max(1, slot * 0.7));
  const y = (value: number) => top + plotH - (value / scale.top) * plotH;
  const ticks = Array.from(
    { length: Math.round(scale.top / scale.step) + 1 },
    (_, i) => i * scale.step,
  );
  const every = Math.max(1, Math.ceil(hours.length / layout.labels));
  return (
    <svg
      class={`chart-drawing chart-${props.id}`}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      role="img"
      aria-labelledby="send-hours-title send-hours-desc"
      style={`font-size:${layout.font}px`}
    >
      <title>Recipients sent each hour, from the start</title>
      {ticks.map((tick) => (
        <g class="tick">
          <line x1={left} x2={left + plotW} y1={y(tick)} y2={y(tick)} class="grid" />
          <text x={left - 8} y={y(tick) + 4} text-anchor="end">
            {formatNumber(tick)}
          </text>
        </g>
      ))}
      <line x1={left} x2={left} y1={top} y2={top + plotH} class="axis" />
      <line x1={left} x2={left + plotW} y1={top + plotH} y2={top + plotH} class="axis" />
      {hours.map((hour, i) =>
        i % every === 0 ? (
          <text x={x(i)} y={top + plotH + 18} text-anchor="middle">
            {bucketLabel(hour.hour, 'hour', props.zone)}
          </text>
        ) : null,
      )}
      <text x={left + plotW / 2} y={layout.height - 6} text-anchor="middle" class="axis-title">
        {`Hour (${props.zone})`}
      </text>
      <text
        x={14}
        y={top + plotH / 2}
        text-anchor="middle"
        class="axis-title"
        transform={`rotate(-90 14 ${top + plotH / 2})`}
      >
        Recipients
      </text>
      <g class="series series-sent">
        {hours.map((hour, i) => (
          <rect
            x={x(i) - barW / 2}
            y={y(hour.count)}
            width={barW}
            height={top + plotH - y(hour.count)}
          />
        ))}
      </g>
    </svg>
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
