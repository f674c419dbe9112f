import type { RunWaiting } from '../../stats/run-waiting';
import type { Progress, Stats } from '../../stats/schemas';
import type { LiveFigures } from '../live';
import {
  formatDateTime,
  formatNumber,
  formatPercent,
  formatRelative,
  formatTimeLeft,
} from '../ui/format';

/** Messages a second for people: `18/s`, `0.5/s`. */
export const formatRate = (perSecond: number) =>
  `${perSecond >= 10 || perSecond === 0 ? Math.round(perSecond) : perSecond.toFixed(1)}/s`;

/** How the run is going, in words: `18/s · about 2 min left`, or why nothing moves. */
export function paceWords(progress: Progress): string {
  if (progress.status === 'paused') return 'Paused: nothing is being sent.';
  if (progress.status !== 'running') return '';
  if (progress.secondsLeft === 0) return 'Finishing the last sends.';
  if (progress.sendRate === 0) return 'Waiting to send: nothing went out in the last 10 seconds.';
  return `${formatRate(progress.sendRate)} · ${formatTimeLeft(progress.secondsLeft)}`;
}

/**
 * What the send window holds back, in words: `1,204 waiting for their send window; next at Tue
 * 1 Dec, 08:00 UTC (in 3 h)`, and `12 expired: their window did not open before the deadline`.
 * In UTC, named so: every page watching the campaign gets the same live figures, whatever its
 * viewer's zone. Empty when nothing waits or expired.
 */
export function waitingWords(waiting: RunWaiting | null, now = new Date()) {
  if (!waiting) return { waiting: '', expired: '' };
  const more = (count: number, beyond: boolean) =>
    `${formatNumber(count)}${beyond ? ' or more' : ''}`;
  const next = waiting.nextAt
    ? `; next at ${formatDateTime(waiting.nextAt, 'UTC', now)} UTC (${formatRelative(waiting.nextAt, now)})`
    : '';
  return {
    waiting:
      waiting.waiting > 0
        ? `${more(waiting.waiting, waiting.moreWaiting)} waiting for their send window${next}`
        : '',
    expired:
      waiting.expired > 0
        ? `${more(waiting.expired, waiting.moreExpired)} expired: their send window did not open before the deadline`
        : '',
  };
}

/** A running run whose pending messages all wait for later: not a stall, the window is shut. */
const allWaiting = (progress: Progress, waiting: RunWaiting | null) =>
  progress.status === 'running' &&
  waiting !== null &&
  waiting.waiting > 0 &&
  waiting.waiting >= (progress.run?.pending ?? 0);

/** The counters of a campaign page, in the order a marketer reads them, with their state. */
export const counters = [
  { key: 'pending', label: 'Pending', state: 'pending' },
  { key: 'sent', label: 'Sent', state: 'sent' },
  { key: 'delivered', label: 'Delivered', state: 'delivered' },
  { key: 'read', label: 'Read', state: 'read' },
  { key: 'replied', label: 'Replied', state: 'replied' },
  { key: 'failed', label: 'Failed', state: 'failed' },
  { key: 'unknown', label: 'Unknown', state: 'unknown' },
  { key: 'optedOut', label: 'Opted out', state: 'opted_out' },
] as const;

/** The rate shown under a counter, over `sent` as the API's rates are. */
const rates: Partial<Record<(typeof counters)[number]['key'], keyof Stats>> = {
  delivered: 'deliveryRate',
  read: 'readRate',
  replied: 'replyRate',
};

/**
 * What the page shows and the live stream sends, from the API's own figures (GET .../stats and
 * GET .../progress, and what the latest run's send window holds back): formatted once, here, so the first render and every update read alike.
 * `done` once the campaign is neither running nor paused: its figures are then final.
 */
export function liveFigures(
  stats: Stats,
  progress: Progress,
  waiting: RunWaiting | null,
): LiveFigures {
  const figures: LiveFigures = {};
  for (const { key } of counters) {
    figures[key] = formatNumber(stats[key]);
    const rate = rates[key];
    if (rate) figures[`${key}Rate`] = `${formatPercent(stats[rate])} of sent`;
  }
  const run = progress.run;
  return {
    ...figures,
    runSent: formatNumber(run?.sent ?? 0),
    runAudience: formatNumber(run?.audience ?? 0),
    // the bar's max before its value: a value above the old max would be clamped to it
    runAudienceValue: run?.audience ?? 0,
    runSentValue: run?.sent ?? 0,
    pace: allWaiting(progress, waiting)
      ? 'Nothing is due now: every message left waits for its send window.'
      : paceWords(progress),
    ...waitingWords(waiting),
    done: progress.status !== 'running' && progress.status !== 'paused',
  };
}
