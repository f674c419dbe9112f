import type { Overview } from '../../stats/schemas';
import { formatNumber } from '../ui/format';

/**
 * Sends, deliveries and replies over time as SVG drawn on the server (docs/console.md: charts):
 * a title, labelled axes, a legend in words and the state palette's colours (console.css
 * `.series-*`). Two drawings of the same figures: a wide one, and a narrow one with fewer labels
 * that stays legible on a phone (CSS shows one); the table below has every figure.
 */
export const chartSeries = [
  { key: 'sent', label: 'Sent', shape: 'bars' },
  { key: 'delivered', label: 'Delivered', shape: 'line' },
  { key: 'replied', label: 'Replied', shape: 'line' },
] as const;

type Bucket = Overview['series'][number];
/** A drawing's size, how many bucket labels it has room for, and its font size. */
export type ChartLayout = { width: number; height: number; labels: number; font: number };

const wide: ChartLayout = { width: 760, height: 300, labels: 8, font: 13 };
const narrow: ChartLayout = { width: 360, height: 260, labels: 4, font: 13 };

/** The bucket's label on the axis: `29 Nov` for days, `14:00` for hours (`29 Nov` at midnight). */
export function bucketLabel(start: string, interval: 'hour' | 'day', zone: string): string {
  const date = new Date(start);
  const dayMonth = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    day: 'numeric',
    month: 'short',
  });
  if (interval === 'day') return dayMonth.format(date);
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
  return time === '00:00' ? dayMonth.format(date) : time;
}

/** A round top for the y axis and its step: 0–5 when there is nothing, else 1, 2 or 5 × 10^n. */
export function niceScale(max: number): { top: number; step: number } {
  if (max <= 0) return { top: 5, step: 1 };
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  return { top: Math.ceil(max / step) * step, step: Math.max(1, step) };
}

/** The plot's geometry in a drawing of `layout` with `buckets` slots and values up to `max`. */
export function chartGeometry(layout: ChartLayout, buckets: number, max: number) {
  const left = 56;
  const top = 16;
  const plotW = layout.width - left - 16;
  const plotH = layout.height - top - 52;
  const scale = niceScale(max);
  // each bucket a slot of the plot's width, its point (and bar) at the slot's middle
  const slot = plotW / Math.max(1, buckets);
  return {
    left,
    top,
    plotW,
    plotH,
    slot,
    bottom: top + plotH,
    x: (i: number) => left + slot * (i + 0.5),
    y: (value: number) => top + plotH - (value / scale.top) * plotH,
    ticks: Array.from({ length: Math.round(scale.top / scale.step) + 1 }, (_, i) => i * scale.step),
    /** One bucket in this many is labelled. */
    every: Math.max(1, Math.ceil(buckets / layout.labels)),
  };
}
type Geometry = ReturnType<typeof chartGeometry>;

/**
 * A drawing's frame: the SVG with its title, the grid and its values, both axes, the buckets'
 * labels (`labels[i]`, every `g.every`th) and the axes' names; the series go inside.
 */
export function ChartFrame(props: {
  layout: ChartLayout;
  g: Geometry;
  id: string;
  title: string;
  labelledBy: string;
  labels: string[];
  xTitle: string;
  yTitle: string;
  children: unknown;
}) {
  const { layout, g } = props;
  return (
    <svg
      class={`chart-drawing chart-${props.id}`}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      role="img"
      aria-labelledby={props.labelledBy}
      style={`font-size:${layout.font}px`}
    >
      <title>{props.title}</title>
      {g.ticks.map((tick) => (
        <g class="tick">
          <line x1={g.left} x2={g.left + g.plotW} y1={g.y(tick)} y2={g.y(tick)} class="grid" />
          <text x={g.left - 8} y={g.y(tick) + 4} text-anchor="end">
            {formatNumber(tick)}
          </text>
        </g>
      ))}
      <line x1={g.left} x2={g.left} y1={g.top} y2={g.bottom} class="axis" />
      <line x1={g.left} x2={g.left + g.plotW} y1={g.bottom} y2={g.bottom} class="axis" />
      {props.labels.map((label, i) =>
        i % g.every === 0 ? (
          <text x={g.x(i)} y={g.bottom + 18} text-anchor="middle">
            {label}
          </text>
        ) : null,
      )}
      <text x={g.left + g.plotW / 2} y={layout.height - 6} text-anchor="middle" class="axis-title">
        {props.xTitle}
      </text>
      <text
        x={14}
        y={g.top + g.plotH / 2}
        text-anchor="middle"
        class="axis-title"
        transform={`rotate(-90 14 ${g.top + g.plotH / 2})`}
      >
        {props.yTitle}
      </text>
      {props.children}
    </svg>
  );
}

function Drawing(props: {
  series: Bucket[];
  interval: 'hour' | 'day';
  zone: string;
  layout: ChartLayout;
  id: string;
  title: string;
  labelledBy: string;
}) {
  const { series } = props;
  const max = Math.max(0, ...series.flatMap((b) => chartSeries.map((s) => b[s.key])));
  const g = chartGeometry(props.layout, series.length, max);
  const { x, y } = g;
  const barW = Math.max(1, g.slot * 0.6);
  const plotBottom = g.bottom;
  return (
    <ChartFrame
      layout={props.layout}
      g={g}
      id={props.id}
      title={props.title}
      labelledBy={props.labelledBy}
      labels={series.map((bucket) => bucketLabel(bucket.start, props.interval, props.zone))}
      xTitle={`${props.interval === 'day' ? 'Day' : 'Hour'} (${props.zone})`}
      yTitle="Messages"
    >
      {chartSeries.map((s) =>
        s.shape === 'bars' ? (
          <g class={`series series-${s.key}`}>
            {series.map((b, i) => (
              <rect
                x={x(i) - barW / 2}
                y={y(b[s.key])}
                width={barW}
                height={plotBottom - y(b[s.key])}
              />
            ))}
          </g>
        ) : (
          <g class={`series series-${s.key}`}>
            <polyline points={series.map((b, i) => `${x(i)},${y(b[s.key])}`).join(' ')} />
            {series.length <= 62
              ? series.map((b, i) => <circle cx={x(i)} cy={y(b[s.key])} r={3} />)
              : null}
          </g>
        ),
      )}
    </ChartFrame>
  );
}

/** The chart with its title, legend and both drawings. */
export function OverTimeChart(props: {
  series: Bucket[];
  interval: 'hour' | 'day';
  zone: string;
  title: string;
}) {
  const { series, interval, zone } = props;
  const describe = `sent (bars), delivered and replied (lines) by ${interval} in ${zone}; the table below has the figures.`;
  return (
    <figure class="chart card">
      <figcaption id="chart-title">{props.title}</figcaption>
      <p id="chart-desc" class="visually-hidden">
        {`A chart of the messages ${describe}`}
      </p>
      <ul class="legend" aria-label="Legend">
        {chartSeries.map((s) => (
          <li>
            <span class={`dot series-dot-${s.key}`} aria-hidden="true" />
            {`${s.label} (${s.shape === 'bars' ? 'bars' : 'line'})`}
          </li>
        ))}
      </ul>
      {[
        { id: 'wide', layout: wide },
        { id: 'narrow', layout: narrow },
      ].map((d) => (
        <Drawing
          series={series}
          interval={interval}
          zone={zone}
          layout={d.layout}
          id={d.id}
          title={props.title}
          labelledBy="chart-title chart-desc"
        />
      ))}
    </figure>
  );
}
