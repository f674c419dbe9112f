import { formatDateTime, formatRelative } from './format';

/**
 * A time in the viewer's zone with the zone named and how long ago or ahead it is; the exact
 * instant in `datetime` and `title` (docs/console.md: times).
 */
export function Time(props: {
  at: Date | string | null | undefined;
  zone: string;
  relative?: boolean;
}) {
  if (!props.at) return <span>–</span>;
  const date = typeof props.at === 'string' ? new Date(props.at) : props.at;
  const iso = date.toISOString();
  return (
    <time datetime={iso} title={iso}>
      {formatDateTime(date, props.zone)} <span class="zone">{props.zone}</span>
      {props.relative === false ? null : <span class="muted"> · {formatRelative(date)}</span>}
    </time>
  );
}
